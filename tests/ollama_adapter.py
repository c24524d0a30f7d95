"""Test fixture: a small ollama-API server on 127.0.0.1 in front of an OpenAI-compatible server.

It lets the real model behind ``tests.llm_server`` answer the ollama backend (``RAG_LLM=ollama:…``):
``GET /api/version``, ``GET /api/tags`` (the upstream ``/v1/models``), ``POST /api/chat`` with
``stream: true`` -> upstream ``/v1/chat/completions`` (SSE) -> ollama's NDJSON lines
``{"message": {"role": "assistant", "content": …}, "done": false}`` and a final ``"done": true``.
``options.temperature`` and ``options.num_predict`` are passed on as ``temperature``/``max_tokens``.
An unknown model gives HTTP 404 with ollama's error text; an upstream error its status and message.

Example::

    with OllamaAdapter("http://127.0.0.1:8012/v1") as adapter:
        llm = make_llm("ollama:qwen2.5-coder-0.5b-instruct", host=adapter.url, timeout=300)
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx

UPSTREAM_TIMEOUT = 900.0  # seconds; the backend under test enforces its own deadline


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class OllamaAdapter:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def models(self) -> list[str]:
        data = httpx.get(self.upstream + "/models", timeout=10, trust_env=False).json()
        return [str(m.get("id")) for m in data.get("data", []) if isinstance(m, dict)]

    def start(self) -> OllamaAdapter:
        adapter = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, payload: Any) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/api/version":
                    self._json(200, {"version": "0.0.0-adapter"})
                elif self.path == "/api/tags":
                    models = [{"name": m, "model": m, "modified_at": _now(), "size": 0, "digest": "", "details": {}}
                              for m in adapter.models()]  # fmt: skip
                    self._json(200, {"models": models})
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    request = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self._json(400, {"error": "invalid JSON"})
                    return
                if self.path != "/api/chat":
                    self._json(404, {"error": "not found"})
                    return
                model = str(request.get("model") or "")
                if model not in adapter.models():
                    self._json(404, {"error": f'model "{model}" not found, try pulling it first'})
                    return
                options = request.get("options") or {}
                body: dict[str, Any] = {"model": model, "messages": request.get("messages") or [], "stream": True}
                if "temperature" in options:
                    body["temperature"] = options["temperature"]
                if "num_predict" in options:
                    body["max_tokens"] = options["num_predict"]
                self._relay(model, body)

            def _relay(self, model: str, body: dict[str, Any]) -> None:
                with (
                    httpx.Client(timeout=UPSTREAM_TIMEOUT, trust_env=False) as client,
                    client.stream("POST", adapter.upstream + "/chat/completions", json=body) as response,
                ):
                    if response.status_code >= 400:
                        detail = response.read().decode("utf-8", errors="replace")[:500]
                        self._json(response.status_code, {"error": detail})
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "application/x-ndjson")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for line in response.iter_lines():
                        if not line.startswith("data:"):
                            continue
                        data = line[5:].strip()
                        if data == "[DONE]":
                            break
                        event = json.loads(data)
                        for choice in event.get("choices") or []:
                            piece = (choice.get("delta") or {}).get("content")
                            if piece:
                                self._line({"model": model, "created_at": _now(),
                                            "message": {"role": "assistant", "content": piece}, "done": False})  # fmt: skip
                    self._line({"model": model, "created_at": _now(), "message": {"role": "assistant", "content": ""},
                                "done": True, "done_reason": "stop"})  # fmt: skip
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()

            def _line(self, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode() + b"\n"
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="ollama-adapter", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> OllamaAdapter:
        return self.start()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
