"""Pure rendering and input helpers of the web app (no Gradio, no server; unit-tested directly).

Input cleaning (:func:`clean_input`), escaping of user text (:func:`escape_md`), highlighting of question
words (:func:`highlight`), the answer with its source cards (:func:`render_answer`), the similar-projects,
project, overview and "Über" texts, the project filters and the CSV download (:func:`write_csv`).
All visible texts are German; user text is escaped before it reaches HTML or Markdown.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rag.german import fold, terms
from rag.text import csv_safe
from rag.types import CATEGORIES, SECTION_LABELS, Answer, Corpus, Project, Similar, Source

MAX_INPUT = 2000
ALL = "Alle"
ERROR_MESSAGE = (
    "Entschuldigung, dabei ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut oder formulieren Sie "
    "Ihre Frage anders."
)
TABLE_HEADERS = ["Name", "Kategorie", "Größenklasse", "Bundesland", "Projekttitel", "Motto", "Handlungsfelder", "Seite"]


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


def mode_text(answer: Answer, filters: dict[str, str | None] | None = None, llm: str = "") -> str:
    """A short German line: how this answer was made, and which filters were active.

    ``llm`` is the configured language model (empty: none). With one, an answer in a model mode is the
    checked model answer; an extractive answer with sources is the fallback (its notice says why).
    """
    mode = answer.mode or ""
    if mode.startswith(("ollama:", "openai:")):
        how = (
            f"Geprüfte Antwort des Sprachmodells {mode.split(':', 1)[1]}: Quellenangaben, Namen und Zahlen "
            "wurden mit den Quellen abgeglichen"
        )
    elif llm and mode in ("strukturiert", "extraktiv") and answer.answerable and answer.sources:
        how = (
            f"Ersatzantwort direkt aus der Broschüre – die Antwort des Sprachmodells {llm.split(':', 1)[-1]} "
            "wurde nicht verwendet (Grund im Hinweis oben)"
        )
    elif mode == "strukturiert":
        how = "Antwort direkt aus den Projektdaten der Broschüre"
    elif mode == "extraktiv":
        how = "Antwort aus zitierten Stellen der Broschüre (ohne Sprachmodell)"
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
    answer: Answer,
    question: str,
    turn: int,
    notice: str = "",
    filters: dict[str, str | None] | None = None,
    llm: str = "",
) -> str:
    parts = []
    if notice:
        parts.append(f'<p class="hinweis">{html.escape(notice)}</p>\n')
    parts.append(answer_markdown(answer.text, answer.sources, turn))
    if answer.notice:
        parts.append(f'\n\n<p class="hinweis">{html.escape(answer.notice)}</p>')
    how = mode_text(answer, filters, llm)
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
    return [p.name, p.category, p.size_class, ", ".join(p.states), p.title, p.motto, ", ".join(p.fields), p.page]


def table_value(rows: Sequence[Project]) -> dict[str, Any]:
    """The value of the project table: headers and one row per project."""
    return {"headers": TABLE_HEADERS, "data": [project_row(p) for p in rows]}


def filter_projects(
    projects: Sequence[Project],
    search: str = "",
    category: object = None,
    state: object = None,
    field: object = None,
) -> list[Project]:
    """Projects matching the category/Bundesland/Handlungsfeld filters and every word of ``search``
    (umlaut-insensitive)."""
    f = make_filters(category, state)
    wanted_field = norm_filter(field)
    needles = fold(search or "").split()
    out = []
    for p in projects:
        if f["category"] and p.category != f["category"]:
            continue
        if f["state"] and f["state"] not in p.states:
            continue
        if wanted_field and wanted_field not in p.fields:
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
        w.writerow([csv_safe(v) for v in project_row(p)])
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
