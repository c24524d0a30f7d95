"""The interface every language model backend implements, and its German error types.

Example::

    >>> from rag.llm.fake import FakeLLM
    >>> llm: LLM = FakeLLM(["Guben [1]"])
    >>> "".join(llm.stream_chat([{"role": "user", "content": "Frage"}]))
    'Guben [1]'
    >>> str(LLMTimeout("Das Sprachmodell hat nicht rechtzeitig geantwortet."))
    'Das Sprachmodell hat nicht rechtzeitig geantwortet.'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable


class LLMError(Exception):
    """Base class; ``str(exc)`` is a German message that can be shown to the user."""


class LLMConfigError(LLMError):
    """The model specification is not understood (e.g. ``RAG_LLM=foo``)."""


class LLMUnavailable(LLMError):
    """The model server cannot be reached."""


class LLMAuthError(LLMError):
    """The model server refused the request (HTTP 401/403): missing or wrong ``RAG_LLM_API_KEY``."""


class LLMModelMissing(LLMError):
    """The model is not installed on the server; ``installed`` lists what is."""

    def __init__(self, message: str, installed: list[str] | None = None) -> None:
        super().__init__(message)
        self.installed = list(installed or [])


class LLMTimeout(LLMError):
    """No complete answer within the configured time (``RAG_LLM_TIMEOUT``, a total deadline)."""


class LLMStreamError(LLMError):
    """The server answered with an error or the stream broke off."""


MODEL_PREFIXES = ("ollama:", "openai:")  # ``Answer.mode`` of a checked model answer starts with one of these
MAX_ANSWER_CHARS = 20_000  # a longer model answer is broken off as unusable


def is_model_mode(mode: str) -> bool:
    """Whether ``Answer.mode`` names a language model (the answer passed validation).

    >>> is_model_mode("openai:qwen2.5-3b"), is_model_mode("extraktiv")
    (True, False)
    """
    return (mode or "").startswith(MODEL_PREFIXES)


@runtime_checkable
class LLM(Protocol):
    """A chat model: ``name`` is the spec ("ollama:qwen2.5:3b", "openai:MODEL"), ``model`` the bare model name."""

    name: str
    model: str

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Yield the answer text piece by piece; raise ``LLMError`` subclasses on failure."""
        ...

    def list_models(self) -> list[str]:
        """Installed model names; raise ``LLMError`` subclasses on failure."""
        ...
