"""End to end in a real browser (Debian chromium via Playwright) against the app with the REAL Assistant.

Asks the first example question, checks the answer and its source cards, switches to the project table and
filters it by Bundesland; nothing violates the server's Content-Security-Policy; writes screenshots to test-artifacts/ (docs/screenshot.png only with --update-screenshot). Every request the
page makes beyond 127.0.0.1 is blocked and fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_app import Server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
KLEINSTAEDTE = "Welche Kleinstädte wurden 2021 gefördert?"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


@pytest.fixture(scope="module")
def server(assistant: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = Server(assistant, tmp_path_factory.mktemp("browser-feedback") / "feedback.jsonl")
    yield s
    s.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} fehlt (Debian-Paket chromium installieren)"
        if os.environ.get("CI") == "true":  # in CI a missing browser is a failure, not a skip
            pytest.fail(message)
        pytest.skip(message + "; Browser-Test übersprungen")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) ist nicht installiert")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


class Page:
    """A page that may only talk to 127.0.0.1 and records blocked requests, dialogs and JS errors."""

    def __init__(self, browser: Any, url: str) -> None:
        self.context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 1100})
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("dialog", self._dialog)
        self.csp: list[str] = []  # what the server's Content-Security-Policy blocked (rag/web/shield.py)
        self.page.on("console", lambda m: self.csp.append(m.text) if "Content Security Policy" in m.text else None)
        self.page.goto(url)
        self.page.wait_for_selector("#frage textarea")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def ask(self, question: str) -> Any:
        p = self.page
        n = p.locator("#chat .quellen, #chat [data-testid='bot']").count()
        p.fill("#frage textarea", question)
        p.click("#senden")
        p.wait_for_function(
            "n => document.querySelectorAll('#chat [data-testid=\"bot\"]').length > 0 && "
            "!document.querySelector('#chat')?.innerText.includes('Suche in der Broschüre') && "
            "document.querySelectorAll('#chat .quellen, #chat [data-testid=\"bot\"]').length > n",
            arg=n,
        )
        p.wait_for_timeout(300)
        return p.locator("#chat [data-testid='bot']").last

    def close(self) -> None:
        self.context.close()


def feedback_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_browser_end_to_end(server: Server, browser: Any, request: pytest.FixtureRequest) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg = Page(browser, server.url)
    p = pg.page
    try:
        assert "ohne Sprachmodell" in p.inner_text("#modus") or "ollama" in p.inner_text("#modus")

        # the first example question fills the question box
        p.get_by_text(KLEINSTAEDTE, exact=True).first.click()
        p.wait_for_function("v => document.querySelector('#frage textarea').value === v", arg=KLEINSTAEDTE)
        p.click("#senden")
        p.wait_for_selector("#chat .quelle")
        p.wait_for_function("!document.querySelector('#chat').innerText.includes('Suche in der Broschüre')")
        bot = p.locator("#chat [data-testid='bot']").last
        answer = bot.inner_text()
        assert "Guben" in answer and "Linz am Rhein" in answer

        heads = p.locator("#chat .quelle .quelle-kopf").all_inner_texts()
        assert any("Guben" in h and "Brandenburg" in h and "S. 31" in h for h in heads), heads
        assert any("Linz am Rhein" in h and "Rheinland-Pfalz" in h and "S. 32" in h for h in heads), heads
        assert p.locator("#chat .quelle mark").count() >= 2
        # the [n] markers link to the cards
        refs = p.locator("#chat a.ref")
        assert refs.count() >= 2
        for i in range(refs.count()):
            target = refs.nth(i).get_attribute("href") or ""
            assert target.startswith("#quelle-") and p.locator(target).count() == 1

        p.screenshot(path=str(ARTIFACTS / "browser-fragen.png"), full_page=True)
        if request.config.getoption("--update-screenshot"):  # the README picture only when asked for
            shutil.copyfile(ARTIFACTS / "browser-fragen.png", ROOT / "docs" / "screenshot.png")

        # feedback: the button under the chat and the chatbot's own thumbs-up, both into the JSONL file
        p.click("#daumen-hoch")
        p.wait_for_function("document.querySelector('#feedback-status').innerText.includes('Danke')")
        assert len(feedback_lines(server.feedback)) == 1
        p.locator("#chat button[aria-label='Gefällt mir'], #chat button[aria-label='Like']").last.click()
        deadline = time.monotonic() + 30
        while len(feedback_lines(server.feedback)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        records = [json.loads(line) for line in feedback_lines(server.feedback)]
        assert [r["rating"] for r in records[-2:]] == ["gut", "gut"]
        assert all(r["question"] == KLEINSTAEDTE and r["sources"] for r in records[-2:])

        # project table, filtered by Bundesland
        p.get_by_role("tab", name="Projekte", exact=True).click()
        p.wait_for_selector("#projekt-land input")
        assert "28 von 28 Projekten" in p.inner_text("#projekt-anzahl")
        p.click("#projekt-land input")
        p.get_by_role("option", name="Bayern", exact=True).click()
        p.wait_for_function("document.querySelector('#projekt-anzahl').innerText.includes('4 von 28')")
        table = p.inner_text("#projekt-tabelle")
        for name in ("Regensburg", "Würzburg", "Kempten (Allgäu)", "Gemeinde Ringelai und Ilzer Land"):
            assert name in table
        assert "Bochum" not in table and "Guben" not in table

        # selecting a row shows the project's full text
        p.locator("#projekt-tabelle").get_by_text("Regensburg", exact=True).first.click()
        p.wait_for_function("document.querySelector('#projekt-text').innerText.includes('REGENSBURG_NEXT')")
        p.screenshot(path=str(ARTIFACTS / "browser-projekte.png"), full_page=True)

        # comparable projects
        p.get_by_role("tab", name="Vergleichbare Projekte", exact=True).click()
        p.fill("#vorhaben textarea", "Wir wollen eine digitale Bürgerbeteiligung für unser Dorf aufbauen.")
        p.click("#vergleich-suchen")
        p.wait_for_selector("#vergleich-ergebnis .treffer")
        assert "Warum:" in p.inner_text("#vergleich-ergebnis")

        p.get_by_role("tab", name="Übersicht 2019–2021", exact=True).click()
        assert "Haßfurt" in p.inner_text("#uebersicht")

        assert pg.blocked == [], f"Anfragen außerhalb von 127.0.0.1: {pg.blocked}"
        assert pg.dialogs == []
        assert pg.csp == [], pg.csp  # the app works under the server's CSP without violating it
    finally:
        pg.close()


def test_browser_script_never_runs_and_sessions_are_separate(server: Server, browser: Any) -> None:
    pg = Page(browser, server.url)
    p = pg.page
    try:
        assert p.locator("#chat [data-testid='user']").count() == 0  # a new session starts empty
        evil = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script> Was plant Guben?'
        pg.ask(evil)
        assert p.evaluate("window.__xss") is None
        assert pg.dialogs == []
        user = p.locator("#chat [data-testid='user']").last.inner_text()
        assert "<script>" in user  # shown as text
        assert p.locator("#chat script, #chat img[src='x']").count() == 0
        assert pg.blocked == [], pg.blocked
    finally:
        pg.close()
