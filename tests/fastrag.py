"""A fast stand-in for the index, for unit tests of the answer layer without the embedding model.

The real chunks, BM25 and sentence splitting, but a deterministic bag-of-words embedder (hashed word stems)
and an in-memory vector store with Chroma's filter semantics. Nothing is downloaded, nothing is written.
Answers that rest on records (lists, counts, attributes, comparisons) do not depend on the embedder at all;
retrieval-based answers depend on it only through the ranking, so tests assert behaviour, not rankings that
only the real model produces.

The heavy, unmutated part (corpus, chunks, vectors) is built once per process and cached at module level; the
``Assistant`` (parser, answer layer, comparable-projects finder) is built per test session, so that mutation
testing (mutmut forks one process per mutant) also exercises their constructors.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rag.assistant import Assistant
from rag.config import Config
from rag.german import terms
from rag.index.build import Index, chunk_sentences, collect
from rag.types import Chunk

ROOT = Path(__file__).resolve().parent.parent
DIM = 512


class HashEmbedder:
    """Unit vectors of hashed word stems: texts that share words are close, nothing else is."""

    name = "hash-bow"

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(DIM, dtype=np.float32)
        for t in terms(text):
            v[zlib.crc32(t.encode()) % DIM] += 1.0
        n = float(np.linalg.norm(v))
        return v / n if n else v

    def embed_documents(self, texts: Any) -> np.ndarray:
        return np.vstack([self._one(t) for t in texts]) if len(texts) else np.zeros((0, DIM), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._one(text)


class MemoryStore:
    """``VectorStore.query`` over a matrix, with the same filters (category, state, project, kind, section)."""

    def __init__(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        self.chunks = chunks
        self.vectors = vectors

    def count(self) -> int:
        return len(self.chunks)

    def query(self, embedding: np.ndarray, k: int, filters: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        f = {key: v for key, v in (filters or {}).items() if v}
        rows = [
            i
            for i, c in enumerate(self.chunks)
            if ("state" not in f or f["state"] in c.states)
            and all(getattr(c, key) == f[key] for key in ("category", "project", "kind", "section", "document") if key in f)
        ]
        if not rows:
            return []
        sims = self.vectors[rows] @ np.asarray(embedding, dtype=np.float32)
        order = np.argsort(-sims, kind="stable")[: max(1, k)]
        return [(self.chunks[rows[i]].id, float(sims[i])) for i in order]


@lru_cache(maxsize=1)
def base() -> tuple[Config, Any, Index]:
    """(config, corpus, index) over the real chunks with hashed vectors, built once per process (~1.5 s)."""
    from rag.chunk import index_text

    config = Config(data_dir=Path("/nonexistent-fastrag"), corpus_dir=ROOT / "corpus", embedder="hash")
    corpus, chunks = collect(config)
    embedder = HashEmbedder()
    store = MemoryStore(chunks, embedder.embed_documents([index_text(c) for c in chunks]))
    sentences = chunk_sentences(chunks)
    svec = embedder.embed_documents([s for _, s in sentences])
    index = Index("fast", config.data_dir, chunks, store, {}, sentences, svec)  # type: ignore[arg-type]
    return config, corpus, index


def fast_assistant() -> Assistant:
    """A real ``Assistant`` (parser, answer layer, comparable projects) over the fast index, no language model."""
    config, corpus, index = base()
    return Assistant(config, corpus, index, HashEmbedder())
