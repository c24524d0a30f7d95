"""Gradio-Web-App zum Frage-Antwort-Assistenten „Modellprojekte Smart Cities 2021“.

Layout (alle sichtbaren Texte deutsch):

* **Fragen** – Chat mit Verlauf (pro Sitzung), Beispielfragen, gestreamten Antworten; unter jeder
  Antwort Quellenkarten (Projekt, Größenklasse, Bundesland, Seite, zitierte Stelle mit <mark>-markierten
  Fragewörtern), auf die die [n]-Marker der Antwort verweisen. Filter Kategorie/Bundesland schränken die
  Suche ein; der Antwortmodus ist sichtbar; 👍/👎 je Antwort wird in eine JSONL-Datei geschrieben
  (Frage, Antwort, Quellen, Zeit – keine IP, keine Header).
* **Projekte** – Tabelle der 28 Projekte, filterbar (Kategorie, Bundesland), durchsuchbar, CSV-Download;
  ein ausgewähltes Projekt zeigt seinen vollen Text.
* **Vergleichbare Projekte** – Beschreibung eines Vorhabens → gereihte vergleichbare Projekte mit Begründung.
* **Übersicht 2019–2021** – alle Modellprojekte der drei Staffeln nach Kategorie, die von 2021 markiert.
* **Über** – Datenquelle, Stand, wie Antworten entstehen, Grenzen.

API (für ``gradio_client``): ``/ask``, ``/feedback_gut``, ``/feedback_schlecht``, ``/projects``,
``/project``, ``/similar``, ``/reset``.

Robustheit: Nutzertext wird vor jeder HTML-/Markdown-Ausgabe maskiert, lange Eingaben werden mit Hinweis
gekürzt, der Verlauf liegt in ``gr.State`` (pro Sitzung, keine globalen Variablen), jeder Handler fängt
Fehler ab und zeigt eine deutsche Meldung statt eines Tracebacks.

Aufbau: :class:`WebApp` hält Assistent, Feedback-Datei und Temp-Verzeichnis; die Gradio-Handler sind ihre
Methoden, :meth:`WebApp.build` baut die Oberfläche. Reine Darstellung: :mod:`rag.web.render`, Feedback:
:mod:`rag.web.feedback`.

Start: ``rag serve`` (ruft :func:`serve`) oder ``python app.py`` (ruft :func:`main`).
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import contextlib
import html
import logging
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import gradio as gr

from rag.fields import FIELDS
from rag.llm.sanitize import preview
from rag.types import CATEGORIES, Answer, Corpus, Project, Similar
from rag.web.api import ApiAssistant, api_route
from rag.web.feedback import FeedbackLog, feedback_record
from rag.web.render import (
    ALL,
    ERROR_MESSAGE,
    TABLE_HEADERS,
    about_markdown,
    answer_markdown,
    clean_input,
    escape_md,
    filter_projects,
    make_filters,
    overview_html,
    project_detail_html,
    render_answer,
    similar_html,
    table_value,
    write_csv,
)
from rag.web.shield import FEEDBACK, QUESTION, Policy, Shield, rate_kind

if TYPE_CHECKING:
    from rag.config import Config

log = logging.getLogger("rag.app")

EXAMPLES = [
    "Welche Kleinstädte wurden 2021 gefördert?",
    "Welche Projekte gibt es in Bayern?",
    "Was plant Guben?",
    "Welche Projekte beschäftigen sich mit Mobilität?",
    "Was sind die Bewertungskriterien?",
]

CSS = """
.quellen { margin-top: .8em; border-top: 1px solid var(--border-color-primary); padding-top: .5em; }
.quellen-titel { font-weight: 600; margin-bottom: .3em; }
.quelle { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .5em .7em;
          margin: .4em 0; background: var(--background-fill-secondary); }
.quelle-kopf { font-size: .92em; }
.quelle-n { font-weight: 700; color: var(--color-accent); }
.quelle-text { margin: .35em 0 0 0; padding-left: .6em; border-left: 3px solid var(--color-accent-soft);
               font-size: .92em; }
.quelle mark, .projekt-text mark { background: #ffe58a; color: inherit; padding: 0 1px; }
a.ref { text-decoration: none; font-weight: 600; }
.hinweis { font-style: italic; opacity: .85; }
.modus { font-size: .85em; opacity: .75; margin: .3em 0 0 0; }
.treffer { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6em .8em; margin: .5em 0; }
.treffer-kopf { font-weight: 600; }
.treffer-meta { font-weight: 400; }
.badge-2021 { background: var(--color-accent); color: white; border-radius: 4px; padding: 0 .35em;
              font-size: .8em; margin-left: .3em; }
.uebersicht li.neu { font-weight: 600; }
"""

JS = "() => { document.documentElement.lang = 'de'; }"
PREVIEW_NOTE = "Entwurf des Sprachmodells – wird noch gegen die Quellen geprüft …"


class AssistantLike(Protocol):
    """What the app needs from :class:`rag.assistant.Assistant` (see docs/CONTRACT.md)."""

    @property
    def corpus(self) -> Corpus: ...

    @property
    def mode_label(self) -> str: ...

    def ask_stream(
        self, question: str, history: list[dict[str, str]] | None = None, filters: dict[str, Any] | None = None
    ) -> Iterator[str | Answer]: ...

    def similar(self, text: str, k: int = 5, filters: dict[str, Any] | None = None) -> list[Similar]: ...

    def projects(self, category: str | None = None, state: str | None = None) -> list[Project]: ...


def _choices(values: Sequence[str]) -> list[str]:
    return [ALL, *values]


class WebApp:
    """The web app on top of ``assistant``: the Gradio handlers are methods, :meth:`build` makes the Blocks.

    Holds only what all sessions share (assistant, feedback file, directory for CSV downloads); every
    per-user value lives in ``gr.State``.
    """

    def __init__(self, assistant: AssistantLike, *, feedback_path: Path, files_dir: Path | None = None) -> None:
        self.assistant = assistant
        self.corpus = assistant.corpus
        self.projects = list(self.corpus.projects)
        self.by_name = {p.name: p for p in self.projects}
        self.states = sorted({s for p in self.projects for s in p.states})
        self.feedback = FeedbackLog(feedback_path)
        self.files_dir = Path(files_dir) if files_dir is not None else Path(tempfile.mkdtemp(prefix="rag-app-"))

    # -- Fragen ---------------------------------------------------------------------------------
    @rate_kind(QUESTION)
    def ask(
        self, question: str, category: str, state: str, messages: list[dict[str, Any]], turns: list[dict[str, Any]]
    ) -> Iterator[tuple[Any, ...]]:
        messages = list(messages or [])
        turns = list(turns or [])
        placeholder: int | None = None
        try:
            text, notice = clean_input(question)
            if not text:
                yield messages, "", messages, turns
                return
            turn = len(turns)
            filters = make_filters(category, state)
            history: list[dict[str, str]] = []
            for t in turns[-6:]:
                history += [{"role": "user", "content": t["question"]}, {"role": "assistant", "content": t["answer"]}]
            messages.append({"role": "user", "content": escape_md(text)})
            messages.append({"role": "assistant", "content": "_Suche in der Broschüre …_"})
            placeholder = len(messages) - 1
            yield messages, "", messages, turns
            pre = f'<p class="hinweis">{html.escape(notice)}</p>\n' if notice else ""
            llm_name = str(getattr(getattr(self.assistant, "llm", None), "name", "") or "")
            if llm_name:  # the model's text is not checked yet: say so, show it without links or control codes
                pre += f'<p class="modus">{html.escape(PREVIEW_NOTE)}</p>\n'
            streamed = ""
            final: Answer | None = None
            last = 0.0
            for piece in self.assistant.ask_stream(text, history, filters):
                if isinstance(piece, Answer):
                    final = piece
                    break
                streamed += str(piece)
                now = time.monotonic()
                if now - last > 0.05:
                    last = now
                    shown = preview(streamed) if llm_name else streamed
                    messages[-1] = {"role": "assistant", "content": pre + answer_markdown(shown) + " ▌"}
                    yield messages, "", messages, turns
            if final is None:
                final = Answer(streamed or ERROR_MESSAGE, mode="fehler", answerable=False)
            messages[-1] = {
                "role": "assistant",
                "content": render_answer(final, text, turn, notice, filters, llm=llm_name),
            }
            turns.append(
                {
                    "question": text,
                    "answer": final.text,
                    "sources": [asdict(s) for s in final.sources],
                    "mode": final.mode,
                    "filters": filters,
                    "msg_index": len(messages) - 1,
                }
            )
            yield messages, "", messages, turns
        except Exception:
            log.exception("ask failed")
            if placeholder is not None and placeholder < len(messages):
                messages[placeholder] = {"role": "assistant", "content": ERROR_MESSAGE}
            else:
                messages.append({"role": "assistant", "content": ERROR_MESSAGE})
            yield messages, "", messages, turns

    def reset(self) -> tuple[list[Any], list[Any], list[Any], str]:
        return [], [], [], ""

    def rate(self, rating: str, comment: str, turns: list[dict[str, Any]]) -> tuple[str, str]:
        """Store ``rating`` ("gut"/"schlecht") with the optional comment for the last answer."""
        try:
            if not turns:
                return "Es gibt noch keine Antwort, die Sie bewerten könnten.", comment
            text, _ = clean_input(comment)
            self.feedback.write(feedback_record(turns[-1], rating, text))
            return "Danke für Ihre Bewertung!", ""
        except Exception:
            log.exception("feedback failed")
            return "Die Bewertung konnte nicht gespeichert werden.", comment

    @rate_kind(FEEDBACK)
    def rate_good(self, comment: str, turns: list[dict[str, Any]]) -> tuple[str, str]:
        return self.rate("gut", comment, turns)

    @rate_kind(FEEDBACK)
    def rate_bad(self, comment: str, turns: list[dict[str, Any]]) -> tuple[str, str]:
        return self.rate("schlecht", comment, turns)

    @rate_kind(FEEDBACK)
    def on_like(self, turns: list[dict[str, Any]], data: gr.LikeData) -> str:
        try:
            index = data.index[0] if isinstance(data.index, list | tuple) else data.index
            turn = next((t for t in turns or [] if t.get("msg_index") == index), None)
            if turn is None:
                return "Diese Nachricht kann nicht bewertet werden."
            liked = data.liked
            rating = "gut" if liked is True or liked == "Like" else "schlecht" if liked in (False, "Dislike") else ""
            if not rating:
                return ""
            self.feedback.write(feedback_record(turn, rating))
            return "Danke für Ihre Bewertung!"
        except Exception:
            log.exception("like failed")
            return "Die Bewertung konnte nicht gespeichert werden."

    # -- Projekte -------------------------------------------------------------------------------
    def show_projects(self, search: str, category: str, state: str, field: str = ALL) -> tuple[Any, Any, str]:
        try:
            text, _ = clean_input(search, 200)
            rows = filter_projects(self.projects, text, category, state, field)
            path = write_csv(rows, self.files_dir)
            count = f"{len(rows)} von {len(self.projects)} Projekten"
            return table_value(rows), str(path), count
        except Exception:
            log.exception("projects failed")
            return gr.skip(), gr.skip(), "Die Projektliste konnte nicht gefiltert werden."

    def show_project(self, name: str) -> str:
        try:
            return project_detail_html(self.by_name.get(str(name or "")))
        except Exception:
            log.exception("project failed")
            return "<p>Das Projekt konnte nicht angezeigt werden.</p>"

    def select_project(self, data: gr.SelectData) -> Any:
        try:
            row = data.row_value
            name = row[0] if isinstance(row, list | tuple) and row else None
            if name is None and isinstance(data.index, list | tuple):
                return gr.skip()
            return name if name in self.by_name else gr.skip()
        except Exception:
            return gr.skip()

    # -- Vergleichbare Projekte ---------------------------------------------------------------------
    @rate_kind(QUESTION)
    def find_similar(self, text: str, category: str, state: str, k: float) -> str:
        try:
            cleaned, notice = clean_input(text)
            if not cleaned:
                return "<p>Bitte beschreiben Sie Ihr Vorhaben in ein paar Sätzen.</p>"
            n = max(1, min(10, int(k or 5)))
            results = self.assistant.similar(cleaned, k=n, filters=make_filters(category, state))
            pre = f'<p class="hinweis">{html.escape(notice)}</p>' if notice else ""
            return pre + similar_html(results, self.corpus)
        except Exception:
            log.exception("similar failed")
            return f"<p>{html.escape(ERROR_MESSAGE)}</p>"

    # -- Oberfläche -----------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        """The Gradio Blocks app (German texts, API names for ``gradio_client``)."""
        initial_csv = write_csv(self.projects, self.files_dir)

        with gr.Blocks(title="Modellprojekte Smart Cities 2021 – Frage-Antwort-Assistent") as demo:
            gr.Markdown(
                "# Modellprojekte Smart Cities 2021\n"
                "Fragen Sie den Assistenten zu den 28 geförderten Modellprojekten der Broschüre (Stand 2021)."
            )
            with gr.Tabs():
                with gr.Tab("Fragen", id="fragen"):
                    gr.Markdown(f"**Antwortmodus:** {html.escape(self.assistant.mode_label)}", elem_id="modus")
                    messages_state = gr.State([])
                    turns_state = gr.State([])
                    with gr.Row():
                        cat_dd = gr.Dropdown(
                            _choices(CATEGORIES), value=ALL, label="Kategorie", elem_id="frage-kategorie"
                        )
                        state_dd = gr.Dropdown(
                            _choices(self.states), value=ALL, label="Bundesland", elem_id="frage-land"
                        )
                    chatbot = gr.Chatbot(
                        label="Gespräch",
                        elem_id="chat",
                        height=620,
                        sanitize_html=True,
                        allow_tags=False,
                        latex_delimiters=[],
                        feedback_options=("Like", "Dislike"),
                        placeholder="Stellen Sie eine Frage zu den Modellprojekten Smart Cities 2021.",
                        buttons=["copy"],
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            label="Ihre Frage",
                            placeholder="z. B. Welche Kleinstädte wurden 2021 gefördert?",
                            elem_id="frage",
                            scale=5,
                            lines=1,
                            max_lines=6,
                        )
                        send = gr.Button("Fragen", variant="primary", elem_id="senden", scale=1)
                    gr.Examples(EXAMPLES, inputs=[question], label="Beispielfragen")
                    with gr.Row():
                        comment = gr.Textbox(label="Kommentar zur letzten Antwort (optional)", scale=4, max_lines=3)
                        good = gr.Button("👍 Hilfreich", scale=1, elem_id="daumen-hoch")
                        bad = gr.Button("👎 Nicht hilfreich", scale=1, elem_id="daumen-runter")
                        new = gr.Button("Neues Gespräch", scale=1, elem_id="neu")
                    feedback_status = gr.Markdown("", elem_id="feedback-status")

                    ask_io: dict[str, Any] = {
                        "fn": self.ask,
                        "inputs": [question, cat_dd, state_dd, messages_state, turns_state],
                        "outputs": [chatbot, question, messages_state, turns_state],
                    }
                    send.click(**ask_io, api_name="ask", concurrency_id="ask")
                    question.submit(**ask_io, api_visibility="private", concurrency_id="ask")
                    good.click(
                        self.rate_good, [comment, turns_state], [feedback_status, comment], api_name="feedback_gut"
                    )
                    bad.click(
                        self.rate_bad, [comment, turns_state], [feedback_status, comment], api_name="feedback_schlecht"
                    )
                    chatbot.like(self.on_like, [turns_state], [feedback_status], api_visibility="private")
                    new.click(
                        self.reset, None, [chatbot, messages_state, turns_state, feedback_status], api_name="reset"
                    )
                    chatbot.clear(
                        self.reset,
                        None,
                        [chatbot, messages_state, turns_state, feedback_status],
                        api_visibility="private",
                    )

                with gr.Tab("Projekte", id="projekte"):
                    with gr.Row():
                        search = gr.Textbox(label="Suche", placeholder="Name, Titel, Motto oder Stichwort", scale=2)
                        p_cat = gr.Dropdown(
                            _choices(CATEGORIES), value=ALL, label="Kategorie", elem_id="projekt-kategorie"
                        )
                        p_state = gr.Dropdown(
                            _choices(self.states), value=ALL, label="Bundesland", elem_id="projekt-land"
                        )
                        p_field = gr.Dropdown(
                            _choices(FIELDS), value=ALL, label="Handlungsfeld", elem_id="projekt-handlungsfeld"
                        )
                    count = gr.Markdown(
                        f"{len(self.projects)} von {len(self.projects)} Projekten", elem_id="projekt-anzahl"
                    )
                    table = gr.Dataframe(
                        value=table_value(self.projects),
                        headers=TABLE_HEADERS,
                        interactive=False,
                        wrap=True,
                        label="Modellprojekte Smart Cities 2021",
                        elem_id="projekt-tabelle",
                        max_height=600,
                    )
                    csv_button = gr.DownloadButton("CSV herunterladen", value=str(initial_csv), elem_id="csv")
                    pick = gr.Dropdown(
                        [p.name for p in self.projects], value=None, label="Projekt anzeigen", elem_id="projekt-wahl"
                    )
                    detail = gr.HTML(project_detail_html(None), elem_id="projekt-text")
                    p_inputs = [search, p_cat, p_state, p_field]
                    p_outputs = [table, csv_button, count]
                    search.submit(self.show_projects, p_inputs, p_outputs, api_name="projects")
                    search.change(
                        self.show_projects, p_inputs, p_outputs, api_visibility="private", show_progress="hidden"
                    )
                    p_cat.change(self.show_projects, p_inputs, p_outputs, api_visibility="private")
                    p_state.change(self.show_projects, p_inputs, p_outputs, api_visibility="private")
                    p_field.change(self.show_projects, p_inputs, p_outputs, api_visibility="private")
                    table.select(self.select_project, None, [pick], api_visibility="private")
                    pick.change(self.show_project, [pick], [detail], api_name="project")

                with gr.Tab("Vergleichbare Projekte", id="vergleich"):
                    desc = gr.Textbox(
                        label="Beschreiben Sie Ihr Vorhaben",
                        placeholder="z. B. Wir möchten in unserer Kleinstadt eine digitale Bürgerbeteiligung aufbauen …",
                        lines=5,
                        elem_id="vorhaben",
                    )
                    with gr.Row():
                        s_cat = gr.Dropdown(_choices(CATEGORIES), value=ALL, label="Kategorie (optional)")
                        s_state = gr.Dropdown(_choices(self.states), value=ALL, label="Bundesland (optional)")
                        s_k = gr.Slider(1, 10, value=5, step=1, label="Anzahl Ergebnisse")
                    s_btn = gr.Button("Vergleichbare Projekte finden", variant="primary", elem_id="vergleich-suchen")
                    s_out = gr.HTML("", elem_id="vergleich-ergebnis")
                    s_btn.click(self.find_similar, [desc, s_cat, s_state, s_k], [s_out], api_name="similar")

                with gr.Tab("Übersicht 2019–2021", id="uebersicht"):
                    gr.HTML(overview_html(self.corpus), elem_id="uebersicht")

                with gr.Tab("Über", id="ueber"):
                    gr.Markdown(about_markdown(self.assistant.mode_label, self.corpus))
        return demo


def build_app(assistant: AssistantLike, *, feedback_path: Path) -> gr.Blocks:
    """The Gradio Blocks app on top of ``assistant``; every per-user value lives in ``gr.State``."""
    return WebApp(assistant, feedback_path=feedback_path).build()


QUEUE_SIZE = 64  # questions waiting at most; more get a German "ausgelastet" (see rag.web.shield)


def rate_kinds(demo: gr.Blocks) -> dict[int | str, str]:
    """Gradio function id and API name -> the rate-limit kind of its handler (see :func:`rate_kind`)."""
    kinds: dict[int | str, str] = {}
    for fn_id, block_fn in demo.fns.items():
        kind = getattr(block_fn.fn, "rate_kind", None)
        if kind:
            kinds[fn_id] = kind
            if isinstance(block_fn.api_name, str):
                kinds[block_fn.api_name] = kind
    return kinds


def shield_lifespan(policy: Policy, kinds: dict[int | str, str]) -> Callable[[Any], Any]:
    """A FastAPI lifespan that puts :class:`rag.web.shield.Shield` around the app's whole middleware stack.

    Gradio builds its FastAPI app inside ``launch`` and adds its own middleware (CORS, compression) in
    front of anything passed in ``app_kwargs``; the lifespan runs after that and before the server accepts
    the first connection, so every request passes the shield first.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        stack = app.middleware_stack or app.build_middleware_stack()
        if not isinstance(stack, Shield):
            app.middleware_stack = Shield(stack, policy, kinds)
        yield

    return lifespan


def launch(
    demo: gr.Blocks,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    prevent_thread_lock: bool = False,
    quiet: bool = False,
    api: ApiAssistant | None = None,
    policy: Policy | None = None,
    queue_size: int = QUEUE_SIZE,
) -> Any:
    """Start the server (no share link, no analytics, no footer links, no run history in the browser).

    With ``api`` (the assistant), the HTTP-API of :mod:`rag.web.api` is served on the same port under
    ``/api`` and ``/v1``: its route is handed to Gradio's FastAPI app before Gradio's own routes.
    Every request passes :class:`rag.web.shield.Shield` first (``policy``; default: the limits' defaults
    for ``host``). Gradio's direct REST routes are closed (``api_open=False``): every call takes the queue.
    """
    policy = policy or Policy.for_address(host)
    demo.queue(default_concurrency_limit=2, max_size=queue_size, api_open=False)
    app_kwargs: dict[str, Any] = {"lifespan": shield_lifespan(policy, rate_kinds(demo))}
    if api is not None:
        app_kwargs["routes"] = [api_route(api, max_bytes=policy.max_body)]
    return demo.launch(
        app_kwargs=app_kwargs,
        server_name=host,
        server_port=port,
        share=False,
        inbrowser=False,
        show_error=False,
        prevent_thread_lock=prevent_thread_lock,
        quiet=quiet,
        footer_links=[],
        run_history=False,
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        enable_monitoring=False,
        num_workers=0,
        max_file_size="1mb",
        theme=gr.themes.Default(  # system fonts only: nothing is fetched for the page
            primary_hue="blue",
            font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
        ),
        css=CSS,
        js=JS,
    )


def load_assistant(config: Config, llm: str | None = None) -> Any:
    """The real Assistant (index built on first use), optionally with a language model
    (``ollama:<model>`` or ``openai:<model>`` at ``RAG_LLM_URL``)."""
    from rag.assistant import Assistant

    llm_obj = None
    spec = llm if llm is not None else config.llm
    if spec:
        import importlib

        llm_from_config = importlib.import_module("rag.llm").llm_from_config  # lazy: only with a language model
        llm_obj = llm_from_config(config, spec)

    shown: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in shown:
            shown.add(stage)
            print(f"Index wird aufgebaut: {stage} …", file=sys.stderr, flush=True)

    assistant = Assistant.load(config, llm=llm_obj, progress=progress)
    if assistant.notice:  # e.g. a read-only data directory: the index cannot be rebuilt
        print(assistant.notice, file=sys.stderr, flush=True)
    return assistant


class ServeError(RuntimeError):
    """The server cannot start on the requested address (the message says why, in German)."""


def check_address(host: str, port: int) -> list[str]:
    """Fail fast, in German, before anything is loaded: a port out of range, a host that does not resolve,
    a port already in use. Returns German warnings (e.g. for listening on all interfaces)."""
    import ipaddress
    import socket

    if not 1 <= int(port) <= 65535:
        raise ServeError(f"Ungültiger Port {port}: erlaubt sind 1 bis 65535.")
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(f"Die Adresse „{host}“ ist ungültig oder nicht auflösbar ({exc}).") from None
    family, _, _, _, sockaddr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(sockaddr)
        except PermissionError:
            raise ServeError(f"Keine Berechtigung, Port {port} zu öffnen (Ports unter 1024 brauchen Root).") from None
        except OSError as exc:
            raise ServeError(
                f"Port {port} auf {host} ist belegt oder nicht verfügbar ({exc.strerror or exc}). "
                "Anderen Port wählen, z. B. --port 7861."
            ) from None
    warnings = []
    address = str(sockaddr[0])
    try:
        loopback = ipaddress.ip_address(address).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        warnings.append(
            f"Achtung: Die App lauscht auf {address} und ist damit von anderen Rechnern erreichbar – ohne "
            "Anmeldung. Für den Betrieb im Netz einen Reverse-Proxy mit Anmeldung davorsetzen (SECURITY.md)."
        )
    return warnings


def serve(config: Config, host: str = "127.0.0.1", port: int = 7860, llm: str | None = None) -> None:
    """Load the assistant and serve the web app on ``host:port`` (loopback by default) until interrupted."""
    t0 = time.perf_counter()
    for warning in check_address(host, port):
        print(warning, file=sys.stderr, flush=True)
    assistant = load_assistant(config, llm)
    run_server(assistant, config, host=host, port=port, started=t0)


def run_server(
    assistant: Any,
    config: Config,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    started: float | None = None,
    queue_size: int = QUEUE_SIZE,
) -> None:
    """Serve ``assistant`` (web app and API) until Ctrl+C or SIGTERM.

    Gradio's temporary files and the CSV downloads go to a directory of this run
    (``GRADIO_TEMP_DIR``), which is removed when the server stops.
    """
    t0 = time.perf_counter() if started is None else started
    main_thread = threading.current_thread() is threading.main_thread()  # signals can only be set there
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    run_dir: Path | None = None
    demo = None
    try:
        run_dir = Path(tempfile.mkdtemp(prefix="rag-serve-"))
        os.environ["GRADIO_TEMP_DIR"] = str(run_dir / "gradio")  # read when the Blocks are built
        web = WebApp(assistant, feedback_path=Path(config.data_dir) / "feedback.jsonl", files_dir=run_dir / "csv")
        demo = web.build()
        policy = Policy.from_config(config, host)
        launch(
            demo,
            host=host,
            port=port,
            prevent_thread_lock=True,
            quiet=True,
            api=assistant,
            policy=policy,
            queue_size=queue_size,
        )
        shown_host = f"[{host}]" if ":" in host else host
        everywhere = " (alle Schnittstellen)" if host in ("", "0.0.0.0", "::") else ""
        print(
            f"Web-App bereit nach {time.perf_counter() - t0:.1f} s: http://{shown_host or '0.0.0.0'}:{port}"
            f"{everywhere}  (Antwortmodus: {assistant.mode_label}; beenden mit Strg+C)",
            file=sys.stderr,
            flush=True,
        )
        while demo.is_running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        if run_dir is not None:  # first: closing the server can take a while, and a second signal ends it
            shutil.rmtree(run_dir, ignore_errors=True)
        if demo is not None:
            with contextlib.redirect_stdout(None):  # Gradio prints an English "Closing server …"
                demo.close()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the server like Ctrl+C: temporary files are removed


def main(argv: Sequence[str] | None = None) -> None:
    """``python app.py [--host H] [--port P] [--llm ollama:MODELL|openai:MODELL]`` – like ``rag serve``."""
    import argparse

    from rag.config import Config as _Config

    parser = argparse.ArgumentParser(description="Die Gradio-Web-App starten.")
    parser.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="Port (Standard: 7860)")
    parser.add_argument(
        "--llm",
        default=None,
        metavar="ollama:MODELL|openai:MODELL",
        help="Antworten mit einem Sprachmodell: ollama oder ein OpenAI-kompatibler Server unter RAG_LLM_URL",
    )
    args = parser.parse_args(argv)
    serve(_Config.from_env(), host=args.host, port=args.port, llm=args.llm)


if __name__ == "__main__":
    main()
