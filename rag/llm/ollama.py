"""The ollama backend: streaming chat over ollama's HTTP API (``/api/chat``, NDJSON), with German errors.

Time limit: ``timeout`` (``RAG_LLM_TIMEOUT``) is a total deadline for one call – connecting, waiting
for the first piece and reading the whole answer. A server that trickles its answer byte by byte is
cut off at the deadline just like one that says nothing (see :mod:`rag.llm.http`); connecting may take
at most ``CONNECT_TIMEOUT`` seconds, so a stopped server fails at once.
Only ``host`` is contacted; proxy variables from the environment are ignored.

Example::

    >>> llm = OllamaLLM("qwen2.5:3b", host="http://127.0.0.1:11434", timeout=60)
    >>> llm.name, llm.host
    ('ollama:qwen2.5:3b', 'http://127.0.0.1:11434')
    >>> normalize_host("localhost")
    'http://localhost:11434'
    >>> "".join(llm.stream_chat([{"role": "user", "content": "Hallo"}]))   # doctest: +SKIP
    'Hallo! Wie kann ich helfen?'
    >>> print(doctor("http://127.0.0.1:1", timeout=0.5).splitlines()[0])    # doctest: +SKIP
    ollama-Server http://127.0.0.1:1: nicht erreichbar.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from typing import Any

import httpx

from rag.llm.base import (
    MAX_ANSWER_CHARS,
    LLMError,
    LLMModelMissing,
    LLMStreamError,
    LLMTimeout,
    LLMUnavailable,
)
from rag.llm.http import (
    CONNECT_TIMEOUT,
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

DEFAULT_HOST = "http://127.0.0.1:11434"
OPTIONS: dict[str, Any] = {"temperature": 0.1, "num_ctx": 8192, "num_predict": 300}

# German-capable models that run on a laptop (CPU, 8-16 GB RAM): (name, download size, note)
RECOMMENDED: tuple[tuple[str, str, str], ...] = (
    ("qwen2.5:3b", "1,9 GB", "gutes Deutsch, hält sich gut an Quellen"),
    ("llama3.2:3b", "2,0 GB", "solide, etwas freier formuliert"),
    ("gemma2:2b", "1,6 GB", "am kleinsten, für schwache Rechner"),
    ("qwen2.5:7b", "4,7 GB", "besser, braucht 16 GB RAM"),
)

__all__ = ["CONNECT_TIMEOUT", "OPTIONS", "RECOMMENDED", "OllamaLLM", "doctor", "normalize_host"]


def normalize_host(host: str) -> str:
    """``OLLAMA_HOST`` as ollama reads it: the scheme defaults to http, the port to 11434."""
    host = (host or "").strip().rstrip("/") or DEFAULT_HOST
    if "://" not in host:
        host = "http://" + host
    try:
        url = httpx.URL(host)
    except Exception:
        return host
    if url.port is None and url.scheme == "http":
        url = url.copy_with(port=11434)
    return str(url).rstrip("/")


def _unreachable(host: str) -> str:
    return (
        f"Der ollama-Server unter {host} ist nicht erreichbar. "
        "Läuft ollama? (Starten mit `ollama serve`, Prüfen mit `rag doctor`.)"
    )


def _error_detail(exc: ServerStatus) -> str:
    try:
        data = json.loads(exc.text())
        detail = str(data.get("error", "")) if isinstance(data, dict) else ""
    except ValueError:
        detail = ""
    return " ".join((detail or exc.text()).split())[:200]


class OllamaLLM:
    """Chat with one model on an ollama server."""

    def __init__(self, model: str, host: str = DEFAULT_HOST, timeout: float = 60.0) -> None:
        self.model = model
        self.name = f"ollama:{model}"
        self.host = normalize_host(host)
        self.timeout = max(float(timeout), 0.1)
        self._client: httpx.Client | None = None

    def __repr__(self) -> str:
        return f"OllamaLLM(model={self.model!r}, host={self.host!r}, timeout={self.timeout!r})"

    def client(self) -> httpx.Client:
        """The httpx client for ``host``, created on first use."""
        if self._client is None:
            self._client = make_client(self.host, self.timeout)
        return self._client

    def _get_json(self, path: str, deadline: Deadline) -> Any:
        try:
            return json.loads(read_body(self.client(), path, deadline))
        except DeadlineExceeded as exc:
            raise LLMTimeout(f"Der ollama-Server unter {self.host} antwortet nicht.") from exc
        except (httpx.ConnectError, httpx.ConnectTimeout, ConnectionError) as exc:
            raise LLMUnavailable(_unreachable(self.host)) from exc
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"Der ollama-Server unter {self.host} antwortet nicht.") from exc
        except ServerStatus as exc:
            raise LLMStreamError(f"Der ollama-Server meldet einen Fehler ({exc.status}): {_error_detail(exc)}") from exc
        except (ValueError, TooLong, httpx.HTTPError) as exc:
            raise LLMStreamError(f"Unerwartete Antwort des ollama-Servers ({type(exc).__name__}).") from exc

    def list_models(self, deadline: Deadline | None = None) -> list[str]:
        data = self._get_json("/api/tags", deadline or Deadline(self.timeout))
        models = data.get("models") if isinstance(data, dict) else None
        if not isinstance(models, list):
            raise LLMStreamError("Unerwartete Antwort des ollama-Servers (keine Modellliste).")
        names = (str(m.get("model") or m.get("name") or "") for m in models if isinstance(m, dict))
        return sorted(n for n in names if n)

    def version(self, deadline: Deadline | None = None) -> str:
        data = self._get_json("/api/version", deadline or Deadline(self.timeout))
        return str(data.get("version", "")) if isinstance(data, dict) else ""

    def _missing(self, deadline: Deadline) -> LLMModelMissing:
        try:
            installed = self.list_models(deadline.capped(3.0)) if deadline.remaining() > 0 else []
        except LLMError:
            installed = []
        have = ", ".join(installed) if installed else "keine"
        return LLMModelMissing(
            f"Das Modell „{self.model}“ ist in ollama nicht installiert. Installierte Modelle: {have}. "
            f"Installieren mit `ollama pull {self.model}` oder ein anderes Modell wählen (RAG_LLM=ollama:MODELL).",
            installed,
        )

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        deadline = Deadline(self.timeout)
        body = {"model": self.model, "messages": messages, "stream": True, "options": OPTIONS}
        done = False
        size = 0
        chunks: Generator[bytes, None, None] | None = None
        try:
            chunks = stream_body(self.client(), "POST", "/api/chat", deadline, json=body)
            for line in lines(chunks):
                if not line.strip():
                    continue
                part = json.loads(line)
                if not isinstance(part, dict):
                    raise ValueError("not an object")
                if part.get("error"):
                    detail = " ".join(str(part["error"]).split())[:200]
                    raise LLMStreamError(f"Der ollama-Server meldet einen Fehler: {detail}.")
                message = part.get("message") or {}
                piece = str(message.get("content") or "") if isinstance(message, dict) else ""
                if piece:
                    size += len(piece)
                    if size > MAX_ANSWER_CHARS:
                        raise LLMStreamError("Die Antwort des Sprachmodells war ungewöhnlich lang und wurde verworfen.")
                    yield piece
                if part.get("done"):
                    done = True
                    break
        except LLMError:
            raise
        except DeadlineExceeded as exc:
            raise self._timeout(exc.received > 0) from exc
        except (httpx.ConnectError, httpx.ConnectTimeout, ConnectionError) as exc:
            raise LLMUnavailable(_unreachable(self.host)) from exc
        except httpx.TimeoutException as exc:
            raise self._timeout(size > 0) from exc
        except ServerStatus as exc:
            detail = _error_detail(exc)
            if exc.status == 404 or "not found" in detail.lower():
                raise self._missing(deadline) from exc
            raise LLMStreamError(f"Der ollama-Server meldet einen Fehler ({exc.status}): {detail}.") from exc
        except (httpx.HTTPError, ValueError, TooLong) as exc:
            raise LLMStreamError("Die Verbindung zum Sprachmodell brach während der Antwort ab.") from exc
        except Exception as exc:
            raise LLMStreamError(f"Unerwarteter Fehler beim Sprachmodell ({type(exc).__name__}).") from exc
        finally:
            if chunks is not None:
                chunks.close()  # release the connection when stopping early
        if not done:
            raise LLMStreamError("Die Antwort des Sprachmodells brach unvollständig ab.")

    def _timeout(self, started: bool) -> LLMTimeout:
        seconds = seconds_text(self.timeout)
        if started:
            return LLMTimeout(f"Das Sprachmodell brauchte länger als {seconds} s für die Antwort.")
        return LLMTimeout(f"Das Sprachmodell hat nicht innerhalb von {seconds} s geantwortet.")


def doctor(host: str, timeout: float = 3.0, model: str = "") -> str:
    """German multi-line report: is ollama reachable, which models are installed, which to pull.

    All requests together take at most ``timeout`` seconds.
    """
    llm = OllamaLLM(model or "-", host=host, timeout=timeout)
    deadline = Deadline(timeout)
    lines_: list[str] = []
    try:
        installed: list[str] | None = llm.list_models(deadline)
    except LLMError as exc:
        installed = None
        lines_.append(f"ollama-Server {llm.host}: nicht erreichbar.")
        if not isinstance(exc, LLMUnavailable):
            lines_.append(f"  {exc}")
        lines_.append("  Installation: https://ollama.com/download – danach `ollama serve` starten")
        lines_.append("  (anderer Rechner oder Port: OLLAMA_HOST=http://HOST:PORT).")
    if installed is not None:
        try:
            version = llm.version(deadline)
        except LLMError:
            version = ""
        lines_.append(f"ollama-Server {llm.host}: erreichbar" + (f" (Version {version})." if version else "."))
        lines_.append("Installierte Modelle: " + (", ".join(installed) if installed else "keine"))
        if model:
            state = "installiert" if model in installed else f"NICHT installiert – `ollama pull {model}`"
            lines_.append(f"Gewähltes Modell {model}: {state}")
    lines_.append("Für deutsche Antworten auf einem Laptop geeignet:")
    for name, size, note in RECOMMENDED:
        mark = " (installiert)" if installed and name in installed else ""
        lines_.append(f"  ollama pull {name:<12} # {size}, {note}{mark}")
    example = next((name for name, _, _ in RECOMMENDED if installed and name in installed), RECOMMENDED[0][0])
    lines_.append(f"Verwenden: RAG_LLM=ollama:{example} rag chat   (oder --llm ollama:{example})")
    return "\n".join(lines_)
