"""The dense vector store: a Chroma collection behind LlamaIndex's ``ChromaVectorStore``.

Embedded (``chromadb.PersistentClient`` on a folder) or a Chroma server (``chromadb.HttpClient``, set by
``RAG_CHROMA_URL``). Always queried by embedding, never by text (Chroma would fetch an ONNX model).
Telemetry is off. LlamaIndex and Chroma types stay inside this package.

Example::

    >>> store = VectorStore.local(Path("/tmp/x"), "demo")                    # doctest: +SKIP
    >>> store.add(chunks, embeddings)                                         # doctest: +SKIP
    >>> store.query(embedding, k=5, filters={"state": "Bayern"})              # doctest: +SKIP
    [('regensburg-p1', 0.83), ...]
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from rag.chunk import slug
from rag.types import Chunk

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class StoreError(RuntimeError):
    """The vector store is unreachable or broken (German message)."""


def _settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=True)


def state_key(state: str) -> str:
    return "st_" + slug(state).replace("-", "_")


def node_metadata(c: Chunk) -> dict[str, Any]:
    meta = c.metadata()
    for s in c.states:
        meta[state_key(s)] = 1
    return meta


def _http_client(url: str) -> Any:
    """A Chroma HTTP client after a successful heartbeat, else StoreError (German)."""
    import chromadb

    u = urlparse(url if "://" in url else f"http://{url}")
    try:
        client = chromadb.HttpClient(
            host=u.hostname or "127.0.0.1", port=u.port or 8000, ssl=u.scheme == "https", settings=_settings()
        )
        client.heartbeat()
    except Exception as exc:
        raise StoreError(
            f"Chroma-Server {url} ist nicht erreichbar. Läuft `chroma run`? ({type(exc).__name__})"
        ) from exc
    return client


class VectorStore:
    """A thin wrapper: add chunks with their embeddings, query by embedding with metadata filters."""

    def __init__(self, client: Any, collection: str, where: str) -> None:
        self.where = where
        self._client = client
        self.collection_name = collection
        try:
            self._collection = client.get_or_create_collection(collection, metadata={"hnsw:space": "cosine"})
        except Exception as exc:
            raise StoreError(f"Chroma-Sammlung „{collection}“ nicht verfügbar ({where}): {exc}") from exc
        self._llama_store: Any = None

    @property
    def _store(self) -> Any:
        """LlamaIndex's wrapper, created on first use (its import costs ~1 s of a cold `rag ask`)."""
        if self._llama_store is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._llama_store = ChromaVectorStore(chroma_collection=self._collection)
        return self._llama_store

    @classmethod
    def local(cls, path: Path, collection: str) -> VectorStore:
        import chromadb

        try:
            client = chromadb.PersistentClient(path=str(path), settings=_settings())
        except Exception as exc:
            raise StoreError(
                f"Chroma-Index in {path} lässt sich nicht öffnen (beschädigt, Platte voll oder schreibgeschützt?): {exc}"
            ) from exc
        return cls(client, collection, str(path))

    @classmethod
    def remote(cls, url: str, collection: str) -> VectorStore:
        return cls(_http_client(url), collection, url)

    def add(
        self,
        chunks: Sequence[Chunk],
        embeddings: np.ndarray,
        batch: int = 2000,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        from llama_index.core.schema import TextNode

        for i in range(0, len(chunks), batch):
            nodes = [
                TextNode(id_=c.id, text=c.text, metadata=node_metadata(c), embedding=embeddings[i + j].tolist())
                for j, c in enumerate(chunks[i : i + batch])
            ]
            try:
                self._store.add(list[Any](nodes))
            except Exception as exc:
                raise StoreError(f"Schreiben in den Chroma-Index fehlgeschlagen: {exc}") from exc
            if progress:
                progress(len(nodes))

    def count(self) -> int:
        try:
            return int(self._collection.count())
        except Exception as exc:
            raise StoreError(f"Chroma-Index ({self.where}) nicht lesbar: {exc}") from exc

    def query(self, embedding: np.ndarray, k: int, filters: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Top-k chunk ids with cosine similarity, optionally filtered by category/state/project.

        Queried on the Chroma collection itself, always with an embedding (never text, which would make
        Chroma fetch a model): measured, this keeps LlamaIndex's import (~1.2 s) out of a cold `rag ask`.
        """
        conds: list[dict[str, Any]] = []
        for key, value in (filters or {}).items():
            if not value:
                continue
            if key == "state":
                conds.append({state_key(value): 1})
            elif key in ("category", "project", "kind", "section", "document"):
                conds.append({key: value})
        where = conds[0] if len(conds) == 1 else ({"$and": conds} if conds else None)
        try:
            result = self._collection.query(
                query_embeddings=[np.asarray(embedding, dtype=np.float32).tolist()],
                n_results=max(1, k),
                where=where,
                include=["distances"],
            )
        except Exception as exc:
            raise StoreError(f"Chroma-Abfrage fehlgeschlagen ({self.where}): {type(exc).__name__}") from exc
        ids = (result.get("ids") or [[]])[0]
        distances = (result.get("distances") or [[]])[0] or []
        # cosine space: distance = 1 - cos
        return [(str(i), 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]

    def close(self) -> None:
        """Release the client's files (embedded store) before its folder is moved."""
        close = getattr(self._client, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()

    @staticmethod
    def drop_others(url: str, keep: set[str], only: set[str] | None = None) -> None:
        """Delete older collections (``sc-*``) on a Chroma server, except ``keep``.

        ``only`` limits the deletion to these names (the collections of one data directory), so that two
        deployments sharing a server do not delete each other's index.
        """
        client = _http_client(url)
        for col in client.list_collections():
            name = str(getattr(col, "name", col))
            if name.startswith("sc-") and name not in keep and (only is None or name in only):
                client.delete_collection(name)

    def drop(self) -> None:
        with contextlib.suppress(Exception):
            self._client.delete_collection(self.collection_name)
