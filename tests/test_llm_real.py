"""Generative answers with a real model (``make test-llm``; marker ``llm``, not part of ``make test`` or CI).

The model is the one ``make llm-model`` put into ``$RAG_DATA_DIR/models`` (``LLM_MODEL``: 0.5b or 1.5b);
llama.cpp's OpenAI-compatible server (xllamacpp) runs on 127.0.0.1 with 1 thread and is stopped after
the session. Both backends are tested against it: ``openai:`` directly, ``ollama:`` through the
ollama-API adapter in ``tests/ollama_adapter.py``. The extractive answers come from
``tests/data/llm_cases.json`` (see ``tests/test_llm_cases.py``), so no index is built.

Without ``RAG_TEST_LLM=1`` (set by ``make test-llm``) these tests are skipped; with it, a missing model fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rag.llm import generate_answer, make_llm
from rag.llm.base import is_model_mode
from rag.llm.validate import citations, validate
from rag.types import Answer
from tests.test_llm_cases import CASES, DRONES, EINBECK, GUBEN, MOTTO, extractive
from tests.test_llm_generate import PROJECTS

pytestmark = pytest.mark.llm

TIMEOUT = 900.0  # seconds per model call: 2 shared cores, 1 thread, other jobs running


@pytest.fixture(scope="session")
def model_file() -> Path:
    from tests.llm_model import choose, model_path

    if os.environ.get("RAG_TEST_LLM") != "1":
        pytest.skip("real-model tests run with `make test-llm` (RAG_TEST_LLM=1)")
    path = model_path(choose())
    if not path.is_file():
        pytest.fail(f"model missing: {path} (run `make llm-model`)")
    return path


@pytest.fixture(scope="session")
def server(model_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from tests.llm_server import LlamaServer

    log = tmp_path_factory.mktemp("llm") / "server.log"
    with LlamaServer(model_file, log_path=log) as running:
        yield running


@pytest.fixture(scope="session")
def adapter(server: Any) -> Iterator[Any]:
    from tests.ollama_adapter import OllamaAdapter

    with OllamaAdapter(server.url) as running:
        yield running


@pytest.fixture(params=["openai", "ollama"])
def llm(request: pytest.FixtureRequest, server: Any) -> Any:
    if request.param == "openai":
        return make_llm(f"openai:{server.alias}", url=server.url, timeout=TIMEOUT)
    adapter = request.getfixturevalue("adapter")
    return make_llm(f"ollama:{server.alias}", host=adapter.url, timeout=TIMEOUT)


def test_the_model_is_listed_and_streams(llm: Any) -> None:
    assert llm.model in llm.list_models()
    pieces = list(
        llm.stream_chat([{"role": "user", "content": "Antworte auf Deutsch mit einem Satz: Was ist ein Rathaus?"}])
    )
    assert len(pieces) >= 2  # streamed piece by piece
    assert len("".join(pieces).strip()) >= 10


def test_a_good_answer_is_accepted_and_cited(llm: Any) -> None:
    *pieces, final = generate_answer(llm, MOTTO, [], extractive(MOTTO), PROJECTS)
    assert isinstance(final, Answer)
    assert is_model_mode(final.mode), final.notice
    assert final.mode == llm.name and not final.notice
    assert citations(final.text) and set(citations(final.text)) <= {s.n for s in final.sources}
    assert "Ein kleiner Schritt für Europa" in final.text
    assert "".join(p for p in pieces if isinstance(p, str)).strip()  # the text streamed before the check


@pytest.mark.parametrize("question", [DRONES, EINBECK, GUBEN])
def test_issue_questions_end_checked_or_as_fallback_with_a_reason(question: str, server: Any) -> None:
    """Whatever the model writes for the issue's questions: a model answer only if it passes the checks."""
    llm = make_llm(f"openai:{server.alias}", url=server.url, timeout=TIMEOUT)
    ext = extractive(question)
    *_, final = generate_answer(llm, question, [], ext, PROJECTS)
    assert isinstance(final, Answer)
    if is_model_mode(final.mode):
        result = validate(final.text, ext.sources, PROJECTS, required_projects=ext.projects if ext.mode ==
                          "strukturiert" else (), allowed_projects=ext.projects, question=question, facts=ext.text)  # fmt: skip
        assert result.ok and set(ext.projects) <= set(result.named)
    else:
        assert final.text == CASES[question]["text"]
        assert final.notice.startswith("Hinweis: ") and final.notice.endswith(
            "Hier die Antwort direkt aus der Broschüre."
        )
