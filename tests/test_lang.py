"""rag.lang: German / English / other, robust on short text."""

from __future__ import annotations

import pytest

from rag.lang import is_german, language_of


@pytest.mark.parametrize(
    "text",
    [
        "Welche Projekte wurden in Bayern gefördert?",
        "Was macht Guben?",
        "Wie viele Großstädte?",
        "Und dort?",
        "Die Broschüre enthält dazu keine Angaben.",
        "Guben baut eine digitale Plattform für Bürgerinnen und Bürger [1].",
        "Das Projekt „Smart Region Kusel“ heißt Smart Cities made in Germany [2].",
        "Bochum",
        "Guben?",
        "K7",
        "2021",
    ],
)
def test_german(text: str) -> None:
    assert language_of(text) == "de"
    assert is_german(text)


@pytest.mark.parametrize(
    "text",
    [
        "Which projects were funded in Bavaria?",
        "How many cities are in the brochure?",
        "The brochure does not contain this information.",
        "Guben is building a digital platform for its citizens [1].",
        "Hello",
        "Berlin was funded as a model project [1].",
    ],
)
def test_english(text: str) -> None:
    assert language_of(text) == "en"
    assert not is_german(text)


@pytest.mark.parametrize(
    "text",
    [
        "Quels projets ont été financés en Bavière ?",
        "¿Qué ciudades fueron financiadas?",
        "Welke projecten worden gefinancierd?",
    ],
)
def test_other(text: str) -> None:
    assert language_of(text) == "other"
    assert not is_german(text)


def test_empty_and_signal_free() -> None:
    assert not is_german("")
    assert not is_german("   ")
    assert is_german("OK")  # no signal: benefit of the doubt
    assert not is_german("OK", default=False)
    assert language_of("???", default="en") == "en"


def test_mixed_text_with_english_title_is_german() -> None:
    text = "Der Kreis Schleswig-Flensburg nennt sein Projekt „Smart Region – Data for the people“ [1]."
    assert is_german(text)


@pytest.mark.parametrize(
    "text",
    [
        "Gibt es irgendwo Sprechstunden beim Arzt per Video?",  # "es" is Spanish too, "per" Italian
        "Gibt es digitale Initiativen für Kinder?",
        "Ist es richtig, dass Linz mitmacht?",
    ],
)
def test_a_plain_i_is_no_foreign_letter(text: str) -> None:
    assert language_of(text) == "de"
