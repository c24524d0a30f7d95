"""The hybrid retriever as a LlamaIndex ``BaseRetriever``, and what a cold `rag ask` imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rag.types import Chunk, Hit
from tests.conftest import CORPUS_DIR, ROOT

GUBEN = Chunk(
    "guben-p1", "Guben und Gubin planen eine gemeinsame Datenplattform.", "passage", project="Guben",
    category="Kleinstädte und Landgemeinden", size_class="Größere Kleinstadt", states=("Brandenburg",), page=31,
    position=1, fields=("Daten", "Kooperation"),
)  # fmt: skip
RHEIN = Chunk(
    "vrrn-p2", "Drei Länder teilen sich eine Region.", "passage", project="Verband Region Rhein-Neckar",
    category="Interkommunale Kooperationen und Landkreise", states=("Baden-Württemberg", "Hessen", "Rheinland-Pfalz"),
    page=40, position=2,
)  # fmt: skip


class FakeRetriever:
    """Records the call and returns fixed hits, like ``rag.retrieve.Retriever.retrieve``."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.calls: list[tuple[str, int, dict[str, Any], str]] = []

    def retrieve(
        self, question: str, k: int = 5, filters: dict[str, Any] | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        self.calls.append((question, k, dict(filters or {}), mode))
        return self.hits[:k]


def test_nodes_carry_the_project_metadata_and_the_fused_score() -> None:
    from llama_index.core.schema import MetadataMode, NodeWithScore, QueryBundle

    from rag.index.llama import HybridRetriever, node_key, node_source

    fake = FakeRetriever([Hit(GUBEN, 0.032, 1, None, 0.81, 0.0), Hit(RHEIN, 0.016, None, 3, 0.0, 7.5)])
    retriever = HybridRetriever(fake, k=2, filters={"state": "Brandenburg"}, mode="hybrid")
    nodes = retriever.retrieve("Datenplattform an der Grenze")
    assert fake.calls == [("Datenplattform an der Grenze", 2, {"state": "Brandenburg"}, "hybrid")]
    assert all(isinstance(n, NodeWithScore) for n in nodes)
    first, second = nodes
    assert first.node.node_id == "guben-p1" and first.score == pytest.approx(0.032)
    assert first.node.get_content() == GUBEN.text
    meta = first.node.metadata
    assert meta["project"] == "Guben" and meta["page"] == 31 and meta["states"] == "Brandenburg"
    assert meta["category"] == "Kleinstädte und Landgemeinden" and meta["fields"] == "Daten|Kooperation"
    assert (meta["dense_rank"], meta["sparse_rank"], meta["dense_score"]) == (1, -1, pytest.approx(0.81))
    assert second.node.metadata["sparse_rank"] == 3 and second.node.metadata["dense_rank"] == -1
    # what a language model sees: text with the origin, without the retrieval bookkeeping
    llm_view = first.node.get_content(metadata_mode=MetadataMode.LLM)
    assert "project: Guben" in llm_view and "page: 31" in llm_view and "dense_rank" not in llm_view
    assert first.node.get_content(metadata_mode=MetadataMode.EMBED) == GUBEN.text
    # the same helpers read these nodes and the naive baseline's
    assert node_key(first) == "Guben"
    src = node_source(second, 2)
    assert (src.n, src.project, src.page, src.states) == (2, "Verband Region Rhein-Neckar", 40, RHEIN.states)
    assert src.chunk_id == "vrrn-p2" and src.snippet == RHEIN.text
    assert [n.node.node_id for n in retriever.retrieve(QueryBundle("Grenze"))] == ["guben-p1", "vrrn-p2"]
    assert fake.calls[-1][0] == "Grenze"


def test_naive_baseline_nodes_use_the_same_metadata_keys() -> None:
    from llama_index.core.schema import NodeWithScore, TextNode

    from rag.evaluation.baselines import naive_metadata
    from rag.index.llama import node_key, node_source

    project = NodeWithScore(node=TextNode(text="Ein Satz. Noch einer.", metadata=naive_metadata("Guben")), score=0.5)
    section = NodeWithScore(node=TextNode(text="Kriterium.", metadata=naive_metadata("k7")), score=0.4)
    assert (node_key(project), node_key(section)) == ("Guben", "k7")
    src = node_source(project, 1, snippet="Ein Satz.")
    assert (src.project, src.section, src.page, src.states, src.chunk_id) == ("Guben", "", 0, (), "")
    assert node_source(section, 1).section == "k7" and node_source(section, 1).project == ""


@pytest.mark.slow
def test_hybrid_retriever_in_a_llamaindex_query_engine(assistant) -> None:  # type: ignore[no-untyped-def]
    from llama_index.core.callbacks import CallbackManager
    from llama_index.core.llms.mock import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine
    from llama_index.core.settings import Settings

    question = "Welche Projekte setzen Sensoren im Stadtgebiet ein?"
    filters = {"state": "Bayern"}
    retriever = assistant.llama_retriever(k=4, filters=filters)
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM(), callback_manager=CallbackManager([]))
    response = engine.query(question)
    want = assistant.retriever.retrieve(question, k=4, filters=filters)
    assert [n.node.node_id for n in response.source_nodes] == [h.chunk.id for h in want]
    for node, hit in zip(response.source_nodes, want, strict=True):
        meta = node.node.metadata
        assert "Bayern" in meta["states"].split("|") and meta["project"] == hit.chunk.project
        assert meta["page"] == hit.chunk.page > 0 and node.score == pytest.approx(hit.score)
    # MockLLM answers with its prompt: the retrieved passages and their origin reached the language model
    text = str(response)
    first = response.source_nodes[0].node
    assert first.get_content()[:80] in text and f"project: {first.metadata['project']}" in text
    assert Settings._llm is None  # the global Settings were never used to resolve a model


@pytest.mark.slow
def test_cold_ask_imports_only_what_it_uses(assistant, config) -> None:  # type: ignore[no-untyped-def]
    """`rag ask` in a fresh process (index and caches built): no chromadb, LlamaIndex, HTTP or web stack."""
    heavy = ("chromadb", "llama_index", "httpx", "gradio", "fastapi", "torch", "sentence_transformers", "bm25s")
    script = (
        "import sys\nfrom rag.cli import main\n"
        "for q in sys.argv[1:]:\n    assert main(['ask', q]) == 0\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "RAG_DATA_DIR": str(config.data_dir),
        "RAG_CORPUS_DIR": str(CORPUS_DIR),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("RAG_LLM", None)
    questions = ["Welche Projekte setzen Sensoren im Stadtgebiet ein?", "Welche Kleinstädte wurden 2021 gefördert?"]
    r = subprocess.run(
        [sys.executable, "-c", script, *questions], capture_output=True, text=True, env=env, cwd=Path(ROOT), timeout=300
    )
    assert r.returncode == 0, r.stderr
    assert "Quellen:" in r.stdout and r.stdout.strip().splitlines()[-1] == "[]", r.stdout[-500:]
