"""Protective layer in front of the whole web server (Gradio app and HTTP-API), as pure ASGI middleware.

Every request passes :class:`Shield` before Gradio or the API sees it:

* **Host check** – the ``Host`` header must name the bound address, a loopback name or a name from
  ``RAG_ALLOWED_HOSTS`` (listening on all interfaces also allows IP literals and the machine's name: a
  DNS-rebinding attack always needs a domain name of its own) → otherwise 400.
* **Only the calls the app uses** – uploads (``/gradio_api/upload``) and every other state-changing Gradio
  route except the queue and ``run/predict`` (the example questions) are refused with 403 (the app has no
  upload field; Gradio's direct REST routes for queued functions are closed by ``api_open=False``).
* **Same origin** – a state-changing request (POST, PUT, PATCH, DELETE, and WebSocket handshakes) whose
  ``Origin`` (or, without it, ``Referer``) is another site is refused with 403; a request without either
  (a non-browser client: curl, ``gradio_client``, the ``openai`` client) passes.
* **Body limit** – a ``Content-Length`` above the limit is refused with 413 before anything is read; a body
  without a length is counted while it arrives and refused as soon as it passes the limit. At most
  ``limit`` bytes per request are ever held in memory.
* **Rate limit** – questions (Gradio ``ask``/``similar``, ``/api/ask``, ``/api/similar``,
  ``/v1/chat/completions``) and ratings get a token bucket per client address → 429 with ``Retry-After``.
* **Queue full** – Gradio's English "Queue is full" (503) becomes a German 429 with ``Retry-After``: the
  Gradio page shows the server's message for any status except 503, for which it has an English text.
* **Headers** – ``Content-Security-Policy`` (scripts only from the server itself or with this response's
  nonce, which is added to the page's ``<script>`` tags; no framing), ``X-Content-Type-Options``,
  ``Referrer-Policy``, ``X-Frame-Options``, ``Cross-Origin-Opener-Policy``/``-Resource-Policy``;
  Gradio's CORS headers are removed (the app and the API are same-origin only). Page requests
  (``Accept: text/html``) are served uncompressed so that the nonce can be added (about 100 KB).

All refusals are JSON ``{"detail": "<deutsche Meldung>"}`` (under ``/v1`` also OpenAI's error object).
:func:`rag.web.app.launch` puts the shield outermost when the server starts (see there).
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
import secrets
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.web.api import error_body

QUESTION = "frage"
FEEDBACK = "bewertung"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
ALL_INTERFACES = frozenset({"", "0.0.0.0", "::"})
GRADIO = "/gradio_api"
# the state-changing Gradio routes the app needs (everything else, uploads included, is refused)
GRADIO_POST = re.compile(r"/gradio_api/(queue/join|cancel|reset|run/predict|call/(v2/)?[A-Za-z0-9_]+)/?")
GRADIO_BY_INDEX = re.compile(r"/gradio_api/(queue/join|run/predict)/?")  # the body names the function
GRADIO_NAMED = re.compile(r"/gradio_api/call/(?:v2/)?([A-Za-z0-9_]+)/?")
QUEUE_JOIN = re.compile(r"/gradio_api/(queue/join|call/(v2/)?[A-Za-z0-9_]+)/?")
API_KINDS = {"/api/ask": QUESTION, "/api/similar": QUESTION, "/v1/chat/completions": QUESTION}
MAX_HTML = 8 * 1024 * 1024  # a page larger than this is passed on without a nonce (its inline scripts then fail)
MAX_CLIENTS = 10_000  # token buckets kept; beyond that, full buckets are dropped

F = TypeVar("F", bound=Callable[..., Any])


def rate_kind(kind: str) -> Callable[[F], F]:
    """Mark a Gradio handler as one whose calls the rate limit counts (``QUESTION`` or ``FEEDBACK``)."""

    def mark(fn: F) -> F:
        fn.rate_kind = kind  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass(frozen=True)
class Policy:
    """What the shield allows. ``hosts``: lower-case host names (``*`` = any, ``.example.de`` = subdomains)."""

    max_body: int = 64 * 1024
    hosts: frozenset[str] = LOOPBACK_NAMES
    any_ip: bool = False  # bound to all interfaces: any IP literal is a valid Host
    questions_per_minute: int = 30
    feedback_per_minute: int = 10
    queue_retry_seconds: int = 10

    @classmethod
    def for_address(
        cls,
        host: str,
        *,
        allowed_hosts: tuple[str, ...] = (),
        max_body: int = 64 * 1024,
        questions_per_minute: int = 30,
        feedback_per_minute: int = 10,
    ) -> Policy:
        """The policy for a server bound to ``host`` (the settings come from :class:`rag.config.Config`)."""
        bound = host.strip().strip("[]").lower()
        names = set(LOOPBACK_NAMES) | set(allowed_hosts)
        everywhere = bound in ALL_INTERFACES
        if everywhere:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        elif bound:
            names.add(bound)
        return cls(
            max_body=max_body,
            hosts=frozenset(names),
            any_ip=everywhere,
            questions_per_minute=questions_per_minute,
            feedback_per_minute=feedback_per_minute,
        )

    @classmethod
    def from_config(cls, config: Any, host: str) -> Policy:
        return cls.for_address(
            host,
            allowed_hosts=tuple(config.allowed_hosts),
            max_body=int(config.max_body_bytes),
            questions_per_minute=int(config.rate_questions),
            feedback_per_minute=int(config.rate_feedback),
        )

    def host_allowed(self, name: str) -> bool:
        if "*" in self.hosts or name in self.hosts:
            return True
        if any(h.startswith(".") and (name.endswith(h) or name == h[1:]) for h in self.hosts):
            return True
        if self.any_ip:
            try:
                ipaddress.ip_address(name)
                return True
            except ValueError:
                return False
        return False


@dataclass
class TokenBuckets:
    """One token bucket per key: ``per_minute`` tokens, refilled evenly over a minute (0 = no limit)."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (tokens, time)

    def take(self, key: str) -> float:
        """0 if a token was taken, else the seconds until the next one."""
        if self.per_minute <= 0:
            return 0.0
        now = self.clock()
        rate = self.per_minute / 60.0
        tokens, then = self.buckets.get(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - then) * rate)
        if tokens >= 1.0:
            self.buckets[key] = (tokens - 1.0, now)
            self._prune(now, rate)
            return 0.0
        self.buckets[key] = (tokens, now)
        return (1.0 - tokens) / rate

    def _prune(self, now: float, rate: float) -> None:
        if len(self.buckets) <= MAX_CLIENTS:
            return
        full = [k for k, (t, then) in self.buckets.items() if t + (now - then) * rate >= self.per_minute]
        for k in full:
            del self.buckets[k]


def split_host(value: str) -> tuple[str, int | None] | None:
    """``"Example.de:8080"`` -> ("example.de", 8080); ``"[::1]:7860"`` -> ("::1", 7860); None if malformed."""
    value = value.strip().lower()
    try:
        parts = urlsplit(f"//{value}")
        name, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not name or parts.path or parts.query or parts.username is not None:
        return None
    return name, port


def _origin_of(headers: Mapping[str, str]) -> tuple[str, str | None]:
    """("origin"|"referer"|"", value) – where a browser says the request comes from."""
    if "origin" in headers:
        return "origin", headers["origin"]
    if "referer" in headers:
        return "referer", headers["referer"]
    return "", None


def same_origin(source: str, host: str) -> bool:
    """Whether the URL ``source`` (an Origin or Referer) names the same host and port as the ``Host`` header."""
    try:
        parts = urlsplit(source.strip())
        origin_port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    default = 443 if parts.scheme == "https" else 80
    target = split_host(host)
    if target is None:
        return False
    name, port = target
    return parts.hostname.lower() == name and (origin_port or default) == (port or default)


@dataclass(frozen=True)
class Refusal:
    """A German JSON answer instead of the app's (``headers`` e.g. ``Retry-After``)."""

    status: int
    detail: str
    headers: tuple[tuple[bytes, bytes], ...] = ()

    def messages(self, path: str) -> list[Message]:
        body = json.dumps(error_body(path, self.status, self.detail), ensure_ascii=False).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        return [
            {"type": "http.response.start", "status": self.status, "headers": headers + list(self.headers)},
            {"type": "http.response.body", "body": body},
        ]

    async def send(self, send: Send, path: str) -> None:
        for message in self.messages(path):
            await send(Shield.secure(message, None) if message["type"] == "http.response.start" else message)


UPLOAD_REFUSED = "Das Hochladen von Dateien ist nicht möglich: Diese App nimmt keine Dateien an."
ROUTE_REFUSED = "Diese Anfrage ist hier nicht erlaubt."
HOST_REFUSED = (
    "Unbekannter Host „{host}“: Dieser Server antwortet nur unter seiner eigenen Adresse "
    "(weitere Namen mit RAG_ALLOWED_HOSTS freigeben)."
)
ORIGIN_REFUSED = "Anfrage von einer fremden Seite ({origin}) abgelehnt: Nur die App selbst darf hier Daten senden."
TOO_LARGE = "Die Anfrage ist zu groß ({size}); erlaubt sind höchstens {limit} Bytes."
BAD_LENGTH = "Ungültige Angabe Content-Length."
TOO_MANY = {
    QUESTION: "Zu viele Fragen in kurzer Zeit: Erlaubt sind {n} pro Minute. Bitte in {s} Sekunden erneut versuchen.",
    FEEDBACK: "Zu viele Bewertungen in kurzer Zeit: Erlaubt sind {n} pro Minute. "
    "Bitte in {s} Sekunden erneut versuchen.",
}
QUEUE_FULL = (
    "Der Assistent ist gerade ausgelastet: Zu viele Fragen warten schon auf eine Antwort. "
    "Bitte in {s} Sekunden erneut versuchen."
)


def page_policy(nonce: str | None) -> str:
    """The CSP of an HTML page of the app. Gradio needs inline styles, and ``eval`` for its HTML component's
    templates; inline scripts run only with this response's nonce."""
    scripts = f"'self' 'nonce-{nonce}' 'unsafe-eval'" if nonce else "'self' 'unsafe-eval'"
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; "
        "font-src 'self' data:; "
        "media-src 'self' blob:; "
        "connect-src 'self'; "
        "worker-src 'self' blob:; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
STATIC_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])", re.IGNORECASE)


class Shield:
    """The ASGI middleware (see the module docstring). ``kinds`` maps a Gradio function id or API name to
    ``QUESTION``/``FEEDBACK``; ``clock`` is for tests."""

    def __init__(
        self,
        app: ASGIApp,
        policy: Policy,
        kinds: Mapping[int | str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.policy = policy
        self.kinds = dict(kinds or {})
        self.buckets = {
            QUESTION: TokenBuckets(policy.questions_per_minute, clock),
            FEEDBACK: TokenBuckets(policy.feedback_per_minute, clock),
        }
        self.limits = {QUESTION: policy.questions_per_minute, FEEDBACK: policy.feedback_per_minute}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        root = str(scope.get("root_path", ""))
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        refusal = self.refusal(kind, str(scope.get("method", "GET")).upper(), path, headers)
        if refusal is not None:
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await refusal.send(send, path)
            return
        if kind == "websocket":
            await self.app(scope, receive, send)
            return

        body = await self.read_body(scope, receive, send, path, headers)
        if body is None:
            return
        limited = self.rate_limited(scope, path, body)
        if limited is not None:
            await limited.send(send, path)
            return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        if "text/html" in headers.get("accept", ""):  # a page: uncompressed, so that the nonce can be added
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope.get("headers") or [] if k.lower() != b"accept-encoding"]
        await self.app(scope, replay, self.sender(send, path))

    # -- checks before the app -----------------------------------------------------------------
    def refusal(self, kind: str, method: str, path: str, headers: Mapping[str, str]) -> Refusal | None:
        host = headers.get("host")
        if host is not None:
            parsed = split_host(host)
            if parsed is None or not self.policy.host_allowed(parsed[0]):
                return Refusal(400, HOST_REFUSED.format(host=host[:100]))
        changing = kind == "websocket" or method not in SAFE_METHODS
        if not changing:
            return None
        if path.startswith(GRADIO):
            if path.rstrip("/") == f"{GRADIO}/upload":
                return Refusal(403, UPLOAD_REFUSED)
            if not GRADIO_POST.fullmatch(path):
                return Refusal(403, ROUTE_REFUSED)
        where, source = _origin_of(headers)
        if source is not None and (host is None or not same_origin(source, host)):
            shown = source if where == "origin" else (urlsplit(source).netloc or source)
            return Refusal(403, ORIGIN_REFUSED.format(origin=shown[:100]))
        return None

    async def read_body(
        self, scope: Scope, receive: Receive, send: Send, path: str, headers: Mapping[str, str]
    ) -> bytes | None:
        """The whole body (at most ``max_body`` bytes), or None after answering 413/400 or a disconnect."""
        limit = self.policy.max_body
        length = headers.get("content-length")
        if length is not None:
            try:
                size = int(length)
                if size < 0:
                    raise ValueError
            except ValueError:
                await Refusal(400, BAD_LENGTH).send(send, path)
                return None
            if size > limit:
                await Refusal(413, TOO_LARGE.format(size=f"{size} Bytes", limit=limit)).send(send, path)
                return None
        elif "transfer-encoding" not in headers:
            return b""
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if len(body) > limit:
                await Refusal(413, TOO_LARGE.format(size=f"mehr als {limit} Bytes", limit=limit)).send(send, path)
                return None
            more = bool(message.get("more_body", False))
        return bytes(body)

    def rate_limited(self, scope: Scope, path: str, body: bytes) -> Refusal | None:
        if str(scope.get("method", "GET")).upper() in SAFE_METHODS:
            return None
        kind = API_KINDS.get(path.rstrip("/"))
        if kind is None and path.startswith(GRADIO):
            named = GRADIO_NAMED.fullmatch(path)
            if named:
                kind = self.kinds.get(named.group(1))
            elif GRADIO_BY_INDEX.fullmatch(path):
                try:
                    fn_index = json.loads(body or b"{}").get("fn_index")
                except (ValueError, AttributeError):
                    fn_index = None
                if isinstance(fn_index, int):
                    kind = self.kinds.get(fn_index)
        if kind is None:
            return None
        client = scope.get("client")
        address = str(client[0]) if client else "?"
        wait = self.buckets[kind].take(address)
        if wait <= 0:
            return None
        seconds = max(1, math.ceil(wait))
        detail = TOO_MANY[kind].format(n=self.limits[kind], s=seconds)
        return Refusal(429, detail, ((b"retry-after", str(seconds).encode()),))

    # -- the response --------------------------------------------------------------------------
    def sender(self, send: Send, path: str) -> Send:
        """Adds the headers, gives HTML pages a script nonce, turns a full queue into a German 429."""
        state: dict[str, Any] = {"mode": "pass"}
        joining = bool(QUEUE_JOIN.fullmatch(path))

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers") or [])
                status = int(message["status"])
                if joining and status == 503:
                    state["mode"] = "replaced"
                    seconds = self.policy.queue_retry_seconds
                    full = Refusal(429, QUEUE_FULL.format(s=seconds), ((b"retry-after", str(seconds).encode()),))
                    await full.send(send, path)
                    return
                headers = MutableHeaders(scope=message)
                html = headers.get("content-type", "").startswith("text/html")
                if html and not headers.get("content-encoding") and "content-security-policy" not in headers:
                    state.update(mode="html", start=message, body=bytearray())
                    return
                await send(self.secure(message, None))
                return
            mode = state["mode"]
            if mode == "replaced":
                return
            if mode == "html" and message["type"] == "http.response.body":
                state["body"] += message.get("body", b"")
                if len(state["body"]) > MAX_HTML:  # too large to rewrite: pass on as it is
                    state["mode"] = "pass"
                    await send(self.secure(state["start"], None))
                    await send({"type": "http.response.body", "body": bytes(state["body"]), "more_body": True})
                    if not message.get("more_body", False):
                        await send({"type": "http.response.body", "body": b""})
                    return
                if message.get("more_body", False):
                    return
                nonce = secrets.token_urlsafe(18)
                page = _SCRIPT_TAG.sub(f'<script nonce="{nonce}"'.encode(), bytes(state["body"]))
                page = page.replace(b'<html\n\tlang="en"', b'<html\n\tlang="de"', 1)
                start = state["start"]
                MutableHeaders(scope=start)["content-length"] = str(len(page))
                await send(self.secure(start, nonce))
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        return wrapped

    @staticmethod
    def secure(start: Message, nonce: str | None) -> Message:
        headers = MutableHeaders(scope=start)
        for name in [k for k in headers if k.startswith("access-control-")]:
            del headers[name]
        for key, value in STATIC_HEADERS:
            if key.decode() not in headers:
                headers.append(key.decode(), value.decode())
        if "content-security-policy" not in headers:
            html = headers.get("content-type", "").startswith("text/html")
            headers["content-security-policy"] = page_policy(nonce) if html else OTHER_POLICY
        return start


__all__ = ["FEEDBACK", "QUESTION", "Policy", "Shield", "TokenBuckets", "rate_kind", "same_origin", "split_host"]
