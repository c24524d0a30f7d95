"""The answer layer's order of strategies (``rag.answer.Answerer``): every strategy is replaced by a stub that
says who answered (and what it was given), so each rule of the order is pinned by the questions that reach
it and the ones that pass it by. Written against surviving mutants (issue #14)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

import rag.answer as layer
from rag.answer import NO_NUMBER, NO_PASSAGE, Answerer
from rag.types import Answer, Hit
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
    "answer_compare",
    "answer_open",
]


@pytest.fixture
def routed(monkeypatch):  # type: ignore[no-untyped-def]
    """An Answerer whose strategies only report their name; ``declines`` lists those that return None."""
    calls: list[tuple[str, Any, Any]] = []
    declines: set[str] = set()

    def stub(name: str):  # type: ignore[no-untyped-def]
        def run(ctx, q, *rest):  # type: ignore[no-untyped-def]
            calls.append((name, q, rest))
            if name in declines:
                return None
            return Answer(name, mode="stub", intent=q.intent)

        return run

    for name in STRATEGIES:
        monkeypatch.setattr(layer, name, stub(name))
    monkeypatch.setattr(layer, "abstain_with_context", lambda ctx, q: Answer("abstain_with_context", mode="stub"))
    monkeypatch.setattr(layer, "nearest", lambda ctx, q, f, declined: Answer("nearest: " + declined.text, mode="stub"))
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
        ({"past_entities": ("Kassel",), "categories": ("Großstädte",)}, "answer_open"),
        ({"past_entities": ("Kassel",), "intent": "list"}, "answer_list"),
        ({"past_entities": ("Kassel",), "intent": "count"}, "answer_list"),
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
        ({"intent": "list", "content_terms": ("x",), "states": ("Bayern",), "alternatives": ("open",)}, "answer_topic"),
        (
            {
                "intent": "count",
                "content_terms": ("x",),
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
    q = query(intent="list", content_terms=("x",), states=("Bayern",), alternatives=("open",))
    routed(q, {"category": "Großstädte"})
    assert [(n, r) for n, _, r in routed.calls] == [("answer_topic", ({"category": "Großstädte"},))]
    routed.declines.add("answer_topic")
    assert routed(q, {"category": "Großstädte"}) == "answer_list"
    assert [n for n, _, _ in routed.calls] == ["answer_topic", "answer_list"]
    assert routed(query(intent="count", states_count=True), {"state": "Bayern"}) == "answer_count_states"
    assert routed.calls[0][2] == ({"state": "Bayern"},)


def test_when_no_passage_answers(routed) -> None:
    routed.declines.update({"answer_open", "answer_topic"})
    refusal = " Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."
    assert routed(query(asks_for_project=True)) == "nearest: " + NO_PASSAGE + refusal
    assert [n for n, _, _ in routed.calls] == ["answer_topic", "answer_open"]
    # about one project: what it plans, from a lookup without attributes
    assert routed(query(projects=("Guben",), attributes=("motto",))) == "answer_lookup"
    assert routed.calls[-1][1].attributes == ()
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
from rag.answer.citations import Citations  # noqa: E402


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
    long = "gemeinsam " * 4  # longer than 30 characters: no listing of every motto
    ans = answer_reverse(ctx, query(phrase=long, attributes=("motto",), listing=True))
    assert ans is None


# -- declines with the programme's sentence, corrections of a wrong Land ---------------------------------------------

from rag.answer.base import abstain_with_context  # noqa: E402
from rag.answer.premise import correct_states  # noqa: E402


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
    got = correct_states(ctx, q, answer)  # type: ignore[arg-type]
    assert got.text == (
        "Richtigstellung: Guben liegt in Brandenburg, nicht in dem in der Frage genannten Land [1].\n"
        "Richtigstellung: Rhein liegt in Hessen und Bayern, nicht in dem in der Frage genannten Land [2].\n\n"
        "Guben plant [3] und [4]; wieder [3]."
    )
    assert [(s.n, s.chunk_id) for s in got.sources] == [(1, "g-h"), (2, "r-h"), (3, "p1"), (4, "p2")]
    assert correct_states(ctx, query(), answer) is answer  # type: ignore[arg-type]
    assert correct_states(ctx, query(wrong_states=(("Guben", "Bayern"),), attributes=("states",)), answer) is answer  # type: ignore[arg-type]
    declined = Answer("Nein.", mode="extraktiv", answerable=False)
    assert correct_states(ctx, q, declined) is declined  # type: ignore[arg-type]
    assert correct_states(
        ctx, query(wrong_states=(("Guben", "Bayern"),), attributes=("motto",)), answer
    ).text.startswith(  # type: ignore[arg-type]
        "Richtigstellung: Guben"
    )


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
