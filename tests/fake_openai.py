"""A scriptable fake OpenAI-compatible server on 127.0.0.1 (random port) for integration tests.

It speaks the wire format of llama.cpp's ``llama-server`` and vLLM: ``GET /v1/models`` ->
``{"object": "list", "data": [{"id", "object": "model", "created", "owned_by"}]}``;
``POST /v1/chat/completions`` with ``"stream": true`` -> ``text/event-stream`` with one
``data: {"id", "object": "chat.completion.chunk", "created", "model", "choices": [{"index": 0,
"delta": {...}, "finish_reason": null}]}`` event per piece, a last chunk with ``"finish_reason": "stop"``
and ``data: [DONE]``; without ``stream`` one ``chat.completion`` object. Errors are
``{"error": {"message", "type", "code"}}`` (an unknown model -> 404, a wrong key -> 401 whose message
echoes the key it got, as OpenAI's own API does).

Script the next chat answers with ``server.script(...)``: a ``Reply(text=..., stall=..., trickle=...,
status=..., cut=..., error=...)`` per request (the last one repeats). ``models_trickle`` makes
``/v1/models`` trickle too. Every request is kept in ``requests`` (path, headers, body).

Example::

    with FakeOpenAI(models=["qwen2.5-3b"], api_key="sk-test") as server:
        server.script(Reply("Guben baut eine Plattform [1]."))
        llm = make_llm("openai:qwen2.5-3b", url=server.url + "/v1", api_key="sk-test", timeout=2)
        "".join(llm.stream_chat([{"role": "user", "content": "Was macht Guben?"}]))
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str = ""
    stall: float = 0.0  # seconds without a single byte after the headers
    header_stall: float = 0.0  # seconds before the status line and headers
    trickle: float = 0.0  # send the event stream one byte at a time, this many seconds apart
    status: int = 200  # e.g. 500 for a server error
    cut: bool = False  # stop after half of the pieces without finish_reason/[DONE], then close
    piece_delay: float = 0.0
    error: str = ""  # an error event after half of the pieces (as vLLM does mid-stream)
    json_only: bool = False  # ignore "stream" and answer with one chat.completion object


class FakeOpenAI:
    def __init__(self, models: list[str] | None = None, api_key: str = "", models_trickle: float = 0.0) -> None:
        self.models = list(models if models is not None else ["qwen2.5-3b-instruct"])
        self.api_key = api_key
        self.models_trickle = models_trickle
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
        """``http://127.0.0.1:PORT`` (the API base URL is ``url + "/v1"``)."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, message: str, kind: str, code: str | None = None) -> None:
                self._json(status, {"error": {"message": message, "type": kind, "param": None, "code": code}})

            def _authorized(self) -> bool:
                if not fake.api_key:
                    return True
                got = self.headers.get("Authorization", "")
                if got == f"Bearer {fake.api_key}":
                    return True
                shown = got.removeprefix("Bearer ") or "(none)"
                self._error(401, f"Incorrect API key provided: {shown}.", "invalid_request_error", "invalid_api_key")
                return False

            def _record(self, body: Any = None) -> None:
                fake.requests.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})

            def do_GET(self) -> None:
                self._record()
                if self.path != "/v1/models":
                    self._error(404, "File Not Found", "not_found_error")
                    return
                if not self._authorized():
                    return
                listing = {
                    "object": "list",
                    "data": [
                        {"id": m, "object": "model", "created": 1732000000, "owned_by": "llamacpp"} for m in fake.models
                    ],
                }
                if fake.models_trickle:
                    data = json.dumps(listing).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.flush()
                    self._trickle(data, fake.models_trickle)
                    return
                self._json(200, listing)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self._record(body)
                if self.path != "/v1/chat/completions":
                    self._error(404, "File Not Found", "not_found_error")
                    return
                if not self._authorized():
                    return
                model = body.get("model", "")
                if model not in fake.models:
                    self._error(404, f"The model `{model}` does not exist.", "NotFoundError", "model_not_found")
                    return
                reply = fake._next()
                if reply.header_stall and fake._stop.wait(reply.header_stall):
                    return
                if reply.status != 200:
                    self._error(reply.status, "llama runner process has terminated: exit status 2", "server_error")
                    return
                pieces = [p for p in re.split(r"(?<= )", reply.text) if p]
                if not body.get("stream") or reply.json_only:
                    self._json(200, self._completion(model, reply.text))
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream; charset=utf-8")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                if reply.stall and fake._stop.wait(reply.stall):
                    return
                if reply.cut or reply.error:
                    pieces = pieces[: max(1, len(pieces) // 2)]
                events = [self._event(model, {"role": "assistant", "content": ""}, None)]
                events += [self._event(model, {"content": p}, None) for p in pieces]
                try:
                    if reply.trickle:
                        events.append(self._event(model, {}, "stop") + b"data: [DONE]\n\n")
                        self._trickle(b"".join(events), reply.trickle, chunked=True)
                        return
                    for event in events:
                        self._chunk(event)
                        if reply.piece_delay:
                            time.sleep(reply.piece_delay)
                    if reply.error:
                        error = {"error": {"message": reply.error, "type": "server_error", "code": 500}}
                        self._chunk(b"data: " + json.dumps(error).encode() + b"\n\n")
                        self.wfile.write(b"0\r\n\r\n")
                        self.wfile.flush()
                        return
                    if reply.cut:
                        self.wfile.write(b'9\r\ndata: {"i\r\n')  # a broken chunk, then the connection closes
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    self._chunk(self._event(model, {}, "stop"))
                    self._chunk(b"data: [DONE]\n\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _event(self, model: str, delta: dict[str, Any], finish: str | None) -> bytes:
                chunk = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                    "system_fingerprint": "b4000-fake",
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
                }
                return b"data: " + json.dumps(chunk).encode() + b"\n\n"

            def _completion(self, model: str, text: str) -> dict[str, Any]:
                return {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 400, "completion_tokens": 20, "total_tokens": 420},
                }

            def _chunk(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _trickle(self, data: bytes, every: float, chunked: bool = False) -> None:
                try:
                    for i in range(len(data)):
                        if fake._stop.wait(every):
                            return
                        byte = data[i : i + 1]
                        if chunked:
                            self._chunk(byte)
                        else:
                            self.wfile.write(byte)
                            self.wfile.flush()
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
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
