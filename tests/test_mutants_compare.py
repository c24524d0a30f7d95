"""Comparisons (``rag.answer.compare``) with hand-made records and sentences: the records compared on an attribute
with the sentences and measures that touch the question, and a comparison on a topic with its thresholds and
call parameters. Written against surviving mutants (issue #14); the context is ``compare_ctx`` of
``tests/test_mutants_answer.py``."""

from __future__ import annotations

from typing import Any

from rag.answer.compare import TOPIC_COSINE, TOPIC_LEXICAL, answer_compare
from tests.mutant_fakes import query, scored
from tests.test_mutants_answer import compare_ctx


def by_content(q: Any) -> Any:
    """Coverage of a measure: 1.0 when it holds one of the question's content terms (as text), else 0.0."""
    return lambda st: 1.0 if any(t in x for x in st for t in q.content_terms) else 0.0


def test_records_compared_on_an_attribute_quote_the_sentences_that_carry_the_question() -> None:
    ctx, calls = compare_ctx()  # "Satz eins" carries half the question's content (just enough), "Satz zwei" 0.9
    asked: list[Any] = []
    best = ctx.evidence.best_sentences

    def recording(q: Any, hits: Any, **kw: Any) -> Any:
        asked.append(q)
        return best(q, hits, **kw)

    ctx.evidence.best_sentences = recording
    q = query(intent="compare", projects=("A", "B"), content_terms=("x",), attributes=("motto",))
    ans = answer_compare(ctx, q)
    assert ans.text == (
        "Vergleich laut Broschüre:\n\n"
        "**A** – Großstädte (Große Großstadt), Bayern, Hessen, S. 11 [1]\nProjekttitel „TA“; Motto „MA“.\n"
        "„Satz eins von A.“ [2] „Satz zwei von A.“ [2]\n"
        "Geplant ist unter anderem:\n- A1 – eins [2]\n- A2 [2]\n- A3 [2]\n\n"
        "**B** – Großstädte (Kleinere Großstadt), Hessen, S. 12 [3]\nProjekttitel „TB“; Motto „MB“.\n"
        "„Satz eins von B.“ [4] „Satz zwei von B.“ [4]\n\n"
        "Unterschiede: Handlungsfelder nur A: Energie.\n\n"
        "Gemeinsam: beide gehören zur Kategorie „Großstädte“; beide liegen in Hessen; "
        "gemeinsame Handlungsfelder (vom Assistenten zugeordnet): Mobilität."
    )
    assert calls == [(["A-p1"], 2), (["B-p1"], 2)]  # each project's passages (no header), two sentences at most
    assert asked == [q, q]
    # a quoted sentence is cited with itself, the record with its header, all with full confidence
    assert [(s.chunk_id, s.snippet, s.score) for s in ans.sources[:2]] == [
        ("A-h", "Text von A-h.", 1.0),
        ("A-p1", "Satz eins von A.", 1.0),
    ]
    assert ans.mode == "strukturiert"
    # a sentence below half the question's content is not quoted
    ctx, _ = compare_ctx(lexical=0.4999)
    assert "Satz eins" not in answer_compare(ctx, q).text


def test_records_compared_on_an_attribute_show_the_measures_touching_the_question_first() -> None:
    ctx, _ = compare_ctx()
    ctx.evidence.lexical = by_content
    ctx.evidence.sentence_terms = lambda s: frozenset([s])
    q = query(intent="compare", projects=("A", "B"), content_terms=("4",), attributes=("motto",))
    text = answer_compare(ctx, q).text
    assert "Geplant ist unter anderem:\n- A4 [2]\n\n**B**" in text
    # every measure touches "A": the first three of them
    q = query(intent="compare", projects=("A", "B"), content_terms=("A",), attributes=("motto",))
    text = answer_compare(ctx, q).text
    assert "Geplant ist unter anderem:\n- A1 – eins [2]\n- A2 [2]\n- A3 [2]\n\n**B**" in text


def on_topic_ctx(candidates: list[tuple[str, float, float]], names_directly: bool = False) -> tuple[Any, list[Any]]:
    """compare_ctx whose best_sentences returns the given (sentence, lexical, cosine) for every project."""
    ctx, _ = compare_ctx()
    calls: list[Any] = []

    def best(q, hits, **kw):  # type: ignore[no-untyped-def]
        calls.append(kw)
        c = hits[0].chunk
        return [scored(c, f"{s} ({c.project})", lexical=lex, cosine=cos) for s, lex, cos in candidates]

    ctx.evidence.best_sentences = best
    ctx.evidence.names_directly = lambda q, s: names_directly
    return ctx, calls


TOPIC = query(intent="compare", projects=("A", "B"), content_terms=("x",))


def test_a_comparison_on_a_topic_asks_for_three_sentences_close_to_the_best() -> None:
    ctx, calls = on_topic_ctx([("Satz.", 0.9, 0.9)])
    ans = answer_compare(ctx, TOPIC)
    assert calls == [{"limit": 3, "per_chunk": 2, "min_share": 0.6}] * 2
    assert [(s.chunk_id, s.score) for s in ans.sources] == [("A-h", 1.0), ("A-p1", 1.0), ("B-h", 1.0), ("B-p1", 1.0)]


def test_a_sentence_as_close_as_the_cosine_threshold_is_quoted() -> None:
    assert (TOPIC_LEXICAL, TOPIC_COSINE) == (0.5, 0.88)
    ctx, _ = on_topic_ctx([("Nah.", 0.1, TOPIC_COSINE), ("Fern.", 0.1, 0.8799)])
    text = answer_compare(ctx, TOPIC).text
    assert "**A** (Große Großstadt, Bayern, Hessen, S. 11) [1]:\n- „Nah. (A)“ [2]\n\n" in text


def test_without_a_close_sentence_two_in_the_questions_own_words_are_quoted() -> None:
    ctx, _ = on_topic_ctx([("Eins.", 0.1, 0.1), ("Zwei.", 0.1, 0.1), ("Drei.", 0.1, 0.1)], names_directly=True)
    text = answer_compare(ctx, TOPIC).text
    assert "[1]:\n- „Eins. (A)“ [2]\n- „Zwei. (A)“ [2]\n\n**B**" in text


def test_without_any_sentence_on_the_topic_the_first_two_measures() -> None:
    ctx, _ = on_topic_ctx([("Eins.", 0.1, 0.1)])
    text = answer_compare(ctx, TOPIC).text
    assert (
        "[1]: Zum Stichwort „Thema der Frage“ nennt die Broschüre bei A nichts Ausdrückliches. "
        "Geplant ist vor allem:\n- A1 – eins [2]\n- A2 [2]\n\n**B**"
    ) in text


def compare_on(term: str) -> str:
    """The text of a comparison of A and B on one topic term, each measure's words its own terms."""
    ctx, _ = on_topic_ctx([("Satz.", 0.9, 0.9)])
    ctx.evidence.lexical = by_content
    ctx.evidence.sentence_terms = lambda s: frozenset([s])
    return answer_compare(ctx, query(intent="compare", projects=("A", "B"), content_terms=(term,))).text


def test_a_comparison_on_a_topic_adds_each_projects_measures_on_it() -> None:
    text = compare_on("2")
    # A's measure "A2" carries the topic: listed after A's sentence; B has no measures
    assert "- „Satz. (A)“ [2]\nDazu geplant:\n- A2 [2]\n\n**B**" in text
    assert text.count("Dazu geplant") == 1


def test_a_comparison_on_a_topic_lists_several_measures_each_on_its_own_line() -> None:
    # every measure of A carries the topic "A": the first three, one per line (kills _compare_on_topic mutmut_88)
    text = compare_on("A")
    assert "- „Satz. (A)“ [2]\nDazu geplant:\n- A1 – eins [2]\n- A2 [2]\n- A3 [2]\n\n**B**" in text
