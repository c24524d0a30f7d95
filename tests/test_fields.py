"""Handlungsfelder: assignment from the text, agreement with the hand table, chunk metadata, filter."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rag.chunk import chunk_corpus, project_chunks
from rag.fields import (
    FIELDS,
    agreement,
    agreement_markdown,
    assign_fields,
    field_scores,
    load_lexicon,
    load_table,
)
from rag.parse import load_corpus
from rag.retrieve import Retriever
from rag.types import Project

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "tests" / "data" / "handlungsfelder.json"
FILLER = (
    "Die Gemeinde arbeitet an einer gemeinsamen Strategie. Sie stellt sich dem Wandel mit Zuversicht. "
    "Die Ergebnisse werden mit anderen Kommunen geteilt. "
)


def project(
    text: str, title: str = "Zukunft gemeinsam", motto: str = "Neue Wege", measures: tuple[str, ...] = ()
) -> Project:
    return Project(
        "Musterstadt", "Mittelstädte", "Kleine Mittelstadt", ("Hessen",), title, motto, text, 1, (), measures
    )


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return load_corpus(ROOT / "corpus")


# --- assign_fields on made-up projects -------------------------------------------------------------


def test_fields_are_the_fixed_labels_in_order() -> None:
    assert FIELDS[0] == "Mobilität" and FIELDS[-1] == "Sicherheit" and len(FIELDS) == 12
    assert set(load_lexicon()) == set(FIELDS)


def test_field_with_evidence_in_two_sentences_is_assigned() -> None:
    p = project("Wir bauen den Radverkehr aus. " + FILLER + "Der ÖPNV fährt künftig auf Abruf.")
    assert assign_fields(p) == ("Mobilität",)


def test_single_passing_mention_is_not_enough() -> None:
    p = project(FILLER + "Auch der Tourismus hat gelitten. " + FILLER)
    assert "Tourismus" not in assign_fields(p)
    assert field_scores(p)["Tourismus"].sentences == 1


def test_strong_mention_in_title_counts_alone() -> None:
    p = project(FILLER * 2, title="Smarte Nahversorgung im Dorf")
    assert assign_fields(p) == ("Nahversorgung und ländlicher Raum",)
    assert assign_fields(project(FILLER * 2)) == ()


def test_strong_mention_in_a_measure_counts() -> None:
    measure = "Aufbau einer urbanen Datenplattform mit Sensorik"
    p = project(FILLER + measure + ". " + FILLER, measures=(measure,))
    assert "Daten und Plattformen" in assign_fields(p)


def test_compounds_count_but_short_stems_do_not_leak() -> None:
    p = project("Die Bürgerbeteiligungsplattform startet. Ein Mobilitätskonzept folgt. Das Klimaschutzkonzept auch.")
    scores = field_scores(p)
    assert scores["Beteiligung"].hits == 1 and scores["Mobilität"].hits == 1 and scores["Energie und Klima"].hits == 1
    # "Einwohner" is no "Wohnen", "gemeinsam" no "Einsamkeit", "Update" no "Daten"
    q = project("Die Einwohner handeln gemeinsam. Ein Update für alle Einwohner. Gemeinsam geht es weiter.")
    s = field_scores(q)
    assert s["Wohnen und Quartier"].hits == 0 and s["Gesundheit und Pflege"].hits == 0
    assert s["Daten und Plattformen"].hits == 0


def test_density_is_normalised_by_length() -> None:
    short = project("Die Schule wird digital. Schüler lernen mit Tablets.")
    long = project("Die Schule wird digital. " + FILLER * 40 + "Schüler lernen mit Tablets.")
    assert field_scores(short)["Bildung"].density > field_scores(long)["Bildung"].density
    assert "Bildung" in assign_fields(short)
    assert "Bildung" not in assign_fields(long)
    assert "Bildung" in assign_fields(long, threshold=0.1)


def test_fields_come_back_in_fixed_order() -> None:
    p = project(
        "Die Verwaltung wird digital. Die Sicherheit im Netz steigt. Der Verkehr fließt. "
        "Das Bürgeramt öffnet online. Die Feuerwehr wird gewarnt. Radverkehr wächst."
    )
    got = assign_fields(p)
    assert got == tuple(f for f in FIELDS if f in got)
    assert {"Mobilität", "Verwaltung und Bürgerservice", "Sicherheit"} <= set(got)


def test_lexicon_text_is_parsed_and_checked() -> None:
    lines = "\n".join(f"{f}: Wort{i}" for i, f in enumerate(FIELDS))
    assert len(load_lexicon(lines)["Mobilität"]) == 1
    with pytest.raises(ValueError):
        load_lexicon(lines + "\nUnbekannt: Wort")
    with pytest.raises(ValueError):
        load_lexicon("Mobilität: Verkehr")


def test_agreement_counts_per_field() -> None:
    a = dataclasses.replace(project("x"), name="A", fields=("Mobilität", "Bildung"))
    b = dataclasses.replace(project("x"), name="B", fields=("Bildung",))
    r = agreement([a, b], {"A": ["Mobilität"], "B": ["Bildung", "Tourismus"]})
    assert r["fields"]["Mobilität"] == pytest.approx(
        {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    )
    assert r["fields"]["Bildung"]["precision"] == 0.5 and r["fields"]["Bildung"]["recall"] == 1.0
    assert r["fields"]["Tourismus"]["recall"] == 0.0 and r["fields"]["Tourismus"]["f1"] == 0.0
    assert "| **Makro** |" in agreement_markdown(r)


# --- the real corpus against the hand table -----------------------------------------------------


def test_every_project_has_fields_assigned_at_parse_time(corpus) -> None:  # type: ignore[no-untyped-def]
    for p in corpus.projects:
        assert p.fields, p.name
        assert p.fields == assign_fields(p)
        assert set(p.fields) <= set(FIELDS)


def test_agreement_with_hand_table(corpus) -> None:  # type: ignore[no-untyped-def]
    table = load_table(TABLE)
    assert set(table) == {p.name for p in corpus.projects}
    assert all(set(v) <= set(FIELDS) and v for v in table.values())
    r = agreement(corpus, table)
    report = ["", f"{'Handlungsfeld':34s} {'n':>3s} {'P':>5s} {'R':>5s} {'F1':>5s}"]
    for f, s in r["fields"].items():
        report.append(f"{f:34s} {s['support']:3d} {s['precision']:5.2f} {s['recall']:5.2f} {s['f1']:5.2f}")
    m = r["macro"]
    report.append(f"{'Makro':34s} {'':3s} {m['precision']:5.2f} {m['recall']:5.2f} {m['f1']:5.2f}")
    print("\n".join(report))
    assert m["f1"] >= 0.75, "\n".join(report)


# --- chunk metadata and the retrieval filter ----------------------------------------------------


def test_chunk_metadata_carries_the_fields(corpus) -> None:  # type: ignore[no-untyped-def]
    p = corpus.projects[0]
    chunks = project_chunks(p)
    assert {c.kind for c in chunks} == {"header", "passage"}
    for c in chunks:
        assert c.fields == p.fields
        assert c.metadata()["fields"] == "|".join(p.fields)
    general = [c for c in chunk_corpus(corpus) if not c.project]
    assert general and all(c.metadata()["fields"] == "" for c in general)


def test_allowed_indices_filters_by_field(corpus) -> None:  # type: ignore[no-untyped-def]
    chunks = chunk_corpus(corpus)
    retriever = Retriever(chunks, store=None, embedder=None)  # type: ignore[arg-type]  # the filter needs neither
    with_field = {p.name for p in corpus.projects if "Mobilität" in p.fields}
    assert with_field and len(with_field) < len(corpus.projects)
    allowed = retriever.allowed_indices({"field": "Mobilität"})
    assert allowed is not None and allowed
    assert {chunks[i].project for i in allowed} == with_field
    assert all("Mobilität" in chunks[i].fields for i in allowed)
    expected = [i for i, c in enumerate(chunks) if c.project in with_field]
    assert allowed == expected
    both = retriever.allowed_indices({"field": "Mobilität", "category": "Großstädte"})
    assert both is not None
    assert all(chunks[i].category == "Großstädte" and chunks[i].project in with_field for i in both)
