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
    """The ollama server cannot be reached."""


class LLMModelMissing(LLMError):
    """The model is not installed on the server; ``installed`` lists what is."""

    def __init__(self, message: str, installed: list[str] | None = None) -> None:
        super().__init__(message)
        self.installed = list(installed or [])


class LLMTimeout(LLMError):
    """No answer (or no further piece of it) within the configured time."""


class LLMStreamError(LLMError):
    """The server answered with an error or the stream broke off."""


@runtime_checkable
class LLM(Protocol):
    """A chat model: ``name`` is the spec ("ollama:qwen2.5:3b"), ``model`` the bare model name."""

    name: str
    model: str

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Yield the answer text piece by piece; raise ``LLMError`` subclasses on failure."""
        ...

    def list_models(self) -> list[str]:
        """Installed model names; raise ``LLMError`` subclasses on failure."""
        ...
