"""The web app with the REAL Assistant, driven through gradio_client on 127.0.0.1 (random free port)."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_app import Server, free_port, text_of

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

KLEINSTAEDTE = "Welche Kleinstädte wurden 2021 gefördert?"


@pytest.fixture(scope="module")
def server(assistant: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = Server(assistant, tmp_path_factory.mktemp("app-feedback") / "feedback.jsonl")
    yield s
    s.close()


def cards(answer_html: str) -> list[str]:
    """The source cards' head lines: "[n] Projekt · Größenklasse · Bundesland · S. x"."""
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'<div class="quelle-kopf">(.*?)</div>', answer_html)]


def test_chat_answer_with_source_cards(server: Server) -> None:
    c = server.client()
    job = c.submit(KLEINSTAEDTE, "Alle", "Alle", api_name="/ask")
    chat, box = job.result(timeout=120)
    assert box == ""
    assert [m["role"] for m in chat] == ["user", "assistant"]
    answer = text_of(chat[1])
    assert "Guben" in answer and "Linz am Rhein" in answer
    heads = cards(answer)
    assert any(h.startswith("[1] Guben · Größere Kleinstadt · Brandenburg · S. 31") for h in heads), heads
    assert any("Linz am Rhein · Kleine Kleinstadt · Rheinland-Pfalz · S. 32" in h for h in heads), heads
    assert "<mark>Kleinstädte</mark>" in answer
    # every [n] marker of the answer points at a card with that anchor
    for n in re.findall(r'href="#quelle-0-(\d+)"', answer):
        assert f'id="quelle-0-{n}"' in answer
    assert len(job.outputs()) >= 2  # streamed: placeholder first, then the answer


def test_history_is_used_and_per_session(server: Server) -> None:
    a, b = server.client(), server.client()
    results: dict[str, Any] = {}

    def ask(name: str, client: Any, question: str) -> None:
        results[name] = client.predict(question, "Alle", "Alle", api_name="/ask")[0]

    a.predict("Was plant Guben?", "Alle", "Alle", api_name="/ask")
    threads = [
        threading.Thread(target=ask, args=("a", a, "In welchem Bundesland liegt das?")),
        threading.Thread(target=ask, args=("b", b, "Welche Projekte gibt es in Bayern?")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    chat_a, chat_b = results["a"], results["b"]
    assert len(chat_a) == 4 and len(chat_b) == 2  # b does not see a's conversation
    assert "Brandenburg" in text_of(chat_a[3])  # follow-up resolved with a's own history
    assert "Was plant Guben" not in json.dumps(chat_b, ensure_ascii=False)
    assert "Regensburg" in text_of(chat_b[1])


def test_filters_narrow_retrieval(server: Server) -> None:
    c = server.client()
    chat, _ = c.predict("Welche Projekte beschäftigen sich mit Mobilität?", "Alle", "Bayern", api_name="/ask")
    heads = cards(text_of(chat[-1]))
    assert heads and all("Bayern" in h for h in heads), heads
    chat, _ = c.predict("Welche Projekte beschäftigen sich mit Mobilität?", "Mittelstädte", "Alle", api_name="/ask")
    answer = text_of(chat[-1])
    assert "Bochum" not in answer and ("Mittelstadt" in answer)


def test_script_in_question_is_escaped(server: Server) -> None:
    chat, _ = server.client().predict(
        "<script>alert(1)</script><img src=x onerror=alert(2)>", "Alle", "Alle", api_name="/ask"
    )
    dumped = json.dumps(chat)
    assert "<script" not in dumped and "<img" not in dumped


def test_long_question_is_cut_with_notice(server: Server) -> None:
    chat, _ = server.client().predict("Was plant Guben? " + "bla " * 800, "Alle", "Alle", api_name="/ask")
    assert "gekürzt" in text_of(chat[-1])


def test_feedback_jsonl(server: Server) -> None:
    c = server.client()
    c.predict(KLEINSTAEDTE, "Alle", "Alle", api_name="/ask")
    status, _ = c.predict("Sehr gut <b>!</b>", api_name="/feedback_gut")
    assert status == "Danke für Ihre Bewertung!"
    rec = json.loads(server.feedback.read_text(encoding="utf-8").splitlines()[-1])
    assert rec["question"] == KLEINSTAEDTE and rec["rating"] == "gut"
    assert "Guben" in rec["answer"] and {s["project"] for s in rec["sources"]} >= {"Guben", "Linz am Rhein"}
    assert set(rec) == {"time", "rating", "question", "answer", "sources", "mode", "filters", "comment"}


def test_projects_table_filters_and_csv(server: Server) -> None:
    c = server.client()
    table, csv_path, count = c.predict("", "Alle", "Alle", "Alle", api_name="/projects")
    assert len(table["data"]) == 28 and count == "28 von 28 Projekten"
    assert table["headers"] == ["Name", "Kategorie", "Größenklasse", "Bundesland", "Projekttitel", "Motto", "Handlungsfelder", "Seite"]

    table, csv_path, count = c.predict("", "Alle", "Nordrhein-Westfalen", "Alle", api_name="/projects")
    names = [r[0] for r in table["data"]]
    assert set(names) == {"Bochum", "Münster", "Oberhausen", "Wuppertal", "Detmold", "Kreis Höxter"}
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [r["Name"] for r in rows] == names
    assert all("Nordrhein-Westfalen" in r["Bundesland"] for r in rows)

    table, _, _ = c.predict("", "Kleinstädte und Landgemeinden", "Alle", api_name="/projects")
    assert [r[0] for r in table["data"]] == ["Guben", "Linz am Rhein"]
    table, _, _ = c.predict("Lausitz", "Alle", "Alle", api_name="/projects")
    assert [r[0] for r in table["data"]] == ["Guben"]

    detail = c.predict("Linz am Rhein", api_name="/project")
    assert "Mission smarte Region Linz am Rhein" in detail and detail.count("<p>") > 3


def test_similar_projects(server: Server) -> None:
    c = server.client()
    text = "Wir wollen eine digitale Bürgerbeteiligung für unser Dorf aufbauen"
    out = c.predict(text, "Alle", "Alle", 5, api_name="/similar")
    assert out.count('class="treffer"') == 5 and "Warum:" in out
    out = c.predict(text, "Kleinstädte und Landgemeinden", "Alle", 5, api_name="/similar")
    ranked = re.findall(r'<div class="treffer-kopf">\d+\. ([^<]+?) <span', out)
    assert set(ranked) <= {"Guben", "Linz am Rhein"} and ranked
    assert "Bitte beschreiben" in c.predict("   ", "Alle", "Alle", 5, api_name="/similar")


def test_app_starts_without_rebuilding_an_existing_index(assistant: Any) -> None:
    """`python app.py` as a user starts it: the index of the session exists, so no rebuild."""
    port = free_port()
    env = {
        **os.environ,
        "RAG_DATA_DIR": str(assistant.config.data_dir),
        "RAG_CORPUS_DIR": str(assistant.config.corpus_dir),
        "RAG_EMBEDDER": assistant.config.embedder,
        "RAG_LLM": "",
    }
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        ready = None
        while time.perf_counter() - t0 < 60 and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as r:
                    if r.status == 200:
                        ready = time.perf_counter() - t0
                        break
            except OSError:
                time.sleep(0.2)
        assert ready is not None, "die App ist nicht gestartet"
        # the ready line is printed right after launch() returns, which can be just after the first HTTP 200
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and not any("Web-App bereit" in line for line in lines):
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        reader.join(timeout=10)
    err = "".join(lines)
    m = re.search(r"Web-App bereit nach ([0-9.]+) s", err)
    assert m, err[-2000:]
    print(f"\nstart: {ready:.1f} s bis HTTP 200 (davon Laden + Aufbau: {m.group(1)} s)")
    assert "Index wird aufgebaut" not in err  # the existing index was used (start times: bench.latency, not here)


def _with_fake_llm(assistant: Any, responses: list[Any]) -> Any:
    import importlib

    llm_pkg = importlib.import_module("rag.llm")
    if not hasattr(llm_pkg, "generate_answer"):
        pytest.skip("rag.llm.generate_answer gibt es noch nicht")
    from rag.assistant import Assistant
    from rag.llm.fake import FakeLLM

    llm = FakeLLM(responses, model="qwen-test")
    return Assistant(assistant.config, assistant.corpus, assistant.index, assistant.embedder, llm=llm)


@pytest.mark.parametrize("fails", [False, True], ids=["llm", "llm-timeout"])
def test_chat_with_language_model_and_fallback(assistant: Any, tmp_path: Path, fails: bool) -> None:
    from rag.llm.base import LLMTimeout

    response: Any = LLMTimeout("zu langsam") if fails else "Gefördert wurden Guben [1] und Linz am Rhein [2]."
    server = Server(_with_fake_llm(assistant, [response] * 3), tmp_path / "feedback.jsonl")
    try:
        c = server.client()
        chat, _ = c.predict("Was plant Guben?", "Alle", "Alle", api_name="/ask")
        answer = text_of(chat[-1])
        assert "Guben" in answer and 'class="quelle"' in answer
        assert "Traceback" not in answer and "LLMTimeout" not in answer
        assert "qwen-test" in server.assistant.mode_label
    finally:
        server.close()
