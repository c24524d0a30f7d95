"""Exact dense search over the index's own copy of the chunk vectors (numpy), with the store as ANN fallback.

Chroma stays the vector store that is written at build and queried on a Chroma server. An embedded index
also keeps its unit vectors in ``chunk_vectors.npy`` (memory-mapped), and queries are answered here:

- up to :data:`EXACT_MAX_CHUNKS` chunks by one matrix-vector product over all vectors. Measured on this
  project (bench/results/latency.md): importing ``chromadb`` and opening its client take 0.8 s of a cold
  ``rag ask`` (2 s and more on a loaded machine), while the search over 142 chunks takes well under a
  millisecond and is exact (HNSW is approximate);
- with a metadata filter at any size, over the filter's rows only (precomputed masks,
  :class:`rag.index.filters.ChunkFilter`): Chroma's filtered HNSW search was the bulk of the ~350 ms of a
  filtered hybrid query at 100k chunks (bench/results/scale.md);
- without a filter above :data:`EXACT_MAX_CHUNKS` chunks by the store's HNSW index (``ann``).

The filter semantics are the store's (:meth:`rag.index.store.VectorStore.query`): ``category``, ``state``,
``project``, ``kind``, ``section``, ``document``.

Example::

    >>> import numpy as np
    >>> from rag.types import Chunk
    >>> chunks = [Chunk("a", "x", "passage", states=("Bayern",)), Chunk("b", "y", "passage")]
    >>> ev = ExactVectors(chunks, np.array([[1, 0], [0.6, 0.8]], dtype=np.float32))
    >>> [(i, round(s, 2)) for i, s in ev.query(np.array([0.0, 1.0]), k=2)]
    [('b', 0.8), ('a', 0.0)]
    >>> [i for i, _ in ev.query(np.array([0.0, 1.0]), k=2, filters={"state": "Bayern"})]
    ['a']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from rag.index.filters import ChunkFilter
from rag.types import Chunk

EXACT_MAX_CHUNKS = 20_000  # above this, queries without a filter go to the store's HNSW index
STORE_FILTER_KEYS = ("category", "state", "project", "kind", "section", "document")


class DenseSearch(Protocol):
    """What retrieval needs from a dense index: :class:`ExactVectors` or the Chroma ``VectorStore``."""

    def query(
        self, embedding: np.ndarray, k: int, filters: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]: ...


class ExactVectors:
    """Cosine top-k over unit vectors (one row per chunk, in chunk order), with metadata filters."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        chunk_filter: ChunkFilter | None = None,
        ann: DenseSearch | None = None,
        exact_max: int = EXACT_MAX_CHUNKS,
    ) -> None:
        if len(vectors) != len(chunks):
            raise ValueError(f"{len(vectors)} vectors for {len(chunks)} chunks")
        self._ids = [c.id for c in chunks]
        self._vectors = np.asarray(vectors, dtype=np.float32)
        self._filter = chunk_filter or ChunkFilter(chunks)
        self._ann = ann
        self._exact_max = exact_max

    def count(self) -> int:
        return len(self._ids)

    def query(self, embedding: np.ndarray, k: int, filters: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """The ``k`` most similar chunks as (id, cosine), best first (ties: earlier chunk first)."""
        rows = self._filter.indices(filters or {}, STORE_FILTER_KEYS)
        if rows is None and self._ann is not None and len(self._ids) > self._exact_max:
            return self._ann.query(embedding, k, filters)
        q = np.asarray(embedding, dtype=np.float32)
        # einsum: one thread, no BLAS. A multi-threaded BLAS matrix-vector product waited for its second thread
        # on the shared 2-core machine (p50 24 ms instead of 0.7 ms for 10k rows under load).
        if rows is None:
            sims = np.einsum("ij,j->i", self._vectors, q)
            rows = np.arange(len(sims))
        else:
            sims = np.einsum("ij,j->i", self._vectors[rows], q)
        k = max(1, k)
        if len(sims) > k:
            part = np.argpartition(-sims, k - 1)[:k]
            part = part[np.lexsort((part, -sims[part]))]
        else:
            part = np.lexsort((np.arange(len(sims)), -sims))
        return [(self._ids[int(rows[i])], float(sims[i])) for i in part]
