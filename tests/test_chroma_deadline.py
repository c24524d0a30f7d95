"""Chroma server calls end at a total deadline (``RAG_CHROMA_TIMEOUT``): a black-hole server (accepts,
never answers) and a ``chroma run`` stopped with SIGSTOP give a German "nicht erreichbar" instead of a
hang, in the CLI, in ``rag doctor`` and in a running Assistant, whose other requests keep being served.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rag.assistant import STORE_UNREACHABLE, Assistant
from rag.config import Config, ConfigError
from rag.index.build import build_index
from rag.index.remote import ChromaServer, Unreachable
from rag.index.store import StoreError, VectorStore
from tests.conftest import CORPUS_DIR, ROOT
from tests.test_index import HashEmbedder

QUESTION = "Welche Kleinstädte wurden 2021 gefördert?"  # answered from the project list, no vector search
OPEN = "Was plant Kempten mit dem digitalen Zwilling?"  # needs the vector store


@pytest.fixture()
def black_hole() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts connections and never sends a byte."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    finally:
        stop.set()
        t.join(5)
        for s in held:
            s.close()
        srv.close()


def test_config_reads_the_chroma_timeout() -> None:
    assert Config.from_env({"RAG_CHROMA_TIMEOUT": "2.5"}).chroma_timeout == 2.5
    assert Config.from_env({}).chroma_timeout == 10.0
    for bad in ("abc", "0", "-1", "99999"):
        with pytest.raises(ConfigError, match="RAG_CHROMA_TIMEOUT"):
            Config.from_env({"RAG_CHROMA_TIMEOUT": bad})


def test_black_hole_server_fails_at_the_deadline_in_german(black_hole: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(StoreError) as err:
        VectorStore.remote(black_hole, "sc-test", timeout=1.0)
    assert time.monotonic() - t0 < 5  # 1 s deadline; far below "forever"
    assert "nicht innerhalb von 1 s" in str(err.value) and "nicht erreichbar" in str(err.value)


def test_a_slow_call_ends_at_the_deadline_and_the_server_counts_as_down() -> None:
    server = ChromaServer("http://127.0.0.1:9", timeout=0.5, cooldown=30)
    release = threading.Event()
    with pytest.raises(Unreachable, match=r"nicht innerhalb von 0\.5 s"):
        server.call(release.wait, 30)
    release.set()
    called = []
    with pytest.raises(Unreachable, match="eben nicht geantwortet"):
        server.call(lambda: called.append(1))
    assert not called  # during the cool-down calls fail at once, without trying
    ok = ChromaServer("http://127.0.0.1:9", timeout=5)
    assert ok.call(lambda x: x + 1, 1) == 2


def test_refused_connection_is_unreachable() -> None:
    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError, match="nicht erreichbar"):
        VectorStore.remote(f"http://127.0.0.1:{port}", "sc-test", timeout=2.0)


def _cli(args: list[str], data_dir: Path, url: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "RAG_DATA_DIR": str(data_dir),
        "RAG_CORPUS_DIR": str(CORPUS_DIR),
        "RAG_CHROMA_URL": url,
        "RAG_CHROMA_TIMEOUT": "1",
        "RAG_LLM": "",
        "OLLAMA_HOST": url,  # doctor also probes the (absent) model server: the black hole too
    }
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_cli_ask_against_a_black_hole_ends_with_a_german_message(black_hole: str, tmp_path: Path) -> None:
    r = _cli(["ask", QUESTION], tmp_path / "data", black_hole)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "Fehler:" in r.stderr and "nicht innerhalb von 1 s" in r.stderr and "nicht erreichbar" in r.stderr, out
    assert "Traceback" not in out and "formulieren" not in out
    assert not [d for d in (tmp_path / "data" / "indexes").iterdir()]  # no staging directory left


def test_doctor_against_a_black_hole_is_bounded(black_hole: str, tmp_path: Path) -> None:
    r = _cli(["doctor"], tmp_path / "data", black_hole, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Chroma-Server:" in r.stdout and "nicht innerhalb von 1 s" in r.stdout, r.stdout
    assert "Traceback" not in r.stdout + r.stderr


# -- a real server, stopped with SIGSTOP ---------------------------------------------------------------
@pytest.mark.integration
def test_stopped_chroma_server_does_not_block_the_queue(tmp_path: Path) -> None:
    from tests.test_server_mode import ChromaServer as ChromaProcess

    server = ChromaProcess(tmp_path / "chroma-db").start()
    try:
        assert server.proc is not None
        cfg = Config(
            data_dir=tmp_path / "data",
            corpus_dir=CORPUS_DIR,
            embedder="test-hash",
            chroma_url=server.url,
            chroma_timeout=2.0,
        )
        idx, _ = build_index(cfg, HashEmbedder())
        idx.close()
        a = Assistant.load(cfg, embedder=HashEmbedder())
        assert a.ask(OPEN).mode != "fehler" and "Guben" in a.ask(QUESTION).text
        os.killpg(server.proc.pid, signal.SIGSTOP)
        try:
            t0 = time.monotonic()
            with ThreadPoolExecutor(2) as queue:  # two workers, like the web app's queue and the API
                answers = list(queue.map(a.ask, [OPEN, QUESTION] * 4))
            elapsed = time.monotonic() - t0
        finally:
            os.killpg(server.proc.pid, signal.SIGCONT)
        # questions that need the vector store get the German message (not "formulieren Sie …") …
        assert all(ans.text == STORE_UNREACHABLE and ans.mode == "fehler" for ans in answers[::2])
        # … the others are answered as usual, meanwhile
        assert all("Guben" in ans.text and ans.mode != "fehler" for ans in answers[1::2])
        # eight requests, two at a time, a 2 s deadline: one request waits for it, then the server counts
        # as down and the rest are answered at once (without the cool-down: four waits, ≥ 8 s)
        assert elapsed < 7, elapsed
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # after the cool-down the running server is used again
            ans = a.ask(OPEN)
            if ans.mode != "fehler":
                break
            time.sleep(0.5)
        assert ans.mode != "fehler"
    finally:
        server.stop()
