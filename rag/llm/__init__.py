"""Optional generative answers with a local ollama model (``RAG_LLM=ollama:MODEL``).

Public interface::

    make_llm(spec, host, timeout) -> LLM          # "ollama:qwen2.5:3b"; no network until first use
    generate_answer(llm, question, history, extractive, project_names) -> Iterator[str | Answer]
    condense(llm, question, history) -> str      # follow-up -> self-contained question
    doctor(host, timeout) -> str                 # German report for `rag doctor`
    LLMError (+ LLMConfigError, LLMUnavailable, LLMModelMissing, LLMTimeout, LLMStreamError)
    FakeLLM(responses)                           # queued fake for tests (rag.llm.fake)

Example::

    >>> llm = make_llm("ollama:qwen2.5:3b", host="http://127.0.0.1:11434", timeout=60)
    >>> llm.name, llm.model
    ('ollama:qwen2.5:3b', 'qwen2.5:3b')
    >>> try:
    ...     make_llm("gpt4", host="", timeout=1)
    ... except LLMError as exc:
    ...     print(exc)
    Unbekanntes Sprachmodell „gpt4“. Erwartet wird ollama:MODELL, z. B. ollama:qwen2.5:3b.
"""

from __future__ import annotations

from rag.llm.base import LLM, LLMConfigError, LLMError, LLMModelMissing, LLMStreamError, LLMTimeout, LLMUnavailable
from rag.llm.fake import FakeLLM
from rag.llm.generate import condense, generate_answer
from rag.llm.ollama import OllamaLLM, doctor
from rag.llm.validate import Validation, validate


def make_llm(spec: str, host: str = "http://127.0.0.1:11434", timeout: float = 60.0) -> LLM:
    """``"ollama:MODEL"`` -> an ``OllamaLLM`` (nothing is contacted yet)."""
    kind, _, model = (spec or "").strip().partition(":")
    if kind.strip().lower() != "ollama" or not model.strip():
        raise LLMConfigError(
            f"Unbekanntes Sprachmodell „{spec}“. Erwartet wird ollama:MODELL, z. B. ollama:qwen2.5:3b."
        )
    try:
        seconds = float(timeout)
    except (TypeError, ValueError):
        raise LLMConfigError(f"Ungültige Zeitgrenze für das Sprachmodell: {timeout!r}") from None
    if not seconds > 0:
        raise LLMConfigError(f"Die Zeitgrenze für das Sprachmodell muss positiv sein, nicht {timeout!r}.")
    return OllamaLLM(model.strip(), host=host or "http://127.0.0.1:11434", timeout=seconds)


__all__ = [
    "LLM",
    "FakeLLM",
    "LLMConfigError",
    "LLMError",
    "LLMModelMissing",
    "LLMStreamError",
    "LLMTimeout",
    "LLMUnavailable",
    "OllamaLLM",
    "Validation",
    "condense",
    "doctor",
    "generate_answer",
    "make_llm",
    "validate",
]
