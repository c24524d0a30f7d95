"""The items an earlier answer enumerates, and the position an ordinal follow-up points to (rag.items)."""

from __future__ import annotations

import doctest

import pytest

from rag import items
from rag.items import enumerated, item_position, nth_item


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
