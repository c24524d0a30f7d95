"""The answer layer's order of strategies (``rag.answer.Answerer``): every strategy is replaced by a stub that
says who answered (and what it was given), so each rule of the order is pinned by the questions that reach
it and the ones that pass it by. Written against surviving mutants (issue #14)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

import rag.answer as layer
from rag.answer import NO_NUMBER, NO_PASSAGE, Answerer
from rag.answer.evidence import Scored
from rag.types import Answer, Chunk, Hit
from tests.mutant_fakes import chunk, project, query, scored

STRATEGIES = [
    "answer_past",
    "answer_reverse",
    "answer_overview_count",
    "answer_overview_list",
    "answer_count_states",
    "answer_criteria",
    "answer_list",
    "answer_topic",
    "answer_lookup",
    "answer_plans_instead",
    "answer_size_rank",
    "answer_compare",
    "answer_open",
]


@pytest.fixture
def routed(monkeypatch):  # type: ignore[no-untyped-def]
    """An Answerer whose strategies only report their name; ``declines`` lists those that return None."""
    calls: list[tuple[str, Any, Any]] = []
    declines: set[str] = set()

    def stub(name: str):  # type: ignore[no-untyped-def]
        def run(ctx, q, *rest, **kw):  # type: ignore[no-untyped-def]
            calls.append((name, q, (*rest, kw) if kw else rest))
            if name in declines:
                return None
            return Answer(name, mode="stub", intent=q.intent)

        return run

    for name in STRATEGIES:
        monkeypatch.setattr(layer, name, stub(name))
    monkeypatch.setattr(layer, "abstain_with_context", lambda ctx, q: Answer("abstain_with_context", mode="stub"))
    def nearest(ctx, q, f, declined):  # type: ignore[no-untyped-def]
        calls.append(("nearest", q, (f,)))
        return Answer("nearest: " + declined.text, mode="stub")

    monkeypatch.setattr(layer, "nearest", nearest)
    a = object.__new__(Answerer)
    a.ctx = SimpleNamespace()  # type: ignore[assignment]

    def route(q, filters=None):  # type: ignore[no-untyped-def]
        calls.clear()
        return a._answer(q, filters or {}).text

    route.calls = calls  # type: ignore[attr-defined]
    route.declines = declines  # type: ignore[attr-defined]
    return route


def test_empty_and_unanswerable(routed) -> None:
    bare = object.__new__(Answerer)
    bare.ctx = SimpleNamespace()  # type: ignore[assignment]
    ans = bare._answer(query(intent="empty"), {})
    assert ans.text == "Bitte stellen Sie eine Frage zur Broschüre „Modellprojekte Smart Cities 2021“."
    assert (ans.mode, ans.intent, ans.answerable) == ("fehler", "empty", False)
    assert routed(query(intent="unanswerable", projects=("Guben",))) == "abstain_with_context"


@pytest.mark.parametrize(
    ("kw", "who"),
    [
        ({"past_entities": ("Kassel",)}, "answer_past"),
        ({"past_entities": ("Kassel",), "projects": ("Guben",)}, "answer_open"),
        ({"past_entities": ("Kassel",), "projects": ("Guben",), "past_beside": True}, "answer_past\n\nanswer_open"),
        ({"past_entities": ("Kassel",), "projects": ("Guben",), "past_beside": True, "intent": "compare"}, "answer_open"),
        ({"past_entities": ("Kassel",), "categories": ("Großstädte",)}, "answer_open"),
        # an earlier-round place beside a selection: corrected, then the selection
        ({"past_entities": ("Kassel",), "intent": "list"}, "answer_past\n\nanswer_list"),
        ({"past_entities": ("Kassel",), "intent": "list", "attributes": ("motto",)}, "answer_past"),
        ({"past_entities": ("Kassel",), "intent": "list", "attributes": ("motto",), "states": ("Hessen",)},
         "answer_past\n\nanswer_list"),
        ({"past_entities": ("Kassel",), "intent": "count"}, "answer_past\n\nanswer_list"),
        ({"phrase": "Motto", "attributes": ("motto",)}, "answer_reverse"),
        ({"phrase": "Motto", "projects": ("Guben",), "intent": "lookup"}, "answer_lookup"),
        ({"intent": "count", "overview": True}, "answer_overview_count"),
        ({"intent": "list", "overview": True}, "answer_overview_list"),
        ({"intent": "list", "overview": True, "states": ("Bayern",)}, "answer_list"),
        ({"intent": "list", "overview": True, "projects": ("Guben",)}, "answer_list"),
        ({"intent": "count", "overview": True, "counted": "bewerbungen"}, "answer_open"),
        ({"intent": "count", "states_count": True}, "answer_count_states"),
        ({"intent": "count", "states_count": True, "states": ("Bayern",)}, "answer_list"),
        ({"intent": "list", "states_count": True}, "answer_list"),
        ({"intent": "list", "states_without": True}, "answer_count_states"),
        ({"states_without": True}, "answer_count_states"),
        ({"intent": "list", "states_without": True, "states": ("Bayern",)}, "answer_list"),
        ({"most_projects": True}, "answer_count_states"),
        ({"most_projects": True, "projects": ("Guben",)}, "answer_open"),
        ({"criteria": (7,)}, "answer_criteria"),
        ({"criteria_list": True}, "answer_criteria"),
        ({"wants_criteria": True}, "answer_criteria"),
        ({"wants_criteria": True, "content_terms": ("x",)}, "answer_open"),
        ({"wants_criteria": True, "content_terms": ("x",), "criteria_group": "Modellhaftigkeit"}, "answer_criteria"),
        ({"intent": "list"}, "answer_list"),
        ({"intent": "count"}, "answer_list"),
        ({"intent": "list", "content_terms": ("x",), "categories": ("Großstädte",)}, "answer_list"),
        ({"intent": "list", "content_terms": ("x",), "narrowing": ("x",), "states": ("Bayern",), "alternatives": ("open",)},
         "answer_topic"),
        # words that may not narrow a selection (who asks, the selection's own): the selection itself
        ({"intent": "list", "content_terms": ("x",), "states": ("Bayern",), "alternatives": ("open",)}, "answer_list"),
        (
            {
                "intent": "count",
                "content_terms": ("x",),
                "narrowing": ("x",),
                "size_classes": ("Große Großstadt",),
                "alternatives": ("open",),
            },
            "answer_topic",
        ),
        ({"intent": "list", "content_terms": ("x",), "projects": ("Guben",), "states": ("Bayern",)}, "answer_open"),
        ({"intent": "count", "counted": "einwohner", "states": ("Bayern",)}, "answer_open"),
        ({"intent": "lookup", "projects": ("Guben",)}, "answer_lookup"),
        ({"intent": "lookup"}, "answer_open"),
        ({"intent": "compare", "projects": ("Guben", "Linz am Rhein")}, "answer_compare"),
        ({"intent": "compare", "projects": ("Guben",)}, "answer_open"),
        ({"asks_for_project": True}, "answer_topic"),
        ({"asks_for_project": True, "projects": ("Guben",)}, "answer_open"),
        ({"asks_for_project": True, "about_brochure": True}, "answer_open"),
        ({"asks_for_project": True, "about_programme": True}, "answer_open"),
        ({"asks_for_project": True, "wants_criteria": True, "content_terms": ("x",)}, "answer_open"),
        ({}, "answer_open"),
    ],
)
def test_the_first_strategy_that_applies_answers(routed, kw, who) -> None:
    assert routed(query(**kw)) == who


def test_strategies_get_the_question_and_the_filters(routed) -> None:
    q = query(intent="list", content_terms=("x",), narrowing=("x",), states=("Bayern",), alternatives=("open",))
    routed(q, {"category": "Großstädte"})
    # a topic that would narrow the selection goes through the strict gate
    assert [(n, r) for n, _, r in routed.calls] == [("answer_topic", ({"category": "Großstädte"}, {"strict": True}))]
    routed.declines.add("answer_topic")
    assert routed(q, {"category": "Großstädte"}) == "answer_list"
    assert [n for n, _, _ in routed.calls] == ["answer_topic", "answer_list"]
    assert routed(query(intent="count", states_count=True), {"state": "Bayern"}) == "answer_count_states"
    assert routed.calls[0][2] == ({"state": "Bayern"},)
    # every strategy that takes filters gets the caller's, down to the last resort
    assert routed(query(size_rank="smallest"), {"state": "Bayern"}) == "answer_size_rank"
    assert routed.calls[0][2] == ({"state": "Bayern"},)
    assert routed(query(content_terms=("x",)), {"state": "Bayern"}) == "answer_open"
    assert routed.calls[0][2] == ({"state": "Bayern"},)
    routed.declines.add("answer_open")
    assert routed(query(content_terms=("x",)), {"state": "Bayern"}).startswith("nearest: ")
    assert [(n, r) for n, _, r in routed.calls] == [("answer_open", ({"state": "Bayern"},)), ("nearest", ({"state": "Bayern"},))]


def test_when_no_passage_answers(routed) -> None:
    routed.declines.update({"answer_open", "answer_topic"})
    refusal = " Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."
    assert routed(query(asks_for_project=True)) == "nearest: " + NO_PASSAGE + refusal
    assert [n for n, _, _ in routed.calls] == ["answer_topic", "answer_open", "nearest"]
    # about one project: what it plans, from a lookup without attributes
    assert routed(query(projects=("Guben",), attributes=("motto",))) == "answer_plans_instead"
    assert routed(query(projects=("Guben",), wants_number=True)).startswith("nearest: " + NO_NUMBER)
    assert routed(query(projects=("Guben", "Linz am Rhein"))).startswith("nearest: " + NO_PASSAGE)
    assert routed(query(wants_criteria=True, content_terms=("x",))) == "answer_criteria"
    assert routed(query(states=("Bayern",), content_terms=("x",))) == "answer_list"
    assert routed(query(size_classes=("Große Großstadt",), content_terms=("x",))) == "answer_list"
    assert routed(query(intent="count", counted="einwohner", states=("Bayern",))).startswith("nearest: ")
    assert routed(query(states=("Bayern",), projects=("Guben", "Linz am Rhein"))).startswith("nearest: ")


def test_a_refusal_keeps_the_notices(routed) -> None:
    routed.declines.update({"answer_open"})
    got = routed(query(content_terms=("x",), injection=True, truncated=True))
    assert got == "nearest: " + NO_PASSAGE + " Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."


# -- what an answer rests on -------------------------------------------------------------------------------------


class Ctx:
    def __init__(self) -> None:
        self.header = {n: chunk(f"{n}-h", n, kind="header") for n in ("A", "B", "C")}
        self.calls: list[Any] = []
        self.evidence = SimpleNamespace(rank_projects=self.rank)
        self.projects = [
            project("A", category="Großstädte"),
            project("B", category="Großstädte"),
            project("C", category="Mittelstädte"),
        ]

    def select(self, categories=(), states=(), sizes=(), filters=None):  # type: ignore[no-untyped-def]
        self.calls.append(("select", tuple(categories), tuple(states), tuple(sizes), filters))
        return [p for p in self.projects if not categories or p.category in categories]

    def rank(self, q, filters):  # type: ignore[no-untyped-def]
        self.calls.append(("rank", filters))
        return [scored(chunk(f"{n}-p", n), "s", 0.9 - i / 10) for i, n in enumerate("CBA")]


class Retr:
    def __init__(self) -> None:
        self.calls: list[Any] = []

    def retrieve(self, text, k=8, filters=None):  # type: ignore[no-untyped-def]
        self.calls.append((text, k, filters))
        return [Hit(chunk("x", "A"), 0.5)]


def answerer() -> Answerer:
    a = object.__new__(Answerer)
    a.ctx = Ctx()  # type: ignore[assignment]
    a.retriever = Retr()  # type: ignore[assignment]
    return a


def test_evidence_of_structured_answers_is_the_records() -> None:
    a = answerer()
    got = a.evidence(query(intent="list", categories=("Großstädte",)), k=10, filters={"state": "Bayern"})
    assert [(h.chunk.id, h.score) for h in got] == [("A-h", 1.0), ("B-h", 1.0)]
    assert a.ctx.calls == [("select", ("Großstädte",), (), (), {"state": "Bayern"})]
    assert [h.chunk.id for h in a.evidence(query(intent="count"), k=2)] == ["A-h", "B-h"]
    assert [h.chunk.id for h in a.evidence(query(intent="lookup", projects=("C", "A")))] == ["C-h", "A-h"]
    assert [h.chunk.id for h in a.evidence(query(intent="compare", projects=("B", "C")), k=1)] == ["B-h"]


def test_evidence_of_topic_and_open_answers() -> None:
    a = answerer()
    got = a.evidence(
        query(intent="list", content_terms=("x",), asks_for_project=True), k=2, filters={"state": "Bayern"}
    )
    assert [(h.chunk.id, h.score) for h in got] == [("C-p", 0.9), ("B-p", 0.8)]
    assert a.ctx.calls == [("rank", {"state": "Bayern"})]
    got = a.evidence(query(intent="open", asks_for_project=True, projects=("A",), search_text="Suche"), k=3)
    assert a.retriever.calls == [("Suche", 3, {"project": ["A"]})] and [h.chunk.id for h in got] == ["x"]
    a.evidence(query(intent="lookup"), k=4, filters={"category": "Großstädte"})
    assert a.retriever.calls[-1] == ("Frage", 4, {"category": "Großstädte"})
    a.evidence(query(intent="list", content_terms=("x",), categories=("Mittelstädte",)), k=5)
    assert a.retriever.calls[-1] == ("Frage", 5, {"category": "Mittelstädte"})


# -- the shared context (rag.answer.base) -------------------------------------------------------------------------

from rag.answer.base import Context, abstain, finish, measure_chunks  # noqa: E402
from rag.answer.citations import Citations, join_names  # noqa: E402
from rag.parse import BUNDESLAENDER  # noqa: E402


def base_context() -> Context:
    chunks = [
        chunk("a-h", "A", kind="header"),
        chunk("a-1", "A", text="Einleitung.\nWir bauen eine   Datenplattform für alle Ämter."),
        chunk("a-2", "A", text="Sensoren im Park. Eine Datenplattform auch hier."),
        chunk("b-h", "B", kind="header"),
        chunk("b-1", "B", text="Sensoren  im Park messen die Luft und noch sehr vie"),  # the first 50 characters
        chunk("s-1", kind="section", section="einleitung", text="Das Programm fördert 28 Projekte."),
        chunk("s-2", kind="section", section="einleitung", text="Weiter."),
        chunk("o-1", kind="overview", section="uebersicht", category="Großstädte"),
        chunk("o-2", kind="overview", section="uebersicht", category="Mittelstädte"),
    ]
    corpus = SimpleNamespace(
        projects=[
            project("A", category="Großstädte", size_class="Große Großstadt", states=("Bayern", "Hessen"),
                    measures=("Datenplattform – für alle Ämter", "Sensoren: im Park", "Nirgends – steht das")),
            project("B", category="Mittelstädte", size_class="Kleinere Mittelstadt", states=("Hessen",),
                    measures=("Sensoren im Park messen die Luft und noch sehr viel mehr, als hier steht und noch mehr",)),
            project("C", category="Mittelstädte", size_class="Größere Mittelstadt", states=("Sachsen",)),
        ]
    )  # fmt: skip
    return Context(corpus, SimpleNamespace(chunks=chunks, bm25=SimpleNamespace()))  # type: ignore[arg-type]


def test_measures_belong_to_the_first_passage_holding_their_head() -> None:
    ctx = base_context()
    assert measure_chunks(ctx.corpus, ctx.retriever.chunks) == {
        "a-1": ("Datenplattform – für alle Ämter",),
        "a-2": ("Sensoren: im Park",),
        "b-1": ("Sensoren im Park messen die Luft und noch sehr viel mehr, als hier steht und noch mehr",),
    }
    assert ctx.evidence.measures == measure_chunks(ctx.corpus, ctx.retriever.chunks)


def test_context_indexes_headers_sections_and_overview() -> None:
    ctx = base_context()
    assert {k: c.id for k, c in ctx.header.items()} == {"A": "a-h", "B": "b-h"}
    assert {k: c.id for k, c in ctx.section_chunks.items()} == {"einleitung": "s-1", "uebersicht": "o-1"}
    assert {k: c.id for k, c in ctx.overview_chunk.items()} == {"Großstädte": "o-1", "Mittelstädte": "o-2"}
    assert ctx.first_section_chunk("einleitung").id == "s-1"  # type: ignore[union-attr]
    assert ctx.first_section_chunk("einleitung", "Weiter").id == "s-2"  # type: ignore[union-attr]
    assert ctx.first_section_chunk("einleitung", "fehlt") is None and ctx.first_section_chunk("x") is None


@pytest.mark.parametrize(
    ("args", "filters", "expected"),
    [
        ((), None, ["A", "B", "C"]),
        ((["Mittelstädte"],), None, ["B", "C"]),
        (([], ["Hessen"]), None, ["A", "B"]),
        (([], [], ["Größere Mittelstadt", "Große Großstadt"]), None, ["A", "C"]),
        ((["Mittelstädte"], ["Hessen"]), None, ["B"]),
        ((), {"category": "Großstädte"}, ["A"]),
        ((), {"state": "Sachsen"}, ["C"]),
        ((["Mittelstädte"],), {"category": "Mittelstädte"}, ["B", "C"]),
        ((["Mittelstädte"],), {"category": "Großstädte"}, []),  # question and filter contradict each other
        (([], ["Hessen"]), {"state": "Sachsen"}, []),
        (([], ["Hessen", "Sachsen"]), {"state": "Sachsen"}, ["C"]),
        ((), {"category": "", "state": None}, ["A", "B", "C"]),
    ],
)
def test_select(args, filters, expected) -> None:
    assert [p.name for p in base_context().select(*args, filters=filters)] == expected


def test_finish_and_abstain_notices() -> None:
    cites = Citations([])
    cites.cite(chunk("a-1", "A", page=3), 0.5)
    q = query(injection=True, truncated=True, english=True, intent="lookup")
    ans = finish(q, "Text", cites, "strukturiert", ["A", "B", "A"], notice="Vorab.")
    assert ans.notice == (
        "Vorab. Hinweis: Anweisungen in der Frage wurden ignoriert; beantwortet wird nur die Sachfrage. "
        "Hinweis: Die Frage war sehr lang und wurde gekürzt. Antwort auf Deutsch, da die Broschüre deutsch ist."
    )
    assert (ans.projects, ans.intent, ans.mode, ans.answerable, len(ans.sources)) == (
        ("A", "B"),
        "lookup",
        "strukturiert",
        True,
        1,
    )
    assert finish(query(), "T", Citations([]), "extraktiv", []).notice == ""
    a = abstain(query(injection=True, truncated=True), "Keine Angabe.")
    assert a.text == "Keine Angabe. Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."
    assert (
        a.notice
        == "Hinweis: Anweisungen in der Frage wurden ignoriert. Hinweis: Die Frage war sehr lang und wurde gekürzt."
    )
    assert (a.mode, a.intent, a.answerable) == ("extraktiv", "unanswerable", False)
    assert abstain(query(truncated=True), "X").notice == "Hinweis: Die Frage war sehr lang und wurde gekürzt."


# -- reverse lookups (rag.answer.lookup.answer_reverse) -------------------------------------------------------------

from rag.answer.lookup import answer_reverse  # noqa: E402


def reverse_ctx() -> Any:
    ps = [
        project("Anstadt", motto="Gemeinsam digital", title="Smart Anstadt", page=11),
        project("Bestadt", motto="Zusammen stark", title="Gemeinsame Wege", page=12, states=("Hessen", "Bayern")),
        project("Cestadt", motto="Digital gemeinsam", title="26", page=13),
        project("Destadt", motto="Ungemeinsam", title="Dorf der Zukunft", page=14),
        project("Eestadt", motto="Gemeinsam digital", title="Anders", page=15),
    ]
    return SimpleNamespace(
        corpus=SimpleNamespace(projects=ps), header={p.name: chunk(f"{p.name}-h", p.name, kind="header") for p in ps}
    )


def test_every_motto_or_title_holding_a_word() -> None:
    ctx = reverse_ctx()
    q = query(phrase="gemeinsam", attributes=("motto",), listing=True)
    ans = answer_reverse(ctx, q)
    assert ans is not None and ans.text == (
        "„gemeinsam“ steht bei 3 Projekten:\n"
        "- Anstadt: Motto „Gemeinsam digital“ [1]\n"
        "- Cestadt: Motto „Digital gemeinsam“ [2]\n"
        "- Eestadt: Motto „Gemeinsam digital“ [3]"
    )
    assert ans.projects == ("Anstadt", "Cestadt", "Eestadt") and ans.mode == "strukturiert"
    assert [s.chunk_id for s in ans.sources] == ["Anstadt-h", "Cestadt-h", "Eestadt-h"]
    ans = answer_reverse(ctx, query(phrase="Gemeinsam", attributes=("title", "motto"), listing=True))
    assert ans is not None and ans.text.splitlines()[:3] == [
        "„Gemeinsam“ steht bei 4 Projekten:",
        "- Anstadt: Motto „Gemeinsam digital“ [1]",
        "- Bestadt: Projekttitel „Gemeinsame Wege“ [2]",
    ]
    ans = answer_reverse(ctx, query(phrase="Zukunft", attributes=("title",), listing=True))
    assert (
        ans is not None and ans.text == "„Zukunft“ steht bei 1 Projekt:\n- Destadt: Projekttitel „Dorf der Zukunft“ [1]"
    )


def test_one_project_for_a_whole_motto_or_title() -> None:
    ctx = reverse_ctx()
    ans = answer_reverse(ctx, query(phrase="Gemeinsam digital", attributes=("motto",)))
    assert ans is not None
    assert ans.text == "„Gemeinsam digital“ ist das Motto von Anstadt (Kleinere Großstadt, Bayern, S. 11) [1]."
    assert ans.projects == ("Anstadt",) and ans.mode == "strukturiert" and ans.sources[0].chunk_id == "Anstadt-h"
    ans = answer_reverse(ctx, query(phrase="Gemeinsame Wegee", attributes=("title",)))
    assert ans is not None
    assert (
        ans.text
        == "„Gemeinsame Wege“ ist der Projekttitel von Bestadt (Kleinere Großstadt, Hessen, Bayern, S. 12) [1]."
    )
    # a word in a listing question that no motto holds: the closest whole motto, if close enough
    ans = answer_reverse(ctx, query(phrase="Zusammen stark!", attributes=("motto",), listing=True))
    assert ans is not None and ans.projects == ("Bestadt",)
    # the motto inside a longer quote counts fully
    ans = answer_reverse(ctx, query(phrase="Wir sagen: Zusammen stark, immer", attributes=("motto",), listing=True))
    assert ans is not None and ans.projects == ("Bestadt",) and ans.text.startswith("„Zusammen stark“ ist das Motto")
    ans = answer_reverse(ctx, query(phrase="gemeinsam", attributes=("motto",), listing=True, singular=True))
    assert ans is not None and ans.projects == ("Destadt",)  # one project asked for: the closest motto


def test_no_reverse_lookup_without_a_quote_an_attribute_or_a_close_value() -> None:
    ctx = reverse_ctx()
    assert answer_reverse(ctx, query(attributes=("motto",))) is None
    assert answer_reverse(ctx, query(phrase="Gemeinsam digital", attributes=("states",))) is None
    assert answer_reverse(ctx, query(phrase="Raumfahrt und Tiefsee", attributes=("motto", "title"))) is None
    assert answer_reverse(ctx, query(phrase="26", attributes=("title",))) is None  # too short to match
    # without "Motto" or "Titel" in the question, only a phrase that (nearly) is one counts, and never a word of one
    ask = {"quoted": True}
    assert answer_reverse(ctx, query(phrase="Gemeinsam digitalisieren wir alles", **ask)) is None
    assert answer_reverse(ctx, query(phrase="gemeinsam", listing=True, **ask)) is None
    got = answer_reverse(ctx, query(phrase="Dorf der Zukunft", **ask))
    assert got is not None and got.text.startswith("„Dorf der Zukunft“ ist der Projekttitel von Destadt")
    assert answer_reverse(ctx, query(phrase="Dorf der Zukunft")) is None  # a previous turn
    assert answer_reverse(ctx, query(phrase="Dorf der Zukunf", **ask)) is None  # nearly a title is not enough here
    long = "gemeinsam " * 4  # longer than 30 characters: no listing of every motto
    ans = answer_reverse(ctx, query(phrase=long, attributes=("motto",), listing=True))
    assert ans is None


# -- declines with the programme's sentence, corrections of a wrong Land ---------------------------------------------

from rag.answer.base import abstain_with_context  # noqa: E402
from rag.answer.premise import correct_premises  # noqa: E402


class SectionRetriever:
    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.calls: list[Any] = []

    def retrieve(self, text, k=8, filters=None):  # type: ignore[no-untyped-def]
        self.calls.append((text, k, filters))
        return list(self.hits)


MONEY = "Programm Millionen Euro Aufstockung"


def test_a_decline_quotes_the_sentence_that_shares_most_words_and_has_a_number() -> None:
    s1 = chunk("s1", kind="section", section="einleitung", page=4, text=(
        "Das Programm hat viele Ziele für die Zukunft. Das Programm umfasst 820 Millionen Euro insgesamt. "
        "Eine Aufstockung um 300 Millionen Euro im Programm folgte später."
    ))  # fmt: skip
    s2 = chunk("s2", kind="section", section="einleitung", text="Das Programm kostet 5 Euro.")
    r = SectionRetriever([Hit(s2, 0.9), Hit(s1, 0.5)])
    q = query(intent="unanswerable", reason="Keine Summen.", instead=MONEY, injection=True)
    ans = abstain_with_context(SimpleNamespace(retriever=r), q)  # type: ignore[arg-type]
    assert ans.text == (
        "Keine Summen. Dazu kann ich aus der Broschüre keine verlässliche Antwort geben.\n\n"
        "Zum Programm insgesamt heißt es: „Eine Aufstockung um 300 Millionen Euro im Programm folgte später.“ [1]"
    )
    assert r.calls == [(MONEY, 4, {"kind": "section"})]
    assert ans.answerable is False and ans.notice == "Hinweis: Anweisungen in der Frage wurden ignoriert."
    assert [(s.chunk_id, s.score, s.snippet) for s in ans.sources] == [
        ("s1", 1.0, "Eine Aufstockung um 300 Millionen Euro im Programm folgte später.")
    ]


def test_a_decline_quotes_a_sentence_that_shares_two_words() -> None:
    two = chunk("s", kind="section", text="Das Programm kostet 5 Euro im Jahr.")  # "Programm", "Euro": just enough
    q = query(intent="unanswerable", reason="Keine Summen.", instead=MONEY)
    ans = abstain_with_context(SimpleNamespace(retriever=SectionRetriever([Hit(two, 0.5)])), q)  # type: ignore[arg-type]
    assert ans.text.endswith("Zum Programm insgesamt heißt es: „Das Programm kostet 5 Euro im Jahr.“ [1]")


def test_a_decline_without_a_fitting_sentence_stays_plain() -> None:
    few = chunk("s", kind="section", text="Das Konzept hat 5 Euro. Programm mit Millionen ohne Zahl und mehr Worte.")
    short = chunk("t", kind="section", text="Insgesamt 820 Millionen Euro.")  # four words: too short
    for hits in ([], [Hit(few, 0.5)], [Hit(short, 0.5)]):
        q = query(intent="unanswerable", reason="Keine Summen.", instead=MONEY)
        ans = abstain_with_context(SimpleNamespace(retriever=SectionRetriever(hits)), q)  # type: ignore[arg-type]
        assert (
            ans.text == "Keine Summen. Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."
            and not ans.sources
        )
    r = SectionRetriever([Hit(few, 0.5)])
    ans = abstain_with_context(SimpleNamespace(retriever=r), query(intent="unanswerable", reason="R."))  # type: ignore[arg-type]
    assert ans.text == "R. Dazu kann ich aus der Broschüre keine verlässliche Antwort geben." and r.calls == []


class ProjectTexts:
    """The one project's passages (and a general section, never searched) for a decline about a named project."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks

    def project_chunks(self, project: str) -> list[Chunk]:
        return [c for c in self.chunks if c.project == project]


class SaidEvidence:
    def __init__(self, best: list[Scored], direct: bool = True) -> None:
        self.best, self.direct, self.calls = best, direct, []  # type: ignore[var-annotated]

    def best_sentences(self, q, hits, limit=4):  # type: ignore[no-untyped-def]
        self.calls.append([h.chunk.id for h in hits])
        return self.best[:limit]

    def names_directly(self, q, sentence):  # type: ignore[no-untyped-def]
        return self.direct


def test_a_decline_about_one_project_quotes_what_its_text_says_on_the_matter() -> None:
    own = chunk("p1", "Linz am Rhein", page=32, text="Ein Gesundheitszentrum entsteht.")
    other = chunk("p2", "Guben", page=31)
    ev = SaidEvidence([scored(own, "Ein Gesundheitszentrum entsteht.", lexical=0.35)])
    ctx = SimpleNamespace(retriever=ProjectTexts([own, other, chunk("t1", "Linz am Rhein", kind="title")]), evidence=ev)
    q = query(
        intent="unanswerable",
        reason="Keine Ergebnisse.",
        projects=("Linz am Rhein",),
        content_terms=("gesundheitszentrum",),
        since_brochure=True,
    )
    ans = abstain_with_context(ctx, q)  # type: ignore[arg-type]
    assert ans.text == (
        "Keine Ergebnisse. Dazu kann ich aus der Broschüre keine verlässliche Antwort geben.\n\n"
        "Die Broschüre (Stand 2021) sagt dazu über Linz am Rhein (S. 32): „Ein Gesundheitszentrum entsteht.“ [1]"
    )
    assert ev.calls == [["p1"]] and ans.answerable is False and [s.chunk_id for s in ans.sources] == ["p1"]
    assert abstain_with_context(SimpleNamespace(retriever=ProjectTexts([own]), evidence=ev), replace(q, since_brochure=False, schedule=True)).sources  # type: ignore[arg-type]
    # too little of the question in its own words, a sentence that only touches it, two projects, no content, or a
    # decline of another kind (a person, a budget): no quote of a project
    weak = SaidEvidence([scored(own, "Ein Gesundheitszentrum entsteht.", lexical=0.34, cosine=0.95)])
    indirect = SaidEvidence([scored(own, "Ein Gesundheitszentrum entsteht.", lexical=0.9)], direct=False)
    for evidence, kw in (
        (weak, {}),
        (indirect, {}),
        (ev, {"projects": ("Linz am Rhein", "Guben")}),
        (ev, {"content_terms": ()}),
        (ev, {"since_brochure": False}),
    ):
        c = SimpleNamespace(retriever=ProjectTexts([own]), evidence=evidence)
        plain = abstain_with_context(c, replace(q, **kw))  # type: ignore[arg-type]
        assert plain.text == "Keine Ergebnisse. Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."


def test_a_wrong_land_is_corrected_before_the_answer_with_renumbered_markers() -> None:
    ctx = SimpleNamespace(
        corpus=SimpleNamespace(
            project=lambda n: project(n, states=("Brandenburg",) if n == "Guben" else ("Hessen", "Bayern"))
        ),
        header={"Guben": chunk("g-h", "Guben", kind="header", page=31), "Rhein": chunk("r-h", "Rhein", kind="header")},
    )
    cites = Citations([])
    text = (
        f"Guben plant {cites.cite(chunk('p1', 'Guben'), 0.5)} und {cites.cite(chunk('p2', 'Guben'), 0.4)}; wieder [1]."
    )
    answer = Answer(text, sources=tuple(cites.sources), mode="extraktiv", intent="open")
    q = query(wrong_states=(("Guben", "Bayern"), ("Rhein", "Sachsen")))
    got = correct_premises(ctx, q, answer)  # type: ignore[arg-type]
    assert got.text == (
        "Richtigstellung: Guben liegt in Brandenburg, nicht in dem in der Frage genannten Land [1].\n"
        "Richtigstellung: Rhein liegt in Hessen und Bayern, nicht in dem in der Frage genannten Land [2].\n\n"
        "Guben plant [3] und [4]; wieder [3]."
    )
    assert [(s.n, s.chunk_id) for s in got.sources] == [(1, "g-h"), (2, "r-h"), (3, "p1"), (4, "p2")]
    assert correct_premises(ctx, query(), answer) is answer  # type: ignore[arg-type]
    assert correct_premises(ctx, query(wrong_states=(("Guben", "Bayern"),), attributes=("states",)), answer) is answer  # type: ignore[arg-type]
    declined = Answer("Nein.", mode="extraktiv", answerable=False)
    assert correct_premises(ctx, q, declined) is declined  # type: ignore[arg-type]
    assert correct_premises(
        ctx, query(wrong_states=(("Guben", "Bayern"),), attributes=("motto",)), answer
    ).text.startswith(  # type: ignore[arg-type]
        "Richtigstellung: Guben"
    )


def test_a_wrong_category_is_corrected_unless_the_class_itself_is_the_answer() -> None:
    ctx = SimpleNamespace(
        corpus=SimpleNamespace(project=lambda n: project(n, category="Mittelstädte", size_class="Kleinere Mittelstadt")),
        header={"Anstadt": chunk("a-h", "Anstadt", kind="header", page=24)},
    )
    cites = Citations([])
    answer = Answer(f"Anstadt plant X {cites.cite(chunk('p1', 'Anstadt'), 0.5)}.", sources=tuple(cites.sources))
    q = query(wrong_classes=(("Anstadt", "Großstädte"),))
    got = correct_premises(ctx, q, answer)  # type: ignore[arg-type]
    assert got.text == (
        "Richtigstellung: Anstadt gehört nicht zu „Großstädte“, sondern zur Kategorie „Mittelstädte“, "
        "Größenklasse „Kleinere Mittelstadt“ [1].\n\nAnstadt plant X [2]."
    )
    assert [(s.n, s.chunk_id) for s in got.sources] == [(1, "a-h"), (2, "p1")]
    # the answer cites the same header: one number for it, the rest follows ("[2021]" in a text is no marker)
    cites = Citations([])
    head = cites.cite(ctx.header["Anstadt"], 1.0)
    answer = Answer(f"**Anstadt** {head} [2021], plant X {cites.cite(chunk('p1', 'Anstadt'), 0.5)}.", sources=tuple(cites.sources))
    got = correct_premises(ctx, q, answer)  # type: ignore[arg-type]
    assert got.text.endswith("\n\n**Anstadt** [1] [2021], plant X [2].")
    assert [(s.n, s.chunk_id) for s in got.sources] == [(1, "a-h"), (2, "p1")]
    # several Länder named for one project: one correction line
    twice = correct_premises(ctx, query(wrong_states=(("Anstadt", "Bayern"), ("Anstadt", "Hessen"))), answer)  # type: ignore[arg-type]
    assert twice.text.count("Richtigstellung") == 1
    # "Ist Anstadt eine Großstadt?": the answer is the class itself ("Nein, Anstadt gehört zur Kategorie …")
    assert correct_premises(ctx, replace(q, attributes=("size_class",)), answer) is answer  # type: ignore[arg-type]


# -- a project's summary and its measures (rag.answer.lookup) ---------------------------------------------------------

from rag.answer.lookup import MAX_MEASURES, measure_lines, related_measures, summary  # noqa: E402


def lookup_ctx(measures=(), texts=("Einleitung.", "Wir bauen eine   Datenplattform für alle.")):  # type: ignore[no-untyped-def]
    p = project("Anstadt", title="Smart A", motto="Alle zusammen", page=11, fields=(), measures=tuple(measures))
    chunks = [chunk("a-h", "Anstadt", kind="header", page=11)]
    chunks += [chunk(f"a-{i}", "Anstadt", page=11 + i, text=t) for i, t in enumerate(texts, start=1)]
    chunks += [chunk("b-1", "Bestadt", text="Datenplattform auch hier.")]
    retr = SimpleNamespace(project_chunks=lambda n: [c for c in chunks if c.project == n])
    ev = SimpleNamespace(
        lexical=lambda q: (
            lambda st: {"Datenplattform – für alle": 0.6, "Sensoren: im Park": 0.9, "Bänke": 0.0}.get(
                next(iter(st)), 0.3
            )
        ),
        sentence_terms=lambda s: frozenset([s]),
    )
    return SimpleNamespace(
        corpus=SimpleNamespace(project=lambda n: p), retriever=retr, header={"Anstadt": chunks[0]}, evidence=ev
    ), p


def test_measure_lines_cite_the_passage_holding_each_measure() -> None:
    ctx, _ = lookup_ctx()
    cites = Citations([])
    lines = measure_lines(ctx, cites, "Anstadt", ["Datenplattform – für alle", "Sensoren: im Park", "Einleitung"])
    assert lines == ["- Datenplattform – für alle [1]", "- Sensoren: im Park [2]", "- Einleitung [2]"]
    assert [(s.chunk_id, s.snippet, s.score) for s in cites.sources] == [
        ("a-2", "Datenplattform – für alle", 1.0),
        ("a-1", "Sensoren: im Park", 1.0),  # not found: the first passage
    ]
    assert measure_lines(ctx, Citations([]), "Niemand", ["Etwas"]) == ["- Etwas"]


def test_related_measures_are_those_touching_the_question_best_first() -> None:
    ctx, _ = lookup_ctx(
        measures=("Bänke", "Datenplattform – für alle", "Sensoren: im Park", "Anderes", "Noch eins", "Mehr")
    )
    q = query(content_terms=("x",))
    assert related_measures(ctx, q, "Anstadt") == [
        "Sensoren: im Park",
        "Datenplattform – für alle",
        "Anderes",
        "Noch eins",
    ]
    assert related_measures(ctx, q, "Anstadt", most=2) == ["Sensoren: im Park", "Datenplattform – für alle"]
    assert related_measures(ctx, q, "Anstadt", exclude="Zitat: Sensoren: im Park.", most=2) == [
        "Datenplattform – für alle", "Anderes",
    ]  # fmt: skip


def test_a_summary_is_title_motto_fields_and_measures() -> None:
    ctx, p = lookup_ctx(measures=[f"Maßnahme {i}" for i in range(10)])
    cites = Citations([])
    text = summary(ctx, p, cites)
    head = "**Anstadt** (Kleinere Großstadt, Bayern, S. 11) [1]: Projekttitel „Smart A“, Motto „Alle zusammen“."
    assert MAX_MEASURES == 8
    assert text == head + "\n\nGeplant sind laut Broschüre unter anderem:\n" + "\n".join(
        f"- Maßnahme {i} [2]" for i in range(8)
    )
    p.fields = ("Mobilität", "Energie")
    assert summary(ctx, p, Citations([])).startswith(
        head + " Handlungsfelder (vom Assistenten zugeordnet): Mobilität, Energie.\n\n"
    )


def test_a_summary_without_measures_quotes_the_first_whole_sentences() -> None:
    texts = (
        "Kurz",
        "Die Stadt baut eine Plattform. Sie verbindet alle Ämter der Stadt. Und noch ein dritter Satz hier.",
    )
    ctx, p = lookup_ctx(texts=texts)
    cites = Citations([])
    text = summary(ctx, p, cites)
    assert text.endswith("\n\n„Die Stadt baut eine Plattform. Sie verbindet alle Ämter der Stadt.“ [2]")
    assert (
        cites.sources[1].chunk_id == "a-2"
        and cites.sources[1].snippet == "Die Stadt baut eine Plattform. Sie verbindet alle Ämter der Stadt."
    )
    ctx, p = lookup_ctx(texts=("Kurz",))
    assert summary(ctx, p, Citations([])) == (
        "**Anstadt** (Kleinere Großstadt, Bayern, S. 11) [1]: Projekttitel „Smart A“, Motto „Alle zusammen“."
    )


# -- exact answers from hand-made records (rag.answer.structured, rag.answer.premise, rag.answer.compare) ---------------

from rag.answer.compare import answer_compare  # noqa: E402
from rag.answer.premise import answer_past  # noqa: E402
from rag.answer.structured import (  # noqa: E402
    answer_count_states,
    answer_criteria,
    answer_list,
    answer_overview_count,
    answer_overview_list,
)
from rag.types import CATEGORIES, OverviewEntry, Section  # noqa: E402

GS, MS, KS, IK = CATEGORIES


def records_ctx(overview_chunks=(GS, MS), intro="Ab 2021 werden 4 Projekte gefördert."):  # type: ignore[no-untyped-def]
    ps = [
        project("A", category=GS, states=("Bayern",), page=11, title="TA", motto="MA"),
        project("B", category=MS, states=("Hessen", "Bayern"), page=12, title="TB", motto="MB"),
        project("C", category=MS, states=("Sachsen",), page=13, title="TC", motto="MC"),
        project("D", category=IK, states=("Hessen",), page=14, title="TD", motto="MD"),
    ]
    overview = (
        OverviewEntry("A", GS, is_2021=True, project="A"),
        OverviewEntry("Kassel", GS),
        OverviewEntry("Köln", GS, partners=("Bonn", "Hürth")),
        OverviewEntry("B", MS, is_2021=True, project="B"),
        OverviewEntry("Jena", MS),
        OverviewEntry("Lohmar", KS),
    )
    sections = (
        Section("k1", "K1 Eins", "", 40, "Gruppe Eins"),
        Section("k2", "K2 Zwei", "", 40, "Gruppe Eins"),
        Section("k3", "K3 Drei", "", 41, "Gruppe Zwei"),
        Section("einleitung", "Einleitung", "", 4),
    )
    chunks = [chunk(f"{p.name}-h", p.name, kind="header", page=p.page) for p in ps]
    chunks += [
        chunk(f"ov-{c[:3]}", kind="overview", section="uebersicht", category=c, page=50) for c in overview_chunks
    ]
    chunks += [chunk(f"{s.key}-c", kind="section", section=s.key, page=s.page) for s in sections[:3]]
    chunks += [chunk("bk", kind="section", section="bewertungskriterien", page=39)]
    chunks += [chunk("e1", kind="section", section="einleitung", page=4, text="Das Programm.")]
    chunks += [chunk("e2", kind="section", section="einleitung", page=5, text=intro)]
    corpus = SimpleNamespace(
        projects=ps, overview=overview, sections=sections, project=lambda n: next(p for p in ps if p.name == n)
    )
    return Context(corpus, SimpleNamespace(chunks=chunks, bm25=SimpleNamespace()))  # type: ignore[arg-type]


def _im(st: str) -> str:
    return "im Saarland" if st == "Saarland" else st  # "in Berlin, …, im Saarland und Thüringen"


def test_projects_per_land_and_the_land_with_the_most() -> None:
    ctx = records_ctx()
    others = [st for st in BUNDESLAENDER if st not in ("Bayern", "Hessen", "Sachsen")]
    table = (
        "Die 4 Modellprojekte 2021 verteilen sich auf 3 Bundesländer:\n\n- Bayern: A [1], B [2]\n- Hessen: B [2], D [3]\n"
        f"- Sachsen: C [4]\n\nKeine Modellprojekte 2021 gibt es in {join_names([_im(st) for st in others])}."
    )
    assert len(others) == 13 and others[0] == "Baden-Württemberg" and table.endswith("Schleswig-Holstein und Thüringen.")
    assert answer_count_states(ctx, query(intent="count", states=("Bayern",)), {}).text == table
    # "Welche Länder haben kein Projekt?": the Länder without one lead
    none, _, rest = table.rpartition("\n\n")
    assert answer_count_states(ctx, query(states_without=True), {}).text == f"{rest}\n\n{none}"
    ans = answer_count_states(ctx, query(most_projects=True), {})
    assert ans.text == "Die meisten Projekte (2) hat Bayern und Hessen.\n\n" + table
    assert ans.projects == ("A", "B", "C", "D") and ans.mode == "strukturiert"
    ans = answer_count_states(ctx, query(most_projects=True, states=("Bayern",)), {})
    assert ans.text.startswith("Ja. Die meisten Projekte (2) hat Bayern und Hessen. (Bayern: 2)\n\n")
    ans = answer_count_states(ctx, query(most_projects=True, states=("Sachsen", "Thüringen")), {})
    assert ans.text.startswith("Nein. Die meisten Projekte (2) hat Bayern und Hessen. (Sachsen: 1; Thüringen: 0)\n\n")
    ans = answer_count_states(ctx, query(most_projects=True, states=("Bayern", "Hessen")), {})
    assert ans.text.startswith("Ja. ")
    ans = answer_count_states(ctx, query(most_projects=True), {"state": "Hessen"})
    assert ans.text == (
        "Die meisten Projekte (2) hat Hessen.\n\n"
        "Die 2 Modellprojekte 2021 verteilen sich auf 2 Bundesländer:\n\n- Bayern: B [1]\n- Hessen: B [1], D [2]\n\n"
        f"Keine Modellprojekte 2021 gibt es in {join_names([_im(st) for st in BUNDESLAENDER if st not in ('Bayern', 'Hessen')])}."
    )
    ans = answer_count_states(ctx, query(categories=(MS,)), {})
    assert ans.text.startswith("Die 2 Mittelstädte 2021 verteilen sich auf 3 Bundesländer:")
    ans = answer_count_states(ctx, query(most_projects=True, categories=(KS,)), {})
    assert ans.text == "Die 0 Kleinstädte und Landgemeinden 2021 verteilen sich auf 0 Bundesländer:\n\n"


def test_the_count_of_all_projects_cites_the_introduction_that_states_it() -> None:
    ans = answer_list(records_ctx(), query(intent="count"), {})
    assert ans.text == (
        f"Ab dem Jahr 2021 werden 4 weitere Modellprojekte Smart Cities gefördert [1]: 1 {GS}, 2 {MS}, 0 {KS} und 1 {IK}."
    )
    assert [s.chunk_id for s in ans.sources] == ["e2"]
    ans = answer_list(records_ctx(intro="Viele Projekte."), query(intent="count"), {})
    assert (
        ans.text.startswith("Ab dem Jahr 2021 werden 4 weitere Modellprojekte Smart Cities gefördert: 1 ")
        and not ans.sources
    )


def test_the_overview_lists_and_counts_its_entries_by_category() -> None:
    ctx = records_ctx()
    ans = answer_overview_list(ctx, query(intent="list", overview=True))
    assert ans.text == (
        "Die Übersicht 2019–2021 nennt:\n\n"
        f"{GS} (3) [1]: A (2021), Kassel, Köln\n\n{MS} (2) [2]: B (2021), Jena\n\n{KS} (1): Lohmar\n\n{IK} (0): "
    )
    ans = answer_overview_list(ctx, query(intent="list", overview=True, earlier_rounds=True, categories=(GS, KS)))
    assert (
        ans.text
        == f"Die Übersicht 2019–2021 nennt aus früheren Staffeln:\n\n{GS} (2) [1]: Kassel, Köln\n\n{KS} (1): Lohmar"
    )
    ans = answer_overview_count(ctx, query(intent="count", overview=True))
    assert ans.text == (
        f"Die Übersicht Modellprojekte Smart Cities 2019–2021 nennt 6 Einträge ({GS}: 3 [1]; {MS}: 2 [2]; {KS}: 1; {IK}: 0). "
        "Davon gehören 2 zur Förderrunde 2021."
    )
    ans = answer_overview_count(ctx, query(intent="count", overview=True, earlier_rounds=True, categories=(GS,)))
    assert ans.text == (
        f"Die Übersicht Modellprojekte Smart Cities 2019–2021 nennt 3 Einträge ({GS}: 3 [1]). "
        "Davon gehören 1 zur Förderrunde 2021. Aus den früheren Staffeln (2019 und 2020) stammen damit 2; "
        "nach den beiden Staffeln getrennt führt die Übersicht sie nicht auf."
    )


def test_criteria_all_by_number_or_by_group() -> None:
    ctx = records_ctx()
    ans = answer_criteria(ctx, query(wants_criteria=True))
    assert ans.text == (
        "Die Broschüre nennt 3 Bewertungskriterien in 2 Gruppen [1]:\n\n"
        "Gruppe Eins:\n- K1 Eins\n- K2 Zwei\n\nGruppe Zwei:\n- K3 Drei"
    )
    assert answer_criteria(ctx, query(criteria=(3, 1))).text == (
        "K1 Eins (Gruppe „Gruppe Eins“) [1]\nK3 Drei (Gruppe „Gruppe Zwei“) [2]"
    )
    assert answer_criteria(ctx, query(criteria_group="Gruppe Zwei")).text == "K3 Drei (Gruppe „Gruppe Zwei“) [1]"


def test_a_place_of_an_earlier_round_is_corrected() -> None:
    ctx = records_ctx()
    ans = answer_past(ctx, query(past_entities=("Köln", "Lohmar")))
    first, second = ans.text.split("\n\n")
    assert first == (
        "Köln gehört nicht zu den 4 Modellprojekten der Förderrunde 2021. Köln steht aber, gemeinsam mit Bonn und "
        "Hürth, in der Übersicht Modellprojekte Smart Cities 2019–2021 (Kategorie „Großstädte“) und wurde damit in "
        "einer früheren Staffel (2019 oder 2020) ausgewählt [1]."
    )
    assert second.startswith("Lohmar gehört nicht zu den 4 Modellprojekten der Förderrunde 2021. Lohmar steht aber in ")
    assert "[" not in second and second.rstrip(".").rstrip().endswith(
        "(2019 oder 2020) ausgewählt"
    )  # no overview chunk
    assert [s.chunk_id for s in ans.sources] == ["ov-Gro"] and ans.projects == ()


# -- comparisons ------------------------------------------------------------------------------------------------------


def compare_ctx(lexical=0.5, related=0.0):  # type: ignore[no-untyped-def]
    ps = {
        "A": project("A", category=GS, size_class="Große Großstadt", states=("Bayern", "Hessen"), page=11, title="TA",
                     motto="MA", measures=("A1 – eins", "A2", "A3", "A4"), fields=("Mobilität", "Energie"), text="", paragraphs=()),
        "B": project("B", category=GS, size_class="Kleinere Großstadt", states=("Hessen",), page=12, title="TB",
                     motto="MB", measures=(), fields=("Mobilität",), text="", paragraphs=()),
        "C": project("C", category=MS, size_class="Kleinere Mittelstadt", states=("Sachsen",), page=13, title="TC",
                     motto="MC", measures=("C1",), fields=(), text="", paragraphs=()),
    }  # fmt: skip
    chunks = {
        n: [chunk(f"{n}-p1", n, page=ps[n].page, text=f"{n}1 – eins und mehr"), chunk(f"{n}-h", n, kind="header")]
        for n in ps
    }
    calls: list[Any] = []

    def best(q, hits, limit=4, **kw):  # type: ignore[no-untyped-def]
        calls.append(([h.chunk.id for h in hits], limit))
        c = hits[0].chunk
        return [
            scored(c, f"Satz eins von {c.project}.", lexical=lexical),
            scored(c, f"Satz zwei von {c.project}.", lexical=0.9),
        ]

    ev = SimpleNamespace(
        best_sentences=best,
        lexical=lambda q: lambda st: related,
        sentence_terms=lambda s: frozenset(),
        project_share=lambda t: 1.0,
        names_directly=lambda q, s: "zwei" in s,
    )
    ctx = SimpleNamespace(
        corpus=SimpleNamespace(project=lambda n: ps[n], projects=list(ps.values())),
        header={n: chunk(f"{n}-h", n, kind="header") for n in ps},
        retriever=SimpleNamespace(project_chunks=lambda n: chunks[n]),
        evidence=ev,
    )
    return ctx, calls


def test_a_comparison_on_a_topic_quotes_each_projects_sentences_and_what_differs() -> None:
    ctx, calls = compare_ctx()
    ans = answer_compare(ctx, query(intent="compare", projects=("A", "B"), content_terms=("x",)))
    assert ans.text == (
        "Vergleich zum Stichwort „Thema der Frage“ laut Broschüre:\n\n"
        "**A** (Große Großstadt, Bayern, Hessen, S. 11) [1]:\n- „Satz eins von A.“ [2]\n- „Satz zwei von A.“ [2]\n\n"
        "**B** (Kleinere Großstadt, Hessen, S. 12) [3]:\n- „Satz eins von B.“ [4]\n- „Satz zwei von B.“ [4]\n\n"
        "Unterschiede: Handlungsfelder nur A: Energie.\n\n"
        "Gemeinsam: beide gehören zur Kategorie „Großstädte“; beide liegen in Hessen; "
        "gemeinsame Handlungsfelder (vom Assistenten zugeordnet): Mobilität."
    )
    assert calls == [(["A-p1"], 3), (["B-p1"], 3)]  # passages only, three sentences at most
    assert ans.projects == ("A", "B") and ans.mode == "extraktiv"


def test_a_comparison_quotes_only_sentences_that_carry_the_topic() -> None:
    ctx, _ = compare_ctx(lexical=0.49)
    text = answer_compare(ctx, query(intent="compare", projects=("A", "B"), content_terms=("x",))).text
    assert "Satz eins" not in text and "**A** (Große Großstadt, Bayern, Hessen, S. 11) [1]:\n- „Satz zwei von A.“ [2]\n" in text
    # a topic none of a project's sentences carries: said so, with its first measures
    ctx, _ = compare_ctx(lexical=0.1)
    ctx.evidence.best_sentences = lambda q, hits, **kw: [scored(hits[0].chunk, "Satz drei.", lexical=0.1)]
    text = answer_compare(ctx, query(intent="compare", projects=("A", "B"), content_terms=("x",))).text
    assert (
        "**A** (Große Großstadt, Bayern, Hessen, S. 11) [1]: Zum Stichwort „Thema der Frage“ nennt die Broschüre bei A "
        "nichts Ausdrückliches. Geplant ist vor allem:\n- A1 – eins [2]\n- A2 [2]" in text
    )
    assert "**B** (Kleinere Großstadt, Hessen, S. 12) [3]: Zum Stichwort „Thema der Frage“ nennt die Broschüre bei B nichts Ausdrückliches.\n\n" in text


def test_without_a_topic_or_with_an_attribute_a_comparison_lists_measures() -> None:
    ctx, calls = compare_ctx()
    text = answer_compare(ctx, query(intent="compare", projects=("A", "C"))).text
    assert "Satz" not in text and calls == []  # no topic: no quotes
    assert "\n- A1 – eins [2]\n- A2 [2]\n- A3 [2]" in text
    assert (
        "Unterschiede: Kategorie: A Großstädte (Große Großstadt); C Mittelstädte (Kleinere Mittelstadt) – "
        "Bundesland: A Bayern, Hessen; C Sachsen – Handlungsfelder nur A: Energie, Mobilität." in text
    )
    assert "Gemeinsam" not in text
    # an attribute compared ("die Mottos"): the records side by side, the measures that touch the question first
    ctx, _ = compare_ctx(related=0.8)
    q = query(intent="compare", projects=("A", "C"), content_terms=("x",), attributes=("motto",))
    text = answer_compare(ctx, q).text
    assert "\n- A1 – eins [2]\n- A2 [2]\n- A3 [2]" in text and "\n- C1 [" in text
    q = query(intent="compare", projects=("A", "B", "C"), content_terms=("x",), attributes=("motto",))
    assert "Gemeinsam" not in answer_compare(ctx, q).text


from rag.answer.compare import MAX_SHARED_SHARE, shared_themes  # noqa: E402
from rag.german import terms as german_terms  # noqa: E402

SHARE = {"polnisch": 0.1, "sensor": 0.15, "wasserstoff": 0.2, "grenzbruck": 0.05, "netz": 0.0, "partn": 0.1, "sachs": 0.0,
         "kleinstadt": 0.05, "grenz": 0.1, "guben": 0.0, "gub": 0.0, "zukunftswerkstatt": 0.05}  # fmt: skip


def themes_ctx() -> Any:
    return SimpleNamespace(
        evidence=SimpleNamespace(
            sentence_terms=lambda s: frozenset(german_terms(s)), project_share=lambda t: SHARE.get(t, 1.0)
        )
    )


def test_shared_themes_are_rare_words_of_both_as_the_first_writes_them() -> None:
    first = "Guben liegt an der polnischen Grenze und plant Grenzbrücken, Sensorik, Wasserstoff und Netze."
    a = project("Guben", states=("Brandenburg",), paragraphs=(first, "Polnische Partner in Sachsen, Kleinstadt- und mehr."),
                text=first + " Polnische Partner in Sachsen, Kleinstadt- und mehr, die Grenze und eine Zukunftswerkstatt.")  # fmt: skip
    b = project("Sachsen", states=("Sachsen",), paragraphs=(), text=(
        "Die polnischen Partner nutzen Sensorik, Wasserstoff, Netze, Kleinstadt und Guben an der Grenze. "
        "Dazu eine Zukunftswerkstatt."
    ))  # fmt: skip
    a = type(a)(**{**a.__dict__, "paragraphs": (*a.paragraphs, "Eine Zukunftswerkstatt.")})
    assert MAX_SHARED_SHARE == 0.15
    # rare (at most 0.15 of the projects), 5+ letters, no name, rarest first, as the first project writes it;
    # "Kleinstadt-" (a word cut at a hyphen) gives no surface form, "Netze" is too short, "Wasserstoff" too common
    got = shared_themes(themes_ctx(), [a, b])
    assert got == ["Zukunftswerkstatt", "Grenze", "Partner", "polnischen", "Sensorik"]
    assert shared_themes(themes_ctx(), [a, b], most=1) == ["Zukunftswerkstatt"]
    assert shared_themes(themes_ctx(), [b, a]) == ["Kleinstadt", "Zukunftswerkstatt", "Grenze", "Partner", "polnischen"]
    assert shared_themes(themes_ctx(), [b, a], most=6)[-1] == "Sensorik"
    c = project("Cestadt", states=("Hessen",), paragraphs=(), text="Nichts davon.")
    assert shared_themes(themes_ctx(), [a, b, c]) == []


# -- attributes of named projects (rag.answer.lookup.answer_lookup) ---------------------------------------------------

from rag.answer.lookup import answer_lookup  # noqa: E402


def attr_ctx() -> Any:
    ps = {
        "A": project("A", category=GS, size_class="Große Großstadt", states=("Bayern",), page=11, title="Smart A", motto="MA"),
        "V": project("V", category=IK, size_class="Interkommunale Kooperationen/Landkreis", states=("Hessen", "Bayern"),
                     page=12, title="26x"[:3], motto="MV"),
        "W": project("W", category=IK, size_class="Landkreis", states=("Sachsen",), page=13, title="Zwei", motto="MW"),
    }  # fmt: skip
    overview = (OverviewEntry("A", GS, is_2021=True, project="A"), OverviewEntry("V", MS, is_2021=True, project="V"))
    ov = {GS: chunk("ov-g", kind="overview", category=GS), MS: chunk("ov-m", kind="overview", category=MS)}
    return SimpleNamespace(
        corpus=SimpleNamespace(project=lambda n: ps[n], overview=overview),
        header={n: chunk(f"{n}-h", n, kind="header") for n in ps},
        overview_chunk=ov,
        retriever=SimpleNamespace(project_chunks=lambda n: []),
    )


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        ({"projects": ("A",), "attributes": ("motto",)}, "Das Motto von A lautet „MA“ [1]."),
        ({"projects": ("A",), "attributes": ("title",)}, "Der Projekttitel von A lautet „Smart A“ [1]."),
        ({"projects": ("V",), "attributes": ("title",)}, "Der Projekttitel von V lautet „26x“ (so steht der Titel in der Broschüre) [1]."),
        ({"projects": ("W",), "attributes": ("title",)}, "Der Projekttitel von W lautet „Zwei“ [1]."),
        ({"projects": ("A",), "attributes": ("states",)}, "A liegt in Bayern [1]."),
        ({"projects": ("V",), "attributes": ("states",)}, "V erstreckt sich über die Bundesländer Hessen und Bayern [1]."),
        ({"projects": ("A",), "attributes": ("states",), "states": ("Bayern",)}, "Ja, A liegt in Bayern [1]."),
        ({"projects": ("V",), "attributes": ("states",), "states": ("Sachsen", "Bayern")}, "Ja, V erstreckt sich über die Bundesländer Hessen und Bayern [1]."),
        ({"projects": ("A",), "attributes": ("states",), "states": ("Hessen",)}, "Nein, A liegt in Bayern [1]."),
        ({"projects": ("A",), "attributes": ("size_class",)}, "A gehört zur Kategorie „Großstädte“, Größenklasse „Große Großstadt“ [1]."),
        ({"projects": ("A",), "attributes": ("size_class",), "categories": (GS,)}, "Ja, A gehört zur Kategorie „Großstädte“, Größenklasse „Große Großstadt“ [1]."),
        ({"projects": ("A",), "attributes": ("size_class",), "size_classes": ("Große Großstadt",)}, "Ja, A gehört zur Kategorie „Großstädte“, Größenklasse „Große Großstadt“ [1]."),
        ({"projects": ("A",), "attributes": ("size_class",), "categories": (MS,)}, "Nein, A gehört zur Kategorie „Großstädte“, Größenklasse „Große Großstadt“ [1]."),
        ({"projects": ("A",), "attributes": ("size_class",), "categories": (MS,), "size_classes": ("Große Großstadt",)}, "Ja, A gehört zur Kategorie „Großstädte“, Größenklasse „Große Großstadt“ [1]."),
        ({"projects": ("A",), "attributes": ("page",)}, "A wird ab Seite 11 der Broschüre vorgestellt [1]."),
        ({"projects": ("A", "W"), "attributes": ("motto", "page")}, "Das Motto von A lautet „MA“ [1].\n\nA wird ab Seite 11 der Broschüre vorgestellt [1].\n\nDas Motto von W lautet „MW“ [2].\n\nW wird ab Seite 13 der Broschüre vorgestellt [2]."),
    ],
)  # fmt: skip
def test_attribute_answers(kw, text) -> None:
    ans = answer_lookup(attr_ctx(), query(intent="lookup", **kw))
    assert ans.text == text and ans.mode == "strukturiert" and ans.projects == kw["projects"]


def test_the_overview_category_is_named_when_it_differs() -> None:
    ctx = attr_ctx()
    ans = answer_lookup(ctx, query(intent="lookup", projects=("V",), attributes=("size_class",), overview=True))
    assert ans.text.endswith("[1].\n\nIn der Übersicht 2019–2021 steht V unter „Mittelstädte“ [2].")
    assert [s.chunk_id for s in ans.sources] == ["V-h", "ov-m"]
    for name, overview in (("A", True), ("V", False), ("W", True)):
        ans = answer_lookup(
            ctx, query(intent="lookup", projects=(name,), attributes=("size_class",), overview=overview)
        )
        assert "Übersicht" not in ans.text or (name, overview) == ("V", True)


def test_a_lookup_without_attributes_is_the_summary() -> None:
    ans = answer_lookup(attr_ctx(), query(intent="lookup", projects=("A",)))
    assert ans.text == "**A** (Große Großstadt, Bayern, S. 11) [1]: Projekttitel „Smart A“, Motto „MA“."
    ans = answer_lookup(attr_ctx(), query(intent="lookup", projects=("V",)))
    assert ans.text.startswith("**V** (Interkommunale Kooperationen/Landkreis, Hessen, Bayern, S. 12) [1]: ")


def test_a_measure_is_found_by_its_first_fifty_characters() -> None:
    ctx, _ = lookup_ctx(texts=("Einleitung.", "Sensor" * 8 + "xy und so weiter."))
    cites = Citations([])
    assert measure_lines(ctx, cites, "Anstadt", ["Sensor" * 8 + "xyz, mehr als im Text"]) == [
        "- " + "Sensor" * 8 + "xyz, mehr als im Text [1]"
    ]
    assert cites.sources[0].chunk_id == "a-2"


from rag.answer.structured import MAX_WITH_PLANS, describe  # noqa: E402


@pytest.mark.parametrize(
    ("kw", "filters", "expected"),
    [
        ({}, {}, "Modellprojekte"),
        ({"categories": (GS, MS)}, {"category": KS}, f"{GS} und {MS}"),
        ({}, {"category": KS, "state": "Hessen"}, f"{KS} in Hessen"),
        ({"states": ("Bayern", "Sachsen")}, {"state": "Hessen"}, "Modellprojekte in Bayern und Sachsen"),
        ({"size_classes": ("Große Großstadt",)}, {}, "Projekte der Größenklasse „Große Großstadt“"),
        ({"size_classes": ("Große Großstadt", "Kleine Kleinstadt"), "categories": (GS,)}, {},
         "Projekte der Größenklassen „Große Großstadt“ und „Kleine Kleinstadt“"),
        ({"excluded_states": ("Bayern", "Hessen"), "states": tuple(f"L{i}" for i in range(9))}, {},
         "Modellprojekte außerhalb von Bayern und Hessen"),
        ({"excluded_states": ("Berlin",), "states": ("Sachsen", "Thüringen")}, {},
         "Modellprojekte in Sachsen und Thüringen (ohne Berlin)"),
        ({"excluded_categories": (IK,), "categories": (GS, MS, KS), "states": ("Bayern",)}, {},
         f"Modellprojekte in Bayern (ohne {IK})"),
        ({"states": ("Sachsen",), "excluded_projects": ("Y", "Z")}, {}, "Modellprojekte in Sachsen (außer Y und Z)"),
        # one part of its category beside another class: each named ("… Kreise und dazu die Mittelstädte")
        ({"categories": (IK, MS), "category_part": "kreise"}, {},
         f"Landkreise und Kreise (ohne die interkommunalen Kooperationen ihrer Kategorie) und {MS}"),
        ({"categories": (IK,), "category_part": "kooperationen"}, {},
         "interkommunale Kooperationen (ohne die Landkreise ihrer Kategorie)"),
    ],
)  # fmt: skip
def test_describe_a_selection(kw, filters, expected) -> None:
    assert describe(query(**kw), filters) == expected


def many_ctx(n: int) -> Context:
    ps = [project(f"P{i}", category=MS, page=10 + i, title=f"T{i}", motto=f"M{i}", measures=(f"Plan {i}a", f"Plan {i}b", f"Plan {i}c"))
          for i in range(n)]  # fmt: skip
    chunks = [chunk(f"P{i}-h", f"P{i}", kind="header") for i in range(n)]
    chunks += [chunk(f"P{i}-p", f"P{i}", text=f"Plan {i}a und Plan {i}b.") for i in range(n)]
    chunks += [chunk("ov", kind="overview", section="", category=GS)]
    overview = (OverviewEntry("Hamburg, Leipzig und München", GS), OverviewEntry("Kiel", GS))
    corpus = SimpleNamespace(
        projects=ps, overview=overview, sections=(), project=lambda n: next(p for p in ps if p.name == n)
    )
    retriever = SimpleNamespace(
        chunks=chunks, bm25=SimpleNamespace(), project_chunks=lambda n: [c for c in chunks if c.project == n]
    )
    return Context(corpus, retriever)  # type: ignore[arg-type]


def test_a_list_with_mottos_titles_or_plans() -> None:
    ctx = records_ctx()
    ans = answer_list(ctx, query(intent="list", categories=(MS,), attributes=("motto", "title")), {})
    assert ans.text == (
        f"2021 wurden 2 {MS} als Modellprojekte Smart Cities gefördert:\n\n"
        "1. B – Kleinere Großstadt, Hessen, Bayern (S. 12) [1]; Motto „MB“; Projekttitel „TB“\n"
        "2. C – Kleinere Großstadt, Sachsen (S. 13) [2]; Motto „MC“; Projekttitel „TC“"
    )
    assert ans.projects == ("B", "C")
    ans = answer_list(ctx, query(intent="list"), {})
    assert ans.text.startswith("2021 wurden insgesamt 4 Modellprojekte Smart Cities gefördert:\n\n1. A – ")
    ans = answer_list(ctx, query(intent="list", categories=(MS,), attributes=("title",)), {})
    assert ans.text.endswith("2. C – Kleinere Großstadt, Sachsen (S. 13) [2]; Projekttitel „TC“")
    assert MAX_WITH_PLANS == 6
    ans = answer_list(many_ctx(6), query(intent="list", with_plans=True), {})
    lines = ans.text.split("\n\n", 1)[1].splitlines()
    assert lines[:3] == [
        "1. P0 – Kleinere Großstadt, Bayern (S. 10) [1]; Projekttitel „T0“",
        "   - Plan 0a [2]",
        "   - Plan 0b [2]",
    ]
    assert len(lines) == 18
    ans = answer_list(many_ctx(7), query(intent="list", with_plans=True), {})
    assert "Plan" not in ans.text and "Projekttitel" not in ans.text


def test_an_empty_selection_names_what_the_overview_has_there() -> None:
    ans = answer_list(many_ctx(2), query(intent="list", states=("Hamburg",)), {})
    assert ans.text == (
        "Unter den 2 Modellprojekten Smart Cities 2021 gibt es keine Modellprojekte in Hamburg. "
        "In der Übersicht 2019–2021 steht Hamburg, Leipzig und München aus einer früheren Staffel [1]."
    )
    assert [s.chunk_id for s in ans.sources] == ["ov"] and ans.projects == ()
    ans = answer_list(records_ctx(), query(intent="list", states=("Kiel",), categories=(MS,)), {})
    assert ans.text == f"Unter den 4 Modellprojekten Smart Cities 2021 gibt es keine {MS} in Kiel." and not ans.sources


# -- further boundaries (written against the survivors of the second run) ---------------------------------------------


def test_reverse_lookup_boundaries() -> None:
    ps = [
        project("Anstadt", motto="Gemeinsam digital in die Zukunft gehen", title="Ab", page=11),
        project("Bestadt", motto="Ab", title="Gemeinsam stark", page=12),
        project("Cestadt", motto="Mond", title="Sonne und Sterne am Himmel", page=13),
        project("Destadt", motto="Gemeinsam leben", title="Zu", page=14),
    ]
    ctx = SimpleNamespace(
        corpus=SimpleNamespace(projects=ps), header={p.name: chunk(f"{p.name}-h", p.name, kind="header") for p in ps}
    )
    thirty = "gemeinsam digital in die zukun"  # 30 characters: still a word to list
    assert len(thirty) == 30
    ans = answer_reverse(ctx, query(phrase=thirty, attributes=("motto",), listing=True))
    assert ans is not None and ans.text.startswith(f"„{thirty}“ steht bei 1 Projekt:\n- Anstadt: Motto ")
    assert [s.score for s in ans.sources] == [1.0]
    ans = answer_reverse(ctx, query(phrase=thirty + "f", attributes=("motto",), listing=True))
    assert ans is not None and ans.text.startswith("„Gemeinsam digital in die Zukunft gehen“ ist das Motto von Anstadt")
    ans = answer_reverse(ctx, query(phrase="gemeinsam", attributes=("motto", "title"), listing=True))
    assert ans is not None and ans.text.startswith("„gemeinsam“ steht bei 3 Projekten:")
    ans = answer_reverse(ctx, query(phrase="gemeinsam", attributes=("motto",), listing=True))
    assert ans is not None and ans.text.startswith("„gemeinsam“ steht bei 2 Projekten:")
    ans = answer_reverse(ctx, query(phrase="leben", attributes=("motto",), listing=True))
    assert ans is not None and ans.text.startswith("„leben“ steht bei 1 Projekt:")
    ans = answer_reverse(
        ctx, query(phrase="Gemeinsam stark", attributes=("title",))
    )  # the motto before it is too short
    assert ans is not None and ans.text.startswith("„Gemeinsam stark“ ist der Projekttitel von Bestadt")
    ans = answer_reverse(ctx, query(phrase="Mond", attributes=("motto",)))  # four letters are enough
    assert ans is not None and ans.projects == ("Cestadt",) and ans.sources[0].score == 1.0
    long = "Wir sagen es allen immer wieder sehr gern und laut: Gemeinsam leben, jeden Tag und ewig"
    ans = answer_reverse(ctx, query(phrase=long, attributes=("motto",)))  # contained, though little alike
    assert ans is not None and ans.projects == ("Destadt",)


def test_reverse_lookup_needs_six_tenths_alike() -> None:
    ctx = SimpleNamespace(
        corpus=SimpleNamespace(projects=[project("Anstadt", motto="Abcd", title="Zu", page=1)]),
        header={"Anstadt": chunk("a-h", "Anstadt", kind="header")},
    )
    assert answer_reverse(ctx, query(phrase="abcxyz", attributes=("motto",))) is not None  # ratio 0.6
    assert answer_reverse(ctx, query(phrase="abxxyz", attributes=("motto",))) is None  # ratio 0.4


def test_without_a_topic_a_comparison_lists_the_first_measures() -> None:
    ctx, _ = compare_ctx()
    ctx.evidence.lexical = lambda q: lambda st: 1.0 if "A3" in st else 0.0
    ctx.evidence.sentence_terms = lambda s: frozenset([s])
    text = answer_compare(ctx, query(intent="compare", projects=("A", "C"))).text
    assert "\n- A1 – eins [2]\n- A2 [2]\n- A3 [2]" in text
    q = query(intent="compare", projects=("A", "C"), content_terms=("x",), attributes=("motto",))
    assert "Geplant ist unter anderem:\n- A3 [2]\n\n" in answer_compare(ctx, q).text


def test_a_comparison_names_fields_of_each_and_rare_shared_themes() -> None:
    ctx, _ = compare_ctx()
    a, b = ctx.corpus.project("A"), ctx.corpus.project("B")
    b.fields = ("Mobilität", "Wasser")
    a.text = b.text = "Wir bauen eine Zukunftswerkstatt und eine Grenzbrücke."
    ctx.evidence.sentence_terms = lambda s: frozenset(german_terms(s))
    ctx.evidence.project_share = lambda t: 0.05 if t in ("zukunftswerkstatt", "grenzbruck") else 1.0
    text = answer_compare(ctx, query(intent="compare", projects=("A", "B"))).text
    assert "Unterschiede: Handlungsfelder nur A: Energie; nur B: Wasser." in text
    assert text.endswith(
        "; gemeinsame Handlungsfelder (vom Assistenten zugeordnet): Mobilität; "
        "Themen, die nur wenige Projekte nennen, bei beiden: Grenzbrücke, Zukunftswerkstatt."
    )


def test_paragraph_starts_and_land_names_in_shared_themes() -> None:
    a = project("Anstadt", states=("Brandenburg", "Thüringen"), paragraphs=("Wir planen viel in Thüringen.", "Zukunftswerkstatt bauen wir."),
                text="Wir planen viel in Thüringen. Zukunftswerkstatt bauen wir, eine Zukunftswerkstatt.")  # fmt: skip
    b = project("Bestadt", states=("Sachsen",), paragraphs=(), text="Auch in Thüringen eine Zukunftswerkstatt.")
    ctx = SimpleNamespace(
        evidence=SimpleNamespace(
            sentence_terms=lambda s: frozenset(german_terms(s)),
            project_share=lambda t: 0.0 if t in ("zukunftswerkstatt", "thuring") else 1.0,
        )
    )
    assert shared_themes(ctx, [a, b]) == ["Zukunftswerkstatt"]  # "Thüringen" is a Land of the first project


def test_evidence_defaults_and_questions_that_are_no_records() -> None:
    a = answerer()
    a.evidence(query(intent="open"))
    assert a.retriever.calls[-1] == ("Frage", 10, {})
    got = a.evidence(query(intent="unanswerable", projects=("A",)))
    assert [h.chunk.id for h in got] == ["x"]  # retrieval, not the named project's record
    got = a.evidence(query(intent="similar", asks_for_project=True))
    assert [h.chunk.id for h in got] == ["C-p", "B-p", "A-p"]


def test_related_measures_exclude_nothing_by_default() -> None:
    ctx, _ = lookup_ctx(measures=("XX", "Sensoren: im Park"))
    assert related_measures(ctx, query(content_terms=("x",)), "Anstadt") == ["Sensoren: im Park", "XX"]


def test_an_empty_selection_cites_the_overview_section_first() -> None:
    ctx = many_ctx(2)
    ue = chunk("ue", kind="section", section="uebersicht")
    ctx.section_chunks["uebersicht"] = ue
    ans = answer_list(ctx, query(intent="list", states=("Hamburg",)), {})
    assert [s.chunk_id for s in ans.sources] == ["ue"]


def test_merge_says_an_answer_both_parts_got_once() -> None:
    from rag.answer.base import merge
    from rag.types import Answer, Source

    src = (Source(1, "X", 1, "", (), "s", 1.0, chunk_id="x"),)
    same = Answer("Liste: X [1]", sources=src)
    assert merge([same, same]).text == "Liste: X [1]"
    other = Answer("Anders: X [1]", sources=src)
    assert merge([same, other]).text == "Liste: X [1]\n\nAnders: X [1]"


def test_the_topic_words_leave_out_the_verbs_that_frame_them() -> None:
    from rag.answer.base import topic_words

    q = query(text="Beide rücken den digitalen Zwilling in den Fokus", content_terms=("ruck", "digital", "zwilling"),
              verbs=("ruck",))
    assert topic_words(q) == "digitalen Zwilling"
    only_verb = query(text="Was bauen beide?", content_terms=("bau",), verbs=("bau",))
    assert topic_words(only_verb) == "bauen"


def test_a_refusal_is_overruled_only_by_a_sentence_that_carries_most_words_and_names_them() -> None:
    from rag.answer import STRONG_NAMED, strongly_named
    from rag.types import Source

    terms_of = {
        "genau": frozenset({"fussball"}),  # the question's word, covering just enough
        "knapp": frozenset({"fussball", "x"}),  # the word, covering just too little
        "eigen": frozenset({"fussballstadion"}),  # covers all, but only inside a longer word
        "synonym": frozenset({"kick"}),  # a thesaurus synonym of the word
    }
    cover = {terms_of["genau"]: STRONG_NAMED, terms_of["knapp"]: STRONG_NAMED - 0.01, terms_of["eigen"]: 1.0,
             terms_of["synonym"]: STRONG_NAMED}  # fmt: skip
    ev = SimpleNamespace(
        lexical=lambda q: (lambda st: cover[st]),
        sentence_terms=lambda s: terms_of[s],
        bm=SimpleNamespace(related=lambda t: {"kick"} if t == "fussball" else set()),
    )
    ctx = SimpleNamespace(evidence=ev)

    def found(*snippets: str) -> Answer:
        return Answer("x", sources=tuple(Source(i, "P", 1, "", (), s, 1.0) for i, s in enumerate(snippets, 1)))

    q = query(text="Fußball?", content_terms=("fussball",))
    assert strongly_named(ctx, q, found("genau"))  # type: ignore[arg-type]
    assert strongly_named(ctx, q, found("synonym"))  # type: ignore[arg-type]
    assert not strongly_named(ctx, q, found("knapp"))  # type: ignore[arg-type]
    assert not strongly_named(ctx, q, found("eigen"))  # type: ignore[arg-type]
    assert strongly_named(ctx, q, found("eigen", "genau"))  # type: ignore[arg-type]
    ev.bm = SimpleNamespace(related=None)  # no thesaurus: only the word itself
    assert not strongly_named(ctx, q, found("synonym")) and strongly_named(ctx, q, found("genau"))  # type: ignore[arg-type]


def test_how_big_quotes_the_sentence_that_states_the_size_with_its_own_citation() -> None:
    ctx = attr_ctx()
    size = "Die Stadt hat rund 142.000 Einwohner auf 65 qkm."
    own = [chunk("A-p", "A", page=11, text=f"Die Stadt liegt am Fluss. {size}")]
    ctx.retriever = SimpleNamespace(project_chunks=lambda n: own if n == "A" else [])
    ans = answer_lookup(ctx, query(text="Wie groß ist A?", intent="lookup", projects=("A",), attributes=("size_class",)))
    assert "Dazu die Broschüre" not in ans.text  # the parser did not read "wie groß" (asks_size)
    ans = answer_lookup(ctx, query(intent="lookup", projects=("A",), attributes=("size_class",), asks_size=True))
    assert ans.text.endswith(f"[1].\n\nDazu die Broschüre: „{size}“ [2]")
    assert (ans.sources[1].chunk_id, ans.sources[1].snippet, ans.sources[1].score) == ("A-p", size, 1.0)


def test_a_count_then_which_of_them_keeps_the_number_alone_before_the_list(monkeypatch) -> None:
    from rag.types import Source

    seen: list[Any] = []
    monkeypatch.setattr(layer, "correct_premises", lambda ctx, q, a: (seen.append(ctx), a)[1])
    a = object.__new__(Answerer)
    a.ctx = SimpleNamespace()  # type: ignore[assignment]

    def src(cid: str) -> Source:
        return Source(1, cid, 1, "", (), f"Satz {cid}", 1.0, chunk_id=cid)

    given = {
        "eins": Answer("Es sind 3 Orte wie X:\n- A [1]", sources=(src("a"),), mode="strukturiert", projects=("A",)),
        "zwei": Answer("B [1]", sources=(src("b"),), mode="extraktiv", projects=("B",)),
        "drei": Answer("C [1]", sources=(src("c"),), mode="extraktiv", projects=("C",)),
    }
    monkeypatch.setattr(a, "_answer", lambda p, f: given[p.text])
    number, which = query(text="eins", wants_number=True), query(text="zwei", followup=True)
    out = a.answer(query(text="x", parts=(number, which)))
    assert out.text == "Es sind 3 Orte wie X.\n\nB [1]" and out.mode == "strukturiert"
    assert [s.chunk_id for s in out.sources] == ["b"] and seen == [a.ctx, a.ctx]
    # the last part is the one that must point back; not a number first, or no list: both answers whole
    out = a.answer(query(text="x", parts=(number, query(text="zwei"), query(text="drei", followup=True))))
    assert out.text.startswith("Es sind 3 Orte wie X.\n\nB [1]")
    out = a.answer(query(text="x", parts=(query(text="eins"), which)))
    assert out.text.startswith("Es sind 3 Orte wie X:\n- A [1]")
    given["eins"] = Answer("Es sind 3 Orte:\n- A [1]", sources=(src("a"),), mode="extraktiv", projects=("A",))
    assert a.answer(query(text="x", parts=(number, which))).text.startswith("Es sind 3 Orte:\n- A [1]")


def test_a_soft_refusal_gives_way_to_a_topic_answer_that_names_it_strongly(monkeypatch) -> None:
    calls: list[Any] = []
    strong, share = [True], [0.6]
    monkeypatch.setattr(
        layer, "answer_topic", lambda ctx, q, f, strict=False: (calls.append((ctx, q, f, strict)), Answer("Thema"))[1]
    )
    monkeypatch.setattr(layer, "abstain_with_context", lambda ctx, q: Answer("abgelehnt"))
    monkeypatch.setattr(layer, "strongly_named", lambda ctx, q, found: strong[0])
    a = object.__new__(Answerer)
    a.ctx = SimpleNamespace(evidence=SimpleNamespace(known_share=lambda q: share[0] if q.content_terms else 0.0))  # type: ignore[assignment]
    q = query(text="Fußball?", intent="unanswerable", reason="Nein.", soft_refusal=True, content_terms=("fussball",),
              asks_for_project=True)  # fmt: skip
    assert a._answer(replace(q, asks_for_project=False), {}).text == "abgelehnt"  # no project asked for
    assert not calls
    assert a._answer(q, {"state": "Hessen"}).text == "Thema"
    ctx, asked, filters, strict = calls[0]
    assert ctx is a.ctx and (asked.intent, asked.reason, asked.text) == ("open", "", "Fußball?")
    assert filters == {"state": "Hessen"} and strict  # a refused topic is overruled only through the strict gate
    strong[0] = False
    assert a._answer(q, {}).text == "abgelehnt"  # found, but not named strongly
    strong[0], share[0] = True, 0.5
    assert a._answer(q, {}).text == "abgelehnt"  # half the question unknown: no overruling
    share[0] = 0.6
    monkeypatch.setattr(layer, "answer_topic", lambda ctx, q, f, strict=False: None)
    assert a._answer(q, {}).text == "abgelehnt"  # nothing found


def test_the_laender_with_an_article() -> None:
    from rag.answer.structured import in_laender

    assert in_laender(["Saarland"]) == "im Saarland"
    assert in_laender(["Berlin", "Saarland"]) == "in Berlin und im Saarland"
    assert in_laender(["Bremen"]) == "in Bremen"


def test_a_topic_named_only_by_verbs_in_the_asking_sentence_is_the_preambles() -> None:
    from rag.answer.base import topic_words

    q = query(text="X und Y planen einen digitalen Zwilling. Wofür wird er eingesetzt?", content_terms=("digital", "zwilling", "eingesetzt"),
              background=("digital", "zwilling"), verbs=("eingesetzt",))  # fmt: skip
    assert topic_words(q) == "digitalen Zwilling"

