"""HTTP-API neben der Web-App (FastAPI), von ``rag serve`` auf demselben Port bereitgestellt.

Endpunkte (alle Antworten JSON, Fehler als ``{"detail": "<deutsche Meldung>"}``):

* ``POST /api/ask`` – ``{"question", "history"?, "filters"?}`` → genau das JSON von ``rag ask --json``
  (:meth:`rag.types.Answer.to_dict`).
* ``GET /api/projects`` – Filter ``kategorie``/``category``, ``land``/``state``, ``handlungsfeld``/``field``.
* ``POST /api/similar`` – ``{"text", "k"? (1–10), "filters"?}`` → vergleichbare Projekte mit Begründung.
* ``GET /api/health`` – Status, Index-Schlüssel, Anzahl Abschnitte, Antwortmodus.
* ``POST /v1/chat/completions`` und ``GET /v1/models`` – OpenAI-kompatibel (Modell ``smartcities-rag``),
  auch gestreamt (SSE); die Antwort endet mit einem Block „Quellen:“.
* ``GET /api/docs`` – deutsche Dokumentationsseite aus dem OpenAPI-Schema (:mod:`rag.web.docs`, ohne
  Skripte und ohne Dateien von außen); das Schema unter ``GET /api/openapi.json``.

Jede Anfrage bringt ihren Verlauf selbst mit; der Server hält keinen Zustand zwischen Anfragen. Anfragen
über ``RAG_MAX_BODY_BYTES`` (Standard 64 KB) werden mit 413 abgewiesen; kein Fehler zeigt einen Traceback.

Einbindung: :func:`api_route` liefert eine Starlette-Route, die alles unter ``/api/`` und ``/v1/`` an die
API-App weiterreicht; :func:`rag.web.app.launch` gibt sie Gradio beim Start mit (``app_kwargs``), sodass
sie vor Gradios eigenen Routen steht.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import asdict
from http import HTTPStatus
from typing import Any, Literal, Protocol, TypeVar

import anyio
from fastapi import FastAPI, HTTPException, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.config import Config
from rag.fields import FIELDS
from rag.german import fold
from rag.guard import check_question
from rag.parse import BUNDESLAENDER
from rag.types import CATEGORIES, Answer, Corpus, Project, Similar
from rag.web.docs import DOCS_POLICY, docs_html

log = logging.getLogger("rag.api")

MODEL_ID = "smartcities-rag"
MODEL_CREATED = 1735689600  # 2025-01-01, fixed: the "model" does not change with each start
PREFIXES = ("/api", "/v1")
DEFAULT_MAX_BYTES = 64 * 1024
MAX_HISTORY = 12  # messages (6 turns), as in `rag chat`
CONCURRENCY = 2  # assistant calls at once, like the web app's queue
SOURCES_HEADING = "Quellen:"

INTERNAL = (
    "Interner Fehler bei der Bearbeitung der Anfrage. Bitte versuchen Sie es erneut; Details stehen im Server-Log."
)


class ApiAssistant(Protocol):
    """What the API needs from :class:`rag.assistant.Assistant` (see docs/CONTRACT.md)."""

    @property
    def corpus(self) -> Corpus: ...

    @property
    def mode_label(self) -> str: ...

    def ask(
        self, question: str, history: list[dict[str, str]] | None = None, filters: dict[str, Any] | None = None
    ) -> Answer: ...

    def ask_stream(
        self, question: str, history: list[dict[str, str]] | None = None, filters: dict[str, Any] | None = None
    ) -> Iterator[str | Answer]: ...

    def similar(self, text: str, k: int = 5, filters: dict[str, Any] | None = None) -> list[Similar]: ...

    def projects(self, category: str | None = None, state: str | None = None) -> list[Project]: ...


# -- request and response models ------------------------------------------------------------------


class Turn(BaseModel):
    role: Literal["user", "assistant"] = Field(description="„user“ (Frage) oder „assistant“ (Antwort)")
    content: str = Field(description="Text der Nachricht")


class Filters(BaseModel):
    category: str | None = Field(None, description=f"Kategorie, eine von: {', '.join(CATEGORIES)}")
    state: str | None = Field(None, description="Bundesland, z. B. „Bayern“ oder „NRW“")


class AskRequest(BaseModel):
    question: str = Field(description="Die Frage (höchstens 2000 Zeichen)", examples=["Was plant Guben?"])
    history: list[Turn] = Field(default_factory=list, description="Bisheriger Verlauf dieses Gesprächs (optional)")
    filters: Filters | None = Field(None, description="Suche auf Kategorie/Bundesland einschränken (optional)")


class SimilarRequest(BaseModel):
    text: str = Field(description="Beschreibung des eigenen Vorhabens", examples=["Digitale Bürgerbeteiligung im Dorf"])
    k: int = Field(5, ge=1, le=10, strict=True, description="Anzahl Ergebnisse (1–10)")
    filters: Filters | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str = Field("", description="Text oder Liste von Textteilen")

    @field_validator("content", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(p, dict) for p in value):
            return "\n".join(str(p.get("text") or "") for p in value if p.get("type") == "text")
        raise ValueError('muss ein Text oder eine Liste von Textteilen ({"type": "text", "text": …}) sein')


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens … are accepted and ignored

    model: str = Field(description=f"Immer „{MODEL_ID}“", examples=[MODEL_ID])
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = Field(False, strict=True)


class ProjectOut(BaseModel):
    name: str
    category: str
    size_class: str
    states: list[str]
    title: str
    motto: str
    fields: list[str]
    page: int


class SimilarOut(BaseModel):
    project: str
    category: str
    states: list[str]
    page: int
    score: float
    reason: str
    topics: list[str]
    snippet: str


class Health(BaseModel):
    status: str
    index: str
    chunks: int
    mode: str


# -- German errors --------------------------------------------------------------------------------


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    out = ""
    for part in loc:
        if part in ("body", "query"):
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_TYPE_MESSAGES = {
    "string_type": "muss ein Text sein",
    "int_type": "muss eine ganze Zahl sein",
    "int_parsing": "muss eine ganze Zahl sein",
    "int_from_float": "muss eine ganze Zahl sein",
    "bool_type": "muss true oder false sein",
    "bool_parsing": "muss true oder false sein",
    "list_type": "muss eine Liste sein",
    "dict_type": "muss ein JSON-Objekt sein",
    "model_type": "muss ein JSON-Objekt sein",
    "model_attributes_type": "muss ein JSON-Objekt sein",
    "too_short": "darf nicht leer sein",
}


def german_validation(errors: list[dict[str, Any]] | Any) -> tuple[int, str]:
    """Pydantic's errors -> (status, one German sentence naming the fields)."""
    parts: list[str] = []
    for err in list(errors)[:5]:
        kind = str(err.get("type", ""))
        field = _where(err.get("loc", ()))
        ctx = err.get("ctx") or {}
        if kind == "json_invalid":
            return 400, "Der Anfragekörper ist kein gültiges JSON."
        if kind == "missing":
            parts.append(f"das Feld „{field}“ fehlt" if field else "der Anfragekörper (JSON) fehlt")
            continue
        if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            what = (
                "„k“ muss zwischen 1 und 10 liegen"
                if field == "k"
                else f"„{field}“ liegt außerhalb des erlaubten Bereichs"
            )
            parts.append(what)
            continue
        if kind == "literal_error":
            expected = str(ctx.get("expected", "")).replace(" or ", " oder ")
            parts.append(f"„{field}“ muss einer dieser Werte sein: {expected}")
            continue
        if kind == "value_error":
            parts.append(f"„{field}“ {ctx.get('error', 'ist ungültig')}")
            continue
        message = _TYPE_MESSAGES.get(kind, "ist ungültig")
        parts.append(f"„{field}“ {message}" if field else f"der Anfragekörper {message}")
    if not parts:
        return 422, "Ungültige Anfrage."
    text = "; ".join(dict.fromkeys(parts))
    return 422, f"Ungültige Anfrage: {text[0].upper()}{text[1:]}."


def _bad(message: str, status: int = 400) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


def resolve_category(value: str | None) -> str | None:
    """``None``/""/"Alle" -> None; otherwise the category ``value`` names (exact or a unique part)."""
    v = fold((value or "").strip())
    if not v or v == "alle":
        return None
    exact = [c for c in CATEGORIES if fold(c) == v]
    hits = exact or ([c for c in CATEGORIES if v in fold(c)] if len(v) >= 3 else [])
    if len(hits) == 1:
        return hits[0]
    raise _bad(f"Unbekannte Kategorie „{value}“. Möglich sind: {', '.join(CATEGORIES)}.")


def resolve_state(value: str | None) -> str | None:
    import re

    from rag.cues import STATE_PATTERNS

    v = fold((value or "").strip())
    if not v or v == "alle":
        return None
    for state, pattern in STATE_PATTERNS.items():
        if v == fold(state) or re.fullmatch(pattern, v):
            return state
    raise _bad(f"Unbekanntes Bundesland „{value}“. Möglich sind: {', '.join(BUNDESLAENDER)}.")


def resolve_field(value: str | None) -> str | None:
    v = fold((value or "").strip())
    if not v or v == "alle":
        return None
    exact = [f for f in FIELDS if fold(f) == v]
    hits = exact or ([f for f in FIELDS if fold(f).startswith(v)] if len(v) >= 3 else [])
    if len(hits) == 1:
        return hits[0]
    raise _bad(f"Unbekanntes Handlungsfeld „{value}“. Möglich sind: {', '.join(FIELDS)}.")


def _filters(f: Filters | None) -> dict[str, str | None]:
    return {
        "category": resolve_category(f.category if f else None),
        "state": resolve_state(f.state if f else None),
    }


def _question(text: str, what: str = "Frage") -> str:
    problem = check_question(text)
    if problem:
        if what != "Frage":
            problem = problem.replace("eine Frage", "einen Text").replace("Die Frage", f"Der {what}")
        raise _bad(problem)
    return text.strip()


# -- OpenAI-compatible text -----------------------------------------------------------------------


def sources_block(answer: Answer) -> str:
    """The German "Quellen:" block appended to the answer text (one line per source: its label)."""
    if not answer.sources:
        return ""
    return f"\n\n{SOURCES_HEADING}\n" + "\n".join(s.label() for s in answer.sources)


def completion_text(answer: Answer) -> str:
    text = answer.text.rstrip()
    if answer.notice:
        text += f"\n\n{answer.notice}"
    return text + sources_block(answer)


def strip_sources(text: str) -> str:
    """An earlier assistant message without the "Quellen:" block this API appended to it."""
    head, sep, _ = text.rpartition(f"\n\n{SOURCES_HEADING}\n")
    return head if sep else text


def chat_input(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """(question, history): the last message must be the user's; earlier user/assistant turns are history."""
    last = messages[-1]
    if last.role != "user":
        raise _bad("Die letzte Nachricht muss vom Nutzer stammen (role „user“).")
    history = [
        {"role": m.role, "content": strip_sources(m.content) if m.role == "assistant" else m.content}
        for m in messages[:-1]
        if m.role in ("user", "assistant") and m.content.strip()
    ]
    return _question(last.content), history[-MAX_HISTORY:]


def _chunk(cid: str, created: int, delta: dict[str, Any], finish: str | None = None) -> str:
    body = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


# -- body limit and error guard (pure ASGI) -------------------------------------------------------


def error_body(path: str, status: int, detail: str) -> dict[str, Any]:
    """``{"detail": …}``; under /v1 also OpenAI's ``{"error": {"message": …}}``, which OpenAI clients show."""
    body: dict[str, Any] = {"detail": detail}
    if path == "/v1" or path.startswith("/v1/"):
        kind = "server_error" if status >= 500 else "invalid_request_error"
        code = "model_not_found" if status == 404 and "Modell" in detail else None
        body["error"] = {"message": detail, "type": kind, "param": None, "code": code}
    return body


async def _send_json(scope: Scope, send: Send, status: int, detail: str) -> None:
    body = json.dumps(error_body(str(scope.get("path", "")), status, detail), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(size: int | None, limit: int) -> str:
    got = f"{size} Bytes" if size is not None else f"mehr als {limit} Bytes"
    return f"Die Anfrage ist zu groß ({got}); erlaubt sind höchstens {limit} Bytes."


class BodyLimit:
    """Reads the whole request body first (at most ``limit`` bytes, else 413) and replays it to the app."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                await _send_json(scope, send, 400, "Ungültige Angabe Content-Length.")
                return
            if size > self.limit:
                await _send_json(scope, send, 413, _too_large(size, self.limit))
                return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.limit:
                await _send_json(scope, send, 413, _too_large(None, self.limit))
                return
            more = bool(message.get("more_body", False))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class Guard:
    """Any exception that got this far: a German 500 (or, mid-response, a closed response), never a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.error("API request failed: %s", scope.get("path"), exc_info=True)
            if scope["type"] == "http" and not started:
                await _send_json(scope, send, 500, INTERNAL)


def max_bytes_from_env() -> int:
    """``RAG_MAX_BODY_BYTES`` (older name ``RAG_API_MAX_BYTES``), checked by :class:`rag.config.Config`."""
    return Config.from_env().max_body_bytes


# -- the app --------------------------------------------------------------------------------------

T = TypeVar("T")

DESCRIPTION = """
HTTP-API des Frage-Antwort-Assistenten zur Broschüre „Modellprojekte Smart Cities 2021“.

* **Fragen** – `POST /api/ask` liefert die Antwort mit Quellen (Projekt, Seite) als JSON, wie `rag ask --json`.
  Rückfragen funktionieren, wenn der bisherige Verlauf als `history` mitgeschickt wird.
* **Projekte** – `GET /api/projects` listet die 28 Projekte, filterbar nach Kategorie, Bundesland, Handlungsfeld.
* **Vergleichbare Projekte** – `POST /api/similar` reiht Projekte zu einer Vorhabensbeschreibung.
* **OpenAI-kompatibel** – `POST /v1/chat/completions` (Modell `smartcities-rag`, auch gestreamt) und
  `GET /v1/models`, z. B. für Chat-Oberflächen.

Fehler kommen als `{"detail": "<deutsche Meldung>"}`.
"""


def create_api(assistant: ApiAssistant, *, max_bytes: int | None = None) -> FastAPI:
    """The FastAPI app on top of ``assistant`` (paths include ``/api`` and ``/v1``)."""
    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    app = FastAPI(
        title="Smart-Cities-Assistent – HTTP-API",
        description=DESCRIPTION,
        version="1.0",
        docs_url=None,  # FastAPI's Swagger page loads its scripts from a CDN: see docs() below
        redoc_url=None,
        openapi_url="/api/openapi.json",
        openapi_tags=[
            {"name": "Fragen", "description": "Fragen an die Broschüre stellen"},
            {"name": "Projekte", "description": "Die 28 Modellprojekte 2021 und vergleichbare Projekte"},
            {"name": "OpenAI-kompatibel", "description": "Für OpenAI-Clients und Chat-Oberflächen"},
            {"name": "Status", "description": "Zustand des Servers"},
        ],
    )
    app.add_middleware(BodyLimit, limit=limit)
    app.add_middleware(Guard)
    limiter: list[Any] = []  # created lazily inside the event loop

    async def run(fn: Callable[..., T], *args: Any) -> T:
        if not limiter:
            limiter.append(anyio.CapacityLimiter(CONCURRENCY))
        try:
            return await anyio.to_thread.run_sync(fn, *args, limiter=limiter[0])
        except HTTPException:
            raise
        except Exception as exc:
            log.error("assistant call failed", exc_info=True)
            raise HTTPException(status_code=500, detail=INTERNAL) from exc

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, message = german_validation(exc.errors())
        return JSONResponse(error_body(request.url.path, status, message), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"Diesen Endpunkt gibt es nicht: {request.url.path}. Übersicht: /api/docs"
        elif exc.status_code == 405:
            detail = f"Die Methode {request.method} ist für {request.url.path} nicht erlaubt."
        elif not isinstance(detail, str) or detail == HTTPStatus(exc.status_code).phrase:  # Starlette's English
            detail = f"Die Anfrage konnte nicht bearbeitet werden (HTTP {exc.status_code})."
        body = error_body(request.url.path, exc.status_code, str(detail))
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    # -- /api ------------------------------------------------------------------------------------
    @app.post("/api/ask", tags=["Fragen"], summary="Frage stellen")
    async def ask(req: AskRequest) -> JSONResponse:
        """Beantwortet eine Frage; die Antwort ist genau das JSON von `rag ask --json` (Text, Quellen, Modus …)."""
        question = _question(req.question)
        filters = _filters(req.filters)
        history = [{"role": t.role, "content": t.content} for t in req.history][-MAX_HISTORY:]
        answer = await run(assistant.ask, question, history, filters)
        return JSONResponse(answer.to_dict())

    @app.get("/api/projects", tags=["Projekte"], summary="Projekte auflisten", response_model=list[ProjectOut])
    async def projects(
        kategorie: str | None = Query(None, description="Kategorie, z. B. „Großstädte“ oder „Kleinstädte“"),
        category: str | None = Query(None, description="wie kategorie"),
        land: str | None = Query(None, description="Bundesland, z. B. „Bayern“ oder „NRW“"),
        state: str | None = Query(None, description="wie land"),
        handlungsfeld: str | None = Query(None, description="Handlungsfeld, z. B. „Mobilität“"),
        field: str | None = Query(None, description="wie handlungsfeld"),
    ) -> list[dict[str, Any]]:
        """Die 28 Modellprojekte 2021, optional gefiltert."""
        cat = resolve_category(kategorie or category)
        st = resolve_state(land or state)
        fld = resolve_field(handlungsfeld or field)
        rows = await run(assistant.projects, cat, st)
        return [
            {
                "name": p.name,
                "category": p.category,
                "size_class": p.size_class,
                "states": list(p.states),
                "title": p.title,
                "motto": p.motto,
                "fields": list(p.fields),
                "page": p.page,
            }
            for p in rows
            if not fld or fld in p.fields
        ]

    @app.post("/api/similar", tags=["Projekte"], summary="Vergleichbare Projekte", response_model=list[SimilarOut])
    async def similar(req: SimilarRequest) -> list[dict[str, Any]]:
        """Reiht die Projekte, die einer Vorhabensbeschreibung am ähnlichsten sind, mit Begründung."""
        text = _question(req.text, "Text")
        filters = _filters(req.filters)
        results = await run(assistant.similar, text, req.k, filters)
        return [asdict(r) for r in results]

    @app.get("/api/health", tags=["Status"], summary="Status", response_model=Health)
    async def health() -> dict[str, Any]:
        """Ob der Server bereit ist, welcher Index geladen ist und in welchem Modus er antwortet."""
        index = getattr(assistant, "index", None)
        chunks = getattr(index, "chunks", None) or []
        return {
            "status": "ok",
            "index": str(getattr(index, "key", "")),
            "chunks": len(chunks),
            "mode": assistant.mode_label,
        }

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(docs_html(app.openapi()), headers={"Content-Security-Policy": DOCS_POLICY})

    # -- /v1 (OpenAI) ----------------------------------------------------------------------------
    def model_card() -> dict[str, Any]:
        return {"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "smartcities-rag"}

    @app.get("/v1/models", tags=["OpenAI-kompatibel"], summary="Modelle")
    async def models() -> dict[str, Any]:
        """Das eine Modell dieses Servers: `smartcities-rag`."""
        return {"object": "list", "data": [model_card()]}

    @app.get("/v1/models/{model}", tags=["OpenAI-kompatibel"], summary="Modell")
    async def model(model: str) -> dict[str, Any]:
        if model != MODEL_ID:
            raise _bad(f"Unbekanntes Modell „{model}“. Verfügbar ist nur „{MODEL_ID}“.", 404)
        return model_card()

    @app.post("/v1/chat/completions", tags=["OpenAI-kompatibel"], summary="Chat-Antwort", response_model=None)
    async def chat(req: ChatRequest) -> JSONResponse | StreamingResponse:
        """Die letzte Nutzernachricht ist die Frage, frühere Nachrichten sind der Verlauf; die Antwort endet
        mit „Quellen:“. Mit `"stream": true` als Server-Sent Events (`chat.completion.chunk`, am Ende
        `data: [DONE]`)."""
        if req.model != MODEL_ID:
            raise _bad(f"Unbekanntes Modell „{req.model}“. Verfügbar ist nur „{MODEL_ID}“.", 404)
        question, history = chat_input(req.messages)
        cid = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        if not req.stream:
            answer = await run(assistant.ask, question, history, None)
            return JSONResponse(
                {
                    "id": cid,
                    "object": "chat.completion",
                    "created": created,
                    "model": MODEL_ID,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": completion_text(answer)},
                            "finish_reason": "stop",
                        }
                    ],
                }
            )
        return StreamingResponse(
            stream_events(assistant, question, history, cid, created, run),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return app


async def stream_events(
    assistant: ApiAssistant,
    question: str,
    history: list[dict[str, str]],
    cid: str,
    created: int,
    run: Callable[..., Any],
) -> AsyncIterator[str]:
    """SSE for one streamed chat completion: role, text pieces, "Quellen:", finish, ``[DONE]``."""
    yield _chunk(cid, created, {"role": "assistant", "content": ""})
    streamed = ""
    final: Answer | None = None
    done = object()
    try:
        pieces = await run(lambda: iter(assistant.ask_stream(question, history, None)))
        while True:
            piece = await run(next, pieces, done)
            if piece is done:
                break
            if isinstance(piece, Answer):
                final = piece
                continue
            streamed += str(piece)
            yield _chunk(cid, created, {"content": str(piece)})
    except Exception:  # the status line is sent: end the answer with a German message instead
        log.error("streamed answer failed", exc_info=True)
        yield _chunk(cid, created, {"content": f"\n\n{INTERNAL}"})
    if final is not None:
        full = completion_text(final)
        if full.startswith(streamed):
            rest = full[len(streamed) :]
        elif streamed.rstrip() == final.text.rstrip():
            rest = full[len(final.text.rstrip()) :]
        else:  # the language model fell back: the answer that counts follows
            rest = ("\n\n---\n" if streamed.strip() else "") + full
        if rest:
            yield _chunk(cid, created, {"content": rest})
    yield _chunk(cid, created, {}, "stop")
    yield "data: [DONE]\n\n"


class ApiRoute(BaseRoute):
    """Hands every HTTP request under ``/api/`` and ``/v1/`` to ``app``, the path unchanged."""

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...] = PREFIXES) -> None:
        self.app = app
        self.prefixes = prefixes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            path = str(scope.get("path", ""))
            root = str(scope.get("root_path", ""))
            if root and path.startswith(root):
                path = path[len(root) :]
            if any(path == p or path.startswith(p + "/") for p in self.prefixes):
                return Match.FULL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def api_route(assistant: ApiAssistant, *, max_bytes: int | None = None) -> ApiRoute:
    """The route to put in front of the Gradio app's routes (see :func:`rag.web.app.launch`)."""
    return ApiRoute(create_api(assistant, max_bytes=max_bytes))


__all__ = ["MODEL_ID", "ApiRoute", "api_route", "create_api"]
