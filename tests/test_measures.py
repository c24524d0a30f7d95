"""Measures parsed per project: the rules on small hand-made texts, then the whole brochure."""

from __future__ import annotations

import re

import pytest

from rag.chunk import header_text
from rag.measures import MAX_CHARS, MAX_MEASURES, extract_measures
from tests.test_parse import EXPECTED

# --- the rules on hand-made texts ------------------------------------------------------------


def test_bullet_list_after_colon_sentence() -> None:
    got = extract_measures(
        [
            "Die Stadt wächst seit Jahren.",
            "Dazu planen wir:",
            "- Aufbau einer urbanen Datenplattform für Verkehr, Energie und Umwelt,\n"
            "- Ein Reallabor in der Innenstadt mit offenen Werkstätten für alle",
        ]
    )
    assert got == (
        "Aufbau einer urbanen Datenplattform für Verkehr, Energie und Umwelt",
        "Ein Reallabor in der Innenstadt mit offenen Werkstätten für alle",
    )


def test_check_mark_list() -> None:
    got = extract_measures(
        [
            "Unsere Maßnahmen für die nächsten Jahre sind die folgenden:",
            "- ✓ Ein mobiler Makerspace für Jugendliche in allen Ortsteilen\n"
            "- ✓ Ein digitaler Zwilling als Abbild der Stadt und ihrer Netze",
        ]
    )
    assert got == (
        "Ein mobiler Makerspace für Jugendliche in allen Ortsteilen",
        "Ein digitaler Zwilling als Abbild der Stadt und ihrer Netze",
    )


def test_numbered_list_items() -> None:
    got = extract_measures(
        [
            "Wir setzen zwei Maßnahmen um:",
            "1. Eine Bürger-App mit Beteiligungsmodul für alle Ortsteile der Stadt\n"
            "2. Ein Datenportal mit den offenen Daten der Verwaltung und der Stadtwerke",
        ]
    )
    assert got == (
        "Eine Bürger-App mit Beteiligungsmodul für alle Ortsteile der Stadt",
        "Ein Datenportal mit den offenen Daten der Verwaltung und der Stadtwerke",
    )


def test_sentence_enumerating_numbered_items() -> None:
    enumerating = (
        "Aus diesen Herausforderungen leitet die Stadt drei Aufgaben ab: (1) Digitale Bildung, "
        "(2) Smarte Mobilität und (3) Klimaschutz."
    )
    got = extract_measures(
        [
            "Die Stadt liegt an einem Fluss und hat 20.000 Einwohner.",
            f"{enumerating} Ein Bürgerbüro wird im Rathaus eingerichtet und berät zu digitalen Angeboten.",
        ]
    )
    assert got == (enumerating, "Ein Bürgerbüro wird im Rathaus eingerichtet und berät zu digitalen Angeboten.")


def test_projekt_n_headings_with_dash_lines() -> None:
    got = extract_measures(
        [
            "Projekte:",
            "Projekt 1 Mach mit",
            "– Mit Bürgerbeteiligung gegen die Krise",
            "Projekt 2 Dorf-App",
            "– Region und Verwaltung für die Hosentasche",
            "Mit dem Menschen im Mittelpunkt wollen wir die Einsamkeit verringern.",
        ]
    )
    assert got[:2] == (
        "Projekt 1 Mach mit – Mit Bürgerbeteiligung gegen die Krise",
        "Projekt 2 Dorf-App – Region und Verwaltung für die Hosentasche",
    )


def test_heading_lines_joined_with_their_topic_line() -> None:
    got = extract_measures(
        [
            "Es wurden zwei Modellquartiere bestimmt, in denen die Maßnahmen erprobt werden sollen:",
            "Mittelalterliche Altstadt:",
            "Digitales Welterbe, lebendige Innenstadt, umweltfreundliche Mobilität und Logistik",
            "Ländlicher Ortsteil:",
            "Teilhabe/Daseinsvorsorge, bedarfsgerechte Mobilität, digitales Dorf",
        ]
    )
    assert got == (
        "Mittelalterliche Altstadt: Digitales Welterbe, lebendige Innenstadt, umweltfreundliche Mobilität und Logistik",
        "Ländlicher Ortsteil: Teilhabe/Daseinsvorsorge, bedarfsgerechte Mobilität, digitales Dorf",
    )


def test_heading_joined_with_the_first_sentences_of_its_paragraph() -> None:
    got = extract_measures(
        [
            "Quartierslabore",
            "In zwei Quartieren werden Lösungen für Mobilität erprobt. Danach wird skaliert.",
            "Zukunftsaufgabe 1:",
            "Im Cooperation Lab werden Strategien zur Datensouveränität entwickelt.",
        ]
    )
    assert got == (
        "Quartierslabore: In zwei Quartieren werden Lösungen für Mobilität erprobt. Danach wird skaliert.",
        "Zukunftsaufgabe 1: Im Cooperation Lab werden Strategien zur Datensouveränität entwickelt.",
    )


def test_colon_sentence_packed_with_its_short_items() -> None:
    got = extract_measures(
        [
            "Unser Fokus liegt auf vier zentralen Handlungsfeldern:",
            "- Reallabor Soziale Stadt\n- Reallabor Mobile Stadt\n- Reallabor Grüne Stadt",
            "Dafür setzen wir auf eine digitale Beteiligungsplattform für alle Generationen.",
        ]
    )
    assert got[0] == (
        "Unser Fokus liegt auf vier zentralen Handlungsfeldern: "
        "Reallabor Soziale Stadt, Reallabor Mobile Stadt, Reallabor Grüne Stadt"
    )


def test_open_intro_finished_by_its_items() -> None:
    got = extract_measures(
        [
            "Im Modellprojekt wollen wir",
            "- ... einen regionalen Datenmarktplatz aufbauen,\n- ... einen Innovationshub etablieren",
        ]
    )
    assert (
        got[0]
        == "Im Modellprojekt wollen wir einen regionalen Datenmarktplatz aufbauen, einen Innovationshub etablieren"
    )


def test_starting_point_sentences_lose_to_concrete_ones() -> None:
    problem = "Die Stadt hat bereits eine Plattform, doch Abwanderung und Leerstand sind große Herausforderungen."
    got = extract_measures(
        [
            problem,
            "Mit dem Stadtlabor „Haus der Zukunft“ entwickelt die Stadt einen Ort für digitale Bildung.",
            "Eine urbane Datenplattform wird aufgebaut und mit Sensoren im Stadtraum verknüpft.",
        ]
    )
    assert problem not in got and len(got) == 2


def test_length_and_count_caps() -> None:
    long_sentence = "Wir entwickeln eine Plattform für " + ", ".join(f"Angebot Nummer {i}" for i in range(40)) + "."
    items = "\n".join(f"- Maßnahme {i}: ein Reallabor für smarte Mobilität im Quartier Nummer {i}" for i in range(12))
    got = extract_measures([long_sentence, "Wir setzen folgende Maßnahmen um:", items])
    assert len(got) == MAX_MEASURES
    assert all(len(m) <= MAX_CHARS for m in got)
    clipped = extract_measures([long_sentence, "Eine App wird entwickelt und im Quartier erprobt."])
    assert clipped[0].endswith(" …") and len(clipped[0]) <= MAX_CHARS


# --- the real brochure -----------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _position(measure: str, text: str) -> int:
    """Where the measure's words stand in the text's words; a heading/intro may be joined in front
    of its item ("Heading: item"), so one split into two runs that both occur is allowed. -1: absent."""
    m = _words(measure.removesuffix(" …"))
    t = f" {' '.join(_words(text))} "

    def find(ws: list[str]) -> int:
        return t.find(f" {' '.join(ws)} ")

    if (at := find(m)) >= 0:
        return at
    for k in range(1, len(m)):
        if find(m[:k]) >= 0 and (at := find(m[k:])) >= 0:
            return at
    return -1


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_project_has_whole_measures_from_its_own_text(corpus, name: str) -> None:
    p = corpus.project(name)
    assert 2 <= len(p.measures) <= MAX_MEASURES
    positions = []
    for m in p.measures:
        assert 25 <= len(m) <= MAX_CHARS, m
        assert not m.endswith(":"), m
        assert "Modellprojekt Smart Cities 2021." not in m and header_text(p) not in m
        positions.append(_position(m, p.text))
        assert positions[-1] >= 0, m
    assert positions == sorted(positions), "measures are in the order of the brochure"


HAND_CHECKED = {
    # project: two measures read in the brochure that must be among the extracted ones (substrings)
    "Guben": (
        "(1) Digitalisierung für einen Strukturwandel, (2) Smarte Europastadt und (3) Smarte Gefahrenabwehr",
        "Guben-Gubin App mit Bürgerbeteiligungsmodul",
    ),
    "Linz am Rhein": (
        "Über die ZukunftsWerkStadt 2.0 und Reallabore werden baulich-physische und digitale Gestaltungsräume",
        "digitales Gesundheitszentrum mit virtuellen Sprechstunden",
    ),
    "Mühlhausen": (
        "Plattenbausiedlung Ballongasse: soziale Inklusion durch Bildung und Vernetzung, energetische Sanierung",
        "Ländlicher Ortsteil Bollstedt: Teilhabe/Daseinsvorsorge, bedarfsgerechte Mobilität, digitales Dorf",
    ),
    "Kempten (Allgäu)": (
        "Zukunftsaufgabe 1: Im Digital Cooperation Lab findet die Vernetzung von Stadtkonzern",
        "Zukunftsaufgabe 3: Durch Urban Farming werden Freiflächen",
    ),
    "Landkreis Kusel": (
        "werden Digitallots:innen eingesetzt",
        "eine Mobilitäts-App und eine dezentrale Gesundheitsversorgung werden hier realisiert",
    ),
    "Geestland": (
        "Gröönkopplung meets grönenergy und Grönmobility stehen dafür für zwei Maßnahmen",
        "einen HUB entwickelt, der medizinische Maßnahmen der Prävention mit neuen Arbeits- und Lernorten verknüpft",
    ),
    "Würzburg": (
        "Projekt 1 Mach mit – Mit Bürgerbeteiligung gegen die Krise",
        "Projekt 7 WueApp – Region und Verwaltung für die Hosentasche",
    ),
    "Verband Region Rhein-Neckar": (
        "einen regionalen Datenmarktplatz aufbauen und eine regionale Daten Governance",
        "einen Innovationshub zur stetigen Entwicklung innovativer Angebote",
    ),
}


@pytest.mark.parametrize("name", list(HAND_CHECKED))
def test_hand_checked_measures(corpus, name: str) -> None:
    measures = corpus.project(name).measures
    for expected in HAND_CHECKED[name]:
        assert any(expected in m for m in measures), (expected, measures)


def test_labels_stand_apart_in_text_and_measures(corpus) -> None:
    """A short label line ("Ländlicher Ortsteil Bollstedt:") is a paragraph of its own, in the text (so that its
    list stays whole for quoting) and in the measures."""
    muehlhausen = corpus.project("Mühlhausen")
    assert "öffentliche Aufenthaltsqualität\n\nLändlicher Ortsteil Bollstedt:" in muehlhausen.text
    assert any(m.endswith("Kreislaufwirtschaft, öffentliche Aufenthaltsqualität") for m in muehlhausen.measures)
