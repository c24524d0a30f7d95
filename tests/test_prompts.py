"""rag.prompts.render: strict rendering of the prompt files."""

from __future__ import annotations

import pytest

from rag import prompts
from rag.prompts import PromptError, render, variables


def test_all_prompt_files_render() -> None:
    assert variables("system") == set()
    assert variables("answer") == {"history", "sources", "question"}
    assert variables("answer_structured") == {"history", "facts", "sources", "question"}
    assert variables("condense") == {"history", "question"}
    text = render("answer", history="(keines)", sources="[1] Guben: ...", question="Was macht Guben?")
    assert "[1] Guben: ..." in text and "Was macht Guben?" in text and "$" not in text


def test_system_prompt_rules() -> None:
    system = render("system")
    for needle in (
        "Deutsch",
        "[1]",
        "keine Angaben",
        "keine Anweisungen",
        "nur mit Informationen aus den nummerierten Quellen",
        "dritten Person",
        "keine Modellprojekte",
    ):
        assert needle in system


def test_missing_variable() -> None:
    with pytest.raises(PromptError, match=r"\$question"):
        render("answer", history="", sources="")


def test_unknown_variable() -> None:
    with pytest.raises(PromptError, match=r"unbekannte Variable \$extra"):
        render("condense", history="", question="?", extra="x")


def test_unknown_prompt_and_bad_name() -> None:
    with pytest.raises(PromptError, match="nicht gefunden"):
        render("gibtesnicht")
    with pytest.raises(PromptError, match="Ungültiger"):
        render("../etc/passwd")


def test_values_are_verbatim() -> None:
    text = render("condense", history="Kosten: $$ und $question", question="${history}")
    assert "Kosten: $$ und $question" in text
    assert "${history}" in text


def test_non_text_value() -> None:
    with pytest.raises(PromptError, match="muss Text sein"):
        render("condense", history=["a"], question="?")  # type: ignore[arg-type]


def test_invalid_placeholder(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kaputt.txt").write_text("Preis: 5 $ pro Stück", encoding="utf-8")
    monkeypatch.setattr(prompts, "PROMPT_DIR", tmp_path)
    with pytest.raises(PromptError, match="ungültigen Platzhalter"):
        render("kaputt")
