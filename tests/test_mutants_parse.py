"""Question understanding (``rag.understand``) added after the first mutation runs: two-part questions, the
question sentence and its preamble, negation scope, size ranks, yes/no, lists among the previous answer's
projects, markup, misspelt Länder. Written against surviving mutants of the fresh run on 93bd9da (issue #14).
Phrasings are written for these tests, not taken from ``eval/questions.jsonl``."""

from __future__ import annotations

import pytest

from rag.understand import MAX_QUESTION_CHARS, QuestionParser


@pytest.fixture(scope="module")
def qp(corpus) -> QuestionParser:  # type: ignore[no-untyped-def]
    return QuestionParser(corpus)


def test_the_projects_of_the_last_answer(qp: QuestionParser) -> None:
    assert qp._last_answer_projects([{"role": "user", "content": "Was plant Guben?"}]) == []  # no answer yet
    turns = [
        {"role": "assistant", "content": "Guben und Einbeck."},
        {"role": "user", "content": "Und Kiel?"},
        {"role": "assistant", "content": "Linz am Rhein."},
    ]
    assert qp._last_answer_projects(turns) == ["Linz am Rhein"]
    # a long answer is read up to four times the question limit
    far = " " * (4 * MAX_QUESTION_CHARS) + "Guben"
    assert qp._last_answer_projects([{"role": "assistant", "content": far}]) == []
    assert qp._last_answer_projects([{"role": "assistant", "content": far.strip()}]) == ["Guben"]
