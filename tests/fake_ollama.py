"""A scriptable fake ollama server on 127.0.0.1 (random port) for integration tests.

It speaks the real wire formats the ``ollama`` client expects:
``GET /api/version`` -> ``{"version": ...}``, ``GET /api/tags`` -> ``{"models": [{"name", "model",
"modified_at", "size", "digest", "details"}]}``, ``POST /api/chat`` (``stream: true``) -> NDJSON lines
``{"model", "created_at", "message": {"role": "assistant", "content"}, "done": false}`` and a final line
with ``"done": true, "done_reason": "stop"`` and the duration counters; an unknown model -> HTTP 404
``{"error": "model \"x\" not found, try pulling it first"}``.

Script the next chat answers with ``server.script(...)``: a ``Reply(text=..., stall=..., trickle=...,
status=..., cut=...)`` per request (the last one repeats). ``tags_trickle`` makes ``/api/tags`` send its
body one byte at a time.

Example::

    with FakeOllama(models=["qwen2.5:3b"]) as server:
        server.script(Reply("Guben baut eine Plattform [1]."))
        llm = make_llm("ollama:qwen2.5:3b", host=server.url, timeout=2)
        "".join(llm.stream_chat([{"role": "user", "content": "Was macht Guben?"}]))
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str = ""
    stall: float = 0.0  # seconds to wait before the first line (after the headers)
    trickle: float = 0.0  # send the NDJSON body one byte at a time, this many seconds apart
    status: int = 200  # e.g. 500 for a server error
    cut: bool = False  # stop after half of the pieces without the final "done" line, then close
    piece_delay: float = 0.0
    error: str = ""  # send an {"error": ...} line after half of the pieces (as ollama does mid-stream)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FakeOllama:
    def __init__(self, models: list[str] | None = None, version: str = "0.5.7", tags_trickle: float = 0.0) -> None:
        self.models = list(models if models is not None else ["qwen2.5:3b"])
        self.tags_trickle = tags_trickle
        self.version = version
        self.replies: list[Reply] = [Reply("Guben baut eine digitale Plattform [1].")]
        self.requests: list[dict[str, Any]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    # -- scripting ------------------------------------------------------------------------------
    def script(self, *replies: Reply | str) -> None:
        self.replies = [r if isinstance(r, Reply) else Reply(r) for r in replies]

    def _next(self) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> FakeOllama:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/api/version":
                    self._json(200, {"version": fake.version})
                elif self.path == "/api/tags" and fake.tags_trickle:
                    data = json.dumps({"models": [fake._model_entry(m) for m in fake.models]}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.flush()
                    try:
                        for i in range(len(data)):
                            if fake._stop.wait(fake.tags_trickle):
                                return
                            self.wfile.write(data[i : i + 1])
                            self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                elif self.path == "/api/tags":
                    self._json(200, {"models": [fake._model_entry(m) for m in fake.models]})
                else:
                    self._json(404, {"error": "404 page not found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"path": self.path, "body": body})
                if self.path != "/api/chat":
                    self._json(404, {"error": "404 page not found"})
                    return
                model = body.get("model", "")
                if model not in fake.models:
                    self._json(404, {"error": f'model "{model}" not found, try pulling it first'})
                    return
                reply = fake._next()
                if reply.status != 200:
                    self._json(reply.status, {"error": "llama runner process has terminated: exit status 2"})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                if reply.stall and fake._stop.wait(reply.stall):
                    return
                pieces = [p for p in re.split(r"(?<= )", reply.text) if p]
                if reply.cut or reply.error:
                    pieces = pieces[: max(1, len(pieces) // 2)]
                try:
                    if reply.trickle:
                        lines = [
                            {"model": model, "created_at": _now(), "message": {"role": "assistant", "content": p},
                             "done": False}
                            for p in pieces
                        ] + [{"model": model, "created_at": _now(), "message": {"role": "assistant", "content": ""},
                              "done_reason": "stop", "done": True}]  # fmt: skip
                        data = "".join(json.dumps(x) + "\n" for x in lines).encode()
                        for i in range(len(data)):
                            if fake._stop.wait(reply.trickle):
                                return
                            self.wfile.write(b"1\r\n" + data[i : i + 1] + b"\r\n")
                            self.wfile.flush()
                        self.wfile.write(b"0\r\n\r\n")
                        self.wfile.flush()
                        return
                    for p in pieces:
                        self._chunk(
                            {
                                "model": model,
                                "created_at": _now(),
                                "message": {"role": "assistant", "content": p},
                                "done": False,
                            }
                        )
                        if reply.piece_delay:
                            time.sleep(reply.piece_delay)
                    if reply.error:
                        self._chunk({"error": reply.error})
                        self.wfile.write(b"0\r\n\r\n")
                        self.wfile.flush()
                        return
                    if reply.cut:
                        self.wfile.write(b'5\r\n{"mod\r\n')  # a broken chunk, then the connection closes
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    self._chunk(
                        {
                            "model": model,
                            "created_at": _now(),
                            "message": {"role": "assistant", "content": ""},
                            "done_reason": "stop",
                            "done": True,
                            "total_duration": 1_500_000_000,
                            "load_duration": 20_000_000,
                            "prompt_eval_count": 412,
                            "prompt_eval_duration": 300_000_000,
                            "eval_count": len(pieces),
                            "eval_duration": 1_100_000_000,
                        }
                    )
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _chunk(self, obj: dict[str, Any]) -> None:
                line = (json.dumps(obj) + "\n").encode()
                self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                self.wfile.flush()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-ollama", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _model_entry(self, name: str) -> dict[str, Any]:
        family = name.split(":")[0].rstrip("0123456789.")
        return {
            "name": name,
            "model": name,
            "modified_at": "2026-11-20T10:00:00.000000+01:00",
            "size": 1929912432,
            "digest": "845dbda0ea48ed749caafd9e6037047aa19acfcfd82e704d7ca97d631a0b697e",
            "details": {
                "parent_model": "",
                "format": "gguf",
                "family": family,
                "families": [family],
                "parameter_size": "3.1B",
                "quantization_level": "Q4_K_M",
            },
        }


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
