"""Hybrid retrieval: dense (Chroma) + BM25 (German terms), fused by reciprocal rank fusion.

Filters narrow both sides: ``category``, ``state``, ``project`` (one name or a list), ``kind``.

Example::

    >>> r = Retriever(index.chunks, index.store, embedder)                      # doctest: +SKIP
    >>> [h.chunk.project for h in r.retrieve("digitaler Zwilling", k=3)]        # doctest: +SKIP
    ['Kempten (Allgäu)', 'Hannover', 'Wuppertal']
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from rag.chunk import index_text
from rag.embed import Embedder
from rag.index.bm25 import BM25
from rag.index.exact import DenseSearch
from rag.index.filters import ChunkFilter
from rag.synonyms import Thesaurus
from rag.types import Chunk, Hit

MODES = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 300


def rrf(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """Reciprocal rank fusion: score(d) = sum over rankings of 1 / (k + rank), rank from 1.

    >>> rrf([["a", "b"], ["b", "c"]])["b"] > rrf([["a", "b"], ["b", "c"]])["a"]
    True
    """
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return scores


def build_bm25(chunks: list[Chunk], thesaurus: Thesaurus) -> BM25:
    """The BM25 index over the chunks' indexed texts, with the thesaurus for related terms."""
    return BM25([index_text(c) for c in chunks], related=thesaurus.related, query_vocabulary=thesaurus.vocabulary)


def cached_bm25(chunks: list[Chunk], thesaurus: Thesaurus, data_dir: Path) -> BM25:
    """``build_bm25``, stored in (and read from) the data directory's cache (see :mod:`rag.cache`)."""
    from rag.cache import cached_arrays, fingerprint

    texts = [index_text(c) for c in chunks]
    key = fingerprint(texts, sorted(thesaurus.vocabulary))
    return cached_arrays(
        data_dir,
        "bm25",
        key,
        lambda: build_bm25(chunks, thesaurus),
        BM25.to_arrays,
        lambda arrays: BM25.from_arrays(arrays, related=thesaurus.related),
    )


class Retriever:
    def __init__(
        self,
        chunks: list[Chunk],
        store: DenseSearch,
        embedder: Embedder,
        candidates: int = 100,
        sentences: list[tuple[str, str]] | None = None,
        sentence_vectors: np.ndarray | None = None,
        bm25: BM25 | None = None,
        chunk_filter: ChunkFilter | None = None,
    ) -> None:
        self.chunks = chunks
        self.by_id = {c.id: c for c in chunks}
        self.position = {c.id: i for i, c in enumerate(chunks)}
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.bm25 = bm25 if bm25 is not None else build_bm25(chunks, Thesaurus())
        self.filter = chunk_filter if chunk_filter is not None else ChunkFilter(chunks)
        self._qcache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.sentence_vectors = sentence_vectors
        self._sentence_rows: dict[str, list[tuple[int, str]]] = {}
        for row, (cid, sent) in enumerate(sentences or []):
            self._sentence_rows.setdefault(cid, []).append((row, sent))

    def embed_query(self, text: str) -> np.ndarray:
        text = text[:MAX_QUERY_CHARS]  # the embedder does not truncate; the gist of a question is at its start
        if text in self._qcache:
            self._qcache.move_to_end(text)
            return self._qcache[text]
        v = self.embedder.embed_query(text)
        self._qcache[text] = v
        if len(self._qcache) > 512:
            self._qcache.popitem(last=False)
        return v

    def allowed_mask(self, filters: dict[str, Any]) -> np.ndarray | None:
        """Chunks (boolean mask) that pass the filters, ``None`` when none is set (masks are precomputed)."""
        return self.filter.mask(filters)

    def allowed_indices(self, filters: dict[str, Any]) -> list[int] | None:
        m = self.filter.mask(filters)
        return None if m is None else np.flatnonzero(m).tolist()

    def _dense(self, question: str, n: int, filters: dict[str, Any]) -> list[tuple[str, float]]:
        q = self.embed_query(question)
        projects = filters.get("project")
        if isinstance(projects, list | tuple) and len(projects) > 1:
            res: list[tuple[str, float]] = []
            for p in projects:
                res.extend(self.store.query(q, max(4, n // len(projects)), {**filters, "project": p}))
            return sorted(res, key=lambda x: -x[1])
        f = {**filters, "project": projects[0] if isinstance(projects, list | tuple) else projects}
        return self.store.query(q, n, f)

    def retrieve(
        self, question: str, k: int = 5, filters: dict[str, Any] | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        filters = {key: v for key, v in (filters or {}).items() if v}
        n = max(self.candidates, k)
        dense: list[tuple[str, float]] = []
        sparse: list[tuple[str, float]] = []
        if mode in ("hybrid", "dense"):
            dense = self._dense(question, n, filters)
        if mode in ("hybrid", "bm25"):
            allowed = self.allowed_mask(filters)
            sparse = [(self.chunks[i].id, s) for i, s in self.bm25.search(question, n, allowed)]
        d_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
        s_rank = {cid: r for r, (cid, _) in enumerate(sparse, start=1)}
        d_score = dict(dense)
        s_score = dict(sparse)
        fused = rrf([[c for c, _ in dense], [c for c, _ in sparse]])
        order = sorted(fused, key=lambda c: (-fused[c], self.position.get(c, 0)))[:k]
        return [
            Hit(self.by_id[c], fused[c], d_rank.get(c), s_rank.get(c), d_score.get(c, 0.0), s_score.get(c, 0.0))
            for c in order
            if c in self.by_id
        ]

    def sentence_similarity(self, question: str, chunk_ids: list[str]) -> dict[tuple[str, str], float]:
        """Cosine between the question and each stored sentence of the given chunks (empty without vectors)."""
        if self.sentence_vectors is None:
            return {}
        rows = [(cid, row, sent) for cid in chunk_ids for row, sent in self._sentence_rows.get(cid, [])]
        if not rows:
            return {}
        sims = self.sentence_vectors[[r for _, r, _ in rows]] @ self.embed_query(question)
        return {(cid, sent): float(v) for (cid, _, sent), v in zip(rows, sims, strict=True)}

    def sentence_chunks(self, question: str, k: int = 3, filters: dict[str, Any] | None = None) -> list[str]:
        """Chunk ids of the ``k`` sentences closest to the question (within the filters)."""
        if self.sentence_vectors is None:
            return []
        allowed = self.allowed_indices({key: v for key, v in (filters or {}).items() if v})
        ids = [self.chunks[i].id for i in allowed] if allowed is not None else [c.id for c in self.chunks]
        sims = self.sentence_similarity(question, ids)
        best = sorted(sims.items(), key=lambda x: -x[1])[: k * 3]
        return list(dict.fromkeys(cid for (cid, _), _ in best))[:k]

    def project_chunks(self, project: str) -> list[Chunk]:
        """All chunks of one project, in document order."""
        return [c for c in self.chunks if c.project == project]
