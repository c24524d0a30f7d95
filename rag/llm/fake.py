"""A queued fake language model for tests (in the spirit of simonw/llm's mock model).

Each call of ``stream_chat`` takes the next queued response: a string is streamed in pieces, an
exception is raised. The messages of every call are kept
in ``calls``.

Example::

    >>> llm = FakeLLM(["Guben erhält Förderung [1].", LLMTimeout("zu langsam")])
    >>> list(llm.stream_chat([{"role": "user", "content": "?"}]))
    ['Guben ', 'erhält ', 'Förderung ', '[1].']
    >>> try:
    ...     list(llm.stream_chat([]))
    ... except LLMError as exc:
    ...     print(exc)
    zu langsam
    >>> len(llm.calls)
    2
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rag.llm.base import LLMError, LLMStreamError, LLMTimeout


class FakeLLM:
    """Implements the ``LLM`` protocol from a queue of responses (``str`` or ``Exception``)."""

    def __init__(
        self,
        responses: list[str | Exception],
        model: str = "fake",
        installed: list[str] | None = None,
        name: str = "",
    ) -> None:
        self.responses = list(responses)
        self.model = model
        self.name = name or f"ollama:{model}"  # poses as an ollama model, so interfaces show it as one
        self.installed = list(installed if installed is not None else [model])
        self.calls: list[list[dict[str, str]]] = []

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        self.calls.append([dict(m) for m in messages])
        if not self.responses:
            raise LLMStreamError("FakeLLM: keine Antwort mehr in der Warteschlange.")
        response = self.responses.pop(0)
        if isinstance(response, Exception):
            raise response
        yield from (p for p in re.split(r"(?<= )", response) if p)

    def list_models(self) -> list[str]:
        return list(self.installed)


__all__ = ["FakeLLM", "LLMError", "LLMTimeout"]
