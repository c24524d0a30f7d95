"""Chroma server calls that end by a total deadline (``RAG_CHROMA_TIMEOUT``), never waiting forever.

chromadb's HTTP client has no timeout at all (``httpx.Client(timeout=None)``): a server that accepts the
connection and never answers, or one stopped with SIGSTOP, would hang the CLI and every worker of the web
app. Here each call runs in a daemon worker thread and the caller waits at most ``timeout`` seconds; then
it gets a German :class:`StoreError`. The worker's socket operations are bounded too (the client's httpx
session gets per-operation timeouts), so a worker left behind ends soon after.

After a call ran into the deadline (or a socket timeout), the server counts as down for ``cooldown``
seconds and calls fail at once: a queue of questions is not held up by one deadline per question. A
refused connection fails fast by itself and does not start the cool-down.

Before chromadb's client is created (its constructor already talks to the server) a plain httpx heartbeat
with the same deadline checks that the server answers at all.

Example::

    >>> server = ChromaServer("http://127.0.0.1:8000", timeout=10)     # doctest: +SKIP
    >>> client = server.connect()                                     # doctest: +SKIP
    >>> server.call(client.list_collections)                          # doctest: +SKIP
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

T = TypeVar("T")
CONNECT_TIMEOUT = 2.0


class StoreError(RuntimeError):
    """The vector store is unreachable or broken (German message)."""


class Unreachable(StoreError):
    """The Chroma server did not answer in time or refused the connection."""


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    import httpx

    return (httpx.TransportError, ConnectionError, TimeoutError)


class ChromaServer:
    """One Chroma server: its URL, the total deadline per call and the cool-down after a failure."""

    def __init__(self, url: str, timeout: float = 10.0, cooldown: float | None = None) -> None:
        self.url = url
        self.timeout = float(timeout)
        self.cooldown = max(2.0, self.timeout) if cooldown is None else float(cooldown)
        self._down_until = 0.0
        self._lock = threading.Lock()

    # -- messages ----------------------------------------------------------------------------------------
    def _timeout_message(self) -> str:
        return (
            f"Der Chroma-Server {self.url} hat nicht innerhalb von {self.timeout:g} s geantwortet; der "
            "Vektorspeicher ist nicht erreichbar. Läuft `chroma run`? Bitte später erneut versuchen."
        )

    def _refused_message(self, exc: BaseException) -> str:
        return f"Chroma-Server {self.url} ist nicht erreichbar. Läuft `chroma run`? ({type(exc).__name__})"

    # -- the breaker -------------------------------------------------------------------------------------
    def _mark_down(self) -> None:
        with self._lock:
            self._down_until = time.monotonic() + self.cooldown

    def _check_up(self) -> None:
        with self._lock:
            down = self._down_until > time.monotonic()
        if down:
            raise Unreachable(
                f"Der Chroma-Server {self.url} hat eben nicht geantwortet; der Vektorspeicher ist nicht "
                "erreichbar. Bitte in einigen Sekunden erneut versuchen."
            )

    # -- calls -------------------------------------------------------------------------------------------
    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a worker thread; ``Unreachable`` at the deadline or on a refused connection.

        Other exceptions of ``fn`` (a Chroma error answer) are raised as they are.
        """
        self._check_up()
        box: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                box["value"] = fn(*args, **kwargs)
            except BaseException as exc:  # handed to the caller
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="chroma-call", daemon=True).start()
        if not done.wait(self.timeout):
            self._mark_down()
            raise Unreachable(self._timeout_message())
        if "error" in box:
            exc = box["error"]
            if isinstance(exc, _unreachable_errors()):
                import httpx

                if isinstance(exc, httpx.TimeoutException | TimeoutError):
                    self._mark_down()  # waited in vain; a refused connection fails fast anyway
                raise Unreachable(self._refused_message(exc)) from exc
            raise exc
        return box["value"]

    def heartbeat(self) -> None:

        import httpx

        """A plain HTTP heartbeat within the deadline (before chromadb's client talks to the server)."""
        self._check_up()
        base = self.url if "://" in self.url else f"http://{self.url}"
        timeout = httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout))

        def beat() -> None:
            with httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False) as client:
                client.get(base.rstrip("/") + "/api/v2/heartbeat").raise_for_status()

        try:
            self.call(beat)
        except httpx.HTTPStatusError as exc:
            raise StoreError(
                f"Chroma-Server {self.url} antwortet nicht wie erwartet (HTTP {exc.response.status_code})."
            ) from exc

    def connect(self, settings: Any) -> Any:

        import httpx

        """A chromadb ``HttpClient`` whose every request has per-operation timeouts; StoreError (German)."""
        import chromadb

        self.heartbeat()
        u = urlparse(self.url if "://" in self.url else f"http://{self.url}")

        def make() -> Any:
            return chromadb.HttpClient(
                host=u.hostname or "127.0.0.1", port=u.port or 8000, ssl=u.scheme == "https", settings=settings
            )

        try:
            client = self.call(make)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(self._refused_message(exc)) from exc
        session = getattr(getattr(client, "_server", None), "_session", None)
        if isinstance(session, httpx.Client):  # chromadb creates it with timeout=None
            session.timeout = httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout))
        return client
