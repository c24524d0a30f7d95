"""One project whose text does not carry the question (``rag.answer.lookup.answer_plans_instead``): what it plans,
and for a yes/no question first that the brochure names nothing of it there, unless a sentence comes close.
Written against surviving mutants (issue #14); the records are ``attr_ctx`` of ``tests/test_mutants_answer.py``."""

from __future__ import annotations

from typing import Any

import pytest

from rag.answer.lookup import ABSENT_COSINE, ABSENT_LEXICAL, answer_plans_instead
from tests.mutant_fakes import chunk, query, scored
from tests.test_mutants_answer import attr_ctx

SUMMARY = (
    "**A** (Große Großstadt, Bayern, S. 11) [1]: Projekttitel „Smart A“, Motto „MA“.\n\n"
    "„Das Projekt verbindet alle Ortsteile mit einem neuen Bus.“ [2]"
)


def plans_ctx(best: list[tuple[float, float]]) -> tuple[Any, list[Any]]:
    """attr_ctx with A's passage and header; best_sentences returns one sentence per (lexical, cosine)."""
    ctx = attr_ctx()
    own = {"A": [chunk("A-p1", "A", text="Das Projekt verbindet alle Ortsteile mit einem neuen Bus."),
                 chunk("A-h", "A", kind="header")]}  # fmt: skip
    ctx.retriever.project_chunks = lambda n: own[n]
    calls: list[Any] = []

    def best_sentences(q, hits, **kw):  # type: ignore[no-untyped-def]
        calls.append(([h.chunk.id for h in hits], kw))
        return [scored(hits[0].chunk, "Ein Satz.", lexical=lex, cosine=cos) for lex, cos in best]

    # no other project carries the question either (``elsewhere`` finds nothing)
    rank = staticmethod(lambda q, filters=None: [])  # type: ignore[no-untyped-def]
    ctx.evidence = type("E", (), {"best_sentences": staticmethod(best_sentences), "rank_projects": rank})()
    return ctx, calls


YES_NO = query(text="Baut A eine Seilbahn?", projects=("A",), content_terms=("seilbahn",), yes_no=True)


def test_without_a_yes_no_question_it_is_what_the_project_plans() -> None:
    ctx, calls = plans_ctx([])
    ans = answer_plans_instead(ctx, query(projects=("A",), content_terms=("seilbahn",), attributes=("motto",)))
    assert ans.text == SUMMARY and calls == []  # the summary, not the motto asked for with the absent topic


def test_a_yes_no_question_nothing_touches_is_told_so_first() -> None:
    ctx, calls = plans_ctx([])
    ans = answer_plans_instead(ctx, YES_NO)
    assert (
        ans.text
        == "Zum Stichwort „Seilbahn“ nennt die Broschüre bei A nichts. Was A laut Broschüre plant:\n\n" + SUMMARY
    )
    assert calls == [(["A-p1"], {"limit": 1})]  # the project's passages only, its best sentence


@pytest.mark.parametrize(
    ("lexical", "cosine", "close"),
    [
        (ABSENT_LEXICAL, 0.0, True),
        (0.0, ABSENT_COSINE, True),
        (0.3499, 0.8599, False),
    ],
)
def test_a_weak_sentence_on_the_topic_is_enough_not_to_say_nothing(lexical: float, cosine: float, close: bool) -> None:
    assert (ABSENT_LEXICAL, ABSENT_COSINE) == (0.35, 0.86)
    ctx, _ = plans_ctx([(lexical, cosine)])
    text = answer_plans_instead(ctx, YES_NO).text
    assert (text == SUMMARY) is close
    assert text.endswith(SUMMARY)


def test_the_size_sentence_needs_a_size_word_and_a_number() -> None:
    from types import SimpleNamespace

    from rag.answer.lookup import _size_sentence

    text = ("Viele Menschen leben gern im Ort. Seit 2019 sind 12 Partner dabei. "
            "Der Landkreis hat rund 142.000 Einwohner auf 1.150 qkm.")  # fmt: skip
    own = [chunk("A-h", "A", kind="header", text="Einwohner: 5.000"), chunk("A-p", "A", text=text)]
    ctx = SimpleNamespace(retriever=SimpleNamespace(project_chunks=lambda n: own))
    unit, c = _size_sentence(ctx, SimpleNamespace(name="A"))  # type: ignore[arg-type,misc]
    assert (unit, c.id) == ("Der Landkreis hat rund 142.000 Einwohner auf 1.150 qkm.", "A-p")


def test_a_quoted_value_is_checked_against_the_record() -> None:
    from rag.answer.lookup import _record_verdict
    from tests.mutant_fakes import project

    p = project("X", title="Die Stadt", motto="Vorwärts")
    assert _record_verdict(query(attributes=("motto",), phrase="Die Stadt.", quoted=True), p) == (
        "Nein – „Die Stadt.“ ist der Projekttitel von X."
    )
    assert _record_verdict(query(attributes=("title",), phrase="vorwärts", quoted=True), p) == "Nein – „vorwärts“ ist das Motto von X."
    assert _record_verdict(query(attributes=("motto",), phrase="Vorwärts", quoted=True), p) == "Ja."
    assert _record_verdict(query(attributes=("motto",), phrase="Rückwärts", quoted=True), p) == "Nein."
    assert _record_verdict(query(attributes=("motto",), phrase="Die Stadt"), p) == ""  # an earlier turn, not quoted
    assert _record_verdict(query(attributes=("motto",)), p) == ""  # nothing quoted: nothing to check
    assert _record_verdict(query(attributes=("states",), phrase="Die Stadt", quoted=True), p) == ""
    same = project("Y", title="Hub", motto="Hub.")
    assert _record_verdict(query(attributes=("motto", "title")), same) == "Projekttitel und Motto von Y sind gleich."
    assert _record_verdict(query(attributes=("motto", "title")), p) == ""


def test_a_quoted_value_is_compared_without_its_final_full_stop() -> None:
    from rag.answer.lookup import _record_verdict
    from tests.mutant_fakes import project

    p = project("X", title="Die Stadt.", motto="Vorwärts.")
    assert _record_verdict(query(attributes=("motto",), phrase="Vorwärts", quoted=True), p) == "Ja."
    assert _record_verdict(query(attributes=("title",), phrase="Vorwärts", quoted=True), p) == "Nein – „Vorwärts“ ist das Motto von X."
    assert _record_verdict(query(attributes=("motto", "title")), project("Y", title="Hub.", motto="Hub")) == (
        "Projekttitel und Motto von Y sind gleich."
    )
