"""The items an earlier answer enumerates, and the position an ordinal follow-up points to (rag.items)."""

from __future__ import annotations

import doctest

import pytest

from rag import items
from rag.items import LAST, MIDDLE, enumerated, item_position, nth_item, with_item


def test_doctests() -> None:
    result = doctest.testmod(items)
    assert result.failed == 0 and result.attempted >= 3


@pytest.mark.parametrize(
    ("question", "position"),
    [
        ("und was steckt hinter der zweiten?", 2),
        ("erklar mir das vierte projekt genauer", 4),
        ("was ist beim ersten gemeint", 1),
        ("und die funfte massnahme?", 5),
        ("what about the third one?", 3),
        ("was macht projekt 6 genau?", 6),
        ("erzahl mehr zu punkt 2", 2),
        ("was plant die stadt als zweites?", None),  # "als zweites": no article before the ordinal
        ("welche projekte gibt es?", None),
        ("wie viele der 12 grossstadte?", None),
    ],
)
def test_item_position(question: str, position: int | None) -> None:
    assert item_position(question) == position


def test_numbered_items_win_over_bullets_and_colons() -> None:
    text = "Ziele: A, B.\n- erstens (1) Lernen, (2) Wohnen; (3) Arbeiten\n- zweitens"
    assert enumerated(text) == ["Lernen", "Wohnen", "Arbeiten"]


def test_bullets_without_markers_and_a_colon_list() -> None:
    assert enumerated("Geplant:\n- Hub [1]\n• Labor [2]\n3) Netz") == ["Hub", "Labor", "Netz"]
    assert enumerated("Es gibt drei Quartiere: Altstadt, Hafen und Nord.") == ["Altstadt", "Hafen", "Nord"]
    assert enumerated("Nichts aufgezählt: nur ein Satz.") == []
    assert enumerated("- nur ein Punkt") == []


def test_nth_item_by_its_own_number_first() -> None:
    text = "- Strategie\n- Projekt 1 Mitmachen\n- Projekt 2 Quartiere\n- Projekt 3 Hilfe"
    assert nth_item(text, 2) == "Projekt 2 Quartiere"
    assert nth_item("- A\n- B\n- C", 3) == "C"
    assert nth_item("- A\n- B", 3) == "" and nth_item("- A\n- B", 0) == ""


def test_every_ordinal_word_and_its_spelling() -> None:
    words = ["erst", "zweit", "dritt", "viert", "fünft", "sechst", "siebt", "acht", "neunt", "zehnt"]
    for n, w in enumerate(words, start=1):
        assert item_position(f"und der {w}e?") == n
    english = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
    for n, w in enumerate(english, start=1):
        assert item_position(f"and the {w} one?") == n
    assert item_position("Und Die Dritte Maßnahme?") == 3  # capitals and umlauts as typed
    assert item_position("THE SECOND") == 2


def test_with_item_replaces_only_the_first_ordinal_and_drops_backslashes() -> None:
    assert with_item("Was ist der zweite Punkt?", "Netz\\werk") == "Was ist Netzwerk?"
    assert with_item("Was sind der erste, der zweite?", "Hub") == "Was sind Hub, der zweite?"


def test_two_items_are_a_list_in_every_form() -> None:
    assert enumerated("Zwei Ziele: (1) Wohnen und (2) Arbeiten.") == ["Wohnen", "Arbeiten"]
    assert enumerated("- Hub\n- Labor") == ["Hub", "Labor"]
    assert enumerated("Zwei Orte: Altstadt und Hafen.") == ["Altstadt", "Hafen"]


def test_numbered_items_lose_a_leading_comma_and_keep_their_capitals() -> None:
    assert enumerated("Dazu: (1), Block X, (2), Block Y.") == ["Block X", "Block Y"]


def test_the_first_item() -> None:
    assert nth_item("- A\n- B", 1) == "A"


def test_the_last_and_the_middle_item() -> None:
    assert item_position("was ist beim letzten geplant?") == LAST
    assert item_position("und der mittlere punkt?") == MIDDLE and item_position("and the last one?") == LAST
    assert nth_item("Drei Quartiere: Altstadt, Hafen und Nord.", LAST) == "Nord"
    assert nth_item("Drei Quartiere: Altstadt, Hafen und Nord.", MIDDLE) == "Hafen"
    assert nth_item("Zwei Quartiere: Altstadt und Hafen.", MIDDLE) == ""  # no middle of an even number



@pytest.mark.parametrize(
    "question",
    ["was hat sich in den letzten jahren getan?", "what happened last year?", "was passiert im mittleren teil?",
     "und die letzte frage: wie viele?", "was steht unter punkt 0?"],
)
def test_a_time_or_a_part_is_no_list_position(question: str) -> None:
    assert item_position(question) is None
