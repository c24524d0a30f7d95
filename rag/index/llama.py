"""The project's retrieval as LlamaIndex objects: a ``BaseRetriever`` returning ``NodeWithScore``.

LlamaIndex users can plug the hybrid retriever (dense + German BM25, fused by RRF, with the brochure's
metadata filters) into their own query engines and agents::

    from llama_index.core.llms.mock import MockLLM          # or any LlamaIndex LLM
    from llama_index.core.query_engine import RetrieverQueryEngine

    retriever = Assistant.load().llama_retriever(k=5, filters={"state": "Bayern"})
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())
    response = engine.query("Welche Projekte setzen Sensoren ein?")
    [(n.node.metadata["project"], n.node.metadata["page"]) for n in response.source_nodes]

Every node is a ``TextNode`` with the chunk id as ``id_``, the passage as text and the project metadata
(:data:`NODE_METADATA`: project, category, size class, Länder, page, section, document, kind, position,
Handlungsfelder) plus how retrieval found it (ranks and scores of both sides); the fused score is the
``NodeWithScore`` score. The naive baseline of the evaluation (``rag.evaluation.baselines``) is a
LlamaIndex ``VectorStoreIndex`` retriever built here too (:func:`naive_vector_retriever`) and labels its
nodes with the same metadata keys, so both are read by the same :func:`node_key` and :func:`node_source`.

This module imports LlamaIndex (~1-2 s): nothing on the default path (``rag ask``, the web app) imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import PrivateAttr

from rag.types import Chunk, Hit, Source

NODE_METADATA = (
    "project",
    "category",
    "size_class",
    "states",
    "page",
    "section",
    "document",
    "kind",
    "position",
    "fields",
)
RETRIEVAL_METADATA = ("dense_rank", "sparse_rank", "dense_score", "sparse_score")
# shown to a language model with the text: where the passage comes from; the rest is bookkeeping
_LLM_METADATA = ("project", "category", "states", "page", "section", "document")


def chunk_node(chunk: Chunk, extra: dict[str, Any] | None = None) -> TextNode:
    """A ``TextNode`` for a chunk: its id, text and flat metadata (Länder and Handlungsfelder joined by "|")."""
    metadata = {**chunk.metadata(), **(extra or {})}
    hidden = [k for k in metadata if k not in _LLM_METADATA]
    return TextNode(
        id_=chunk.id,
        text=chunk.text,
        metadata=metadata,
        excluded_embed_metadata_keys=list(metadata),
        excluded_llm_metadata_keys=hidden,
    )


def hit_node(hit: Hit) -> NodeWithScore:
    """A retrieval hit as ``NodeWithScore`` (score: the fused RRF score)."""
    extra = {
        "dense_rank": hit.dense_rank if hit.dense_rank is not None else -1,  # -1: not among that side's candidates
        "sparse_rank": hit.sparse_rank if hit.sparse_rank is not None else -1,
        "dense_score": float(hit.dense_score),
        "sparse_score": float(hit.sparse_score),
    }
    return NodeWithScore(node=chunk_node(hit.chunk, extra), score=float(hit.score))


def node_key(node: NodeWithScore) -> str:
    """What a node is about: the project name, else the section key, else the document name ("" if none)."""
    meta = node.node.metadata
    return str(meta.get("project") or meta.get("section") or meta.get("document") or "")


def node_source(node: NodeWithScore, n: int, snippet: str | None = None) -> Source:
    """A citation ``[n]`` for a node; metadata a node does not carry (e.g. the page of a naive chunk) stays empty."""
    meta = node.node.metadata
    states = meta.get("states") or ""
    return Source(
        n=n,
        project=str(meta.get("project") or ""),
        page=int(meta.get("page") or 0),
        category=str(meta.get("category") or ""),
        states=tuple(s for s in str(states).split("|") if s),
        snippet=snippet if snippet is not None else node.node.get_content()[:200],
        score=float(node.score or 0.0),
        size_class=str(meta.get("size_class") or ""),
        section=str(meta.get("section") or ""),
        document=str(meta.get("document") or ""),
        chunk_id=str(node.node.node_id) if meta.get("kind") else "",  # only chunks of the index have a kind
    )


class HybridRetriever(BaseRetriever):
    """LlamaIndex retriever over ``rag.retrieve.Retriever`` (dense + BM25, RRF, metadata filters).

    ``filters``: ``category``, ``state``, ``project`` (name or list), ``field``, ``kind``; ``mode``:
    ``hybrid`` (default), ``dense`` or ``bm25``.
    """

    def __init__(
        self,
        retriever: Any,
        k: int = 5,
        filters: dict[str, Any] | None = None,
        mode: str = "hybrid",
        callback_manager: CallbackManager | None = None,
    ) -> None:
        super().__init__(callback_manager=callback_manager or CallbackManager([]))
        self._retriever = retriever
        self._k = k
        self._filters = dict(filters or {})
        self._mode = mode

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self._retriever.retrieve(query_bundle.query_str, k=self._k, filters=self._filters, mode=self._mode)
        return [hit_node(h) for h in hits]


class EmbedderAdapter(BaseEmbedding):
    """Wraps a ``rag.embed`` embedder (unit-normalised numpy vectors) as a LlamaIndex ``BaseEmbedding``."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Any, **kwargs: Any) -> None:
        super().__init__(model_name=f"rag:{getattr(embedder, 'name', 'embedder')}", **kwargs)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_query(query)]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._embedder.embed_documents([text])[0]]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._embedder.embed_documents(texts)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def make_llama_embedding(embedder: Any) -> BaseEmbedding:
    """A LlamaIndex ``BaseEmbedding`` around a ``rag.embed`` embedder (batches of 32)."""
    return EmbedderAdapter(embedder, embed_batch_size=32, callback_manager=CallbackManager([]))


class NaiveVectorIndex:
    """Raw text → ``SentenceSplitter`` → in-memory ``VectorStoreIndex``; top-k retrievers over it."""

    def __init__(self, index: Any, n_nodes: int) -> None:
        self._index = index
        self.n_nodes = n_nodes
        self._retrievers: dict[int, BaseRetriever] = {}

    def retriever(self, k: int) -> BaseRetriever:
        if k not in self._retrievers:
            self._retrievers[k] = self._index.as_retriever(similarity_top_k=k)
        return self._retrievers[k]


def naive_vector_retriever(
    text: str, embedder: Any, chunk_size: int, metadata_at: Callable[[int], dict[str, Any]]
) -> NaiveVectorIndex:
    """Split ``text`` into ``chunk_size``-token nodes without metadata, embed them with ``embedder`` and keep
    them in memory. Each node is labelled with ``metadata_at(offset of its middle character)`` (e.g.
    ``{"project": …}``), kept out of what is embedded and of what a language model sees."""
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    splitter = SentenceSplitter(chunk_size=chunk_size, include_metadata=False)
    nodes = splitter.get_nodes_from_documents([Document(text=text)])
    for node in nodes:
        start = getattr(node, "start_char_idx", None) or 0
        end = getattr(node, "end_char_idx", None) or start
        node.metadata.update(metadata_at((start + end) // 2))
        node.excluded_embed_metadata_keys = list(node.metadata)
        node.excluded_llm_metadata_keys = list(node.metadata)
    index = VectorStoreIndex(
        nodes,
        embed_model=make_llama_embedding(embedder),
        storage_context=StorageContext.from_defaults(),
        callback_manager=CallbackManager([]),
    )
    return NaiveVectorIndex(index, len(nodes))


__all__ = [
    "NODE_METADATA",
    "RETRIEVAL_METADATA",
    "EmbedderAdapter",
    "HybridRetriever",
    "NaiveVectorIndex",
    "chunk_node",
    "hit_node",
    "make_llama_embedding",
    "naive_vector_retriever",
    "node_key",
    "node_source",
]
