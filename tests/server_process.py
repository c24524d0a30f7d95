"""A server process for tests and benchmarks (``bench.load``): started on 127.0.0.1 with the checkout on ``PYTHONPATH``, its stderr
collected, ready once ``/api/health`` answers, always stopped by ``close()``.

Example::

    >>> s = ServerProcess(["-m", "rag.cli", "serve", "--port", "{port}"], {"RAG_LLM": ""})  # doctest: +SKIP
    >>> s.wait_ready(); s.close()                                                          # doctest: +SKIP
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    def __init__(self, args: list[str], env: dict[str, str], name: str = "Testserver") -> None:
        """``args`` after the interpreter; ``{port}`` in them is replaced by a free port."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, *(a.replace("{port}", str(self.port)) for a in args)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(
            target=lambda: self.lines.extend(iter(self.proc.stderr.readline, "")),  # type: ignore[union-attr]
            daemon=True,
        )
        self.reader.start()

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.close()
        raise AssertionError(f"{self.name} ist nicht gestartet:\n" + "".join(self.lines)[-3000:])

    def fn_index(self, api_name: str) -> int:
        """The index of a Gradio endpoint, for calls through the raw queue API."""
        deps = httpx.get(f"{self.url}/config", timeout=10).json()["dependencies"]
        return int(next(d["id"] for d in deps if d.get("api_name") == api_name))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.reader.join(timeout=10)
