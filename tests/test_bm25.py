"""BM25 on bm25s' sparse matrix gives the same ranking and scores as the former pure-Python scorer."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable

import pytest

from rag.chunk import index_text
from rag.config import Config
from rag.index.bm25 import BM25
from rag.index.build import collect
from rag.synonyms import Thesaurus
from tests.conftest import CORPUS_DIR, ROOT


def reference_search(bm: BM25, text: str, k: int = 10, allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
    """The scorer before bm25s (posting lists in pure Python), kept verbatim as the reference."""
    scores: dict[int, float] = defaultdict(float)
    allow = set(allowed) if allowed is not None else None
    for term, weight in bm.weighted_terms(text).items():
        idf = bm.idf.get(term)
        if idf is None:
            continue
        idf *= weight
        for doc, tf in bm.postings[term]:
            if allow is not None and doc not in allow:
                continue
            norm = bm.k1 * (1 - bm.b + bm.b * bm.lengths[doc] / bm.avgdl)
            scores[doc] += idf * tf * (bm.k1 + 1) / (tf + norm)
    return sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]


@pytest.fixture(scope="module")
def bm25() -> tuple[BM25, list]:  # type: ignore[type-arg]
    _corpus, chunks = collect(Config(data_dir=ROOT / "unused", corpus_dir=CORPUS_DIR))
    thesaurus = Thesaurus()
    bm = BM25([index_text(c) for c in chunks], related=thesaurus.related, query_vocabulary=thesaurus.vocabulary)
    return bm, chunks


def _questions() -> list[str]:
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def _same(got: list[tuple[int, float]], want: list[tuple[int, float]], question: str) -> None:
    assert [i for i, _ in got] == [i for i, _ in want], question
    for (_, a), (_, b) in zip(got, want, strict=True):
        assert math.isclose(a, b, rel_tol=1e-6), (question, a, b)


def test_same_top10_as_pure_python_on_every_eval_question(bm25: tuple[BM25, list]) -> None:  # type: ignore[type-arg]
    bm, _ = bm25
    questions = _questions()
    assert len(questions) > 100
    for q in questions:
        _same(bm.search(q, 10), reference_search(bm, q, 10), q)


def test_same_ranking_with_a_filter_and_deep_k(bm25: tuple[BM25, list]) -> None:  # type: ignore[type-arg]
    bm, chunks = bm25
    bavaria = [i for i, c in enumerate(chunks) if "Bayern" in c.states]
    assert bavaria
    for q in _questions()[::7]:
        _same(bm.search(q, 10, bavaria), reference_search(bm, q, 10, bavaria), q)
        _same(bm.search(q, 100), reference_search(bm, q, 100), q)


def test_edge_cases() -> None:
    bm = BM25(["Digitaler Zwilling der Stadt", "Radverkehr und Mobilität", "Zwillingsstadt Gubin", ""])
    assert bm.search("", 5) == []
    assert bm.search("Quantenchromodynamik", 5) == []
    assert bm.search("Zwilling", 0) == []
    assert bm.search("Zwilling", 5, allowed=[]) == []
    assert [i for i, _ in bm.search("Zwilling", 5, allowed=[2, 99])] == [2]
    assert BM25([]).search("Zwilling") == []
    assert BM25(["", "und der"]).search("Zwilling") == []
    # identical documents tie exactly and keep index order, also at the cut-off
    twins = BM25(["Radweg im Quartier"] * 5 + ["Park"])
    assert [i for i, _ in twins.search("Radweg", 3)] == [0, 1, 2]
