"""Folding: typed umlauts meet real ones; words that only look like a typed umlaut stay as they are."""

from __future__ import annotations

import pytest

from rag.german import fold


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Muenster", "munster"),
        ("Kleinstaedte", "kleinstadte"),
        ("die Uebersicht", "die ubersicht"),  # at the start of a word inside the text, too
        ("Koeln", "koln"),
        ("die neuen Projekte", "die neuen projekte"),  # "eue" is no "eü": not "neun"
        ("Wie lange dauert das?", "wie lange dauert das?"),
        ("Steuerung, Frauen, Quelle", "steuerung, frauen, quelle"),
        ("What does it plan?", "what does it plan?"),
    ],
)
def test_fold(typed: str, expected: str) -> None:
    assert fold(typed) == expected


def test_contractions_and_adverbs_of_frequency_are_no_content() -> None:
    from rag.german import terms

    assert terms("Ich finde nie einen Stellplatz fürs Auto") == ["find", "stellplatz", "auto"]


def test_abbreviations_with_inner_dots_are_no_content_but_dotted_names_are() -> None:
    from rag.german import terms

    # "z.B." would count as a content word the brochure uses everywhere; a dotted motto is a name
    assert terms("Wer macht das, z.B. virtuell, u.a. mit Sensoren, d.h. digital?") == ["macht", "virtull", "sensor", "digital"]
    assert "meer.zukunft.se" in terms("meer.zukunft.seen")


def test_english_one_is_no_content() -> None:
    from rag.german import terms

    assert terms("Is Kusel one of the funded ones?") == ["kusel", "funded"]
