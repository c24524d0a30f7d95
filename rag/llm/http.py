"""Bounded HTTP for the model backends: every outside call ends by a monotonic deadline.

httpx only knows per-operation timeouts (connect, each read); a server that sends its headers and then
one byte every few seconds never trips them. So the request runs in a daemon worker thread that hands
the body's chunks to the caller through a queue, and the caller waits at most until ``Deadline.end``
(checked with ``time.monotonic`` before and while reading). At the deadline the caller raises
``DeadlineExceeded`` at once and shuts the socket down so that the worker ends too.

Only the given URL is contacted: proxy variables from the environment are ignored (``trust_env=False``)
and redirects are not followed.

Example::

    >>> d = Deadline(2.0)
    >>> 0 < d.remaining() <= 2.0
    True
    >>> list(lines([b'{"a": 1}\\n{"b"', b': 2}\\r\\n', b"tail"]))
    ['{"a": 1}', '{"b": 2}', 'tail']
"""

from __future__ import annotations

import codecs
import contextlib
import queue
import socket
import threading
import time
from collections.abc import Generator, Iterable, Iterator, Mapping
from typing import Any

import httpx

CONNECT_TIMEOUT = 0.75  # a stopped server fails at once
ERROR_BODY_LIMIT = 64_000  # bytes of an error response that are read
LINE_LIMIT = 1_000_000  # characters of one line of a stream (an answer is far shorter)


class Deadline:
    """An absolute point in time (``time.monotonic``) ``seconds`` from now."""

    def __init__(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self.end = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def capped(self, seconds: float) -> Deadline:
        """A deadline ``seconds`` from now, but not later than this one (for a follow-up request)."""
        sub = Deadline(seconds)
        sub.end = min(sub.end, self.end)
        sub.seconds = max(sub.end - time.monotonic(), 0.0)
        return sub


class DeadlineExceeded(Exception):
    """The deadline passed; ``received`` bytes of the body had arrived by then."""

    def __init__(self, received: int) -> None:
        super().__init__(f"deadline exceeded after {received} bytes")
        self.received = received


class ServerStatus(Exception):
    """The server answered with an HTTP error status; ``body`` holds (the start of) its body."""

    def __init__(self, status: int, body: bytes, content_type: str = "") -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.content_type = content_type

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class TooLong(Exception):
    """A line of a stream, or a whole body, was absurdly long."""


def make_client(base_url: str, timeout: float, headers: Mapping[str, str] | None = None) -> httpx.Client:
    """An httpx client for one server: per-operation timeouts, no proxies from the environment."""
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
        headers=dict(headers or {}),
        trust_env=False,
        follow_redirects=False,
    )


def _abort(response: httpx.Response | None) -> None:
    """Wake a worker blocked in ``recv`` on ``response``'s connection (best effort)."""
    if response is None:
        return
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def stream_body(
    client: httpx.Client,
    method: str,
    url: str,
    deadline: Deadline,
    *,
    json: Any = None,
    content_types: list[str] | None = None,
) -> Generator[bytes, None, None]:
    """Yield the body of a 2xx response chunk by chunk as it arrives.

    Raises ``DeadlineExceeded`` when ``deadline`` passes (also while connecting or waiting for the
    headers), ``ServerStatus`` for a 4xx/5xx answer and httpx's own exceptions (``ConnectError``,
    ``ReadTimeout``, ``RemoteProtocolError`` …) as they are. If ``content_types`` is given, the
    response's ``Content-Type`` is appended to it once the headers are in.
    """
    items: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
    stop = threading.Event()
    holder: dict[str, httpx.Response] = {}

    def work() -> None:
        try:
            with client.stream(method, url, json=json) as response:
                holder["response"] = response
                if stop.is_set():
                    return
                ctype = response.headers.get("content-type", "")
                if response.status_code >= 400:
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) >= ERROR_BODY_LIMIT or stop.is_set():
                            break
                    items.put(("status", response.status_code, bytes(body[:ERROR_BODY_LIMIT]), ctype))
                    return
                items.put(("headers", ctype))
                for chunk in response.iter_bytes():
                    if stop.is_set():
                        return
                    items.put(("data", chunk))
            items.put(("end",))
        except BaseException as exc:  # handed to the caller, who decides what it means
            if not stop.is_set():
                items.put(("error", exc))

    worker = threading.Thread(target=work, name="rag-llm-http", daemon=True)
    worker.start()
    received = 0
    try:
        while True:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise DeadlineExceeded(received)
            try:
                item = items.get(timeout=remaining)
            except queue.Empty:
                raise DeadlineExceeded(received) from None
            kind = item[0]
            if kind == "data":
                received += len(item[1])
                yield item[1]
            elif kind == "headers":
                if content_types is not None:
                    content_types.append(item[1])
            elif kind == "end":
                return
            elif kind == "status":
                raise ServerStatus(item[1], item[2], item[3])
            else:
                raise item[1]
    finally:
        stop.set()
        if worker.is_alive():
            _abort(holder.get("response"))


def read_body(client: httpx.Client, url: str, deadline: Deadline, limit: int = 5_000_000) -> bytes:
    """``GET url`` and return the whole body (at most ``limit`` bytes), all within ``deadline``."""
    body = bytearray()
    chunks = stream_body(client, "GET", url, deadline)
    try:
        for chunk in chunks:
            body += chunk
            if len(body) > limit:
                raise TooLong(f"body longer than {limit} bytes")
    finally:
        chunks.close()
    return bytes(body)


def lines(chunks: Iterable[bytes], limit: int = LINE_LIMIT) -> Iterator[str]:
    """The lines (UTF-8, without line ends) of a chunked byte stream; the last one may lack a newline."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    buffer = ""
    for chunk in chunks:
        buffer += decoder.decode(chunk)
        while True:
            end = buffer.find("\n")
            if end < 0:
                break
            yield buffer[:end].rstrip("\r")
            buffer = buffer[end + 1 :]
        if len(buffer) > limit:
            raise TooLong(f"line longer than {limit} characters")
    buffer += decoder.decode(b"", final=True)
    if buffer.strip():
        yield buffer.rstrip("\r")


def seconds_text(seconds: float) -> str:
    """German display of a duration in seconds: ``1`` -> "1", ``0.5`` -> "0,5".

    >>> seconds_text(60.0), seconds_text(1.0), seconds_text(0.5), seconds_text(1.5)
    ('60', '1', '0,5', '1,5')
    """
    if seconds >= 10 or abs(seconds - round(seconds)) < 0.05:
        return f"{seconds:.0f}"
    return f"{seconds:.1f}".replace(".", ",")
