"""The ollama backend: streaming chat over the official ``ollama`` client, with German errors.

Timeouts: connecting may take at most ``CONNECT_TIMEOUT`` seconds (a stopped server fails at once);
``timeout`` (``RAG_LLM_TIMEOUT``) is the longest wait for the first or any further piece of the
answer, and the whole answer may take at most ``TOTAL_FACTOR * timeout`` seconds.
Only ``host`` is contacted; proxy variables from the environment are ignored.

Example::

    >>> llm = OllamaLLM("qwen2.5:3b", host="http://127.0.0.1:11434", timeout=60)
    >>> llm.name
    'ollama:qwen2.5:3b'
    >>> "".join(llm.stream_chat([{"role": "user", "content": "Hallo"}]))   # doctest: +SKIP
    'Hallo! Wie kann ich helfen?'
    >>> print(doctor("http://127.0.0.1:1", timeout=0.5).splitlines()[0])    # doctest: +SKIP
    ollama-Server http://127.0.0.1:1: nicht erreichbar.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx

from rag.llm.base import LLMError, LLMModelMissing, LLMStreamError, LLMTimeout, LLMUnavailable

CONNECT_TIMEOUT = 0.75
TOTAL_FACTOR = 3.0
OPTIONS: dict[str, Any] = {"temperature": 0.1, "num_ctx": 8192, "num_predict": 700}

# German-capable models that run on a laptop (CPU, 8-16 GB RAM): (name, download size, note)
RECOMMENDED: tuple[tuple[str, str, str], ...] = (
    ("qwen2.5:3b", "1,9 GB", "gutes Deutsch, hält sich gut an Quellen"),
    ("llama3.2:3b", "2,0 GB", "solide, etwas freier formuliert"),
    ("gemma2:2b", "1,6 GB", "am kleinsten, für schwache Rechner"),
    ("qwen2.5:7b", "4,7 GB", "besser, braucht 16 GB RAM"),
)


def _unreachable(host: str) -> str:
    return (
        f"Der ollama-Server unter {host} ist nicht erreichbar. "
        "Läuft ollama? (Starten mit `ollama serve`, Prüfen mit `rag doctor`.)"
    )


class OllamaLLM:
    """Chat with one model on an ollama server (``ollama.Client`` under the hood)."""

    def __init__(self, model: str, host: str = "http://127.0.0.1:11434", timeout: float = 60.0) -> None:
        self.model = model
        self.name = f"ollama:{model}"
        self.host = host or "http://127.0.0.1:11434"
        self.timeout = max(float(timeout), 0.1)
        self._client: Any = None

    def client(self) -> Any:
        """The ``ollama.Client``, created on first use."""
        if self._client is None:
            import ollama

            self._client = ollama.Client(
                host=self.host,
                timeout=httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout)),
                trust_env=False,  # never route through a proxy from the environment
            )
        return self._client

    def list_models(self) -> list[str]:
        import ollama

        try:
            listing = self.client().list()
        except (ConnectionError, httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise LLMUnavailable(_unreachable(self.host)) from exc
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"Der ollama-Server unter {self.host} antwortet nicht.") from exc
        except ollama.ResponseError as exc:
            raise LLMStreamError(f"Der ollama-Server meldet einen Fehler: {exc.error}") from exc
        except Exception as exc:
            raise LLMStreamError(f"Unerwartete Antwort des ollama-Servers ({type(exc).__name__}).") from exc
        return sorted(str(m.model) for m in listing.models if m.model)

    def _missing(self) -> LLMModelMissing:
        try:
            installed = self.list_models()
        except LLMError:
            installed = []
        have = ", ".join(installed) if installed else "keine"
        return LLMModelMissing(
            f"Das Modell „{self.model}“ ist in ollama nicht installiert. Installierte Modelle: {have}. "
            f"Installieren mit `ollama pull {self.model}` oder ein anderes Modell wählen (RAG_LLM=ollama:MODELL).",
            installed,
        )

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        import ollama
        import pydantic

        deadline = time.monotonic() + TOTAL_FACTOR * self.timeout
        done = False
        stream: Any = None
        try:
            stream = self.client().chat(model=self.model, messages=messages, stream=True, options=OPTIONS)
            for part in stream:
                piece = part.message.content or ""
                if piece:
                    yield piece
                if part.done:
                    done = True
                    break
                if time.monotonic() > deadline:
                    raise LLMTimeout(
                        f"Das Sprachmodell brauchte länger als {TOTAL_FACTOR * self.timeout:.0f} s für die Antwort."
                    )
        except LLMError:
            raise
        except (ConnectionError, httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise LLMUnavailable(_unreachable(self.host)) from exc
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"Das Sprachmodell hat nicht innerhalb von {self.timeout:.0f} s geantwortet.") from exc
        except ollama.ResponseError as exc:
            if exc.status_code == 404 or "not found" in str(exc.error).lower():
                raise self._missing() from exc
            detail = " ".join(str(exc.error).split())[:200]
            code = f" ({exc.status_code})" if exc.status_code > 0 else ""
            raise LLMStreamError(f"Der ollama-Server meldet einen Fehler{code}: {detail}.") from exc
        except (httpx.HTTPError, json.JSONDecodeError, pydantic.ValidationError) as exc:
            raise LLMStreamError("Die Verbindung zum Sprachmodell brach während der Antwort ab.") from exc
        except Exception as exc:
            raise LLMStreamError(f"Unerwarteter Fehler beim Sprachmodell ({type(exc).__name__}).") from exc
        finally:
            if stream is not None and hasattr(stream, "close"):
                stream.close()  # release the HTTP connection when stopping early
        if not done:
            raise LLMStreamError("Die Antwort des Sprachmodells brach unvollständig ab.")


def doctor(host: str, timeout: float = 3.0, model: str = "") -> str:
    """German multi-line report: is ollama reachable, which models are installed, which to pull."""
    llm = OllamaLLM(model or "-", host=host, timeout=timeout)
    lines: list[str] = []
    try:
        installed = llm.list_models()
    except LLMError as exc:
        installed = None
        lines.append(f"ollama-Server {llm.host}: nicht erreichbar.")
        if not isinstance(exc, LLMUnavailable):
            lines.append(f"  {exc}")
        lines.append("  Installation: https://ollama.com/download – danach `ollama serve` starten")
        lines.append("  (anderer Rechner oder Port: OLLAMA_HOST=http://HOST:PORT).")
    if installed is not None:
        version = ""
        try:
            r = llm.client()._client.get("/api/version")
            version = str(r.json().get("version", ""))
        except Exception:
            version = ""
        lines.append(f"ollama-Server {llm.host}: erreichbar" + (f" (Version {version})." if version else "."))
        lines.append("Installierte Modelle: " + (", ".join(installed) if installed else "keine"))
        if model:
            state = "installiert" if model in installed else f"NICHT installiert – `ollama pull {model}`"
            lines.append(f"Gewähltes Modell {model}: {state}")
    lines.append("Für deutsche Antworten auf einem Laptop geeignet:")
    for name, size, note in RECOMMENDED:
        mark = " (installiert)" if installed and name in installed else ""
        lines.append(f"  ollama pull {name:<12} # {size}, {note}{mark}")
    example = next((name for name, _, _ in RECOMMENDED if installed and name in installed), RECOMMENDED[0][0])
    lines.append(f"Verwenden: RAG_LLM=ollama:{example} rag chat   (oder --llm ollama:{example})")
    return "\n".join(lines)
