"""The evaluation split: no template twin crosses dev/test, and no split question sits in a unit test."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

import rag.evaluation.split
import rag.german
from rag.evaluation.split import assign, corpus_entities, groups, mask

ROOT = Path(__file__).resolve().parent.parent
ROWS = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]


def test_no_twin_crosses_dev_and_test() -> None:
    rows = [r for r in ROWS if r["split"] in ("dev", "test")]
    ent = corpus_entities()
    masks = [mask(r["question"], ent["names"], ent["states"], ent["categories"]) for r in rows]
    crossing = [[rows[i]["id"] for i in g] for g in groups(rows, masks) if len({rows[i]["split"] for i in g}) > 1]
    assert not crossing, crossing[:5]


def test_twins_are_grouped() -> None:
    rows = [
        {"id": "a", "type": "attribute", "question": "Was ist das Motto von Guben?"},
        {"id": "b", "type": "attribute", "question": "Was ist das Motto von Dresden?"},
        {"id": "c", "type": "attribute", "question": "Auf welcher Seite steht Konstanz?"},
    ]
    masks = [mask(r["question"], ["Guben", "Dresden", "Konstanz"]) for r in rows]
    assert sorted(sorted(g) for g in groups(rows, masks)) == [[0, 1], [2]]


def test_split_does_not_move_when_answer_stopwords_change(monkeypatch: pytest.MonkeyPatch) -> None:
    # the mask reads its own frozen word list: a new answer-layer stopword must not regroup questions
    before = assign(ROWS, corpus_entities())
    assert [r["split"] for r in before] == [r["split"] for r in ROWS]
    monkeypatch.setattr(rag.german, "STOPWORDS", rag.german.STOPWORDS | {"meinem", "projekte", "stadt"})
    fresh = importlib.reload(rag.evaluation.split)  # a module that copied STOPWORDS at import would see the patch
    assert fresh.mask("Welche Projekte plant meinem Stadt?") == "projekte plant meinem stadt"
    assert fresh.assign(ROWS, corpus_entities()) == before


def test_split_questions_are_not_in_unit_tests() -> None:
    sources = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("*.py")}

    def used(q: str, text: str) -> bool:
        # a short question (a bare place name) counts only as a whole string literal, not inside a longer one
        return (len(q.split()) >= 4 and q in text) or f'"{q}"' in text or f"'{q}'" in text

    found = [(r["id"], name) for r in ROWS for name, text in sources.items() if used(r["question"], text)]
    assert not found, found[:5]
