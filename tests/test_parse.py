"""The parser pins the brochure: 28 records, categories, states, quirks, pages, K1-K12, 73 overview entries."""

from __future__ import annotations

import pytest

from rag.parse import CorpusError, parse_brochure
from rag.types import CATEGORIES

EXPECTED = {
    # name: (category index, size class, states, page)
    "Bochum": (0, "Kleinere Großstadt", ("Nordrhein-Westfalen",), 7),
    "Dresden": (0, "Große Großstadt", ("Sachsen",), 9),
    "Halle (Saale)": (0, "Kleinere Großstadt", ("Sachsen-Anhalt",), 10),
    "Hannover": (0, "Große Großstadt", ("Niedersachsen",), 11),
    "Hildesheim": (0, "Kleinere Großstadt", ("Niedersachsen",), 13),
    "Münster": (0, "Kleinere Großstadt", ("Nordrhein-Westfalen",), 14),
    "Oberhausen": (0, "Kleinere Großstadt", ("Nordrhein-Westfalen",), 15),
    "Pforzheim": (0, "Kleinere Großstadt", ("Baden-Württemberg",), 16),
    "Potsdam": (0, "Kleinere Großstadt", ("Brandenburg",), 17),
    "Regensburg": (0, "Kleinere Großstadt", ("Bayern",), 18),
    "Wuppertal": (0, "Kleinere Großstadt", ("Nordrhein-Westfalen",), 20),
    "Würzburg": (0, "Kleinere Großstadt", ("Bayern",), 21),
    "Detmold": (1, "Größere Mittelstadt", ("Nordrhein-Westfalen",), 23),
    "Einbeck": (1, "Kleinere Mittelstadt", ("Niedersachsen",), 24),
    "Geestland": (1, "Kleinere Mittelstadt", ("Niedersachsen",), 25),
    "Kempten (Allgäu)": (1, "Größere Mittelstadt", ("Bayern",), 26),
    "Konstanz": (1, "Größere Mittelstadt", ("Baden-Württemberg",), 28),
    "Mühlhausen": (1, "Kleinere Mittelstadt", ("Thüringen",), 29),
    "Guben": (2, "Größere Kleinstadt", ("Brandenburg",), 31),
    "Linz am Rhein": (2, "Kleine Kleinstadt", ("Rheinland-Pfalz",), 32),
    "Landkreis Gießen": (3, "Interkommunale Kooperationen/Landkreis", ("Hessen",), 34),
    "Landkreis Hameln-Pyrmont": (3, "Interkommunale Kooperationen/Landkreis", ("Niedersachsen",), 35),
    "Kreis Höxter": (3, "Interkommunale Kooperationen/Landkreis", ("Nordrhein-Westfalen",), 37),
    "Landkreis Kusel": (3, "Interkommunale Kooperationen/Landkreis", ("Rheinland-Pfalz",), 38),
    "Gemeinde Ringelai und Ilzer Land": (3, "Interkommunale Kooperationen/Landkreis", ("Bayern",), 39),
    "Landkreis Vorpommern-Greifswald": (3, "Interkommunale Kooperationen/Landkreis", ("Mecklenburg-Vorpommern",), 41),
    "Kreis Schleswig-Flensburg": (3, "Interkommunale Kooperationen/Landkreis", ("Schleswig-Holstein",), 42),
    "Verband Region Rhein-Neckar": (
        3,
        "Interkommunale Kooperationen/Landkreis",
        ("Baden-Württemberg", "Hessen", "Rheinland-Pfalz"),
        44,
    ),
}


def test_28_projects_in_toc_order(corpus) -> None:
    assert [p.name for p in corpus.projects] == list(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_project_record(corpus, name: str) -> None:
    cat, size, states, page = EXPECTED[name]
    p = corpus.project(name)
    assert (p.category, p.size_class, p.states, p.page) == (CATEGORIES[cat], size, states, page)
    assert p.title and p.motto and len(p.text) > 400
    assert "**" not in p.title + p.motto + p.text
    assert len(p.paragraph_pages) == len(p.paragraphs)
    assert all(page <= pg <= page + 2 for pg in p.paragraph_pages)


def test_category_split(corpus) -> None:
    counts = [sum(p.category == c for p in corpus.projects) for c in CATEGORIES]
    assert counts == [12, 6, 2, 8]


def test_title_quirks(corpus) -> None:
    assert corpus.project("Landkreis Vorpommern-Greifswald").title == "26"
    assert corpus.project("Landkreis Vorpommern-Greifswald").motto == "meer.zukunft.seen."  # was a link
    assert corpus.project("Kempten (Allgäu)").title == "Modellprojekte Smart City Kempten"  # "Projekttitle"
    assert corpus.project("Konstanz").title.startswith("Förderwettbewerb Smart Cities")
    assert corpus.project("Landkreis Hameln-Pyrmont").title == "Hameln-Pyrmont goes Smart City"
    assert corpus.project("Einbeck").title == "Einbeck - #47digit@//"


def test_hyphenation_repaired(corpus) -> None:
    bochum = corpus.project("Bochum").text
    assert "Datenmanagement für die Nutzung" in bochum
    assert "Datenmanage-" not in bochum
    assert "weiterentwickelt" in corpus.project("Dresden").text
    assert "Stadtraum Dresdens" in corpus.project("Dresden").text
    assert "Stadt- und Gemeindezentren" in corpus.project("Würzburg").text  # a real hyphen stays


def test_criteria(corpus) -> None:
    crit = [s for s in corpus.sections if s.key.startswith("k") and s.key[1:].isdigit()]
    assert [s.key for s in crit] == [f"k{i}" for i in range(1, 13)]
    assert crit[6].title.startswith("K7 Berücksichtigung des Ressourcenbedarfs")
    assert {s.group for s in crit} == {
        "Zukunftsfähigkeit und integrierte Stadtentwicklung",
        "Einbezug der Akteure und lokale Ressourcen",
        "Modellhaftigkeit",
    }
    assert all(s.page == 6 for s in crit)


def test_general_sections(corpus) -> None:
    keys = {s.key: s for s in corpus.sections}
    assert "820 Millionen Euro" in keys["einleitung"].text and "94 eingereichten" in keys["einleitung"].text
    assert keys["einleitung"].page == 4
    assert keys["uebersicht"].page == 46
    assert "Gestaltung: ORCA Affairs GmbH, Berlin" in keys["impressum"].text


def test_overview(corpus) -> None:
    ov = corpus.overview
    assert len(ov) == 73
    assert [sum(e.category == c for e in ov) for c in CATEGORIES] == [28, 13, 10, 22]
    assert sum(e.is_2021 for e in ov) == 28
    assert {e.project for e in ov if e.is_2021} == set(EXPECTED)
    eifel = next(e for e in ov if e.name == "Eifelkreis Bitburg-Prüm")
    assert eifel.partners == (
        "Arzfeld",
        "Bitburger Land",
        "Prüm",
        "Speicher",
        "Stadt Bitburg",
        "Verbandsgemeinde Südeifel",
    )
    hoexter = next(e for e in ov if e.name == "Kreis Höxter")
    assert hoexter.category == CATEGORIES[1] and hoexter.project == "Kreis Höxter"  # listed under Mittlere Städte
    vg = next(e for e in ov if e.name == "Kreis Vorpommern-Greifswald")
    assert vg.project == "Landkreis Vorpommern-Greifswald"
    assert not next(e for e in ov if e.name == "Kassel").is_2021


def test_parser_fails_loudly_on_a_missing_project() -> None:
    from tests.conftest import CORPUS_DIR

    text = (CORPUS_DIR / "modellprojekte-smart-cities-2021.txt").read_text(encoding="utf-8")
    broken = text.replace("\nGuben\n\nGrößere Kleinstadt", "\nGubenX\n\nGrößere Kleinstadt")
    with pytest.raises(CorpusError, match="Guben"):
        parse_brochure(broken)


def test_parser_fails_on_unknown_state() -> None:
    from tests.conftest import CORPUS_DIR

    text = (CORPUS_DIR / "modellprojekte-smart-cities-2021.txt").read_text(encoding="utf-8")
    with pytest.raises(CorpusError, match="Bundesland"):
        parse_brochure(text.replace("Größere Kleinstadt • Brandenburg", "Größere Kleinstadt • Atlantis"))


def test_parser_fails_without_toc() -> None:
    with pytest.raises(CorpusError, match="Inhaltsverzeichnis"):
        parse_brochure("nur Text\nohne Struktur")


def test_a_label_line_starts_its_own_paragraph_after_a_long_unpunctuated_one() -> None:
    from rag.text import join_paragraphs

    long_value = "soziale Inklusion durch Bildung und Vernetzung, energetische Sanierung, " * 2 + "Aufenthaltsqualität"
    paras = ["Plattenbau Nord:", long_value, "Ländlicher Ortsteil Süd:", "Teilhabe, Mobilität"]
    assert join_paragraphs(paras) == paras
    # a long line without punctuation still continues into a capitalised line that is no label
    assert join_paragraphs([long_value, "Zukunft der Stadt gestalten wir gemeinsam."]) == [
        f"{long_value} Zukunft der Stadt gestalten wir gemeinsam."
    ]


def test_the_round_year_comes_from_the_heading_of_the_projects(corpus) -> None:
    # the round the brochure presents is read from its heading, not written into the code that reads questions
    assert corpus.year == "2021"
    assert any(s.key == "uebersicht" and corpus.year in s.title for s in corpus.sections)
