"""The web server's protective layer (rag/web/shield.py): uploads, body size, Host, Origin, rate limit,
full queue, security headers, temporary files.

Fast tests drive :class:`Shield` around a tiny ASGI app in-process; the integration tests start the real
server (web app + API + shield, as ``rag serve`` does, via :func:`rag.web.app.run_server`) with the fake
assistant as a subprocess on 127.0.0.1 (``python -m tests.web_server``), bounded in time.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from rag.web.shield import FEEDBACK, QUESTION, Policy, Shield, TokenBuckets, same_origin, split_host
from tests.server_process import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:7860"
PAGE = '<!doctype html>\n<html\n\tlang="en"><head><script>window.x = 1;</script>\n<SCRIPT src="a.js"></SCRIPT></head></html>'


def german(response: Any, status: int, *needles: str) -> str:
    assert response.status_code == status, (response.status_code, response.text)
    detail = response.json()["detail"]
    assert "Traceback" not in response.text
    for needle in needles:
        assert needle in detail, detail
    return str(detail)


# -- pure helpers -----------------------------------------------------------------------------------


def test_token_bucket_refills_per_minute_and_per_key() -> None:
    now = [0.0]
    buckets = TokenBuckets(3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(20.0)  # 3 a minute: the next token in 20 s
    assert buckets.take("b") == 0.0  # another client has its own bucket
    now[0] = 20.0
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0
    assert TokenBuckets(0).take("a") == 0.0  # 0 = no limit


def test_host_and_origin_parsing() -> None:
    assert split_host("Example.DE:8080") == ("example.de", 8080)
    assert split_host("[::1]:7860") == ("::1", 7860)
    assert split_host("evil.example/x") is None
    assert split_host("user@evil.example") is None
    assert same_origin("http://127.0.0.1:7860", "127.0.0.1:7860")
    assert same_origin("https://assistent.example.de", "assistent.example.de")  # behind a TLS proxy
    assert same_origin("http://127.0.0.1:7860/gradio_api/?x", "127.0.0.1:7860")  # a Referer
    assert not same_origin("http://127.0.0.1:7861", "127.0.0.1:7860")
    assert not same_origin("http://evil.example", "127.0.0.1:7860")
    assert not same_origin("http://assistent.example.de:8080", "assistent.example.de")
    assert not same_origin("null", "127.0.0.1:7860")
    assert not same_origin("file:///tmp/x.html", "127.0.0.1:7860")


def test_allowed_hosts_follow_the_bound_address_and_the_setting() -> None:
    local = Policy.for_address("127.0.0.1")
    assert all(local.host_allowed(h) for h in ("127.0.0.1", "localhost", "::1"))
    assert not local.host_allowed("evil.example") and not local.host_allowed("192.168.1.5")
    lan = Policy.for_address("192.168.1.5", allowed_hosts=(".example.de",))
    assert lan.host_allowed("192.168.1.5") and lan.host_allowed("assistent.example.de")
    assert lan.host_allowed("example.de") and not lan.host_allowed("example.de.evil.example")
    everywhere = Policy.for_address("0.0.0.0")
    assert everywhere.host_allowed("10.1.2.3") and everywhere.host_allowed("fe80::1")  # IP literals: no rebinding
    assert not everywhere.host_allowed("rebind.evil.example")
    assert Policy.for_address("127.0.0.1", allowed_hosts=("*",)).host_allowed("anything.example")


def test_settings_are_checked_in_config() -> None:
    from rag.config import Config, ConfigError

    c = Config.from_env(
        {
            "RAG_MAX_BODY_BYTES": "1000",
            "RAG_ALLOWED_HOSTS": "Assistent.Example.de, [::1]",
            "RAG_RATE_LIMIT": "0",
            "RAG_FEEDBACK_LIMIT": "5",
        }
    )
    assert (c.max_body_bytes, c.allowed_hosts, c.rate_questions, c.rate_feedback) == (
        1000,
        ("assistent.example.de", "::1"),
        0,
        5,
    )
    assert Config.from_env({"RAG_API_MAX_BYTES": "2000"}).max_body_bytes == 2000  # the older name
    for env, name in [
        ({"RAG_MAX_BODY_BYTES": "64k"}, "RAG_MAX_BODY_BYTES muss eine ganze Zahl"),
        ({"RAG_RATE_LIMIT": "-1"}, "RAG_RATE_LIMIT muss eine ganze Zahl"),
        ({"RAG_FEEDBACK_LIMIT": "viele"}, "RAG_FEEDBACK_LIMIT muss eine ganze Zahl"),
        (
            {"RAG_ALLOWED_HOSTS": "https://assistent.example.de"},
            "RAG_ALLOWED_HOSTS: „https://assistent.example.de“ ist kein",
        ),
        ({"RAG_ALLOWED_HOSTS": "assistent.example.de:443"}, "ist kein Hostname"),
    ]:
        with pytest.raises(ConfigError, match=name):
            Config.from_env(env)


# -- the middleware in-process ----------------------------------------------------------------------


class Inner:
    """A tiny app behind the shield: records what it was given; /gradio_api/queue/join can answer 503."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bytes]] = []
        self.queue_full = False

    async def endpoint(self, request: Request) -> Response:
        body = await request.body()
        self.calls.append((request.url.path, body))
        if request.url.path == "/":
            return HTMLResponse(PAGE, headers={"Access-Control-Allow-Origin": "http://evil.example"})
        if request.url.path == "/gradio_api/queue/join" and self.queue_full:
            return JSONResponse({"detail": "Queue is full. Max size is 2 and size is 2."}, status_code=503)
        return JSONResponse({"ok": True, "bytes": len(body)})

    def app(self) -> Starlette:
        paths = ["/", "/api/ask", "/api/health", "/v1/chat/completions", "/gradio_api/queue/join", "/gradio_api/upload"]
        return Starlette(routes=[Route(p, self.endpoint, methods=["GET", "POST"]) for p in paths])


@pytest.fixture
def shielded() -> Iterator[tuple[TestClient, Inner]]:
    inner = Inner()
    policy = Policy.for_address("127.0.0.1", max_body=1000, questions_per_minute=3, feedback_per_minute=2)
    app = Shield(inner.app(), policy, kinds={1: QUESTION, 3: FEEDBACK, "ask": QUESTION})
    with TestClient(app, base_url=BASE) as client:
        yield client, inner


def test_in_process_refusals_are_german_and_never_reach_the_app(shielded: tuple[TestClient, Inner]) -> None:
    client, inner = shielded
    german(client.get("/api/health", headers={"host": "evil.example"}), 400, "Unbekannter Host „evil.example“")
    german(client.post("/gradio_api/upload", files={"files": ("a.txt", b"x")}), 403, "Hochladen")
    german(client.post("/gradio_api/vibe-edit", json={}), 403, "nicht erlaubt")
    german(client.post("/gradio_api/run/ask", json={}), 403, "nicht erlaubt")
    foreign = {"origin": "http://evil.example"}
    german(client.post("/api/ask", json={"question": "x"}, headers=foreign), 403, "fremden Seite", "evil.example")
    german(client.post("/api/ask", json={}, headers={"referer": "http://evil.example/a"}), 403, "fremden Seite")
    german(client.post("/api/ask", json={}, headers={"origin": "null"}), 403, "fremden Seite")
    german(client.post("/api/ask", content=b"x" * 1001), 413, "1001 Bytes", "höchstens 1000 Bytes")
    german(client.post("/api/ask", content=iter([b"x" * 600, b"x" * 600])), 413, "mehr als 1000 Bytes")
    v1 = client.post("/v1/chat/completions", content=b"x" * 2000)
    assert v1.status_code == 413 and v1.json()["error"]["message"] == v1.json()["detail"]  # OpenAI's format
    assert inner.calls == []
    # what passes: same origin, no origin at all (curl, openai client), a GET with a foreign Origin
    assert client.post("/api/ask", json={}, headers={"origin": BASE}).status_code == 200
    assert client.post("/api/health", json={}).status_code == 200
    assert client.get("/api/health", headers=foreign).status_code == 200
    assert inner.calls[0] == ("/api/ask", b"{}")  # the body reaches the app unchanged


def test_in_process_rate_limit_per_kind_and_client(shielded: tuple[TestClient, Inner]) -> None:
    client, _inner = shielded
    join = "/gradio_api/queue/join"
    assert [client.post("/api/ask", json={}).status_code for _ in range(2)] == [200, 200]
    assert client.post(join, json={"fn_index": 1, "session_hash": "s"}).status_code == 200  # the same bucket
    r = client.post(join, json={"fn_index": 1, "session_hash": "s"})
    german(r, 429, "Zu viele Fragen", "3 pro Minute", "Sekunden")
    assert 1 <= int(r.headers["retry-after"]) <= 20
    assert client.post(join, json={"fn_index": 8, "session_hash": "s"}).status_code == 200  # not limited
    assert [client.post(join, json={"fn_index": 3}).status_code for _ in range(3)] == [200, 200, 429]
    german(client.post(join, json={"fn_index": 3}), 429, "Zu viele Bewertungen", "2 pro Minute")
    assert client.get("/api/health").status_code == 200  # reading is never limited


def test_in_process_headers_nonce_cors_and_queue_full(shielded: tuple[TestClient, Inner]) -> None:
    client, inner = shielded
    page = client.get("/", headers={"accept": "text/html", "accept-encoding": "br"})
    csp = page.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]  # no inline script without the nonce
    assert page.text.count(f'nonce="{nonce.group(1)}"') == 2 and 'lang="de"' in page.text
    assert "access-control-allow-origin" not in page.headers  # the app is same-origin only
    for r in (page, client.get("/api/health"), client.post("/gradio_api/upload")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "same-origin"
    assert client.get("/api/health").headers["content-security-policy"].startswith("default-src 'none'")
    assert client.get("/", headers={"accept": "text/html"}).headers["content-security-policy"] != csp  # fresh nonce

    inner.queue_full = True
    r = client.post("/gradio_api/queue/join", json={"fn_index": 8})
    german(r, 429, "ausgelastet", "erneut versuchen")
    assert "Queue is full" not in r.text and int(r.headers["retry-after"]) > 0


# -- the real server as a subprocess ----------------------------------------------------------------


class WebServer(ServerProcess):
    """``python -m tests.web_server PORT SECONDS QUEUE`` with ``env``; TMPDIR is ``tmp`` (its run directory)."""

    def __init__(self, tmp: Path, env: dict[str, str], seconds: float = 0.0, queue: int = 64) -> None:
        self.tmp = tmp
        super().__init__(
            ["-m", "tests.web_server", "{port}", str(seconds), str(queue)],
            {"RAG_DATA_DIR": str(tmp / "data"), "TMPDIR": str(tmp), "GRADIO_ANALYTICS_ENABLED": "False", **env},
        )
        self.wait_ready()

    def client(self, source: str = "127.0.0.1", **kwargs: Any) -> httpx.Client:
        """A client from the loopback address ``source`` (its own rate-limit bucket)."""
        transport = httpx.HTTPTransport(local_address=source)
        return httpx.Client(base_url=self.url, transport=transport, timeout=httpx.Timeout(60, connect=5), **kwargs)

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    s = WebServer(tmp_path_factory.mktemp("shield"), {"RAG_RATE_LIMIT": "3", "RAG_FEEDBACK_LIMIT": "2"})
    yield s
    s.close()


def _megabytes(n: int) -> Iterator[bytes]:
    chunk = b"x" * (1 << 20)
    for _ in range(n):
        yield chunk


@pytest.mark.integration
def test_upload_is_refused_and_nothing_is_stored(server: WebServer) -> None:
    with server.client() as c:
        german(c.post("/gradio_api/upload", files={"files": ("a.txt", b"hallo")}), 403, "Hochladen")
        r = c.post("/gradio_api/upload", files={"files": ("a.txt", b"x")}, headers={"origin": "http://evil.example"})
        assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    stored = [p for p in server.tmp.rglob("*") if p.is_file() and p.suffix == ".txt"]
    assert stored == []


@pytest.mark.integration
def test_100_mb_bodies_are_refused_without_memory_growth(server: WebServer) -> None:
    with server.client() as c:
        c.get("/api/health")
        before = server.rss_mb()
        length = {"content-length": str(100 << 20), "content-type": "application/json"}
        for path in ("/gradio_api/queue/join", "/api/ask", "/v1/chat/completions"):
            german(c.post(path, content=_megabytes(100), headers=length), 413, "zu groß", "65536 Bytes")
            # without a length: counted while it arrives
            r = c.post(path, content=_megabytes(100), headers={"content-type": "application/json"})
            german(r, 413, "mehr als 65536 Bytes")
        for headers in (length, {"content-type": "multipart/form-data; boundary=x"}):  # refused before reading
            german(c.post("/gradio_api/upload", content=_megabytes(100), headers=headers), 403, "Hochladen")
        after = server.rss_mb()
        assert c.get("/api/health").status_code == 200  # still serving
    print(f"\nRSS des Servers: {before:.0f} MB vor, {after:.0f} MB nach 8 × 100 MB")
    assert after - before < 30, (before, after)


@pytest.mark.integration
def test_foreign_host_and_foreign_origin_are_refused(server: WebServer) -> None:
    with server.client() as c:
        r = c.get("/", headers={"host": "rebind.evil.example", "origin": "http://rebind.evil.example"})
        german(r, 400, "Unbekannter Host")
        assert "access-control-allow-origin" not in r.headers and "access-control-allow-credentials" not in r.headers
        german(c.get("/api/health", headers={"host": "evil.example:7860"}), 400, "Unbekannter Host")
        assert c.get("/", headers={"host": f"localhost:{server.port}"}).status_code == 200
        foreign = {"origin": "http://evil.example"}
        ask = server.fn_index("ask")
        join = {"data": ["Was plant Guben?", "Alle", "Alle", None, None], "fn_index": ask, "session_hash": "fremd1"}
        german(c.post("/gradio_api/queue/join", json=join, headers=foreign), 403, "fremden Seite")
        german(c.post("/api/ask", json={"question": "Was plant Guben?"}, headers=foreign), 403, "fremden Seite")
        german(
            c.post("/api/ask", json={"question": "Was plant Guben?"}, headers={"referer": "http://evil.example/x"}),
            403,
            "fremden Seite",
        )
        assert c.get("/", headers=foreign).status_code == 200  # reading is not state-changing
    with server.client("127.0.0.9") as c:  # an own bucket: these count as questions
        same = {"origin": server.url}
        assert c.post("/api/ask", json={"question": "Was plant Guben?"}, headers=same).status_code == 200
        assert c.post("/api/ask", json={"question": "Was plant Guben?"}).status_code == 200  # no Origin: curl


@pytest.mark.integration
def test_rate_limit_per_client_in_german(server: WebServer) -> None:
    question = {"question": "Welche Kleinstädte wurden gefördert?"}
    with server.client("127.0.0.2") as c, server.client("127.0.0.3") as other:
        codes = [c.post("/api/ask", json=question).status_code for _ in range(3)]
        r = c.post("/api/ask", json=question)
        assert codes == [200, 200, 200]
        german(r, 429, "Zu viele Fragen", "3 pro Minute")
        assert int(r.headers["retry-after"]) >= 1
        chat = {"model": "smartcities-rag", "messages": [{"role": "user", "content": "Was plant Guben?"}]}
        v1 = c.post("/v1/chat/completions", json=chat)
        assert v1.status_code == 429 and "Zu viele Fragen" in v1.json()["error"]["message"]
        assert other.post("/api/ask", json=question).status_code == 200  # another client is not affected
    with server.client("127.0.0.4") as c:  # the web app's queue: questions and ratings
        ask, rate = server.fn_index("ask"), server.fn_index("feedback_gut")
        body = {"data": ["Was plant Guben?", "Alle", "Alle", None, None], "fn_index": ask, "session_hash": "rl1"}
        assert [c.post("/gradio_api/queue/join", json=body).status_code for _ in range(3)] == [200, 200, 200]
        german(c.post("/gradio_api/queue/join", json=body), 429, "Zu viele Fragen")
        fb = {"data": ["", None], "fn_index": rate, "session_hash": "rl1"}
        codes = [c.post("/gradio_api/queue/join", json=fb).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        german(c.post("/gradio_api/queue/join", json=fb), 429, "Zu viele Bewertungen", "2 pro Minute")
        projects = {
            "data": ["", "Alle", "Alle", "Alle"],
            "fn_index": server.fn_index("projects"),
            "session_hash": "rl1",
        }
        assert c.post("/gradio_api/queue/join", json=projects).status_code == 200  # browsing is not limited


@pytest.mark.integration
def test_security_headers_and_docs_without_external_assets(server: WebServer) -> None:
    with server.client() as c:
        page = c.get("/", headers={"accept": "text/html,application/xhtml+xml", "accept-encoding": "gzip, br"})
        assert page.status_code == 200
        csp = page.headers["content-security-policy"]
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)  # type: ignore[union-attr]
        scripts = re.findall(r"<script[^>]*>", page.text, flags=re.IGNORECASE)
        assert scripts and all(f'nonce="{nonce}"' in s for s in scripts)
        assert "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
        docs = c.get("/api/docs")
        assert docs.status_code == 200 and "Frage stellen" in docs.text and '<html lang="de">' in docs.text
        assert "<script" not in docs.text.lower()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs.text)  # nothing from outside
        assert "default-src 'none'" in docs.headers["content-security-policy"]
        for path in ("/api/ask", "/v1/chat/completions", "/api/similar", "/api/projects"):
            assert path in docs.text
        for r in (page, docs, c.get("/api/health"), c.get("/gradio_api/info")):
            assert r.headers["x-content-type-options"] == "nosniff", r.url
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["referrer-policy"] == "same-origin"
            assert "content-security-policy" in r.headers


@pytest.mark.integration
def test_temporary_files_are_removed_when_the_server_stops(tmp_path: Path) -> None:
    s = WebServer(tmp_path, {})
    try:
        runs = [p for p in tmp_path.iterdir() if p.name.startswith("rag-serve-")]
        assert len(runs) == 1 and any(runs[0].rglob("*.csv"))  # the CSV download lives in the run directory
        with s.client() as c:
            body = {"data": ["Guben", "Alle", "Alle", "Alle"], "fn_index": s.fn_index("projects"), "session_hash": "t1"}
            assert c.post("/gradio_api/queue/join", json=body).status_code == 200
    finally:
        s.close()  # SIGTERM, as systemd or `kill` would
    assert s.proc.returncode == 0, "".join(s.lines)[-2000:]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("rag-serve-")]
    assert "Traceback" not in "".join(s.lines)


@pytest.mark.integration
def test_full_queue_answers_in_german(tmp_path: Path) -> None:
    s = WebServer(tmp_path, {"RAG_RATE_LIMIT": "0"}, seconds=3.0, queue=2)
    try:
        ask = s.fn_index("ask")
        results: list[httpx.Response] = []
        lock = threading.Lock()

        def join(i: int) -> None:
            body = {"data": ["Was plant Guben?", "Alle", "Alle", None, None], "fn_index": ask, "session_hash": f"q{i}"}
            with s.client() as c:
                r = c.post("/gradio_api/queue/join", json=body)
            with lock:
                results.append(r)

        threads = [threading.Thread(target=join, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        full = [r for r in results if r.status_code != 200]
        assert len(results) == 10 and full, [r.status_code for r in results]
        for r in full:
            german(r, 429, "ausgelastet", "erneut versuchen")
            assert "Queue is full" not in r.text and r.headers["retry-after"]
    finally:
        s.close()


def test_gradio_handlers_carry_their_rate_kind(tmp_path: Path) -> None:
    from rag.web import app as webapp
    from tests.test_app import FakeAssistant

    demo = webapp.WebApp(FakeAssistant(), feedback_path=tmp_path / "f.jsonl", files_dir=tmp_path).build()
    kinds = webapp.rate_kinds(demo)
    assert kinds["ask"] == QUESTION and kinds["similar"] == QUESTION
    assert kinds["feedback_gut"] == kinds["feedback_schlecht"] == FEEDBACK
    assert FEEDBACK in {kinds[i] for i, f in demo.fns.items() if f.api_name == "on_like"}
    assert "projects" not in kinds and "reset" not in kinds
    json.dumps({str(k): v for k, v in kinds.items()})
