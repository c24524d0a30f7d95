"""The OpenAI-compatible backend (``RAG_LLM=openai:MODEL``): llama.cpp's ``llama-server``, vLLM, and others.

It speaks the Chat Completions API of the server at ``RAG_LLM_URL`` (the base URL, usually ending in
``/v1``): ``POST {url}/chat/completions`` with ``"stream": true`` (server-sent events, ``data: {…}``
lines up to ``data: [DONE]``) and ``GET {url}/models`` for ``rag doctor``. An optional key from
``RAG_LLM_API_KEY`` is sent as ``Authorization: Bearer …``; it is never logged, never part of a
message, ``repr`` or report (a server that echoes it in an error has it replaced by ``***``).

Same contract as the ollama backend: the same prompts and validation (in :mod:`rag.llm.generate`),
German ``LLMError`` subclasses, ``timeout`` (``RAG_LLM_TIMEOUT``) as a total deadline for one call
(:mod:`rag.llm.http`), nothing contacted but ``url``.

Example::

    >>> llm = OpenAILLM("qwen2.5-3b-instruct", url="http://127.0.0.1:8000", timeout=60, api_key="geheim")
    >>> llm.name, llm.url
    ('openai:qwen2.5-3b-instruct', 'http://127.0.0.1:8000/v1')
    >>> "geheim" in repr(llm)
    False
    >>> "".join(llm.stream_chat([{"role": "user", "content": "Hallo"}]))   # doctest: +SKIP
    'Hallo! Wie kann ich helfen?'
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Generator, Iterator
from typing import Any

import httpx

from rag.llm.base import (
    MAX_ANSWER_CHARS,
    LLMAuthError,
    LLMError,
    LLMModelMissing,
    LLMStreamError,
    LLMTimeout,
    LLMUnavailable,
)
from rag.llm.http import (
    Deadline,
    DeadlineExceeded,
    ServerStatus,
    TooLong,
    lines,
    make_client,
    read_body,
    seconds_text,
    stream_body,
)
from rag.llm.sanitize import clean_display

DEFAULT_URL = "http://127.0.0.1:8000/v1"
PARAMS: dict[str, Any] = {"temperature": 0.1, "max_tokens": 300}  # like the ollama OPTIONS

__all__ = ["DEFAULT_URL", "PARAMS", "OpenAILLM", "doctor", "normalize_url"]


def normalize_url(url: str) -> str:
    """The API base URL: without a trailing slash; a bare ``http://host:port`` gets ``/v1``.

    >>> normalize_url("http://127.0.0.1:8080/"), normalize_url("https://llm.example.org/openai/v1/")
    ('http://127.0.0.1:8080/v1', 'https://llm.example.org/openai/v1')
    """
    url = (url or "").strip().rstrip("/") or DEFAULT_URL
    try:
        parsed = httpx.URL(url)
    except Exception:
        return url
    if parsed.path in ("", "/"):
        url += "/v1"
    return url


def shown_url(url: str) -> str:
    """``url`` for messages: without ``user:password@``."""
    try:
        parsed = httpx.URL(url)
        return str(parsed.copy_with(userinfo=b"")) if parsed.userinfo else url
    except Exception:
        return url


class OpenAILLM:
    """Chat with one model on an OpenAI-compatible server."""

    def __init__(self, model: str, url: str = DEFAULT_URL, timeout: float = 60.0, api_key: str = "") -> None:
        self.model = model
        self.name = f"openai:{model}"
        self.url = normalize_url(url)
        self.shown = shown_url(self.url)
        self.timeout = max(float(timeout), 0.1)
        self.__key = (api_key or "").strip()
        self._client: httpx.Client | None = None

    def __repr__(self) -> str:
        key = "gesetzt" if self.__key else "keiner"
        return f"OpenAILLM(model={self.model!r}, url={self.shown!r}, timeout={self.timeout!r}, key={key})"

    @property
    def has_key(self) -> bool:
        return bool(self.__key)

    def client(self) -> httpx.Client:
        """The httpx client for ``url`` (with the key header), created on first use."""
        if self._client is None:
            headers = {"Authorization": f"Bearer {self.__key}"} if self.__key else {}
            self._client = make_client(self.url, self.timeout, headers)
        return self._client

    def redact(self, text: str) -> str:
        """``text`` with the key (should a server echo it) replaced by ``***``."""
        return text.replace(self.__key, "***") if self.__key and len(self.__key) >= 4 else text

    # -- errors -------------------------------------------------------------------------------------
    def _detail(self, exc: ServerStatus) -> str:
        raw = exc.text()
        detail: Any = ""
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict):
            detail = data.get("error") or data.get("message") or data.get("detail") or ""
            if isinstance(detail, dict):
                detail = detail.get("message") or ""
        text = " ".join(clean_display(str(detail or raw)).split())[:200]
        return self.redact(text)

    def _unreachable(self) -> LLMUnavailable:
        return LLMUnavailable(
            f"Der Sprachmodell-Server unter {self.shown} ist nicht erreichbar. "
            "Läuft er? (llama.cpp: `llama-server`, vLLM: `vllm serve`; prüfen mit `rag doctor`.)"
        )

    def _status_error(self, exc: ServerStatus, what: str, deadline: Deadline | None = None) -> LLMError:
        detail = self._detail(exc)
        if exc.status in (401, 403):
            hint = "Stimmt RAG_LLM_API_KEY?" if self.__key else "Er verlangt einen Schlüssel (RAG_LLM_API_KEY)."
            return LLMAuthError(
                f"Der Sprachmodell-Server unter {self.shown} lehnt den Zugang ab (HTTP {exc.status}). {hint}"
            )
        if exc.status == 404 and what == "chat":
            return self._missing(detail, deadline or Deadline(min(self.timeout, 3.0)))
        suffix = f": {detail}" if detail else ""
        return LLMStreamError(f"Der Sprachmodell-Server meldet einen Fehler ({exc.status}){suffix}.")

    def _missing(self, detail: str, deadline: Deadline) -> LLMError:
        try:
            available = self.list_models(deadline.capped(3.0)) if deadline.remaining() > 0 else None
        except LLMError:
            available = None
        if available is not None and self.model not in available:
            have = ", ".join(available) if available else "keine"
            return LLMModelMissing(
                f"Das Modell „{self.model}“ gibt es auf dem Sprachmodell-Server unter {self.shown} nicht. "
                f"Verfügbare Modelle: {have}. Ein anderes wählen mit RAG_LLM=openai:MODELL.",
                available,
            )
        return LLMStreamError(
            f"Unter {self.shown}/chat/completions antwortet kein OpenAI-kompatibler Server (HTTP 404"
            + (f": {detail}" if detail else "")
            + "). Stimmt RAG_LLM_URL (meist mit /v1 am Ende)?"
        )

    def _timeout(self, started: bool) -> LLMTimeout:
        seconds = seconds_text(self.timeout)
        if started:
            return LLMTimeout(f"Das Sprachmodell brauchte länger als {seconds} s für die Antwort.")
        return LLMTimeout(f"Das Sprachmodell hat nicht innerhalb von {seconds} s geantwortet.")

    # -- API ------------------------------------------------------------------------------------------
    def list_models(self, deadline: Deadline | None = None) -> list[str]:
        try:
            data = json.loads(read_body(self.client(), "/models", deadline or Deadline(self.timeout)))
        except (DeadlineExceeded, httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout) as exc:
            raise LLMTimeout(f"Der Sprachmodell-Server unter {self.shown} antwortet nicht.") from exc
        except (httpx.ConnectError, httpx.ConnectTimeout, ConnectionError) as exc:
            raise self._unreachable() from exc
        except ServerStatus as exc:
            raise self._status_error(exc, "models") from exc
        except (ValueError, TooLong, httpx.HTTPError) as exc:
            raise LLMStreamError(f"Unerwartete Antwort des Sprachmodell-Servers ({type(exc).__name__}).") from exc
        models = data.get("data") if isinstance(data, dict) else None
        if not isinstance(models, list):
            raise LLMStreamError("Unerwartete Antwort des Sprachmodell-Servers (keine Modellliste).")
        return sorted({str(m.get("id") or "") for m in models if isinstance(m, dict)} - {""})

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        deadline = Deadline(self.timeout)
        body = {"model": self.model, "messages": messages, "stream": True, **PARAMS}
        done = finished = False
        size = 0
        chunks: Generator[bytes, None, None] | None = None
        content_types: list[str] = []
        try:
            chunks = stream_body(
                self.client(), "POST", "/chat/completions", deadline, json=body, content_types=content_types
            )
            first = next(chunks, b"")
            if content_types and "application/json" in content_types[0]:
                # a server that ignores "stream": the whole answer as one JSON object
                raw = bytearray(first)
                for chunk in chunks:
                    raw += chunk
                    if len(raw) > 20 * MAX_ANSWER_CHARS:
                        raise TooLong("answer too long")
                text = _whole_answer(raw.decode("utf-8", errors="replace"))
                if len(text) > MAX_ANSWER_CHARS:
                    raise LLMStreamError("Die Antwort des Sprachmodells war ungewöhnlich lang und wurde verworfen.")
                size = len(text)
                if text:
                    yield text
                done = True
                return
            for line in lines(itertools.chain([first], chunks)):
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if not line or line.startswith(":"):
                    continue  # event boundary or comment (keep-alive)
                if field == "error":
                    raise LLMStreamError(f"Der Sprachmodell-Server meldet einen Fehler: {self._event_error(value)}.")
                if field != "data":
                    continue  # event:, id:, retry:
                if value.strip() == "[DONE]":
                    done = True
                    break
                event = json.loads(value)
                if not isinstance(event, dict):
                    raise ValueError("not an object")
                if event.get("error"):
                    raise LLMStreamError(f"Der Sprachmodell-Server meldet einen Fehler: {self._event_error(value)}.")
                for choice in event.get("choices") or []:
                    if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                        continue
                    delta = choice.get("delta") or {}
                    piece = delta.get("content") if isinstance(delta, dict) else None
                    if isinstance(piece, str) and piece:
                        size += len(piece)
                        if size > MAX_ANSWER_CHARS:
                            raise LLMStreamError(
                                "Die Antwort des Sprachmodells war ungewöhnlich lang und wurde verworfen."
                            )
                        yield piece
                    if choice.get("finish_reason"):
                        finished = True
        except LLMError:
            raise
        except DeadlineExceeded as exc:
            raise self._timeout(exc.received > 0) from exc
        except (httpx.ConnectError, httpx.ConnectTimeout, ConnectionError) as exc:
            raise self._unreachable() from exc
        except httpx.TimeoutException as exc:
            raise self._timeout(size > 0) from exc
        except ServerStatus as exc:
            raise self._status_error(exc, "chat", deadline) from exc
        except (httpx.HTTPError, ValueError, TooLong) as exc:
            raise LLMStreamError("Die Verbindung zum Sprachmodell brach während der Antwort ab.") from exc
        except Exception as exc:
            raise LLMStreamError(f"Unerwarteter Fehler beim Sprachmodell ({type(exc).__name__}).") from exc
        finally:
            if chunks is not None:
                chunks.close()  # release the connection when stopping early
        if not (done or finished):
            raise LLMStreamError("Die Antwort des Sprachmodells brach unvollständig ab.")

    def _event_error(self, value: str) -> str:
        try:
            data = json.loads(value)
        except ValueError:
            data = value
        if isinstance(data, dict):
            data = data.get("error", data)
            if isinstance(data, dict):
                data = data.get("message") or ""
        return self.redact(" ".join(clean_display(str(data)).split())[:200]) or "unbekannt"


def _whole_answer(raw: str) -> str:
    data = json.loads(raw)
    choices = data.get("choices") if isinstance(data, dict) else None
    if not choices or not isinstance(choices[0], dict):
        raise ValueError("no choices")
    message = choices[0].get("message") or {}
    content = message.get("content") if isinstance(message, dict) else None
    return content if isinstance(content, str) else ""


def doctor(url: str, timeout: float = 3.0, model: str = "", api_key: str = "") -> str:
    """German multi-line report on the OpenAI-compatible server at ``url`` (``GET /models``).

    All requests together take at most ``timeout`` seconds; the key is never shown.
    """
    llm = OpenAILLM(model or "-", url=url, timeout=timeout, api_key=api_key)
    out: list[str] = []
    try:
        available: list[str] | None = llm.list_models(Deadline(timeout))
    except LLMError as exc:
        available = None
        if isinstance(exc, LLMAuthError):
            out.append(f"OpenAI-kompatibler Server {llm.shown}: erreichbar, aber Zugang abgelehnt.")
        elif isinstance(exc, LLMTimeout):
            out.append(f"OpenAI-kompatibler Server {llm.shown}: antwortet nicht rechtzeitig.")
        else:
            out.append(f"OpenAI-kompatibler Server {llm.shown}: nicht erreichbar.")
        if not isinstance(exc, LLMUnavailable):
            out.append(f"  {llm.redact(str(exc))}")
        if not isinstance(exc, LLMAuthError):
            out.append("  Starten z. B. mit llama.cpp: `llama-server -m MODELL.gguf --host 127.0.0.1 --port 8000`")
            out.append("  oder vLLM: `vllm serve MODELL --host 127.0.0.1 --port 8000`,")
            out.append("  dann RAG_LLM_URL=http://127.0.0.1:8000/v1 setzen.")
    if available is not None:
        out.append(f"OpenAI-kompatibler Server {llm.shown}: erreichbar.")
        out.append("Verfügbare Modelle: " + (", ".join(available) if available else "keine"))
        if model:
            state = "verfügbar" if model in available else "NICHT verfügbar – einen Namen aus der Liste wählen"
            out.append(f"Gewähltes Modell {model}: {state}")
    out.append("Schlüssel (RAG_LLM_API_KEY): " + ("gesetzt (wird nicht angezeigt)" if llm.has_key else "nicht gesetzt"))
    example = model or (available[0] if available else "MODELL")
    out.append(f"Verwenden: RAG_LLM=openai:{example} RAG_LLM_URL={llm.shown} rag chat")
    return "\n".join(out)
