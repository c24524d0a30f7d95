"""Caches of derived data (parsed corpus, BM25 arrays), filter masks and the exact dense search."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.cache import CACHE_DIR, cached_collect, corpus_from_json, corpus_to_json
from rag.chunk import index_text
from rag.config import Config
from rag.index.bm25 import BM25
from rag.index.build import collect
from rag.index.exact import ExactVectors
from rag.index.filters import ChunkFilter
from rag.retrieve import build_bm25, cached_bm25
from rag.synonyms import Thesaurus
from rag.types import Chunk
from tests.conftest import CORPUS_DIR

QUESTIONS = (
    "Welche Projekte setzen Sensoren im Stadtgebiet ein?",
    "Welche Kleinstädte wurden 2021 gefördert?",
    "digitaler Zwilling Datenplattform",
    "Nahversorgung im ländlichen Raum",
    "Programmvolumen der Förderung",
)


@pytest.fixture(scope="module")
def parsed() -> tuple:  # type: ignore[type-arg]
    return collect(Config(data_dir=Path("unused"), corpus_dir=CORPUS_DIR))


def test_corpus_json_round_trip(parsed) -> None:  # type: ignore[no-untyped-def]
    corpus, chunks = parsed
    again = corpus_from_json(json.loads(json.dumps(corpus_to_json(corpus, chunks), ensure_ascii=False)))
    assert again == (corpus, chunks)


def test_cached_collect_reuses_the_parse_until_the_corpus_changes(tmp_path: Path, parsed) -> None:  # type: ignore[no-untyped-def]
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus_dir)
    config = Config(data_dir=tmp_path / "data", corpus_dir=corpus_dir)
    calls: list[int] = []

    def counting(cfg: Config) -> tuple:  # type: ignore[type-arg]
        calls.append(1)
        return collect(cfg)

    first = cached_collect(config, counting)
    second = cached_collect(config, counting)
    assert len(calls) == 1 and first == second == parsed
    files = list((tmp_path / "data" / CACHE_DIR).glob("parsed-*.json"))
    assert len(files) == 1

    (corpus_dir / "notiz.md").write_text("# Notiz\n\nEin weiteres Dokument über Radwege.\n", encoding="utf-8")
    third = cached_collect(config, counting)
    assert len(calls) == 2 and any(c.document == "notiz.md" for c in third[1])
    assert len(list((tmp_path / "data" / CACHE_DIR).glob("parsed-*.json"))) == 1  # the old file is gone

    only = next((tmp_path / "data" / CACHE_DIR).glob("parsed-*.json"))
    only.write_text('{"corpus": ', encoding="utf-8")  # broken cache: parsed again, never an error
    assert cached_collect(config, counting) == third and len(calls) == 3


def test_cached_collect_without_a_writable_data_dir(tmp_path: Path, parsed) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "datei"
    blocker.write_text("kein Verzeichnis")
    assert cached_collect(Config(data_dir=blocker / "data", corpus_dir=CORPUS_DIR), collect) == parsed


def test_bm25_arrays_round_trip(parsed) -> None:  # type: ignore[no-untyped-def]
    _, chunks = parsed
    thesaurus = Thesaurus()
    bm = build_bm25(chunks, thesaurus)
    again = BM25.from_arrays(dict(bm.to_arrays()), related=thesaurus.related)
    assert again.idf == bm.idf and again.postings == bm.postings and again.lengths == bm.lengths
    assert again.decompounder.vocabulary == bm.decompounder.vocabulary
    assert again.decompounder.query_vocabulary == bm.decompounder.query_vocabulary
    mask = np.array(["Bayern" in c.states for c in chunks])
    for q in QUESTIONS:
        assert again.weighted_terms(q) == bm.weighted_terms(q)
        assert again.search(q, 20) == bm.search(q, 20)
        assert again.search(q, 20, mask) == bm.search(q, 20, np.flatnonzero(mask).tolist())


def test_cached_bm25_is_written_once_and_rebuilt_when_broken(tmp_path: Path, parsed) -> None:  # type: ignore[no-untyped-def]
    _, chunks = parsed
    thesaurus = Thesaurus()
    first = cached_bm25(chunks, thesaurus, tmp_path)
    files = list((tmp_path / CACHE_DIR).glob("bm25-*.npz"))
    assert len(files) == 1
    second = cached_bm25(chunks, thesaurus, tmp_path)
    assert second is not first and second.search(QUESTIONS[0], 10) == first.search(QUESTIONS[0], 10)
    files[0].write_bytes(b"kaputt")
    third = cached_bm25(chunks, thesaurus, tmp_path)
    assert third.search(QUESTIONS[2], 10) == first.search(QUESTIONS[2], 10)
    other = cached_bm25(chunks[:50], thesaurus, tmp_path)  # other texts: another key, the old file is replaced
    assert other._n == 50 and len(list((tmp_path / CACHE_DIR).glob("bm25-*.npz"))) == 1


def _reference_allowed(chunks: list[Chunk], filters: dict) -> list[int] | None:  # type: ignore[type-arg]
    """The former ``Retriever.allowed_indices`` loop, kept as the reference."""
    if not any(filters.values()):
        return None
    projects = filters.get("project")
    if isinstance(projects, str):
        projects = [projects]
    out = []
    for i, c in enumerate(chunks):
        if filters.get("category") and c.category != filters["category"]:
            continue
        if filters.get("state") and filters["state"] not in c.states:
            continue
        if filters.get("field") and filters["field"] not in c.fields:
            continue
        if projects and c.project not in projects:
            continue
        if any(filters.get(key) and getattr(c, key) != filters[key] for key in ("kind", "section", "document")):
            continue
        out.append(i)
    return out


def test_chunk_filter_masks_match_the_former_loop(parsed) -> None:  # type: ignore[no-untyped-def]
    _, chunks = parsed
    f = ChunkFilter(chunks)
    rng = random.Random(7)
    values = {
        "category": [*sorted({c.category for c in chunks}), "Unbekannt"],
        "state": sorted({s for c in chunks for s in c.states}),
        "field": sorted({x for c in chunks for x in c.fields}),
        "project": sorted({c.project for c in chunks if c.project}),
        "kind": sorted({c.kind for c in chunks}),
        "section": sorted({c.section for c in chunks if c.section})[:5],
    }
    for _ in range(300):
        filters: dict = {}  # type: ignore[type-arg]
        for key, options in values.items():
            if rng.random() < 0.35:
                filters[key] = (
                    rng.sample(options, 2) if key == "project" and rng.random() < 0.5 else rng.choice(options)
                )
        if rng.random() < 0.1:
            filters["state"] = None
        want = _reference_allowed(chunks, filters)
        m = f.mask(filters)
        assert (None if m is None else np.flatnonzero(m).tolist()) == want, filters


def test_exact_vectors_rank_by_cosine_within_filters() -> None:
    rng = np.random.default_rng(3)
    chunks = [
        Chunk(f"c{i}", "t", "passage", project=f"P{i % 4}", category="Großstädte" if i % 3 else "Mittelstädte",
              states=("Bayern",) if i % 2 else ("Hessen", "Bayern") if i % 5 == 0 else ("Hessen",))
        for i in range(60)
    ]  # fmt: skip
    vectors = rng.normal(size=(60, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[7] = vectors[3]  # a tie: the earlier chunk comes first
    ev = ExactVectors(chunks, vectors)
    q = vectors[3] + 0.01
    for filters in ({}, {"state": "Hessen"}, {"category": "Mittelstädte", "project": "P1"}, {"field": "egal"}):
        got = ev.query(q, 10, filters)
        rows = [i for i, c in enumerate(chunks) if (not filters.get("state") or filters["state"] in c.states)
                and (not filters.get("category") or c.category == filters["category"])
                and (not filters.get("project") or c.project == filters["project"])]  # fmt: skip
        sims = vectors[rows] @ q.astype(np.float32)
        want = sorted(zip(rows, sims.tolist(), strict=True), key=lambda x: (-x[1], x[0]))[:10]
        assert [cid for cid, _ in got] == [f"c{i}" for i, _ in want], filters
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-6)
    assert [cid for cid, _ in ev.query(vectors[3], 2)] == ["c3", "c7"]
    assert ev.query(q, 5, {"project": "P9"}) == []
    with pytest.raises(ValueError):
        ExactVectors(chunks, vectors[:10])


def test_fingerprint_covers_the_indexed_texts(parsed) -> None:  # type: ignore[no-untyped-def]
    """The BM25 cache key hashes the indexed texts: a chunk's text change must change it."""
    from rag.cache import fingerprint

    _, chunks = parsed
    texts = [index_text(c) for c in chunks]
    assert fingerprint(texts) != fingerprint([*texts[:-1], texts[-1] + " x"])


class _FakeANN:
    def __init__(self) -> None:
        self.calls: list[tuple[int, dict | None]] = []  # type: ignore[type-arg]

    def query(self, embedding: np.ndarray, k: int, filters: dict | None = None) -> list[tuple[str, float]]:  # type: ignore[type-arg]
        self.calls.append((k, filters))
        return [("ann", 1.0)]


def test_exact_vectors_hand_unfiltered_queries_of_large_indexes_to_the_ann_store() -> None:
    chunks = [Chunk(f"c{i}", "t", "passage", states=("Bayern",) if i % 2 else ("Hessen",)) for i in range(10)]
    vectors = np.eye(10, dtype=np.float32)
    ann = _FakeANN()
    small = ExactVectors(chunks, vectors, ann=ann, exact_max=10)
    assert small.query(vectors[4], 1) == [("c4", 1.0)] and ann.calls == []
    large = ExactVectors(chunks, vectors, ann=ann, exact_max=5)
    assert large.query(vectors[4], 3) == [("ann", 1.0)] and ann.calls == [(3, None)]
    # with a filter the exact search over the filter's rows answers, at any size
    assert [cid for cid, _ in large.query(vectors[4], 2, {"state": "Bayern"})][:1] == ["c1"]
    assert len(ann.calls) == 1
    assert large.query(vectors[4], 2, {"field": "Mobilität"}) == [("ann", 1.0)]  # not a store filter
