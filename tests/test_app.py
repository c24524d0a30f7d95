"""Web app (rag/web/): pure rendering/escaping helpers and the handlers, with a small fake assistant.

The fake implements the contract of docs/CONTRACT.md with hand-made objects, so these tests are fast and
need no index; the tests against the real ``Assistant`` are in test_app_integration.py / test_browser.py.
"""

from __future__ import annotations

import csv
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rag.types import Answer, Corpus, OverviewEntry, Project, Similar, Source
from rag.web import app as webapp
from rag.web import render
from rag.web.feedback import FeedbackLog, feedback_record

# gradio's own queue code triggers pandas deprecation warnings; not ours to fix
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

GUBEN = Project(
    name="Guben",
    category="Kleinstädte und Landgemeinden",
    size_class="Größere Kleinstadt",
    states=("Brandenburg",),
    title="Eurostadt Guben/Gubin - Stadt ohne Grenzen",
    motto="Ein kleiner Schritt für Europa, ein SMARTER für Guben",
    text="Die Lausitzer Kleinstadt Guben liegt an der Neiße.\n\nGuben plant eine Datenplattform.",
    page=31,
)
LINZ = Project(
    name="Linz am Rhein",
    category="Kleinstädte und Landgemeinden",
    size_class="Kleine Kleinstadt",
    states=("Rheinland-Pfalz",),
    title="Mission smarte Region Linz am Rhein",
    motto="Linz verbindet Lebenswelten: fürsorglich, menschlich, bunt",
    text="Linz am Rhein setzt auf Mobilität im ländlichen Raum.",
    page=32,
)
REGENSBURG = Project(
    name="Regensburg",
    category="Großstädte",
    size_class="Kleinere Großstadt",
    states=("Bayern",),
    title="REGENSBURG_NEXT",
    motto="Unsere Stadt gemeinsam neu entdecken und erfinden",
    text="Regensburg <script>alert(1)</script> entwickelt einen digitalen Zwilling.",
    page=18,
)
CORPUS = Corpus(
    projects=(GUBEN, LINZ, REGENSBURG),
    sections=(),
    overview=(
        OverviewEntry("Berlin", "Großstädte"),
        OverviewEntry("Regensburg", "Großstädte", is_2021=True, project="Regensburg"),
        OverviewEntry("Haßfurt", "Kleinstädte und Landgemeinden", partners=("Königsberg i. Bay.",)),
        OverviewEntry("Guben", "Kleinstädte und Landgemeinden", is_2021=True, project="Guben"),
    ),
)


def src(n: int, p: Project, snippet: str) -> Source:
    return Source(
        n=n,
        project=p.name,
        page=p.page,
        category=p.category,
        states=p.states,
        snippet=snippet,
        score=1.0,
        size_class=p.size_class,
        section="Steckbrief",
        document="broschuere",
    )


class FakeAssistant:
    """Same methods as rag.assistant.Assistant, hand-made answers; records the calls."""

    mode_label = "ohne Sprachmodell (extraktiv)"

    def __init__(self, fail: bool = False) -> None:
        self.corpus = CORPUS
        self.fail = fail
        self.calls: list[tuple[str, list[dict[str, str]], dict[str, Any] | None]] = []

    def ask_stream(
        self, question: str, history: list[dict[str, str]] | None = None, filters: dict[str, Any] | None = None
    ) -> Iterator[str | Answer]:
        self.calls.append((question, list(history or []), filters))
        if self.fail:
            raise RuntimeError("kaputt: Traceback (most recent call last)")
        if "explodiere" in question:
            yield "Ein Teil der Antwort\n"
            raise RuntimeError("mitten im Streamen")
        if "Kleinstädte" in question:
            text = "Gefördert wurden:\n\n1. Guben [1]\n2. Linz am Rhein [2]"
            sources: tuple[Source, ...] = (
                src(1, GUBEN, "Guben – Kategorie: Kleinstädte und Landgemeinden (Größere Kleinstadt)."),
                src(2, LINZ, "Linz am Rhein – Kategorie: Kleinstädte und Landgemeinden."),
            )
        else:
            text = f"Zu „{question}“ habe ich nichts gefunden."
            sources = ()
        yield from text.splitlines(keepends=True)
        yield Answer(text, sources, mode="extraktiv", projects=tuple(s.project for s in sources))

    def similar(self, text: str, k: int = 5, filters: dict[str, Any] | None = None) -> list[Similar]:
        if self.fail:
            raise RuntimeError("kaputt")
        out = [
            Similar("Guben", GUBEN.category, GUBEN.states, 31, 0.9, "gemeinsame Themen: Datenplattform <b>"),
            Similar("Regensburg", REGENSBURG.category, REGENSBURG.states, 18, 0.5, "inhaltlich ähnlich"),
        ]
        cat = (filters or {}).get("category")
        return [s for s in out if not cat or s.category == cat][:k]

    def projects(self, category: str | None = None, state: str | None = None) -> list[Project]:
        return [
            p for p in CORPUS.projects if (not category or p.category == category) and (not state or state in p.states)
        ]


# -- pure helpers ---------------------------------------------------------------------------------


def test_import_has_no_singletons() -> None:
    import gradio as gr

    for module in (webapp, render):
        assert not [v for v in vars(module).values() if isinstance(v, gr.Blocks | FakeAssistant)]
    assert webapp.os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"


def test_clean_input_cuts_long_text_with_german_notice() -> None:
    text, notice = render.clean_input("a" * 2500)
    assert len(text) == render.MAX_INPUT == 2000
    assert "gekürzt" in notice and "2500" in notice
    assert render.clean_input("  Frage\x00 mit\x07 Steuerzeichen  ") == ("Frage  mit  Steuerzeichen", "")
    assert render.clean_input(None) == ("", "")


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[klick](javascript:alert(1))",
        "![bild](http://example.com/x.png)",
        "<a href='http://example.com'>x</a>",
    ],
)
def test_escape_md_neutralises_html_and_markdown(evil: str) -> None:
    out = render.escape_md(evil)
    assert "<" not in out and ">" not in out
    assert "](" not in out and "![" not in out


def test_answer_markdown_links_markers_and_escapes() -> None:
    sources = [src(1, GUBEN, "x"), src(2, LINZ, "y")]
    out = render.answer_markdown("Guben [1] und <script>x</script> [2] und [7] ![a](http://e)", sources, turn=3)
    assert '<a class="ref" href="#quelle-3-1" title="Guben, S. 31">[1]</a>' in out
    assert 'href="#quelle-3-2"' in out
    assert "[7]" in out and "#quelle-3-7" not in out  # no source -> no link
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "![" not in out and "](" not in out


def test_highlight_marks_question_words_and_escapes() -> None:
    out = render.highlight("Die Kleinstadt <b>Guben</b> & Kleinstädte", "Welche Kleinstädte gibt es?")
    assert out.count("<mark>") == 2
    assert "<mark>Kleinstadt</mark>" in out and "<mark>Kleinstädte</mark>" in out
    assert "&lt;b&gt;" in out and "&amp;" in out and "<b>" not in out
    assert "<mark>" not in render.highlight("Die Welt", "")


def test_source_cards_show_project_size_state_page_and_anchor() -> None:
    sources = [src(1, GUBEN, "Guben ist eine Kleinstadt <script>alert(1)</script>")]
    html = render.source_cards_html(sources, "Welche Kleinstädte?", turn=0)
    assert 'id="quelle-0-1"' in html
    for part in ("[1]", "Guben", "Größere Kleinstadt", "Brandenburg", "S. 31", "<mark>Kleinstadt</mark>"):
        assert part in html
    assert "<script>" not in html
    assert render.source_cards_html([], "x", 0) == ""


def test_source_cards_for_general_sections() -> None:
    s = Source(n=1, project="", page=4, category="", states=(), snippet="Einleitung", score=1.0, section="einleitung")
    assert "Einleitung" in render.source_cards_html([s], "Einleitung", 0)
    assert render.source_label(s) == "Einleitung, S. 4"


def test_render_answer_with_notices() -> None:
    ans = Answer("Text [1]", (src(1, GUBEN, "x"),), notice="Hinweis <i>vom</i> System")
    out = render.render_answer(ans, "Frage", 1, notice="Eingabe gekürzt")
    assert "Eingabe gekürzt" in out and "&lt;i&gt;vom&lt;/i&gt;" in out and 'id="quelle-1-1"' in out


def test_mode_text_says_how_the_answer_was_made() -> None:
    assert "Projektdaten" in render.mode_text(Answer("x", mode="strukturiert"))
    assert "ohne Sprachmodell" in render.mode_text(Answer("x", mode="extraktiv"))
    assert "Geprüfte Antwort des Sprachmodells qwen2.5:3b" in render.mode_text(Answer("x", mode="ollama:qwen2.5:3b"))
    assert "Geprüfte Antwort des Sprachmodells qwen" in render.mode_text(
        Answer("x", mode="openai:qwen"), llm="openai:qwen"
    )
    assert render.mode_text(Answer("x", mode="fehler")) == ""
    out = render.mode_text(Answer("x"), {"category": None, "state": "Bayern"})
    assert out.endswith("Suche eingeschränkt auf Bundesland Bayern")
    out = render.render_answer(Answer("x", mode="extraktiv"), "x", 0, filters={"category": "Großstädte", "state": None})
    assert "Kategorie Großstädte" in out


def test_mode_text_names_the_fallback_when_a_model_is_configured() -> None:
    fallback = Answer("Guben [1]", (src(1, GUBEN, "x"),), notice="Hinweis: Das Sprachmodell hat nicht …")
    out = render.mode_text(fallback, llm="openai:qwen2.5-3b")
    assert out.startswith("Ersatzantwort direkt aus der Broschüre") and "qwen2.5-3b wurde nicht verwendet" in out
    assert "Grund im Hinweis" in out
    abstention = Answer("Dazu steht nichts in der Broschüre.", answerable=False)
    assert "Ersatzantwort" not in render.mode_text(abstention, llm="openai:qwen2.5-3b")
    assert "ohne Sprachmodell" in render.mode_text(fallback)  # no model configured


class ModelAssistant(FakeAssistant):
    """Streams unchecked model text (control codes, a foreign link), then a checked answer or the fallback."""

    mode_label = "mit Sprachmodell qwen (OpenAI-kompatibler Server)"

    class llm:  # stands in for the model object, only its name is read
        name = "openai:qwen"

    def ask_stream(
        self, question: str, history: list[dict[str, str]] | None = None, filters: dict[str, Any] | None = None
    ) -> Iterator[str | Answer]:
        sources = (src(1, GUBEN, "Guben plant eine Datenplattform."),)
        for piece in ("Guben \x1b]0;gehackt\x07plant ", "eine Plattform, ", "siehe https://evil.example/x ", "[1]."):
            time.sleep(0.06)
            yield piece
        if "prüfe" in question:
            yield Answer("Guben plant eine Datenplattform [1].", sources, mode="openai:qwen", projects=("Guben",))
        else:
            notice = "Hinweis: Das Sprachmodell hat nicht auf Deutsch geantwortet. Hier die Antwort direkt aus der Broschüre."
            yield Answer("Guben plant eine Datenplattform [1].", sources, notice=notice, projects=("Guben",))


@pytest.mark.parametrize("question", ["Was plant Guben? prüfe", "Was plant Guben?"])
def test_model_preview_is_marked_and_cleaned_then_replaced(tmp_path: Path, question: str) -> None:
    app = webapp.WebApp(ModelAssistant(), feedback_path=tmp_path / "fb.jsonl", files_dir=tmp_path)
    states = [out[0][-1]["content"] for out in app.ask(question, "Alle", "Alle", [], [])]
    previews = [c for c in states if "▌" in c]
    assert previews and all(webapp.PREVIEW_NOTE in c for c in previews)
    assert not any("\x1b" in c or "evil" in c or "gehackt" in c for c in states)
    final = states[-1]
    assert webapp.PREVIEW_NOTE not in final and "▌" not in final
    if "prüfe" in question:
        assert "Geprüfte Antwort des Sprachmodells qwen" in final and "Ersatzantwort" not in final
    else:
        assert "nicht auf Deutsch geantwortet" in final and "Ersatzantwort direkt aus der Broschüre" in final


def test_filters_map_alle_to_none() -> None:
    assert render.make_filters("Alle", "Alle") == {"category": None, "state": None}
    assert render.make_filters("Großstädte", "Bayern") == {"category": "Großstädte", "state": "Bayern"}
    assert render.make_filters("Unsinn", None) == {"category": None, "state": None}


def test_filter_projects_by_category_state_and_text() -> None:
    ps = list(CORPUS.projects)
    assert [p.name for p in render.filter_projects(ps, "", "Kleinstädte und Landgemeinden", "Alle")] == [
        "Guben",
        "Linz am Rhein",
    ]
    assert [p.name for p in render.filter_projects(ps, "", "Alle", "Bayern")] == ["Regensburg"]
    # umlaut-insensitive
    assert [p.name for p in render.filter_projects(ps, "mobilitat", None, None)] == ["Linz am Rhein"]
    assert [p.name for p in render.filter_projects(ps, "guben datenplattform", None, None)] == ["Guben"]
    assert render.filter_projects(ps, "gibtsnicht", None, None) == []


def test_write_csv(tmp_path: Path) -> None:
    path = render.write_csv(list(CORPUS.projects), tmp_path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0] == render.TABLE_HEADERS
    assert rows[1][:4] == ["Guben", "Kleinstädte und Landgemeinden", "Größere Kleinstadt", "Brandenburg"]
    assert rows[1][7] == "31"
    assert len(rows) == 4
    assert render.write_csv(list(CORPUS.projects), tmp_path) == path  # same content, same file
    assert render.write_csv([GUBEN], tmp_path) != path
    assert len(list(tmp_path.rglob("*.csv"))) == 2 and not list(tmp_path.rglob("*.tmp"))


def test_project_detail_and_overview_escape() -> None:
    html = render.project_detail_html(REGENSBURG)
    assert "&lt;script&gt;" in html and "<script>" not in html and "REGENSBURG_NEXT" in html
    assert "Bitte wählen Sie ein Projekt" in render.project_detail_html(None)
    ov = render.overview_html(CORPUS)
    assert ov.count('class="badge-2021"') == 2 + 1  # two entries plus the legend
    assert "Haßfurt (mit Königsberg i. Bay.)" in ov and "Großstädte (2)" in ov


def test_similar_html_escapes_reason() -> None:
    html = render.similar_html(FakeAssistant().similar("x"), CORPUS)
    assert "1. Guben" in html and "Größere Kleinstadt" in html and "&lt;b&gt;" in html and "0,90" in html
    assert "Keine vergleichbaren" in render.similar_html([])


def test_feedback_record_has_nothing_personal(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "fb" / "feedback.jsonl")
    turn = {"question": "F", "answer": "A", "sources": [{"n": 1}], "mode": "extraktiv", "filters": {}, "msg_index": 1}
    log.write(feedback_record(turn, "gut", "<script>x</script>"))
    rec = json.loads((tmp_path / "fb" / "feedback.jsonl").read_text(encoding="utf-8"))
    assert set(rec) == {"time", "rating", "question", "answer", "sources", "mode", "filters", "comment"}
    assert rec["rating"] == "gut" and rec["comment"] == "<script>x</script>"


def test_about_text_is_german() -> None:
    text = render.about_markdown("ohne Sprachmodell (extraktiv)", CORPUS)
    for word in ("Datenquelle", "Stand 2021", "Grenzen", "Wie Antworten entstehen", "extraktiv"):
        assert word in text


# -- handlers through a running server (fake assistant) -------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, assistant: Any, feedback: Path) -> None:
        self.assistant = assistant
        self.feedback = feedback
        self.demo = webapp.build_app(assistant, feedback_path=feedback)
        self.port = free_port()
        webapp.launch(self.demo, host="127.0.0.1", port=self.port, prevent_thread_lock=True, quiet=True)
        self.url = f"http://127.0.0.1:{self.port}/"

    def client(self) -> Any:
        from gradio_client import Client

        return Client(self.url, verbose=False)

    def close(self) -> None:
        self.demo.close()


def text_of(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(c.get("text", "") for c in content if isinstance(c, dict))
    return str(content)


@pytest.fixture(scope="module")
def fake_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(FakeAssistant(), tmp_path_factory.mktemp("fb") / "feedback.jsonl")
    yield server
    server.close()


@pytest.fixture(scope="module")
def failing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(FakeAssistant(fail=True), tmp_path_factory.mktemp("fb2") / "feedback.jsonl")
    yield server
    server.close()


@pytest.mark.integration
def test_fake_chat_history_filters_and_escaping(fake_server: Server) -> None:
    c = fake_server.client()
    chat, box = c.predict("Welche Kleinstädte wurden 2021 gefördert?", "Alle", "Brandenburg", api_name="/ask")
    assert box == ""
    assert [m["role"] for m in chat] == ["user", "assistant"]
    answer = text_of(chat[1])
    assert "Guben" in answer and 'class="quelle"' in answer and "<mark>Kleinstädte</mark>" in answer
    question, history, filters = fake_server.assistant.calls[-1]
    assert filters == {"category": None, "state": "Brandenburg"} and history == []

    chat, _ = c.predict("<script>alert(1)</script>", "Großstädte", "Alle", api_name="/ask")
    assert len(chat) == 4
    assert "<script>" not in text_of(chat[2]) and "<script>" not in text_of(chat[3])
    question, history, filters = fake_server.assistant.calls[-1]
    assert question == "<script>alert(1)</script>"  # the assistant gets the raw text, only the display is escaped
    assert history[0]["content"] == "Welche Kleinstädte wurden 2021 gefördert?" and len(history) == 2
    assert filters == {"category": "Großstädte", "state": None}


@pytest.mark.integration
def test_fake_long_input_is_cut_with_notice(fake_server: Server) -> None:
    c = fake_server.client()
    chat, _ = c.predict("Frage " + "x" * 3000, "Alle", "Alle", api_name="/ask")
    assert "gekürzt" in text_of(chat[-1])
    assert len(fake_server.assistant.calls[-1][0]) == 2000


@pytest.mark.integration
def test_fake_empty_question_does_nothing(fake_server: Server) -> None:
    chat, _ = fake_server.client().predict("   ", "Alle", "Alle", api_name="/ask")
    assert chat == []


@pytest.mark.integration
def test_fake_feedback_written(fake_server: Server) -> None:
    c = fake_server.client()
    status, _ = c.predict("", api_name="/feedback_gut")
    assert "noch keine Antwort" in status
    c.predict("Welche Kleinstädte wurden 2021 gefördert?", "Alle", "Alle", api_name="/ask")
    status, comment = c.predict("<script>alert('x')</script>", api_name="/feedback_schlecht")
    assert status == "Danke für Ihre Bewertung!" and comment == ""
    rec = json.loads(fake_server.feedback.read_text(encoding="utf-8").splitlines()[-1])
    assert rec["rating"] == "schlecht" and rec["question"] == "Welche Kleinstädte wurden 2021 gefördert?"
    assert [s["project"] for s in rec["sources"]] == ["Guben", "Linz am Rhein"]
    assert "127.0.0.1" not in json.dumps(rec)


@pytest.mark.integration
def test_fake_errors_show_german_message_not_traceback(failing_server: Server) -> None:
    c = failing_server.client()
    chat, _ = c.predict("Welche Kleinstädte wurden 2021 gefördert?", "Alle", "Alle", api_name="/ask")
    assert text_of(chat[-1]) == webapp.ERROR_MESSAGE
    assert "Traceback" not in json.dumps(chat)
    out = c.predict("Bürgerbeteiligung", "Alle", "Alle", 5, api_name="/similar")
    assert "Fehler" in out and "Traceback" not in out


@pytest.mark.integration
def test_fake_error_while_streaming_replaces_the_partial_answer(fake_server: Server) -> None:
    c = fake_server.client()
    chat, _ = c.predict("Welche Kleinstädte wurden 2021 gefördert?", "Alle", "Alle", api_name="/ask")
    chat, _ = c.predict("Bitte explodiere", "Alle", "Alle", api_name="/ask")
    assert [m["role"] for m in chat] == ["user", "assistant", "user", "assistant"]
    assert text_of(chat[3]) == webapp.ERROR_MESSAGE and "Guben" in text_of(chat[1])
    chat, _ = c.predict("Welche Kleinstädte wurden 2021 gefördert?", "Alle", "Alle", api_name="/ask")
    assert len(chat) == 6 and "Guben" in text_of(chat[5])


@pytest.mark.integration
def test_fake_projects_similar_and_reset(fake_server: Server) -> None:
    c = fake_server.client()
    table, csv_path, count = c.predict("", "Alle", "Bayern", "Alle", api_name="/projects")
    assert [r[0] for r in table["data"]] == ["Regensburg"] and count == "1 von 3 Projekten"
    assert "Regensburg" in Path(csv_path).read_text(encoding="utf-8-sig")
    assert "Eurostadt" in c.predict("Guben", api_name="/project")
    out = c.predict("Datenplattform", "Großstädte", "Alle", 5, api_name="/similar")
    assert "Regensburg" in out and "Guben" not in out
    c.predict("Welche Kleinstädte wurden 2021 gefördert?", "Alle", "Alle", api_name="/ask")
    c.predict(api_name="/reset")
    chat, _ = c.predict("Noch eine Frage", "Alle", "Alle", api_name="/ask")
    assert len(chat) == 2


@pytest.mark.integration
def test_fake_startup_is_fast(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    server = Server(FakeAssistant(), tmp_path / "feedback.jsonl")
    try:
        assert time.perf_counter() - t0 < 10
    finally:
        server.close()


def test_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    import dataclasses

    hostile = dataclasses.replace(CORPUS.projects[0], title="=cmd|' /C calc'!A0", motto="+1+1")
    path = render.write_csv([hostile], tmp_path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        row = list(csv.reader(fh, delimiter=";"))[1]
    assert row[4].startswith("'=") and row[5] == "'+1+1"
