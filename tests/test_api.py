"""The HTTP-API (rag/web/api.py) on the real server: `rag serve --port N` as a subprocess on 127.0.0.1.

Driven with httpx and with the official ``openai`` client (base URL http://127.0.0.1:N/v1, a dummy key).
A few checks of the error paths use FastAPI's in-process TestClient with a fake assistant (no server).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.fields import FIELDS
from rag.types import CATEGORIES, Answer, Similar
from tests.server_process import ServerProcess
from tests.test_app import CORPUS, GUBEN, LINZ, src

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

KLEINSTAEDTE = "Welche Kleinstädte wurden 2021 gefördert?"
TIMEOUT = httpx.Timeout(120.0, connect=5.0)


class RagServe(ServerProcess):
    """`python -m rag.cli serve --port N` (that is `rag serve`) with the session's index, until close()."""

    def __init__(self, assistant: Any, env: dict[str, str] | None = None) -> None:
        super().__init__(
            ["-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port", "{port}"],
            {
                "RAG_DATA_DIR": str(assistant.config.data_dir),
                "RAG_CORPUS_DIR": str(assistant.config.corpus_dir),
                "RAG_EMBEDDER": assistant.config.embedder,
                "RAG_LLM": "",
                **(env or {}),
            },
            name="rag serve",
        )


@pytest.fixture(scope="module")
def server(assistant: Any) -> Iterator[RagServe]:
    s = RagServe(assistant, {"RAG_RATE_LIMIT": "0"})  # this module asks far more than 30 questions a minute;
    s.wait_ready()  # the limit itself: tests/test_shield.py
    yield s
    s.close()


@pytest.fixture(scope="module")
def http(server: RagServe) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
        yield client


def german_error(response: httpx.Response, status: int, *needles: str) -> str:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    detail = body["detail"]
    assert isinstance(detail, str), body
    if response.url.path.startswith("/v1/"):  # plus OpenAI's error object, with the same message
        assert set(body) == {"detail", "error"} and body["error"]["message"] == detail, body
    else:
        assert set(body) == {"detail"}, body
    assert "Traceback" not in response.text and "pydantic" not in response.text
    for needle in needles:
        assert needle in detail, detail
    return str(detail)


def plain(d: dict[str, Any]) -> dict[str, Any]:
    d = json.loads(json.dumps(d, ensure_ascii=False))
    d.pop("timings", None)
    return d


# -- /api/ask -------------------------------------------------------------------------------------


def test_health(http: httpx.Client, assistant: Any) -> None:
    r = http.get("/api/health")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "index": assistant.index.key,
        "chunks": len(assistant.index.chunks),
        "mode": "ohne Sprachmodell (extraktiv)",
    }


def test_ask_is_the_json_of_rag_ask(http: httpx.Client, assistant: Any) -> None:
    r = http.post("/api/ask", json={"question": KLEINSTAEDTE})
    assert r.status_code == 200
    got = r.json()
    assert "Guben" in got["text"] and "Linz am Rhein" in got["text"]
    assert [(s["n"], s["project"], s["page"]) for s in got["sources"][:2]] == [
        (1, "Guben", 31),
        (2, "Linz am Rhein", 32),
    ]
    assert got["mode"] == "strukturiert" and got["answerable"] is True
    assert set(got["projects"]) == {"Guben", "Linz am Rhein"}
    assert "total_ms" in got["timings"]
    # what `rag ask --json` prints: Answer.to_dict() of the same call (timings differ)
    expected = assistant.ask(KLEINSTAEDTE, filters={"category": None, "state": None}).to_dict()
    assert plain(got) == plain(expected)


def test_ask_follow_up_uses_the_history_of_the_request(http: httpx.Client) -> None:
    first = http.post("/api/ask", json={"question": "Was ist das Motto von Guben?"}).json()
    assert "Ein kleiner Schritt für Europa" in first["text"]
    history = [
        {"role": "user", "content": "Was ist das Motto von Guben?"},
        {"role": "assistant", "content": first["text"]},
    ]
    follow = "Und in welchem Bundesland befindet sich die Stadt?"
    r = http.post("/api/ask", json={"question": follow, "history": history})
    assert r.status_code == 200 and "Brandenburg" in r.json()["text"]

    # the next request without history knows nothing of it: nothing is kept between requests
    einbeck = [
        {"role": "user", "content": "Was ist das Motto von Einbeck?"},
        {"role": "assistant", "content": "Das Motto von Einbeck …"},
    ]
    r = http.post("/api/ask", json={"question": follow, "history": einbeck})
    assert "Niedersachsen" in r.json()["text"] and "Brandenburg" not in r.json()["text"]


def test_ask_with_filters(http: httpx.Client) -> None:
    question = "Welche Projekte beschäftigen sich mit Mobilität?"
    r = http.post("/api/ask", json={"question": question, "filters": {"state": "Bayern"}})
    sources = r.json()["sources"]
    assert sources and all("Bayern" in s["states"] for s in sources), sources
    r = http.post("/api/ask", json={"question": question, "filters": {"category": "Mittelstädte", "state": None}})
    answer = r.json()
    assert "Bochum" not in answer["text"] and all(s["category"] == "Mittelstädte" for s in answer["sources"])
    # short forms as on the command line
    r = http.post("/api/ask", json={"question": question, "filters": {"category": "Kleinstädte", "state": "NRW"}})
    assert r.status_code == 200
    for s in r.json()["sources"]:
        assert s["category"] == "Kleinstädte und Landgemeinden" and "Nordrhein-Westfalen" in s["states"]


def test_ask_errors_are_german(http: httpx.Client) -> None:
    german_error(http.post("/api/ask", json={}), 422, "„question“ fehlt")
    german_error(http.post("/api/ask", json={"question": "   "}), 400, "Bitte geben Sie eine Frage ein.")
    german_error(http.post("/api/ask", json={"question": 42}), 422, "„question“ muss ein Text sein")
    german_error(http.post("/api/ask", json={"question": "x" * 2500}), 400, "zu lang")
    german_error(
        http.post("/api/ask", json={"question": "Was plant Guben?", "history": [{"role": "bot", "content": "x"}]}),
        422,
        "„history[0].role“",
    )
    german_error(http.post("/api/ask", json={"question": "Was plant Guben?", "history": "nein"}), 422, "Liste")
    german_error(
        http.post("/api/ask", content=b'{"question": ', headers={"content-type": "application/json"}),
        400,
        "kein gültiges JSON",
    )
    german_error(http.post("/api/ask", json=["Was plant Guben?"]), 422, "JSON-Objekt")
    detail = german_error(
        http.post("/api/ask", json={"question": "Was plant Guben?", "filters": {"category": "Dörfer"}}),
        400,
        "Unbekannte Kategorie „Dörfer“",
    )
    assert all(c in detail for c in CATEGORIES)
    german_error(http.get("/api/ask"), 405, "nicht erlaubt")
    german_error(http.get("/api/gibtsnicht"), 404, "gibt es nicht")


def test_body_limit_413(http: httpx.Client) -> None:
    big = {"question": "Was plant Guben?", "history": [{"role": "user", "content": "x" * 70_000}]}
    german_error(http.post("/api/ask", json=big), 413, "zu groß", "65536 Bytes")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        yield b'{"question": "Was plant Guben?", "history": [{"role": "user", "content": "'
        for _ in range(80):
            yield b"y" * 1000
        yield b'"}]}'

    german_error(http.post("/api/ask", content=chunks(), headers={"content-type": "application/json"}), 413, "zu groß")
    assert http.post("/api/ask", json={"question": "Was plant Guben?"}).status_code == 200  # still serving


# -- /api/projects, /api/similar ------------------------------------------------------------------

PROJECT_KEYS = {"name", "category", "size_class", "states", "title", "motto", "fields", "page"}


def test_projects_and_filters(http: httpx.Client) -> None:
    rows = http.get("/api/projects").json()
    assert len(rows) == 28 and all(set(r) == PROJECT_KEYS for r in rows)
    guben = next(r for r in rows if r["name"] == "Guben")
    assert guben["states"] == ["Brandenburg"] and guben["page"] == 31 and guben["size_class"] == "Größere Kleinstadt"

    names = {r["name"] for r in http.get("/api/projects", params={"land": "NRW"}).json()}
    assert names == {"Bochum", "Münster", "Oberhausen", "Wuppertal", "Detmold", "Kreis Höxter"}
    assert names == {r["name"] for r in http.get("/api/projects", params={"state": "Nordrhein-Westfalen"}).json()}
    small = http.get("/api/projects", params={"kategorie": "Kleinstädte und Landgemeinden"}).json()
    assert [r["name"] for r in small] == ["Guben", "Linz am Rhein"]
    assert http.get("/api/projects", params={"category": "Kleinstädte"}).json() == small
    both = http.get("/api/projects", params={"kategorie": "Großstädte", "land": "Bayern"}).json()
    assert both and all(r["category"] == "Großstädte" and "Bayern" in r["states"] for r in both)
    assert "Regensburg" in {r["name"] for r in both}
    mobil = http.get("/api/projects", params={"handlungsfeld": "Mobilität"}).json()
    assert 0 < len(mobil) < 28 and all("Mobilität" in r["fields"] for r in mobil)
    assert http.get("/api/projects", params={"field": "Mobilität"}).json() == mobil
    assert http.get("/api/projects", params={"land": "Berlin"}).json() == []  # a Land without a 2021 project


def test_projects_errors_list_the_valid_values(http: httpx.Client) -> None:
    detail = german_error(http.get("/api/projects", params={"land": "Mars"}), 400, "Unbekanntes Bundesland „Mars“")
    assert "Bayern" in detail and "Thüringen" in detail
    detail = german_error(http.get("/api/projects", params={"kategorie": "Dorf"}), 400, "Unbekannte Kategorie")
    assert all(c in detail for c in CATEGORIES)
    detail = german_error(http.get("/api/projects", params={"handlungsfeld": "Raumfahrt"}), 400, "Handlungsfeld")
    assert all(f in detail for f in FIELDS)


def test_similar(http: httpx.Client) -> None:
    text = "Wir wollen eine digitale Bürgerbeteiligung für unser Dorf aufbauen"
    r = http.post("/api/similar", json={"text": text, "k": 3})
    assert r.status_code == 200
    results = r.json()
    assert len(results) == 3
    for res in results:
        assert {"project", "score", "reason", "topics", "snippet"} <= set(res)
        assert res["reason"] and isinstance(res["topics"], list)
    assert [x["score"] for x in results] == sorted((x["score"] for x in results), reverse=True)
    r = http.post("/api/similar", json={"text": text, "filters": {"category": "Kleinstädte und Landgemeinden"}})
    assert r.status_code == 200 and 0 < len(r.json()) <= 2
    assert {x["project"] for x in r.json()} <= {"Guben", "Linz am Rhein"}
    assert len(http.post("/api/similar", json={"text": text}).json()) == 5  # k defaults to 5


def test_similar_errors(http: httpx.Client) -> None:
    for k in (0, 11, "3", 2.5, True):
        german_error(http.post("/api/similar", json={"text": "Dorf", "k": k}), 422, "„k“")
    german_error(http.post("/api/similar", json={"text": "Dorf", "k": 0}), 422, "zwischen 1 und 10")
    german_error(http.post("/api/similar", json={"k": 3}), 422, "„text“ fehlt")
    german_error(http.post("/api/similar", json={"text": ""}), 400, "Bitte geben Sie einen Text ein.")
    german_error(http.post("/api/similar", json={"text": "Dorf", "filters": {"state": "Atlantis"}}), 400, "Bundesland")


# -- OpenAI-compatible ----------------------------------------------------------------------------


def chat(http: httpx.Client, messages: list[dict[str, Any]], **extra: Any) -> httpx.Response:
    return http.post("/v1/chat/completions", json={"model": "smartcities-rag", "messages": messages, **extra})


def sse_events(response: httpx.Response) -> list[Any]:
    """The parsed `data:` payloads of a Server-Sent-Events response; "[DONE]" stays a string."""
    events: list[Any] = []
    for block in response.text.split("\n\n"):
        if not block.strip():
            continue
        assert block.startswith("data: "), block
        payload = block[len("data: ") :]
        events.append(payload if payload == "[DONE]" else json.loads(payload))
    return events


def test_models(http: httpx.Client) -> None:
    r = http.get("/v1/models")
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "list" and [m["id"] for m in body["data"]] == ["smartcities-rag"]
    assert body["data"][0]["object"] == "model"


def test_chat_completion(http: httpx.Client) -> None:
    r = chat(http, [{"role": "system", "content": "Du bist hilfreich."}, {"role": "user", "content": KLEINSTAEDTE}])
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "smartcities-rag"
    assert body["id"].startswith("chatcmpl-") and isinstance(body["created"], int)
    (choice,) = body["choices"]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    content = choice["message"]["content"]
    text, _, sources = content.partition("\n\nQuellen:\n")
    assert "Guben" in text and "Linz am Rhein" in text
    assert sources.splitlines()[:2] == ["[1] Guben, S. 31", "[2] Linz am Rhein, S. 32"]


def test_chat_completion_follow_up(http: httpx.Client) -> None:
    first = chat(http, [{"role": "user", "content": "Was ist das Motto von Guben?"}]).json()
    previous = first["choices"][0]["message"]["content"]  # with its "Quellen:" block, as a chat front-end sends it
    r = chat(
        http,
        [
            {"role": "user", "content": "Was ist das Motto von Guben?"},
            {"role": "assistant", "content": previous},
            {"role": "user", "content": [{"type": "text", "text": "Und in welchem Bundesland befindet sich die Stadt?"}]},
        ],
    )
    assert r.status_code == 200 and "Brandenburg" in r.json()["choices"][0]["message"]["content"]


def test_chat_completion_streaming(http: httpx.Client) -> None:
    messages = [{"role": "user", "content": KLEINSTAEDTE}]
    r = chat(http, messages, stream=True)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "smartcities-rag" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    streamed = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert len(chunks) > 3  # the text arrives in pieces
    whole = chat(http, messages).json()["choices"][0]["message"]["content"]
    assert streamed == whole and "\n\nQuellen:\n[1] Guben, S. 31" in streamed


def test_chat_completion_errors(http: httpx.Client) -> None:
    german_error(
        http.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": [{"role": "user", "content": "Hallo"}]}),
        404,
        "Unbekanntes Modell „gpt-4o“",
        "smartcities-rag",
    )
    german_error(http.post("/v1/chat/completions", json={"model": "smartcities-rag", "messages": []}), 422, "leer")
    german_error(http.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "x"}]}), 422, "model")
    german_error(chat(http, [{"role": "assistant", "content": "Hallo"}]), 400, "letzte Nachricht")
    german_error(chat(http, [{"role": "user", "content": ""}]), 400, "Bitte geben Sie eine Frage ein.")
    german_error(chat(http, [{"role": "user", "content": 5}]), 422, "„messages[0].content“")
    german_error(chat(http, [{"role": "user", "content": "Was plant Guben?"}], stream="ja"), 422, "„stream“")


def test_openai_client(server: RagServe) -> None:
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="nicht-noetig", timeout=120, max_retries=0)
    assert [m.id for m in client.models.list()] == ["smartcities-rag"]

    completion = client.chat.completions.create(
        model="smartcities-rag",
        messages=[
            {"role": "user", "content": "Was ist das Motto von Guben?"},
            {"role": "assistant", "content": "Das Motto von Guben lautet „Ein kleiner Schritt für Europa …“ [1]."},
            {"role": "user", "content": "Und in welchem Bundesland befindet sich die Stadt?"},
        ],
    )
    content = completion.choices[0].message.content or ""
    assert "Brandenburg" in content and "Quellen:" in content
    assert completion.choices[0].finish_reason == "stop"

    stream = client.chat.completions.create(
        model="smartcities-rag", messages=[{"role": "user", "content": KLEINSTAEDTE}], stream=True
    )
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    text = "".join(pieces)
    assert len(pieces) > 3 and "Linz am Rhein" in text and "[2] Linz am Rhein, S. 32" in text

    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hallo"}])
    assert "Unbekanntes Modell" in str(err.value)


# -- docs, UI next to it --------------------------------------------------------------------------


def test_docs_and_ui_on_the_same_port(http: httpx.Client) -> None:
    r = http.get("/api/docs")
    assert r.status_code == 200 and "Smart-Cities-Assistent – HTTP-API" in r.text
    spec = http.get("/api/openapi.json").json()
    assert spec["info"]["title"] == "Smart-Cities-Assistent – HTTP-API"
    assert {"/api/ask", "/api/projects", "/api/similar", "/api/health", "/v1/chat/completions", "/v1/models"} <= set(
        spec["paths"]
    )
    page = http.get("/")
    assert page.status_code == 200 and "gradio" in page.text.lower()  # the web app is still there


# -- error paths in-process (no server): a failing assistant, a bad limit -------------------------


class FakeAssistant:
    mode_label = "ohne Sprachmodell (extraktiv)"
    corpus = CORPUS

    def __init__(self, fail: str = "") -> None:
        self.fail = fail

    def ask(self, question: str, history: Any = None, filters: Any = None) -> Answer:
        if self.fail == "ask":
            raise RuntimeError("kaputt: Traceback (most recent call last)")
        return Answer("Guben [1]", (src(1, GUBEN, "Guben …"),), mode="extraktiv")

    def ask_stream(self, question: str, history: Any = None, filters: Any = None) -> Iterator[str | Answer]:
        yield "Ein Teil der Antwort\n"
        if self.fail == "stream":
            raise RuntimeError("mitten im Streamen")
        yield Answer("Ein Teil der Antwort\n", (src(1, LINZ, "Linz …"),))

    def similar(self, text: str, k: int = 5, filters: Any = None) -> list[Similar]:
        raise RuntimeError("kaputt")

    def projects(self, category: str | None = None, state: str | None = None) -> list[Any]:
        return list(CORPUS.projects)


def test_internal_errors_are_german_500() -> None:
    from fastapi.testclient import TestClient

    from rag.web.api import create_api

    with TestClient(create_api(FakeAssistant(fail="ask")), raise_server_exceptions=False) as client:
        german_error(client.post("/api/ask", json={"question": "Was plant Guben?"}), 500, "Interner Fehler")
        german_error(client.post("/api/similar", json={"text": "Dorf"}), 500, "Interner Fehler")
        r = client.post(
            "/v1/chat/completions", json={"model": "smartcities-rag", "messages": [{"role": "user", "content": "x"}]}
        )
        german_error(r, 500, "Interner Fehler")
    with TestClient(create_api(FakeAssistant(fail="stream"))) as client:
        r = client.post(
            "/v1/chat/completions",
            json={
                "model": "smartcities-rag",
                "stream": True,
                "messages": [{"role": "user", "content": "Was plant Guben?"}],
            },
        )
        events = sse_events(r)
        text = "".join(e["choices"][0]["delta"].get("content") or "" for e in events[:-1])
        assert events[-1] == "[DONE]" and "Ein Teil der Antwort" in text and "Interner Fehler" in text
        assert "Traceback" not in r.text and "mitten im Streamen" not in r.text


def test_small_limit_and_bad_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from rag.config import ConfigError
    from rag.web.api import create_api

    monkeypatch.setenv("RAG_API_MAX_BYTES", "100")
    with TestClient(create_api(FakeAssistant())) as client:
        assert client.post("/api/ask", json={"question": "Was plant Guben?"}).status_code == 200
        german_error(client.post("/api/ask", json={"question": "Guben " * 30}), 413, "höchstens 100 Bytes")
    monkeypatch.setenv("RAG_API_MAX_BYTES", "viel")
    with pytest.raises(ConfigError, match="RAG_API_MAX_BYTES"):
        create_api(FakeAssistant())
