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

Start: ``rag serve`` (ruft :func:`serve`) oder ``python app.py``.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import csv
import hashlib
import html
import io
import json
import logging
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import gradio as gr

from rag.german import fold, terms
from rag.types import CATEGORIES, SECTION_LABELS, Answer, Corpus, Project, Similar, Source

if TYPE_CHECKING:
    from rag.config import Config

log = logging.getLogger("rag.app")

MAX_INPUT = 2000
ALL = "Alle"
EXAMPLES = [
    "Welche Kleinstädte wurden 2021 gefördert?",
    "Welche Projekte gibt es in Bayern?",
    "Was plant Guben?",
    "Welche Projekte beschäftigen sich mit Mobilität?",
    "Was sind die Bewertungskriterien?",
]
ERROR_MESSAGE = (
    "Entschuldigung, dabei ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut oder formulieren Sie "
    "Ihre Frage anders."
)
TABLE_HEADERS = ["Name", "Kategorie", "Größenklasse", "Bundesland", "Projekttitel", "Motto", "Seite"]

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


# ------------------------------------------------------------------------------------------------
# pure helpers: input cleaning, escaping, rendering (unit-tested without a server)
# ------------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")


def clean_input(text: object, limit: int = MAX_INPUT) -> tuple[str, str]:
    """Strip control characters, trim, cut to ``limit`` characters; returns (text, German notice or "")."""
    s = "" if text is None else str(text)
    s = _CONTROL.sub(" ", s).strip()
    if len(s) > limit:
        return s[:limit].rstrip(), (
            f"Hinweis: Ihre Eingabe war {len(s)} Zeichen lang und wurde auf {limit} Zeichen gekürzt."
        )
    return s, ""


def escape_md(text: str) -> str:
    """User text for a Markdown/HTML renderer: shown literally, no tags, links, images or formatting."""
    escaped = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def norm_filter(value: object) -> str | None:
    """Dropdown value -> filter value (``None`` for "Alle"/empty)."""
    if value is None:
        return None
    s = str(value).strip()
    return None if not s or s == ALL else s


def make_filters(category: object, state: object) -> dict[str, str | None]:
    cat = norm_filter(category)
    return {"category": cat if cat in CATEGORIES else None, "state": norm_filter(state)}


def query_terms(question: str) -> set[str]:
    try:
        return {t for t in terms(question) if len(t) >= 3}
    except Exception:
        return set()


_WORD = re.compile(r"[0-9A-Za-zÄÖÜäöüßéèà]+(?:[-'][0-9A-Za-zÄÖÜäöüßéèà]+)*")


def highlight(text: str, question: str) -> str:
    """HTML-escaped ``text`` with the words that match the question's terms wrapped in <mark>."""
    qterms = query_terms(question)
    out: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        word = m.group(0)
        try:
            hit = bool(qterms) and bool(set(terms(word)) & qterms)
        except Exception:
            hit = False
        out.append(f"<mark>{html.escape(word)}</mark>" if hit else html.escape(word))
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _shorten(text: str, limit: int = 700) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def source_where(s: Source) -> str:
    """Project name, or the brochure section / document for general parts."""
    if s.project:
        return s.project
    where = SECTION_LABELS.get(s.section, s.section) or s.document or "Broschüre"
    if s.document and s.document != "broschuere":
        where = f"{s.document}, {s.section}" if s.section else s.document
    return where


def source_label(s: Source) -> str:
    return f"{source_where(s)}, S. {s.page}" if s.page else source_where(s)


def anchor(turn: int, n: int) -> str:
    return f"quelle-{turn}-{n}"


def source_cards_html(sources: Sequence[Source], question: str, turn: int) -> str:
    """Source cards under an answer: [n] project · Größenklasse · Bundesland · page, quoted passage."""
    if not sources:
        return ""
    cards = []
    for s in sources:
        head = [f'<span class="quelle-n">[{s.n}]</span> <strong>{html.escape(source_where(s))}</strong>']
        if s.size_class:
            head.append(html.escape(s.size_class))
        elif s.category:
            head.append(html.escape(s.category))
        if s.states:
            head.append(html.escape(", ".join(s.states)))
        if s.page:
            head.append(f"S. {int(s.page)}")
        cards.append(
            f'<div class="quelle" id="{anchor(turn, s.n)}"><div class="quelle-kopf">{" · ".join(head)}</div>'
            f'<blockquote class="quelle-text">„{highlight(_shorten(s.snippet), question)}“</blockquote></div>'
        )
    return '<div class="quellen"><div class="quellen-titel">Quellen</div>' + "".join(cards) + "</div>"


_MARKER = re.compile(r"\[(\d{1,3})\]")


def answer_markdown(text: str, sources: Sequence[Source] = (), turn: int = 0) -> str:
    """Answer text for the chat: HTML escaped, no links/images; [n] markers link to their source cards."""
    s = html.escape(text, quote=False)
    s = s.replace("](", "]\\(").replace("![", "!\\[").replace("$", "\\$")
    labels = {src.n: source_label(src) for src in sources}

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in labels:
            return m.group(0)
        title = html.escape(labels[n], quote=True)
        return f'<a class="ref" href="#{anchor(turn, n)}" title="{title}">[{n}]</a>'

    return _MARKER.sub(link, s)


def mode_text(answer: Answer, filters: dict[str, str | None] | None = None) -> str:
    """A short German line: how this answer was made, and which filters were active."""
    mode = answer.mode or ""
    if mode == "strukturiert":
        how = "Antwort direkt aus den Projektdaten der Broschüre"
    elif mode == "extraktiv":
        how = "Antwort aus zitierten Stellen der Broschüre (ohne Sprachmodell)"
    elif mode.startswith("ollama:"):
        how = f"Antwort formuliert vom lokalen Sprachmodell {mode.split(':', 1)[1]}"
    else:
        how = ""
    active = [
        f"{label} {value}"
        for label, value in (
            ("Kategorie", (filters or {}).get("category")),
            ("Bundesland", (filters or {}).get("state")),
        )
        if value
    ]
    if active:
        how = (how + "; " if how else "") + "Suche eingeschränkt auf " + " und ".join(active)
    return how


def render_answer(
    answer: Answer, question: str, turn: int, notice: str = "", filters: dict[str, str | None] | None = None
) -> str:
    parts = []
    if notice:
        parts.append(f'<p class="hinweis">{html.escape(notice)}</p>\n')
    parts.append(answer_markdown(answer.text, answer.sources, turn))
    if answer.notice:
        parts.append(f'\n\n<p class="hinweis">{html.escape(answer.notice)}</p>')
    how = mode_text(answer, filters)
    if how:
        parts.append(f'\n\n<p class="modus">{html.escape(how)}.</p>')
    cards = source_cards_html(answer.sources, question, turn)
    if cards:
        parts.append("\n\n" + cards)
    return "".join(parts)


def similar_html(results: Sequence[Similar], corpus: Corpus | None = None) -> str:
    if not results:
        return "<p>Keine vergleichbaren Projekte gefunden. Bitte beschreiben Sie Ihr Vorhaben ausführlicher.</p>"
    items = []
    for i, r in enumerate(results, start=1):
        size = ""
        if corpus is not None:
            try:
                size = corpus.project(r.project).size_class
            except KeyError:
                size = ""
        meta = [html.escape(x) for x in (size or r.category, ", ".join(r.states)) if x]
        meta.append(f"S. {int(r.page)}")
        score = f"{r.score:.2f}".replace(".", ",")
        items.append(
            f'<div class="treffer"><div class="treffer-kopf">{i}. {html.escape(r.project)} '
            f'<span class="treffer-meta">({" · ".join(meta)}) – relative Ähnlichkeit {score}</span></div>'
            f"<div>Warum: {html.escape(r.reason)}</div></div>"
        )
    return "".join(items)


def project_row(p: Project) -> list[Any]:
    return [p.name, p.category, p.size_class, ", ".join(p.states), p.title, p.motto, p.page]


def filter_projects(
    projects: Sequence[Project], search: str = "", category: object = None, state: object = None
) -> list[Project]:
    """Projects matching the category/Bundesland filters and every word of ``search`` (umlaut-insensitive)."""
    f = make_filters(category, state)
    needles = fold(search or "").split()
    out = []
    for p in projects:
        if f["category"] and p.category != f["category"]:
            continue
        if f["state"] and f["state"] not in p.states:
            continue
        if needles:
            hay = fold(" ".join([p.name, p.category, p.size_class, " ".join(p.states), p.title, p.motto, p.text]))
            if not all(n in hay for n in needles):
                continue
        out.append(p)
    return out


def write_csv(projects: Sequence[Project], directory: Path) -> Path:
    """CSV (UTF-8 with BOM, semicolon — opens directly in German Excel).

    One file per distinct content (named by its hash), written atomically, so that typing in the search
    box does not pile up files and concurrent sessions never see a half-written file.
    """
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(TABLE_HEADERS)
    for p in projects:
        w.writerow(project_row(p))
    data = ("\ufeff" + buf.getvalue()).encode("utf-8")
    folder = Path(directory) / hashlib.sha256(data).hexdigest()[:16]
    path = folder / "modellprojekte-smart-cities-2021.csv"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return path


def project_detail_html(p: Project | None) -> str:
    if p is None:
        return "<p>Bitte wählen Sie ein Projekt in der Tabelle oder in der Liste aus.</p>"
    meta = f"{p.category} · {p.size_class} · {', '.join(p.states)} · S. {p.page}"
    paras = "".join(f"<p>{html.escape(par)}</p>" for par in p.paragraphs)
    return (
        f'<div class="projekt-text"><h3>{html.escape(p.name)}</h3><p><em>{html.escape(meta)}</em></p>'
        f"<p><strong>Projekttitel:</strong> {html.escape(p.title)}<br><strong>Motto:</strong> "
        f"{html.escape(p.motto)}</p>{paras}</div>"
    )


def overview_html(corpus: Corpus) -> str:
    entries = list(corpus.overview)
    n2021 = sum(1 for e in entries if e.is_2021)
    parts = [
        f"<p>Alle {len(entries)} Modellprojekte Smart Cities der Staffeln 2019, 2020 und 2021 nach Kategorie "
        f'(Übersicht der Broschüre). Die {n2021} Projekte der Staffel 2021 sind <span class="badge-2021">2021</span> '
        "markiert und fett gesetzt.</p>"
    ]
    cats = [c for c in CATEGORIES if any(e.category == c for e in entries)]
    cats += sorted({e.category for e in entries} - set(cats))
    for cat in cats:
        group = [e for e in entries if e.category == cat]
        items = []
        for e in group:
            partners = f" (mit {html.escape(', '.join(e.partners))})" if e.partners else ""
            badge = ' <span class="badge-2021">2021</span>' if e.is_2021 else ""
            cls = ' class="neu"' if e.is_2021 else ""
            items.append(f"<li{cls}>{html.escape(e.name)}{partners}{badge}</li>")
        parts.append(f"<h3>{html.escape(cat)} ({len(group)})</h3><ul class='uebersicht'>{''.join(items)}</ul>")
    return "".join(parts)


def about_markdown(mode_label: str, corpus: Corpus) -> str:
    return f"""
### Über diesen Assistenten

**Datenquelle:** Broschüre „Modellprojekte Smart Cities 2021“ des Bundesministeriums des Innern, für Bau und
Heimat (BMI), **Stand 2021**. Sie stellt die {len(corpus.projects)} im Jahr 2021 ausgewählten Modellprojekte
vor (Großstädte, Mittelstädte, Kleinstädte und Landgemeinden, Interkommunale Kooperationen und Landkreise),
dazu die Bewertungskriterien und eine Übersicht aller Modellprojekte 2019–2021.

**Wie Antworten entstehen:**
1. Die Frage wird analysiert (z. B. Liste, Anzahl, ein bestimmtes Projekt, offene Frage).
2. Fragen nach Listen und Zahlen (Kategorie, Bundesland, Größenklasse) werden direkt aus den Projektdaten der
   Broschüre beantwortet („strukturiert“).
3. Sonst sucht der Assistent passende Textstellen: Stichwortsuche (BM25) und semantische Suche
   (Text-Embeddings) werden kombiniert; Kategorie- und Bundesland-Filter schränken diese Suche ein.
4. Die Antwort besteht aus zitierten Sätzen der Broschüre („extraktiv“) oder wird – falls eingeschaltet – von
   einem lokalen Sprachmodell formuliert. Jede Aussage verweist mit [n] auf eine Quelle mit Seitenangabe.

**Aktueller Antwortmodus:** {mode_label}

**Grenzen:**
- Der Assistent kennt nur den Inhalt der Broschüre (Stand 2021), keine späteren Entwicklungen der Projekte.
- Antworten können unvollständig sein; prüfen Sie wichtige Angaben in den angegebenen Quellen.
- Ist eine Frage mit der Broschüre nicht zu beantworten, sagt der Assistent das.
- Eingaben werden nach {MAX_INPUT} Zeichen gekürzt.

**Datenschutz:** Der Gesprächsverlauf bleibt in Ihrer Sitzung. Nur wenn Sie eine Antwort mit 👍/👎 bewerten,
werden Frage, Antwort, Quellen, Ihr optionaler Kommentar und die Uhrzeit gespeichert – keine IP-Adresse,
keine Browserdaten.

Die CSV-Datei im Reiter „Projekte“ ist UTF-8-kodiert und durch Semikolons getrennt.
"""


# ------------------------------------------------------------------------------------------------
# feedback
# ------------------------------------------------------------------------------------------------


class FeedbackLog:
    """Append-only JSONL file; one lock per app (not a module global)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


def feedback_record(turn: dict[str, Any], rating: str, comment: str = "") -> dict[str, Any]:
    """What is stored: question, answer, sources, time (UTC) – nothing about the person."""
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "rating": rating,
        "question": turn.get("question", ""),
        "answer": turn.get("answer", ""),
        "sources": turn.get("sources", []),
        "mode": turn.get("mode", ""),
        "filters": turn.get("filters", {}),
        "comment": comment,
    }


# ------------------------------------------------------------------------------------------------
# the app
# ------------------------------------------------------------------------------------------------


def _choices(values: Sequence[str]) -> list[str]:
    return [ALL, *values]


def build_app(assistant: AssistantLike, *, feedback_path: Path) -> gr.Blocks:
    """The Gradio Blocks app on top of ``assistant``; every per-user value lives in ``gr.State``."""
    corpus = assistant.corpus
    projects = list(corpus.projects)
    by_name = {p.name: p for p in projects}
    states = sorted({s for p in projects for s in p.states})
    feedback = FeedbackLog(feedback_path)
    files_dir = Path(tempfile.mkdtemp(prefix="rag-app-"))

    # -- Fragen ---------------------------------------------------------------------------------
    def ask(
        question: str, category: str, state: str, messages: list[dict[str, Any]], turns: list[dict[str, Any]]
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
            streamed = ""
            final: Answer | None = None
            last = 0.0
            for piece in assistant.ask_stream(text, history, filters):
                if isinstance(piece, Answer):
                    final = piece
                    break
                streamed += str(piece)
                now = time.monotonic()
                if now - last > 0.05:
                    last = now
                    messages[-1] = {"role": "assistant", "content": pre + answer_markdown(streamed) + " ▌"}
                    yield messages, "", messages, turns
            if final is None:
                final = Answer(streamed or ERROR_MESSAGE, mode="fehler", answerable=False)
            messages[-1] = {"role": "assistant", "content": render_answer(final, text, turn, notice, filters)}
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

    def reset() -> tuple[list[Any], list[Any], list[Any], str]:
        return [], [], [], ""

    def rate(rating: str) -> Callable[[str, list[dict[str, Any]]], tuple[str, str]]:
        def handler(comment: str, turns: list[dict[str, Any]]) -> tuple[str, str]:
            try:
                if not turns:
                    return "Es gibt noch keine Antwort, die Sie bewerten könnten.", comment
                text, _ = clean_input(comment)
                feedback.write(feedback_record(turns[-1], rating, text))
                return "Danke für Ihre Bewertung!", ""
            except Exception:
                log.exception("feedback failed")
                return "Die Bewertung konnte nicht gespeichert werden.", comment

        return handler

    def on_like(turns: list[dict[str, Any]], data: gr.LikeData) -> str:
        try:
            index = data.index[0] if isinstance(data.index, list | tuple) else data.index
            turn = next((t for t in turns or [] if t.get("msg_index") == index), None)
            if turn is None:
                return "Diese Nachricht kann nicht bewertet werden."
            liked = data.liked
            rating = "gut" if liked is True or liked == "Like" else "schlecht" if liked in (False, "Dislike") else ""
            if not rating:
                return ""
            feedback.write(feedback_record(turn, rating))
            return "Danke für Ihre Bewertung!"
        except Exception:
            log.exception("like failed")
            return "Die Bewertung konnte nicht gespeichert werden."

    # -- Projekte -------------------------------------------------------------------------------
    def table_value(rows: Sequence[Project]) -> dict[str, Any]:
        return {"headers": TABLE_HEADERS, "data": [project_row(p) for p in rows]}

    def show_projects(search: str, category: str, state: str) -> tuple[Any, Any, str]:
        try:
            text, _ = clean_input(search, 200)
            rows = filter_projects(projects, text, category, state)
            path = write_csv(rows, files_dir)
            count = f"{len(rows)} von {len(projects)} Projekten"
            return table_value(rows), str(path), count
        except Exception:
            log.exception("projects failed")
            return gr.skip(), gr.skip(), "Die Projektliste konnte nicht gefiltert werden."

    def show_project(name: str) -> str:
        try:
            return project_detail_html(by_name.get(str(name or "")))
        except Exception:
            log.exception("project failed")
            return "<p>Das Projekt konnte nicht angezeigt werden.</p>"

    def select_project(data: gr.SelectData) -> Any:
        try:
            row = data.row_value
            name = row[0] if isinstance(row, list | tuple) and row else None
            if name is None and isinstance(data.index, list | tuple):
                return gr.skip()
            return name if name in by_name else gr.skip()
        except Exception:
            return gr.skip()

    # -- Vergleichbare Projekte ---------------------------------------------------------------------
    def find_similar(text: str, category: str, state: str, k: float) -> str:
        try:
            cleaned, notice = clean_input(text)
            if not cleaned:
                return "<p>Bitte beschreiben Sie Ihr Vorhaben in ein paar Sätzen.</p>"
            n = max(1, min(10, int(k or 5)))
            results = assistant.similar(cleaned, k=n, filters=make_filters(category, state))
            pre = f'<p class="hinweis">{html.escape(notice)}</p>' if notice else ""
            return pre + similar_html(results, corpus)
        except Exception:
            log.exception("similar failed")
            return f"<p>{html.escape(ERROR_MESSAGE)}</p>"

    initial_csv = write_csv(projects, files_dir)

    with gr.Blocks(title="Modellprojekte Smart Cities 2021 – Frage-Antwort-Assistent") as demo:
        gr.Markdown(
            "# Modellprojekte Smart Cities 2021\n"
            "Fragen Sie den Assistenten zu den 28 geförderten Modellprojekten der Broschüre (Stand 2021)."
        )
        with gr.Tabs():
            with gr.Tab("Fragen", id="fragen"):
                gr.Markdown(f"**Antwortmodus:** {html.escape(assistant.mode_label)}", elem_id="modus")
                messages_state = gr.State([])
                turns_state = gr.State([])
                with gr.Row():
                    cat_dd = gr.Dropdown(_choices(CATEGORIES), value=ALL, label="Kategorie", elem_id="frage-kategorie")
                    state_dd = gr.Dropdown(_choices(states), value=ALL, label="Bundesland", elem_id="frage-land")
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
                    "fn": ask,
                    "inputs": [question, cat_dd, state_dd, messages_state, turns_state],
                    "outputs": [chatbot, question, messages_state, turns_state],
                }
                send.click(**ask_io, api_name="ask", concurrency_id="ask")
                question.submit(**ask_io, api_visibility="private", concurrency_id="ask")
                good.click(rate("gut"), [comment, turns_state], [feedback_status, comment], api_name="feedback_gut")
                bad.click(
                    rate("schlecht"), [comment, turns_state], [feedback_status, comment], api_name="feedback_schlecht"
                )
                chatbot.like(on_like, [turns_state], [feedback_status], api_visibility="private")
                new.click(reset, None, [chatbot, messages_state, turns_state, feedback_status], api_name="reset")
                chatbot.clear(
                    reset, None, [chatbot, messages_state, turns_state, feedback_status], api_visibility="private"
                )

            with gr.Tab("Projekte", id="projekte"):
                with gr.Row():
                    search = gr.Textbox(label="Suche", placeholder="Name, Titel, Motto oder Stichwort", scale=2)
                    p_cat = gr.Dropdown(_choices(CATEGORIES), value=ALL, label="Kategorie", elem_id="projekt-kategorie")
                    p_state = gr.Dropdown(_choices(states), value=ALL, label="Bundesland", elem_id="projekt-land")
                count = gr.Markdown(f"{len(projects)} von {len(projects)} Projekten", elem_id="projekt-anzahl")
                table = gr.Dataframe(
                    value=table_value(projects),
                    headers=TABLE_HEADERS,
                    interactive=False,
                    wrap=True,
                    label="Modellprojekte Smart Cities 2021",
                    elem_id="projekt-tabelle",
                    max_height=600,
                )
                csv_button = gr.DownloadButton("CSV herunterladen", value=str(initial_csv), elem_id="csv")
                pick = gr.Dropdown(
                    [p.name for p in projects], value=None, label="Projekt anzeigen", elem_id="projekt-wahl"
                )
                detail = gr.HTML(project_detail_html(None), elem_id="projekt-text")
                p_inputs = [search, p_cat, p_state]
                p_outputs = [table, csv_button, count]
                search.submit(show_projects, p_inputs, p_outputs, api_name="projects")
                search.change(show_projects, p_inputs, p_outputs, api_visibility="private", show_progress="hidden")
                p_cat.change(show_projects, p_inputs, p_outputs, api_visibility="private")
                p_state.change(show_projects, p_inputs, p_outputs, api_visibility="private")
                table.select(select_project, None, [pick], api_visibility="private")
                pick.change(show_project, [pick], [detail], api_name="project")

            with gr.Tab("Vergleichbare Projekte", id="vergleich"):
                desc = gr.Textbox(
                    label="Beschreiben Sie Ihr Vorhaben",
                    placeholder="z. B. Wir möchten in unserer Kleinstadt eine digitale Bürgerbeteiligung aufbauen …",
                    lines=5,
                    elem_id="vorhaben",
                )
                with gr.Row():
                    s_cat = gr.Dropdown(_choices(CATEGORIES), value=ALL, label="Kategorie (optional)")
                    s_state = gr.Dropdown(_choices(states), value=ALL, label="Bundesland (optional)")
                    s_k = gr.Slider(1, 10, value=5, step=1, label="Anzahl Ergebnisse")
                s_btn = gr.Button("Vergleichbare Projekte finden", variant="primary", elem_id="vergleich-suchen")
                s_out = gr.HTML("", elem_id="vergleich-ergebnis")
                s_btn.click(find_similar, [desc, s_cat, s_state, s_k], [s_out], api_name="similar")

            with gr.Tab("Übersicht 2019–2021", id="uebersicht"):
                gr.HTML(overview_html(corpus), elem_id="uebersicht")

            with gr.Tab("Über", id="ueber"):
                gr.Markdown(about_markdown(assistant.mode_label, corpus))
    return demo


def launch(
    demo: gr.Blocks,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    prevent_thread_lock: bool = False,
    quiet: bool = False,
) -> Any:
    """Start the server (no share link, no analytics, no footer links, no run history in the browser)."""
    demo.queue(default_concurrency_limit=2, max_size=64)
    return demo.launch(
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
    """The real Assistant (index built on first use), optionally with an ollama model (``ollama:<model>``)."""
    from rag.assistant import Assistant

    llm_obj = None
    spec = llm if llm is not None else config.llm
    if spec:
        import importlib

        make_llm = importlib.import_module("rag.llm").make_llm  # lazy: only with a language model
        llm_obj = make_llm(spec, host=config.ollama_host, timeout=config.llm_timeout)

    shown: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in shown:
            shown.add(stage)
            print(f"Index wird aufgebaut: {stage} …", file=sys.stderr, flush=True)

    return Assistant.load(config, llm=llm_obj, progress=progress)


def serve(config: Config, host: str = "127.0.0.1", port: int = 7860, llm: str | None = None) -> None:
    """Load the assistant and serve the web app on ``host:port`` (loopback by default) until interrupted."""
    t0 = time.perf_counter()
    assistant = load_assistant(config, llm)
    demo = build_app(assistant, feedback_path=Path(config.data_dir) / "feedback.jsonl")
    launch(demo, host=host, port=port, prevent_thread_lock=True, quiet=True)
    shown_host = "127.0.0.1" if host in ("", "0.0.0.0") else host
    print(
        f"Web-App bereit nach {time.perf_counter() - t0:.1f} s: http://{shown_host}:{port}  "
        f"(Antwortmodus: {assistant.mode_label}; beenden mit Strg+C)",
        file=sys.stderr,
        flush=True,
    )
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()


def main(argv: Sequence[str] | None = None) -> None:
    """``python app.py [--host H] [--port P] [--llm ollama:MODELL]`` – like ``rag serve``."""
    import argparse

    from rag.config import Config as _Config

    parser = argparse.ArgumentParser(description="Die Gradio-Web-App starten.")
    parser.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="Port (Standard: 7860)")
    parser.add_argument("--llm", default=None, metavar="ollama:MODELL", help="Antworten mit einem ollama-Modell")
    args = parser.parse_args(argv)
    serve(_Config.from_env(), host=args.host, port=args.port, llm=args.llm)


if __name__ == "__main__":
    main()
