"""The dense vector store: a Chroma collection behind LlamaIndex's ``ChromaVectorStore``.

Embedded (``chromadb.PersistentClient`` on a folder) or a Chroma server (``chromadb.HttpClient``, set by
``RAG_CHROMA_URL``). Always queried by embedding, never by text (Chroma would fetch an ONNX model).
Telemetry is off. LlamaIndex and Chroma types stay inside this package.

Every call on a server ends by a total deadline (:mod:`rag.index.remote`). An embedded store in a
read-only folder is opened from a private temporary copy (Chroma writes when it opens a database), which
is removed again when the store is closed or garbage-collected.

Example::

    >>> store = VectorStore.local(Path("/tmp/x"), "demo")                    # doctest: +SKIP
    >>> store.add(chunks, embeddings)                                         # doctest: +SKIP
    >>> store.query(embedding, k=5, filters={"state": "Bayern"})              # doctest: +SKIP
    [('regensburg-p1', 0.83), ...]
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.chunk import slug
from rag.index.remote import ChromaServer, StoreError, Unreachable
from rag.types import Chunk

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


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


def _direct(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


class VectorStore:
    """A thin wrapper: add chunks with their embeddings, query by embedding with metadata filters.

    Every call on a Chroma server goes through :meth:`ChromaServer.call` (total deadline); the embedded
    store is called directly.
    """

    def __init__(
        self,
        client: Any,
        collection: str,
        where: str,
        server: ChromaServer | None = None,
        opener: Callable[[], Any] | None = None,
    ) -> None:
        """A Chroma ``client``, or ``None`` and an ``opener`` that returns one: then ``chromadb`` is imported and
        the collection opened on first use (a cold `rag ask` that does not query the store never pays for it)."""
        self.where = where
        self._client_or_open = client
        self._opener = opener
        self._client_obj: Any = None
        self._collection_obj: Any = None
        self.collection_name = collection
        self.server = server
        self._call: Callable[..., Any] = server.call if server is not None else _direct
        self._cleanup: Callable[[], Any] | None = None
        self._llama_store: Any = None
        if opener is None:
            self._open()

    def _open(self) -> Any:
        if self._collection_obj is None:
            client = self._opener() if self._opener is not None else self._client_or_open
            try:
                collection = self._call(
                    client.get_or_create_collection, self.collection_name, metadata={"hnsw:space": "cosine"}
                )
            except StoreError:
                raise
            except Exception as exc:
                raise StoreError(
                    f"Chroma-Sammlung „{self.collection_name}“ nicht verfügbar ({self.where}): {exc}"
                ) from exc
            self._client_obj, self._collection_obj = client, collection
        return self._collection_obj

    def connect(self) -> VectorStore:
        """Open the collection now (a store opened lazily otherwise waits for its first use)."""
        self._open()
        return self

    @property
    def _client(self) -> Any:
        self._open()
        return self._client_obj

    @property
    def _collection(self) -> Any:
        return self._open()

    @property
    def _store(self) -> Any:
        """LlamaIndex's wrapper, created on first use (its import costs ~1 s of a cold `rag ask`)."""
        if self._llama_store is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._llama_store = ChromaVectorStore(chroma_collection=self._collection)
        return self._llama_store

    @classmethod
    def local(cls, path: Path, collection: str) -> VectorStore:
        """The embedded store in ``path``, opened on first use; a read-only folder is opened from a private
        temporary copy (Chroma's embedded database insists on writing when it opens, also just to read)."""
        store: VectorStore | None = None

        def open_client() -> Any:
            import chromadb

            copy = None
            try:
                if path.is_dir() and not _writable(path):
                    copy = Path(tempfile.mkdtemp(prefix="rag-readonly-index-"))
                    try:
                        shutil.copytree(path, copy / "chroma")
                    except OSError as exc:
                        raise StoreError(
                            f"Chroma-Index in {path} ist schreibgeschützt und ließ sich nicht in ein temporäres "
                            f"Verzeichnis kopieren ({exc.strerror or exc})."
                        ) from exc
                try:
                    client = chromadb.PersistentClient(
                        path=str(copy / "chroma" if copy else path), settings=_settings()
                    )
                except Exception as exc:
                    raise StoreError(
                        f"Chroma-Index in {path} lässt sich nicht öffnen (beschädigt, Platte voll oder "
                        f"schreibgeschützt?): {exc}"
                    ) from exc
            except BaseException:
                if copy is not None:  # one clean-up for every way of failing
                    shutil.rmtree(copy, ignore_errors=True)
                raise
            if copy is not None and store is not None:
                store._cleanup = weakref.finalize(store, shutil.rmtree, copy, True)
            return client

        store = cls(None, collection, str(path), opener=open_client)
        return store

    @classmethod
    def remote(cls, url: str, collection: str, timeout: float = 10.0) -> VectorStore:
        server = ChromaServer(url, timeout)
        return cls(server.connect(_settings()), collection, url, server)

    def add(
        self,
        chunks: Sequence[Chunk],
        embeddings: np.ndarray,
        batch: int = 2000,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        from llama_index.core.schema import TextNode

        self._open()  # an unopenable store fails here with its own message
        for i in range(0, len(chunks), batch):
            nodes = [
                TextNode(id_=c.id, text=c.text, metadata=node_metadata(c), embedding=embeddings[i + j].tolist())
                for j, c in enumerate(chunks[i : i + batch])
            ]
            try:
                self._call(self._store.add, list[Any](nodes))
            except StoreError:
                raise
            except Exception as exc:
                raise StoreError(f"Schreiben in den Chroma-Index fehlgeschlagen: {exc}") from exc
            if progress:
                progress(len(nodes))

    def count(self) -> int:
        collection = self._open()
        try:
            return int(self._call(collection.count))
        except StoreError:
            raise
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
        collection = self._open()
        try:
            result = self._call(
                collection.query,
                query_embeddings=[np.asarray(embedding, dtype=np.float32).tolist()],
                n_results=max(1, k),
                where=where,
                include=["distances"],
            )
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"Chroma-Abfrage fehlgeschlagen ({self.where}): {type(exc).__name__}") from exc
        ids = (result.get("ids") or [[]])[0]
        distances = (result.get("distances") or [[]])[0] or []
        # cosine space: distance = 1 - cos
        return [(str(i), 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]

    def close(self) -> None:
        """Release the client's files (embedded store) before its folder is moved; drop a read-only copy."""
        if self._client_obj is not None:
            close = getattr(self._client_obj, "close", None)
            if callable(close):
                with contextlib.suppress(Exception):
                    close()
        if self._cleanup is not None:
            self._cleanup()

    @staticmethod
    def drop_others(url: str, keep: set[str], only: set[str] | None = None, timeout: float = 10.0) -> None:
        """Delete older collections (``sc-*``) on a Chroma server, except ``keep``.

        ``only`` limits the deletion to these names (the collections of one data directory), so that two
        deployments sharing a server do not delete each other's index.
        """
        server = ChromaServer(url, timeout)
        client = server.connect(_settings())
        for col in server.call(client.list_collections):
            name = str(getattr(col, "name", col))
            if name.startswith("sc-") and name not in keep and (only is None or name in only):
                server.call(client.delete_collection, name)

    def drop(self) -> None:
        with contextlib.suppress(Exception):
            self._open()
            self._call(self._client_obj.delete_collection, self.collection_name)


def _writable(path: Path) -> bool:
    """True if ``path`` and the files directly in it may be written (false on a read-only mount)."""
    return os.access(path, os.W_OK) and all(os.access(f, os.W_OK) for f in path.iterdir() if f.is_file())


__all__ = ["StoreError", "Unreachable", "VectorStore", "node_metadata", "state_key"]
