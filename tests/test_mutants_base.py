"""What the strategies share (``rag.answer.base``): the topic words a refusal or a comparison echoes, and how the
answers to the two parts of a two-part question become one answer. Written against surviving mutants (issue #14)."""

from __future__ import annotations

import pytest

from rag.answer.base import merge, topic_words
from rag.types import Answer, Source
from tests.mutant_fakes import query


def words(text: str, content: tuple[str, ...], background: tuple[str, ...] = ()) -> str:
    return topic_words(query(text=text, content_terms=content, background=background))


def test_topic_words_are_the_question_sentences_own_not_the_preamble() -> None:
    # "Lehrerin" stands in the preamble (background), "App" in the question sentence: only the asked word is echoed
    assert words("Ich bin Lehrerin. Gibt es eine App?", ("lehr", "app"), background=("lehr",)) == "App"
    # when every content word is background, all of them are the topic
    assert words("Ich bin Lehrerin. Und nun?", ("lehr",), background=("lehr",)) == "Lehrerin"
    assert words("Was gibt es da?", ()) == "Thema der Frage"
    assert words("Was gibt es da?", ("wass",)) == "Thema der Frage"  # a content word the text does not spell


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wer baut einen digitalen Zwilling auf?", "digitalen Zwilling"),
        # two words between the topic's words: still one span …
        ("Wer plant einen digitalen und vernetzten Zwilling?", "digitalen und vernetzten Zwilling"),
        # … three are too many: the words themselves
        ("Wer plant einen digitalen und sehr vernetzten Zwilling?", "digitalen und Zwilling"),
    ],
)
def test_topic_words_are_one_span_when_they_stand_together(text: str, expected: str) -> None:
    assert words(text, ("digital", "zwilling")) == expected


def test_scattered_topic_words_are_named_once_each_at_most_three() -> None:
    text = "Wasser, viele andere Dinge dazu, Energie, Wasser und noch mehr Dinge, Sensoren sowie Parkplätze?"
    assert words(text, ("wass", "energi", "sensor", "parkplatz")) == "Wasser, Energie und Sensoren"


def source(n: int, chunk_id: str) -> Source:
    return Source(n, chunk_id.upper(), n, "", (), f"Satz {chunk_id}", 1.0, chunk_id=chunk_id)


def test_merged_parts_keep_the_first_parts_kind_and_any_parts_answerability() -> None:
    a = Answer("A [1] (Anlage [7])", sources=(source(1, "x"),), mode="strukturiert", intent="lookup",
               answerable=False, notice="Hinweis eins.")  # fmt: skip
    b = Answer("B [1]", sources=(source(1, "y"),), mode="extraktiv", intent="open", answerable=True,
               notice="Hinweis zwei.")  # fmt: skip
    m = merge([a, b])
    # a marker without a source of its answer ("[7]") keeps its number
    assert m.text == "A [1] (Anlage [7])\n\nB [2]"
    assert [(s.n, s.chunk_id) for s in m.sources] == [(1, "x"), (2, "y")]
    assert (m.mode, m.intent) == ("strukturiert", "lookup")
    assert m.answerable is True
    assert m.notice == "Hinweis eins. Hinweis zwei."
    refused = merge([a, Answer("Nichts.", answerable=False, notice="Hinweis eins.")])
    assert refused.answerable is False
    assert refused.notice == "Hinweis eins."  # the same notice once


def test_a_part_already_answered_is_left_out_and_the_parts_after_it_stay() -> None:
    said = "Das Projekt baut eine Plattform für alle Bürger."
    a = Answer(f"„{said}“ [1]", sources=(source(1, "x"),))
    b = Answer(f"Dazu: „{said}“ [1]", sources=(source(1, "x"),))
    c = Answer("Drittens [1]", sources=(source(1, "z"),))
    m = merge([a, b, c])
    assert m.text == f"„{said}“ [1]\n\nDrittens [2]"
    assert [s.chunk_id for s in m.sources] == ["x", "z"]


def test_a_part_is_left_out_only_when_text_and_sources_both_repeat_the_first() -> None:
    a = Answer("Dasselbe [1]", sources=(source(1, "x"),))
    elsewhere = Answer("Dasselbe [1]", sources=(source(1, "y"),))  # same words, another passage
    assert merge([a, elsewhere]).text == "Dasselbe [1]\n\nDasselbe [2]"
    third = Answer("Drittens [1]", sources=(source(1, "z"),))
    m = merge([a, a, third])  # the repeated part is skipped, the one after it kept
    assert m.text == "Dasselbe [1]\n\nDrittens [2]"
