"""Written against the survivors of the sampled mutation run at 1d0c0fb (``make mutation MUTATION_SAMPLE=60``),
the plain ones and those that mutmut reported as timeouts: a list of exactly two quoted items after a colon
(``rag.items``), a comparison on a topic that adds several measures (``rag.answer.compare``), the parts of a
two-part question, a yes/no question on the class with a question word inside it and a self-description
glued to a quote (``rag.understand``), two rules of the answer layer's order (``rag.answer``), a measure found
only in its own project's passages and a decline's shortest quotable sentence (``rag.answer.base``), and a
correction of a wrong category with its citation (``rag.answer.premise``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from rag.answer.base import abstain_with_context, measure_chunks
from rag.answer.citations import Citations
from rag.answer.premise import correct_premises
from rag.items import enumerated, nth_item
from rag.types import CATEGORIES, Answer, Hit
from rag.understand import QuestionParser
from tests.mutant_fakes import chunk, project, query
from tests.test_mutants_answer import routed  # noqa: F401  (the fixture)

GS, MS, KS, IK = CATEGORIES


@pytest.fixture(scope="module")
def qp(corpus) -> QuestionParser:  # type: ignore[no-untyped-def]
    return QuestionParser(corpus)


def test_two_quoted_items_after_a_colon_keep_their_own_und() -> None:
    # two quoted items are already a list: the "und" inside the first one does not split it
    text = "Es gibt zwei Schwerpunkte: „Wohnen und Arbeiten“ und „Grünflächen“."
    assert enumerated(text) == ["Wohnen und Arbeiten", "Grünflächen"]
    assert nth_item(text, 2) == "Grünflächen"


def test_a_refused_part_keeps_its_own_words_and_takes_no_project_from_the_other(qp: QuestionParser) -> None:
    q = qp.parse("Wie wird das Wetter morgen, und was plant Guben mit Bürgern?")
    first, second = q.parts
    assert (first.intent, first.projects, first.text) == ("unanswerable", (), "Wie wird das Wetter morgen")
    assert (second.intent, second.projects) == ("open", ("Guben",))


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("Zählt Würzburg, wie ich meine, zu den Großstädten?", GS),  # opens like a yes/no question
        ("Stimmt es, dass Guben eine Kleinstadt ist, oder was?", KS),  # asks yes or no in its own words
    ],
)
def test_a_yes_no_question_on_the_class_asks_for_it_despite_a_question_word(
    qp: QuestionParser, question: str, category: str
) -> None:
    q = qp.parse(question)
    assert (q.attributes, q.categories, q.wrong_classes) == (("size_class",), (category,), ())


def test_a_self_description_glued_to_a_quote_still_asks_for_comparable_projects(qp: QuestionParser) -> None:
    assert qp.parse("Welche Projekte machen etwas wie wir„Dorf der Zukunft“?").intent == "similar"


def test_a_size_ranking_with_a_topic_or_about_the_overview_is_no_plain_ranking(routed) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert routed(query(size_rank="smallest")) == "answer_size_rank"
    assert routed(query(size_rank="smallest", content_terms=("x",))) == "answer_open"
    # about the overview and asking for a number (so not answered by the overview list itself)
    assert routed(query(size_rank="smallest", overview=True, wants_number=True)) == "answer_open"


def test_the_last_resort_list_gets_the_callers_filters(routed) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    routed.declines.update({"answer_open", "answer_topic"})
    q = query(states=("Bayern",), content_terms=("x",))
    assert routed(q, {"category": "Großstädte"}) == "answer_list"
    assert [(n, r) for n, _, r in routed.calls][-1] == ("answer_list", ({"category": "Großstädte"},))


def test_a_measure_belongs_to_a_passage_of_its_own_project_only() -> None:
    chunks = [
        chunk("a-h", "A", kind="header", text="Der Dorfladen steht im Kopf."),
        chunk("a-1", "A", text="Auch hier gibt es einen Dorfladen mit Kasse."),  # another project's passage, first
        chunk("b-1", "B", text="Der Dorfladen wird digital."),
    ]
    corpus = SimpleNamespace(
        projects=[project("A", measures=("Dorfladen steht",)), project("B", measures=("Dorfladen – digital",))]
    )
    # A's measure stands only in A's header, which holds no measures; B's in B's passage, not in A's
    assert measure_chunks(corpus, chunks) == {"b-1": ("Dorfladen – digital",)}  # type: ignore[arg-type]


def test_a_decline_quotes_a_sentence_of_exactly_five_words() -> None:
    five = chunk("s", kind="section", text="Das Programm hat 820 Millionen.")  # "Programm", "Millionen", a number
    q = query(intent="unanswerable", reason="Keine Summen.", instead="Programm Millionen Euro Aufstockung")
    retriever = SimpleNamespace(retrieve=lambda text, k=8, filters=None: [Hit(five, 0.5)])
    ans = abstain_with_context(SimpleNamespace(retriever=retriever), q)  # type: ignore[arg-type]
    assert ans.text.endswith("Zum Programm insgesamt heißt es: „Das Programm hat 820 Millionen.“ [1]")


def premise_ctx() -> SimpleNamespace:
    """Each project in its own category (named after it), with a header."""
    return SimpleNamespace(
        corpus=SimpleNamespace(project=lambda n: project(n, category=f"Kategorie {n}", size_class=f"Klasse {n}")),
        header={n: chunk(f"{n}-h", n, kind="header") for n in ("Anstadt", "Bedorf")},
    )


def test_a_wrong_category_is_corrected_from_the_named_projects_own_record() -> None:
    ctx = premise_ctx()
    cites = Citations([])
    answer = Answer(f"Bedorf plant X {cites.cite(chunk('p1', 'Bedorf'), 0.5)}.", sources=tuple(cites.sources))
    got = correct_premises(ctx, query(wrong_classes=(("Bedorf", "Großstädte"),)), answer)  # type: ignore[arg-type]
    assert got.text.startswith(
        "Richtigstellung: Bedorf gehört nicht zu „Großstädte“, sondern zur Kategorie „Kategorie Bedorf“, "
        "Größenklasse „Klasse Bedorf“ [1]."
    )
    # the project's record is cited with full confidence
    assert [(s.n, s.chunk_id, s.score) for s in got.sources] == [(1, "Bedorf-h", 1.0), (2, "p1", 0.5)]


def test_a_header_the_answer_cites_later_keeps_the_corrections_number() -> None:
    ctx = premise_ctx()
    cites = Citations([])
    text = f"Bedorf plant X {cites.cite(chunk('p1', 'Bedorf'), 0.5)}, siehe **Bedorf** {cites.cite(ctx.header['Bedorf'], 1.0)}."
    answer = Answer(text, sources=tuple(cites.sources))
    got = correct_premises(ctx, query(wrong_classes=(("Bedorf", "Großstädte"),)), answer)  # type: ignore[arg-type]
    assert got.text.endswith("\n\nBedorf plant X [2], siehe **Bedorf** [1].")
    assert [(s.n, s.chunk_id) for s in got.sources] == [(1, "Bedorf-h"), (2, "p1")]
