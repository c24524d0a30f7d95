"""Optional generative answers with a language model: ollama (``RAG_LLM=ollama:MODEL``) or any
OpenAI-compatible server such as llama.cpp's ``llama-server`` or vLLM (``RAG_LLM=openai:MODEL`` with
``RAG_LLM_URL``, optionally ``RAG_LLM_API_KEY``).

Public interface::

    make_llm(spec, host, timeout, url=, api_key=) -> LLM   # "ollama:qwen2.5:3b" / "openai:MODEL"; no network yet
    llm_from_config(config, spec=None) -> LLM | None        # the same from a Config (None: extractive)
    generate_answer(llm, question, history, extractive, project_names) -> Iterator[str | Answer]
    condense(llm, question, history) -> str      # follow-up -> self-contained question
    doctor(host, timeout) -> str                 # German report on ollama for `rag doctor`
    doctor_for(config, timeout) -> str           # the report for the configured backend(s)
    clean_display(text), strip_links(text, allowed), preview(text)   # model text made safe to show
    LLMError (+ LLMConfigError, LLMUnavailable, LLMAuthError, LLMModelMissing, LLMTimeout, LLMStreamError)
    FakeLLM(responses)                           # queued fake for tests (rag.llm.fake)

Example::

    >>> llm = make_llm("ollama:qwen2.5:3b", host="http://127.0.0.1:11434", timeout=60)
    >>> llm.name, llm.model
    ('ollama:qwen2.5:3b', 'qwen2.5:3b')
    >>> make_llm("openai:qwen2.5-3b", url="http://127.0.0.1:8000/v1", timeout=60).name
    'openai:qwen2.5-3b'
    >>> try:
    ...     make_llm("gpt4", host="", timeout=1)
    ... except LLMError as exc:
    ...     print(exc)
    Unbekanntes Sprachmodell „gpt4“. Erwartet wird ollama:MODELL oder openai:MODELL, z. B. ollama:qwen2.5:3b.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from rag.llm.base import (
    LLM,
    LLMAuthError,
    LLMConfigError,
    LLMError,
    LLMModelMissing,
    LLMStreamError,
    LLMTimeout,
    LLMUnavailable,
    is_model_mode,
)
from rag.llm.fake import FakeLLM
from rag.llm.generate import condense, generate_answer
from rag.llm.sanitize import clean_display, preview, strip_links
from rag.llm.validate import Validation, validate

if TYPE_CHECKING:
    from rag.config import Config
    from rag.llm.ollama import OllamaLLM, doctor
    from rag.llm.openai import OpenAILLM
    from rag.llm.openai import doctor as openai_doctor

BACKENDS = ("ollama", "openai")
# The backends speak HTTP through httpx (~0.3-0.8 s to import): loaded on first use, so that a cold
# `rag ask` without a language model never imports them.
_LAZY = {
    "OllamaLLM": ("rag.llm.ollama", "OllamaLLM"),
    "doctor": ("rag.llm.ollama", "doctor"),
    "OpenAILLM": ("rag.llm.openai", "OpenAILLM"),
    "openai_doctor": ("rag.llm.openai", "doctor"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def make_llm(
    spec: str,
    host: str = "http://127.0.0.1:11434",
    timeout: float = 60.0,
    *,
    url: str = "",
    api_key: str = "",
) -> LLM:
    """``"ollama:MODEL"`` -> ``OllamaLLM`` at ``host``; ``"openai:MODEL"`` -> ``OpenAILLM`` at ``url``.

    Nothing is contacted yet. ``timeout`` is the total deadline of one model call in seconds.
    """
    kind, _, model = (spec or "").strip().partition(":")
    kind = kind.strip().lower()
    if kind not in BACKENDS or not model.strip():
        raise LLMConfigError(
            f"Unbekanntes Sprachmodell „{spec}“. Erwartet wird ollama:MODELL oder openai:MODELL, "
            "z. B. ollama:qwen2.5:3b."
        )
    try:
        seconds = float(timeout)
    except (TypeError, ValueError):
        raise LLMConfigError(f"Ungültige Zeitgrenze für das Sprachmodell: {timeout!r}") from None
    if not seconds > 0:
        raise LLMConfigError(f"Die Zeitgrenze für das Sprachmodell muss positiv sein, nicht {timeout!r}.")
    if kind == "openai":
        from rag.llm.openai import OpenAILLM

        return OpenAILLM(model.strip(), url=url, timeout=seconds, api_key=api_key)
    from rag.llm.ollama import OllamaLLM

    return OllamaLLM(model.strip(), host=host or "http://127.0.0.1:11434", timeout=seconds)


def llm_from_config(config: Config, spec: str | None = None) -> LLM | None:
    """The model of ``spec`` (``None``: ``config.llm``) with the server settings of ``config``; ``None`` if empty."""
    spec = config.llm if spec is None else spec
    if not (spec or "").strip():
        return None
    return make_llm(
        spec, host=config.ollama_host, timeout=config.llm_timeout, url=config.llm_url, api_key=config.llm_api_key
    )


def doctor_for(config: Config, timeout: float = 3.0) -> str:
    """German report for `rag doctor`: the OpenAI-compatible server if one is configured, otherwise ollama."""
    from rag.llm.ollama import doctor
    from rag.llm.openai import doctor as openai_doctor

    kind, _, model = config.llm.partition(":")
    kind = kind.strip().lower()
    reports = []
    if kind == "openai" or (kind != "ollama" and config.llm_url):
        reports.append(
            openai_doctor(config.llm_url, timeout, model=model if kind == "openai" else "", api_key=config.llm_api_key)
        )
    if kind != "openai":
        reports.append(doctor(config.ollama_host, timeout, model=model if kind == "ollama" else ""))
    return "\n".join(reports)


__all__ = [
    "LLM",
    "FakeLLM",
    "LLMAuthError",
    "LLMConfigError",
    "LLMError",
    "LLMModelMissing",
    "LLMStreamError",
    "LLMTimeout",
    "LLMUnavailable",
    "OllamaLLM",
    "OpenAILLM",
    "Validation",
    "clean_display",
    "condense",
    "doctor",
    "doctor_for",
    "generate_answer",
    "is_model_mode",
    "llm_from_config",
    "make_llm",
    "openai_doctor",
    "preview",
    "strip_links",
    "validate",
]
