"""Topic answers (``rag.answer.topic``) with hand-made project scores: which projects qualify, which are
named, quoted or cut, the filters the ranking gets, and the exact text. Written against surviving mutants
(issue #14)."""

from __future__ import annotations

import pytest

from rag.answer.topic import (
    MAX_NAMED,
    MAX_QUOTED,
    MIN_COSINE,
    MIN_LEXICAL,
    PASSAGES,
    RELATIVE,
    SELECTION_GATE,
    answer_topic,
    qualifies,
)
from tests.mutant_fakes import FakeEvidence, chunk, context, project, query, scored

NAMES = [f"Stadt {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + ["Stadt Ä", "Stadt Ö", "Stadt Ü", "Stadt ß"]
PROJECTS = tuple(project(n, category="Großstädte" if i % 2 == 0 else "Mittelstädte") for i, n in enumerate(NAMES))
DOC = chunk("doc-1", kind="document", document="Anhang.pdf", page=0)


def s(i: int, score: float, lexical: float = 0.6, cosine: float = 0.0, page: int | None = None):  # type: ignore[no-untyped-def]
    name = NAMES[i]
    return scored(
        chunk(f"p{i}", name, page=10 + i if page is None else page), f"{name} tut etwas.", score, lexical, cosine
    )


def topic(ranked, q=None, filters=None, off=False, strict=False, passages=None):  # type: ignore[no-untyped-def]
    ev = FakeEvidence(ranked=ranked, off=off, passages=passages or {})
    q = q or query(content_terms=("x",))
    return answer_topic(context(evidence=ev, projects=PROJECTS), q, filters or {}, strict=strict), ev


@pytest.mark.parametrize(
    ("lexical", "cosine", "strict", "ok"),
    [
        (MIN_LEXICAL, 0.0, False, True),
        (0.2999, 0.8499, False, False),
        (0.0, MIN_COSINE, False, True),
        (1.0, 1.0, False, True),
        (0.45, 0.0, True, True),
        (0.4499, 0.8749, True, False),  # enough for a plain topic question, not to narrow a selection
        (0.0, 0.875, True, False),  # within a selection closeness needs some shared content …
        (0.01, 0.875, True, True),  # … which a plain topic question does not
    ],
)
def test_a_sentence_qualifies_by_content_or_closeness(lexical, cosine, strict, ok) -> None:
    assert (MIN_LEXICAL, MIN_COSINE, RELATIVE) == (0.3, 0.85, 0.8) and SELECTION_GATE == (0.45, 0.875, 0.6)
    assert qualifies(s(0, 0.5, lexical, cosine), strict) is ok


def test_a_topic_that_narrows_a_selection_needs_the_strict_gate() -> None:
    ranked = [s(0, 0.9), s(1, 0.6, lexical=0.4, cosine=0.86), s(2, 0.55, lexical=0.45)]
    assert topic(ranked)[0].projects == ("Stadt A",)  # type: ignore[union-attr]
    assert topic(ranked, strict=True)[0].projects == ("Stadt A", "Stadt C")  # type: ignore[union-attr]
    assert topic([s(1, 0.6, lexical=0.4, cosine=0.86)], strict=True)[0] is None
    assert topic([s(1, 0.6, lexical=0.4, cosine=0.86)])[0].projects == ("Stadt B",)  # type: ignore[union-attr]


def test_the_answer_names_every_close_project_and_quotes_it() -> None:
    ranked = [s(0, 0.9), s(1, 0.73, page=0), s(2, 0.721, lexical=0.29, cosine=0.9), s(3, 0.2, lexical=0.29, cosine=0.9)]
    ans, ev = topic(ranked)
    assert ans is not None
    assert ans.text == (
        "Dazu passen laut Broschüre 3 Projekte: Stadt A, Stadt B und Stadt C.\n\n"
        "**Stadt A**, S. 10: „Stadt A tut etwas.“ [1]\n\n"
        "**Stadt B**: „Stadt B tut etwas.“ [2]\n\n"
        "**Stadt C**, S. 12: „Stadt C tut etwas.“ [3]"
    )
    assert ans.projects == ("Stadt A", "Stadt B", "Stadt C") and ans.mode == "extraktiv" and ans.answerable
    assert [x.score for x in ans.sources] == [0.9, 0.73, 0.721]
    assert [x.snippet for x in ans.sources] == ["Stadt A tut etwas.", "Stadt B tut etwas.", "Stadt C tut etwas."]
    assert ev.calls == [{"filters": {}}]


def test_a_project_carrying_most_of_the_content_is_named_however_it_ranks() -> None:
    ranked = [s(0, 0.9), s(1, 0.539, lexical=0.49, cosine=0.9), s(2, 0.3, lexical=0.5)]
    ans, _ = topic(ranked)
    assert ans is not None and ans.projects == ("Stadt A", "Stadt C")


def test_one_project_reads_in_the_singular() -> None:
    ans, _ = topic([s(0, 0.9), s(1, 0.1, lexical=0.3, cosine=0.0)])
    assert ans is not None and ans.text.startswith(
        "Dazu passt laut Broschüre vor allem Stadt A.\n\n**Stadt A**, S. 10: "
    )
    ans, _ = topic([s(0, 0.9), s(1, 0.8)], query(content_terms=("x",), singular=True))
    assert ans is not None and ans.projects == ("Stadt A",) and "vor allem Stadt A." in ans.text


def test_beyond_eight_quotes_the_rest_is_named_and_beyond_all_cut() -> None:
    ranked = [s(i, 0.9 - i * 0.001) for i in range(10)]
    ans, _ = topic(ranked)
    assert ans is not None
    assert ans.text.count("„") == MAX_QUOTED == 8 and len(ans.sources) == 8
    assert ans.text.endswith("\n\nEbenfalls genannt: Stadt I und Stadt J.")
    assert ans.text.startswith("Dazu passen laut Broschüre 10 Projekte: Stadt A, ")
    assert ans.projects == tuple(NAMES[:10])
    ranked = [s(i, 0.9 - i * 0.001) for i in range(30)]
    ans, _ = topic(ranked)
    assert ans is not None and MAX_NAMED == 28
    assert ans.text.startswith("Dazu passen laut Broschüre u. a. 28 Projekte: ") and ans.projects == tuple(NAMES[:28])
    ans, _ = topic([s(i, 0.9 - i * 0.001) for i in range(28)])
    assert ans is not None and ans.text.startswith("Dazu passen laut Broschüre 28 Projekte: ")
    ans, _ = topic([s(i, 0.9 - i * 0.001) for i in range(8)])
    assert ans is not None and "Ebenfalls genannt" not in ans.text


def test_nothing_qualifying_or_an_off_topic_question_without_a_strong_sentence_is_declined() -> None:
    assert topic([])[0] is None
    assert topic([s(0, 0.9, lexical=0.29, cosine=0.84)])[0] is None
    assert topic([s(0, 0.9, lexical=0.49, cosine=0.9)], off=True)[0] is None
    assert topic([s(0, 0.9, lexical=0.5)], off=True)[0] is not None
    assert topic([s(0, 0.9, lexical=0.49, cosine=0.9)], off=False)[0] is not None


def test_a_selection_narrows_the_ranking_and_the_named_projects() -> None:
    ranked = [s(1, 0.95), s(0, 0.9), scored(DOC, "Der Anhang nennt es.", 0.85, 0.6, 0.0), s(2, 0.8)]
    ans, ev = topic(ranked, query(content_terms=("x",), categories=("Großstädte",)))
    assert ans is not None and ans.projects == ("Stadt A", "Stadt C")
    assert ev.calls == [{"filters": {"category": "Großstädte"}}]
    ans, ev = topic(ranked, query(content_terms=("x",), states=("Bayern",)))
    assert ev.calls == [{"filters": {"state": "Bayern"}}] and ans is not None and "Anhang.pdf" not in ans.text
    ans, ev = topic(ranked, query(content_terms=("x",), categories=("Großstädte", "Mittelstädte"), states=("A", "B")))
    assert ev.calls == [{"filters": {}}] and ans is None  # nothing lies in both Länder A and B
    ans, ev = topic(
        ranked, query(content_terms=("x",), categories=("Großstädte",)), filters={"category": "Mittelstädte"}
    )
    assert ev.calls == [{"filters": {"category": "Mittelstädte"}}]
    ans, ev = topic(ranked, query(content_terms=("x",)), filters={"category": "Mittelstädte"})
    assert ans is not None and ans.projects == ("Stadt B",) and "Anhang" not in ans.text


def test_a_document_counts_only_when_nothing_narrows() -> None:
    ranked = [s(0, 0.9), scored(DOC, "Der Anhang nennt es.", 0.85, 0.6, 0.0)]
    ans, _ = topic(ranked)
    assert ans is not None
    assert "Stadt A und Anhang.pdf." in ans.text and "**Anhang.pdf**: „Der Anhang nennt es.“ [2]" in ans.text
    assert ans.projects == ("Stadt A",)
    ans, _ = topic(ranked, query(content_terms=("x",), size_classes=("Kleinere Großstadt",)))
    assert ans is not None and ans.projects == ("Stadt A",) and "Anhang" not in ans.text


def test_a_project_at_exactly_the_relative_share_of_the_best_is_named() -> None:
    ans, _ = topic([s(0, 0.5), s(1, 0.4, lexical=0.45), s(2, 0.3999, lexical=0.45)])
    assert ans is not None and ans.projects == ("Stadt A", "Stadt B")
    ans, _ = topic([s(0, 0.5), s(1, 0.3, lexical=0.45), s(2, 0.2999, lexical=0.45)], strict=True)
    assert ans is not None and ans.projects == ("Stadt A", "Stadt B")


@pytest.mark.parametrize(("word", "named"), [("etwas", True), ("Wasser", False)])
def test_a_low_ranked_project_is_named_only_with_the_questions_own_words(word: str, named: bool) -> None:
    # "Stadt C" ranks far below the best but its sentence carries the content: named only when it holds the
    # question's own word, not merely a relative of it
    ev = FakeEvidence(ranked=[s(0, 0.9), s(2, 0.3, lexical=0.5)])
    ev.names_directly = lambda q, sentence: any(t in sentence for t in q.content_terms)  # type: ignore[method-assign]
    ans = answer_topic(context(evidence=ev, projects=PROJECTS), query(content_terms=(word,)), {})
    assert ans is not None and ("Stadt C" in ans.projects) is named


def test_the_gates_default_to_a_plain_topic_question() -> None:
    sentence = s(1, 0.6, lexical=0.4, cosine=0.86)
    assert qualifies(sentence)  # not the selection gate
    ans = answer_topic(context(evidence=FakeEvidence(ranked=[sentence]), projects=PROJECTS), query(content_terms=("x",)), {})
    assert ans is not None and ans.projects == ("Stadt B",)


def test_a_project_close_in_meaning_only_is_named_only_when_the_best_shares_no_word_either() -> None:
    # B is close to the best by score, but its sentence shares no content word while A's does: not named
    ans, _ = topic([s(0, 0.6, lexical=0.4), s(1, 0.55, lexical=0.0, cosine=0.9), s(2, 0.5, lexical=0.01, cosine=0.9)])
    assert ans is not None and ans.projects == ("Stadt A", "Stadt C")
    # when no sentence shares a word (the question's words are all unknown), closeness decides for all
    ans, _ = topic([s(0, 0.6, lexical=0.0, cosine=0.9), s(1, 0.55, lexical=0.0, cosine=0.9)])
    assert ans is not None and ans.projects == ("Stadt A", "Stadt B")


def test_a_project_whose_passages_carry_the_question_overtakes_a_single_lucky_sentence() -> None:
    ranked = [s(0, 0.9), s(1, 0.8), s(2, 0.6, lexical=0.4)]
    assert PASSAGES == 0.2
    # without passage scores the order is that of the best sentences, and 0.6 < 0.8 × 0.9 is not named
    assert topic(ranked)[0].projects == ("Stadt A", "Stadt B")  # type: ignore[union-attr]
    # B's and C's passages match the question's words best: B (0.8·0.8 + 0.2·0.9 = 0.82) now leads A (0.72),
    # and C (0.48 + 0.2·0.9·0.8 = 0.624) reaches 0.8 of B's score no more than before
    got = topic(ranked, passages={"Stadt B": 1.0, "Stadt C": 0.8})[0]
    assert got.projects == ("Stadt B", "Stadt A")  # type: ignore[union-attr]
    assert got.text.startswith("Dazu passen laut Broschüre 2 Projekte: Stadt B und Stadt A.")
    assert [x.score for x in got.sources] == [0.8, 0.9]  # each quote keeps its sentence's own score
