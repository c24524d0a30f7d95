"""Output integrity: model text reaches the user only checked, without control sequences or foreign links."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rag import cli
from rag.llm import FakeLLM, clean_display, generate_answer, preview, strip_links
from rag.types import Answer, Source
from tests.test_llm_generate import GUBEN, LINZ, PROJECTS, extractive

ESC_ANSWER = (
    "\x1b]0;gehackt\x07Guben \x1b[31mbaut\x1b[0m eine \x1b]8;;https://evil.example/x\x07digitale\x1b]8;;\x07 "
    "Bürgerplattform\r auf [1].\x1b[2J\x9b31m"
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[1;31mb\x1b[0mc", "abc"),  # CSI colours
        ("a\x1b]0;Titel\x07b", "ab"),  # OSC window title, BEL
        ("a\x1b]8;;https://evil.example\x1b\\Link\x1b]8;;\x1b\\b", "aLinkb"),  # OSC 8 hyperlink, ST
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x1b_APC\x1b\\b\x1b", "ab"),  # APC, a lone ESC at the end
        ("a\x9b2Jb\x9d0;x\x9cc", "abc"),  # 8-bit CSI and OSC
        ("a\rb\x08c\x00d\u202ee\u200bf", "abcdef"),  # carriage return, backspace, NUL, bidi override, zero width
        ("Zeile 1\n\tZeile 2", "Zeile 1\n\tZeile 2"),  # newline and tab stay
    ],
)
def test_clean_display(raw: str, shown: str) -> None:
    assert clean_display(raw) == shown


def test_strip_links_keeps_only_links_from_the_sources() -> None:
    sources = "Mehr unter https://www.guben.de/smart-city."
    text = (
        "Guben [1] informiert unter https://www.guben.de/smart-city. Siehe auch https://evil.example/login?x=1, "
        "[hier klicken](https://evil.example/a) und <http://evil.example/b>."
    )
    assert strip_links(text, sources) == (
        "Guben [1] informiert unter https://www.guben.de/smart-city. Siehe auch, hier klicken und."
    )
    assert "evil" not in preview(text + " https://www.guben.de/smart-city") and "guben.de" not in preview(text)


def test_generate_answer_strips_escapes_and_foreign_links_before_the_check() -> None:
    pieces = [p for p in generate_answer(FakeLLM([ESC_ANSWER]), "Was macht Guben?", [], extractive(), PROJECTS)]
    final = pieces[-1]
    assert isinstance(final, Answer) and final.mode == "ollama:fake"
    assert final.text == "Guben baut eine digitale Bürgerplattform auf [1]."
    linked = "Guben baut eine Bürgerplattform auf [1], Anmeldung unter https://phish.example/guben."
    *_, final = generate_answer(FakeLLM([linked]), "Was macht Guben?", [], extractive(), PROJECTS)
    assert isinstance(final, Answer) and final.mode == "ollama:fake"
    assert "phish" not in final.text and final.text == "Guben baut eine Bürgerplattform auf [1], Anmeldung unter."


def test_links_from_the_sources_stay() -> None:
    guben = Source(1, "Guben", 31, GUBEN.category, GUBEN.states, GUBEN.snippet + " Mehr: https://guben.de/smart.", 0.9)
    ext = Answer("Guben baut eine digitale Bürgerplattform auf [1].", (guben, LINZ), projects=("Guben",))
    answer = "Guben baut eine Bürgerplattform auf, mehr unter https://guben.de/smart [1]."
    *_, final = generate_answer(FakeLLM([answer]), "Was macht Guben?", [], ext, PROJECTS)
    assert isinstance(final, Answer) and final.text == answer


class StubAssistant:
    """Streams pieces like Assistant.ask_stream and ends with ``final``."""

    def __init__(self, pieces: list[str], final: Answer, llm: Any = None) -> None:
        self.pieces, self.final, self.llm = pieces, final, llm

    def ask_stream(self, question: str, history: Any = None, filters: Any = None) -> Iterator[str | Answer]:
        yield from self.pieces
        yield self.final


def test_cli_prints_model_text_only_after_validation(capsys: pytest.CaptureFixture[str]) -> None:
    llm = FakeLLM([], model="qwen2.5:3b")
    unchecked = ["Berlin ", "wurde ", "gefördert ", "[7]. ", "\x1b]0;gehackt\x07"]
    fallback = Answer(extractive().text, extractive().sources, notice="Hinweis: Quelle [7] gibt es nicht.")
    cli._stream(StubAssistant(unchecked, fallback, llm), "Was macht Guben?", [], {})
    out = capsys.readouterr().out
    assert "Berlin" not in out and "\x1b" not in out and "---" not in out
    assert out.startswith(extractive().text) and "Hinweis: Quelle [7] gibt es nicht." in out
    assert "Ersatzantwort direkt aus der Broschüre" in out and "ollama:qwen2.5:3b" in out

    checked = Answer("Guben baut eine Plattform [1].\x1b[2J", extractive().sources, mode="ollama:qwen2.5:3b")
    cli._stream(StubAssistant(["Guben ", "baut ", "[1]."], checked, llm), "Was macht Guben?", [], {})
    out = capsys.readouterr().out
    assert out.startswith("Guben baut eine Plattform [1].\n") and "\x1b" not in out
    assert "Formuliert vom Sprachmodell ollama:qwen2.5:3b" in out and "geprüft" in out


def test_cli_without_model_streams_but_strips_control_codes(capsys: pytest.CaptureFixture[str]) -> None:
    src = Source(1, "Guben", 31, "", ("Brandenburg",), "Guben \x1b[31mrot\x1b[0m baut.", 0.9)
    final = Answer("Guben\x1b]0;x\x07 baut [1].", (src,))
    cli._stream(StubAssistant(["Guben\x1b]0;x\x07 ", "baut [1]."], final), "Was macht Guben?", [], {})
    out = capsys.readouterr().out
    assert out.startswith("Guben baut [1].\n") and "\x1b" not in out and "Guben rot baut." in out
    assert "Sprachmodell" not in out
