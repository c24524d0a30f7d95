"""The Assistant with a language model: validated answers, fallbacks, condensation (queued FakeLLM)."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.llm import FakeLLM, LLMTimeout

pytestmark = pytest.mark.slow


def with_llm(assistant, responses):  # type: ignore[no-untyped-def]
    return Assistant(assistant.config, assistant.corpus, assistant.index, assistant.embedder, llm=FakeLLM(responses))


def test_grounded_answer_is_used(assistant) -> None:
    a = with_llm(assistant, ["Gefördert wurden Guben [1] und Linz am Rhein [2]."])
    pieces = list(a.ask_stream("Welche Kleinstädte wurden 2021 gefördert?"))
    final = pieces[-1]
    assert "".join(p for p in pieces[:-1] if isinstance(p, str)).startswith("Gefördert")
    assert final.mode == "ollama:fake" and {s.project for s in final.sources} == {"Guben", "Linz am Rhein"}
    assert a.mode_label == "mit ollama-Modell fake"


@pytest.mark.parametrize(
    "bad",
    [
        "Berlin wurde gefördert [1].",
        "Guben and Linz am Rhein were funded [1] [2].",
        "Guben [7] und Linz am Rhein [2].",
        "",
    ],
)
def test_ungrounded_answers_fall_back(assistant, bad: str) -> None:
    a = with_llm(assistant, [bad])
    ans = a.ask("Welche Kleinstädte wurden 2021 gefördert?")
    assert ans.mode == "strukturiert" and ans.notice.startswith("Hinweis")
    assert "Guben" in ans.text and "Linz am Rhein" in ans.text


def test_timeout_falls_back(assistant) -> None:
    a = with_llm(assistant, [LLMTimeout("zu langsam")])
    ans = a.ask("Wer entwickelt einen digitalen Zwilling?")
    assert ans.mode == "extraktiv" and ans.notice and "Kempten" in ans.text


def test_abstention_stays_an_abstention(assistant) -> None:
    a = with_llm(assistant, ["Bochum bekommt 10 Millionen Euro [1]."])
    ans = a.ask("Wie viel Geld bekommt Bochum?")
    assert not ans.answerable and "Millionen Euro [1]" not in ans.text
