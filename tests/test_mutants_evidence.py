"""``rag.answer.evidence`` on a hand-made vocabulary (idf, compound splits, thesaurus relatives, which project
uses which word), so that the weights, credits, thresholds and rankings are pinned to exact numbers.
Written against surviving mutants (issue #14)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pytest

from rag.answer.evidence import MIN_WEIGHT, Evidence, Scored, owner, quotable, quotes, with_list_items
from rag.types import Hit
from tests.mutant_fakes import chunk, query, scored

IDF = {
    "sensor": 3.0,
    "dat": 1.0,
    "plattform": 2.0,
    "park": 2.5,
    "mobil": 1.2,
    "mobilstation": 2.8,
    "plan": 1.6,
    "bus": 0.5,
    "luft": 1.4,
}
# which of the projects P0..P3 use a word (chunk i belongs to project Pi; chunk 4 is a general section)
USED_BY = {
    "sensor": [0],
    "dat": [0, 1],
    "plattform": [0, 1, 2, 3],
    "park": [2],
    "mobil": [1],
    "mobilstation": [1],
    "plan": [0, 1, 2, 3],
    "bus": [0, 1, 2, 3, 4],
    "luft": [0],
}
SPLITS = {"datplattform": ["dat", "plattform"], "sensorplattform": ["sensor", "plattform"]}
QUERY_PARTS = {"sensorik": ["sensor"], "plattformx": ["plattform"], "parkx": ["park", "zzz"]}
RELATED = {"verkehr": {"mobil"}, "sensor": {"messgerat"}, "dat": {"luft"}}


class FakeDecompounder:
    def split(self, t: str) -> list[str]:
        return list(SPLITS.get(t, []))

    def expand(self, tokens: list[str]) -> list[str]:
        return [*tokens, *(x for t in tokens for x in SPLITS.get(t, []))]

    def expand_query(self, tokens: list[str]) -> list[str]:
        return [*self.expand(tokens), *(x for t in tokens for x in QUERY_PARTS.get(t, []))]


@dataclass
class FakeBM:
    idf: dict[str, float] = field(default_factory=lambda: dict(IDF))
    decompounder: FakeDecompounder = field(default_factory=FakeDecompounder)
    postings: dict[str, list[tuple[int, int]]] = field(
        default_factory=lambda: {t: [(i, 1) for i in ps] for t, ps in USED_BY.items()}
    )
    weighted: dict[str, float] = field(default_factory=dict)

    def related(self, t: str) -> set[str]:
        return set(RELATED.get(t, set()))

    def weighted_terms(self, text: str) -> dict[str, float]:
        return dict(self.weighted)


@dataclass
class FakeRetriever:
    chunks: list[Any]
    bm25: FakeBM = field(default_factory=FakeBM)
    sims: dict[tuple[str, str], float] = field(default_factory=dict)
    allowed: list[int] | None = None
    calls: list[Any] = field(default_factory=list)

    def sentence_similarity(self, text: str, ids: list[str]) -> dict[tuple[str, str], float]:
        self.calls.append(("sims", text, ids))
        return dict(self.sims)

    def allowed_indices(self, filters: dict[str, Any]) -> list[int] | None:
        self.calls.append(("allowed", filters))
        return self.allowed


CHUNKS = [chunk(f"c{i}", f"P{i}", page=10 + i) for i in range(4)] + [chunk("c4", kind="section", section="einleitung")]


def evidence(**kw: Any) -> Evidence:
    measures = kw.pop("measures", None)
    chunks = list(kw.pop("chunks", CHUNKS))
    return Evidence(FakeRetriever(chunks + CHUNKS[len(chunks) :], **kw), measures)


def concepts(*content: str, verbs: tuple[str, ...] = (), **kw: Any) -> list[tuple[float, str, set[str], set[str]]]:
    got = evidence().concepts(query(content_terms=content, verbs=verbs, **kw))
    return [(round(w, 6), t, set(p), set(r)) for w, t, p, r in got]


# -- distinctiveness -------------------------------------------------------------------------------------------


def test_distinctiveness_is_an_idf_over_projects() -> None:
    ev = evidence()
    assert ev.project_share("sensor") == 0.25 and ev.project_share("dat") == 0.5
    assert ev.project_share("bus") == 1.0  # the general section (chunk 4) is no project
    assert ev.project_share("unbekannt") == 0.0
    assert ev.distinctiveness("sensor") == 1.0
    assert ev.distinctiveness("dat") == pytest.approx(math.log(2) / math.log(4))
    assert ev.distinctiveness("plattform") == 0.1 and ev.distinctiveness("bus") == 0.1
    assert ev.distinctiveness("unbekannt") == 1.0  # as rare as a word of one project
    one = evidence(chunks=[chunk(f"c{i}", "P0") for i in range(5)])
    assert one.project_share("sensor") == 1.0 and one.distinctiveness("sensor") == 1.0


# -- the question's concepts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "verbs", "kw", "expected"),
    [
        (("sensor",), (), {}, [(3.0, "sensor", set(), set())]),
        (("plattform",), (), {}, [(0.2, "plattform", set(), set())]),  # every project uses it
        (("plattform",), (), {"projects": ("P0",)}, [(2.0, "plattform", set(), set())]),
        (("plattform",), (), {"about_brochure": True}, [(2.0, "plattform", set(), set())]),
        (("plattform",), (), {"about_programme": True}, [(2.0, "plattform", set(), set())]),
        (("plattform",), (), {"projects": ("P0", "P1")}, [(0.2, "plattform", set(), set())]),
        (("datplattform",), (), {}, [(2.0, "datplattform", {"dat", "plattform"}, {"luft"})]),  # a part's relative
        (("sensorik",), (), {}, [(3.0, "sensorik", {"sensor"}, set())]),
        (("parkx",), (), {}, [(2.5, "parkx", {"park"}, set())]),  # parts the corpus lacks are dropped
        (("verkehr",), (), {}, [(2.8, "verkehr", set(), {"mobil", "mobilstation"})]),
        (("frankreich",), (), {}, []),
        (("sensor", "sensor"), (), {}, [(3.0, "sensor", set(), set())]),
        (("plan",), (), {}, [(0.4, "plan", set(), set())]),  # a question verb: a quarter, no distinctiveness
        (("sensor", "park"), ("park",), {}, [(3.0, "sensor", set(), set()), (1.0, "park", set(), set())]),
        (("park",), ("park",), {}, [(2.5, "park", set(), set())]),  # only verbs: all count fully
        (
            ("sensor", "verkehr"),
            ("verkehr",),
            {},
            [(3.0, "sensor", set(), set()), (2.8, "verkehr", set(), {"mobil", "mobilstation"})],
        ),
        (("dat",), (), {}, [(0.5, "dat", set(), {"luft"})]),
        (("mobil",), (), {}, [(1.2, "mobil", set(), {"mobilstation"})]),
    ],
)
def test_concepts_weigh_terms_by_idf_parts_relatives_and_role(content, verbs, kw, expected) -> None:
    assert concepts(*content, verbs=verbs, **kw) == expected


def test_a_part_of_the_hyphenated_word_just_before_is_no_concept_of_its_own() -> None:
    assert [t for _, t, _, _ in concepts("sensorplattform", "sensor")] == ["sensorplattform"]
    assert [t for _, t, _, _ in concepts("sensorplattform", "a1", "a2", "sensor")] == ["sensorplattform"]
    assert [t for _, t, _, _ in concepts("sensorplattform", "a1", "a2", "a3", "sensor")] == [
        "sensorplattform",
        "sensor",
    ]
    assert [t for _, t, _, _ in concepts("sensorx", "sensor")] == ["sensor"]  # not longer by more than 2


def test_concepts_are_computed_once_per_set_of_terms() -> None:
    ev = evidence()
    a = ev.concepts(query(content_terms=("sensor",)))
    assert ev.concepts(query(content_terms=("sensor",), text="andere Frage")) is a
    assert ev.concepts(query(content_terms=("sensor",), projects=("P0",))) is not a


# -- compounds of a word ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "vocabulary", "expected"),
    [
        (
            "mobil",
            ["mobilstation", "mobilx", "mobilxx", "mobilxxx", "automobil", "xautomobil"],
            {"mobilstation", "mobilxxx", "automobil", "xautomobil"},
        ),
        ("fahr", ["fahrrad", "fahrt", "dieselfahr"], {"fahrrad"}),  # a 4-letter word is no tail
        ("ein", ["einsam", "einkauf"], set()),
        ("einsam", ["gemeinsam", "xxxeinsam", "xxxxeinsam", "einsamkeit", "einsamke"], {"xxxxeinsam", "einsamkeit"}),
    ],
)
def test_compounds_have_the_word_as_head_or_long_tail(term, vocabulary, expected) -> None:
    ev = evidence(bm25=FakeBM(idf={w: 1.0 for w in vocabulary}))
    assert ev._affixed(term) == expected
    assert ev._affixed(term) == expected  # cached


# -- unknown words, off-topic questions ------------------------------------------------------------------------


def test_unknown_are_words_the_corpus_knows_in_no_form() -> None:
    ev = evidence()
    q = query(content_terms=("sensor", "frankreich", "mob", "rentabilitat", "parkx", "sensorik", "frankreich"))
    # "mob" is too short to judge; "rentabilitat" has no compound (nor its adjective) in the corpus either
    assert ev.unknown(q) == ["frankreich", "rentabilitat"]
    assert ev.unknown(query(content_terms=("mobilitat",))) == []  # known through its adjective "mobil"
    assert ev.unknown(query(content_terms=("mobi",))) == []  # the head of "mobilstation"
    assert ev.unknown(query(content_terms=("zzzzplattform",))) == ["zzzzplattform"]


def test_a_part_of_a_hyphenated_word_is_known_although_no_concept_of_its_own() -> None:
    # "Unesco-Welterbe": the parts are said by the whole; a question about it is not off-topic
    q = query(content_terms=("sensorplattform", "sensor", "plattform"), nouns=("sensorplattform", "sensor", "plattform"))
    ev = evidence()
    assert [t for _, t, _, _ in ev.concepts(q)] == ["sensorplattform"]
    assert ev.unknown(q) == [] and not ev.off_topic(q)


@pytest.mark.parametrize(
    ("content", "nouns", "share"),
    [
        ((), (), 1.0),
        (("sensor", "frankreich"), (), 0.5),
        (("sensor", "frankreich", "park"), (), 1 - 1 / 3),
        (("sensor", "frankreich"), ("sensor",), 1.0),  # only the nouns count when there are any
        (("sensor", "frankreich"), ("frankreich",), 0.0),
        (("sensor", "frankreich"), ("other",), 0.5),
    ],
)
def test_known_share_and_off_topic(content, nouns, share) -> None:
    ev = evidence()
    q = query(content_terms=content, nouns=nouns)
    assert ev.known_share(q) == pytest.approx(share)
    assert ev.off_topic(q) is (share <= 0.5)


# -- lexical coverage ------------------------------------------------------------------------------------------


def cover(*content: str, either: tuple[tuple[str, ...], ...] = ()):  # type: ignore[no-untyped-def]
    return evidence().lexical(query(content_terms=content, either=either))


@pytest.mark.parametrize(
    ("content", "sentence", "expected"),
    [
        (("datplattform", "sensor"), {"datplattform"}, 2.0 / 5),
        (("datplattform", "sensor"), {"dat", "plattform"}, 0.9 * 2.0 / 5),  # all parts
        (("datplattform", "sensor"), {"dat"}, 0.7 * 2.0 / 5),  # a part with relatives of its own: like a relative
        (("datplattform", "sensor"), {"plattform"}, 0.5 * 2.0 * 0.1 / 2 / 5),
        (("datplattform", "sensor"), {"sensor", "datplattform"}, 1.0),
        (("datplattform", "sensor"), {"sensor", "luft"}, (3.0 + 0.7 * 2.0) / 5),
        (("sensorik",), {"sensor"}, 0.9),  # the one known part, distinctive
        (("plattformx",), {"plattform"}, 0.45),  # … not distinctive: half
        (("verkehr",), {"mobilstation"}, 0.7),  # a relative
        (("verkehr",), {"verkehr"}, 1.0),
        (("sensor", "frankreich"), {"sensor"}, 1.0),  # the unknown word weighs nothing beyond MIN_WEIGHT
        (("plattform", "frankreich"), {"plattform"}, 0.2 / MIN_WEIGHT),
        (("frankreich",), {"frankreich"}, 0.0),
        (("sensor",), set(), 0.0),
    ],
)
def test_coverage_credits(content, sentence, expected) -> None:
    assert MIN_WEIGHT == 1.5
    assert cover(*content)(frozenset(sentence)) == pytest.approx(expected)


def test_alternatives_count_as_one_concept_covered_by_either() -> None:
    f = cover("sensor", "park", "plattform", either=(("sensor", "park"),))
    total = 3.0 + 0.2
    assert f(frozenset({"park"})) == pytest.approx(3.0 / total)
    assert f(frozenset({"sensor"})) == pytest.approx(3.0 / total)
    assert f(frozenset({"sensor", "park"})) == pytest.approx(3.0 / total)
    assert f(frozenset({"plattform"})) == pytest.approx(0.2 / total)
    assert f(frozenset({"park", "plattform"})) == pytest.approx(1.0)
    g = cover("verkehr", "sensor", either=(("verkehr", "sensor"),))
    assert g(frozenset({"mobil"})) == pytest.approx(0.7)  # a relative of one alternative: 0.7 of the group


def test_without_content_terms_the_question_words_weigh_by_idf() -> None:
    ev = evidence(bm25=FakeBM(weighted={"sensor": 1.0, "park": 1.0, "bus": 2.0, "unbekannt": 5.0}))
    q = query(text="Sensor im Park von P0")
    assert ev.weights(q) == {"sensor": 3.0, "park": 2.5, "bus": 1.0}
    assert ev.weights(query(text="x", projects=("Sensor Park",))) == {"bus": 1.0}
    f = ev.lexical(q)
    # the terms of at least half the top weight (3.0, 2.5) make the whole; "bus" (1.0) is extra
    assert f(frozenset({"sensor"})) == pytest.approx(3.0 / 5.5)
    assert f(frozenset({"bus"})) == pytest.approx(1.0 / 5.5)
    assert f(frozenset({"sensor", "park", "bus"})) == 1.0
    empty = evidence(bm25=FakeBM(weighted={}))
    assert empty.lexical(query(text="x"))(frozenset({"sensor"})) == 0.0


# -- scoring sentences -----------------------------------------------------------------------------------------

S1 = "Die Stadt misst mit einem Sensor die Luft."
S2 = "Die Stadt plant viele weitere Dinge im Herbst."


def test_sentence_terms_are_the_expanded_stems() -> None:
    ev = evidence()
    assert ev.sentence_terms("Die Sensorplattform misst.") == frozenset(
        {"sensorplattform", "sensor", "plattform", "misst"}
    )
    assert ev.sentence_terms("Die Sensorplattform misst.") is ev.sentence_terms("Die Sensorplattform misst.")


def test_score_combines_coverage_a_rank_prior_and_closeness() -> None:
    a = chunk("c0", "P0", text=f"{S1} {S2}")
    b = chunk("c1", "P1", text=S1)
    ev = evidence(chunks=[a, b])
    got = ev.score(query(content_terms=("sensor",), search_text="Sensor?"), [Hit(a, 0.9), Hit(b, 0.5)])
    # no sentence vectors: coverage plus a prior that falls with the hit's rank
    assert [(x.hit.chunk.id, x.sentence, round(x.score, 6), x.lexical, x.cosine) for x in got] == [
        ("c0", S1, 1.05, 1.0, 0.0),
        ("c1", S1, round(1 + 0.05 / 1.5, 6), 1.0, 0.0),
        ("c0", S2, 0.05, 0.0, 0.0),
    ]
    assert ev.retriever.calls == [("sims", "Sensor?", ["c0", "c1"])]


def test_score_with_sentence_closeness() -> None:
    a = chunk("c0", "P0", text=f"{S1} {S2}")
    ev = evidence(chunks=[a], sims={("c0", S1): 0.85, ("c0", S2): 0.95})
    got = {x.sentence: x for x in ev.score(query(content_terms=("sensor",)), [Hit(a, 0.9)])}
    assert got[S1].score == pytest.approx(0.5 * 1.0 + 0.5 * 0.5 + 0.05)
    assert got[S2].score == pytest.approx(0.5 * 0.0 + 0.5 * 1.0 + 0.05) and got[S2].cosine == 0.95
    ev = evidence(chunks=[a], sims={("c0", S1): 0.79})
    got = {x.sentence: x for x in ev.score(query(content_terms=("sensor",)), [Hit(a, 0.9)])}
    assert got[S1].score == pytest.approx(0.5 + 0.05) and got[S2].score == pytest.approx(0.05)


def test_score_reads_short_lines_of_a_general_section_but_not_of_a_project_passage() -> None:
    text = "Herausgeber Sensor\nDas ist ein ganzer Satz über Sensoren und mehr."
    sec = chunk("c4", kind="section", section="impressum", text=text)
    got = {x.sentence for x in evidence().score(query(content_terms=("sensor",)), [Hit(sec, 1.0)])}
    assert "Herausgeber Sensor" in got  # an Impressum line of a few words is quotable there
    own = chunk("c0", "P0", text=text)
    got = {x.sentence for x in evidence(chunks=[own]).score(query(content_terms=("sensor",)), [Hit(own, 1.0)])}
    assert "Herausgeber Sensor" not in got  # … not in a project's passage, where it is a heading


def test_score_favours_numbers_for_number_questions_and_shortens_long_units() -> None:
    s3 = "Im Park steht ein Sensor für 20 Euro und misst dort."
    a = chunk("c0", "P0", text=s3)
    ev = evidence(chunks=[a])
    q = query(content_terms=("sensor", "plattform"))  # a sentence with "sensor" covers 3.0 / 3.2
    assert ev.score(q, [Hit(a, 1.0)])[0].lexical == pytest.approx(3.0 / 3.2)
    q = query(content_terms=("sensor", "plattform"), wants_number=True)
    assert ev.score(q, [Hit(a, 1.0)])[0].lexical == 1.0  # × 1.5, at most 1
    q = query(content_terms=("sensor", "datplattform"), wants_number=True)
    assert ev.score(q, [Hit(a, 1.0)])[0].lexical == pytest.approx(1.5 * 3.0 / 5.0)
    assert ev.score(query(content_terms=("sensor", "datplattform")), [Hit(chunk("c9", "P0", text=S1 + " Und so."), 1)])
    long = "Die Stadt misst mit einem Sensor die Luft " + "und noch viel mehr " * 25 + "im Jahr."
    assert len(long) > 450
    b = chunk("c1", "P1", text=long)
    assert evidence(chunks=[b]).score(query(content_terms=("sensor",)), [Hit(b, 1.0)])[0].lexical == pytest.approx(0.8)


def test_a_named_projects_measures_are_quoted_with_a_bonus() -> None:
    m = "Sensornetz – im Park misst ein Sensor die Luft"
    a = chunk("c0", "P0", text=S2)
    ev = evidence(chunks=[a], measures={"c0": (m,)})
    got = {x.sentence: x.score for x in ev.score(query(content_terms=("sensor",), projects=("P0",)), [Hit(a, 1.0)])}
    assert got[m] == pytest.approx(1.0 + 0.05 + 0.08) and got[S2] == pytest.approx(0.05)
    got = {x.sentence: x.score for x in ev.score(query(content_terms=("sensor",)), [Hit(a, 1.0)])}
    assert got[m] == pytest.approx(1.05)


# -- choosing the best sentences -------------------------------------------------------------------------------


def fixed_scores(ev: Evidence, items: list[Scored]) -> Evidence:
    ev.score = lambda q, hits: sorted(items, key=lambda x: -x.score)  # type: ignore[method-assign]
    return ev


P0A, P0B, P1A, SEC = chunk("a", "P0"), chunk("b", "P0"), chunk("c", "P1"), chunk("s", kind="section", section="x")


def test_best_sentences_caps_per_passage_per_project_and_by_share() -> None:
    items = [
        scored(P0A, "Eins ist gut.", 1.0),
        scored(P0A, "Zwei ist gut.", 0.95),
        scored(P0A, "Drei ist gut.", 0.9),  # third of its passage
        scored(P0B, "Vier ist gut.", 0.85),  # third of its project
        scored(P0B, "Fünf ist gut.", 0.8),  # fourth of its project
        scored(P1A, "Sechs ist gut.", 0.51),
        scored(P1A, "Sieben ist gut.", 0.49),
    ]
    ev = fixed_scores(evidence(), items)
    got = [x.sentence for x in ev.best_sentences(query(), [])]
    assert got == ["Eins ist gut.", "Zwei ist gut.", "Vier ist gut.", "Sechs ist gut."]
    got = [x.sentence for x in ev.best_sentences(query(), [], limit=2)]
    assert got == ["Eins ist gut.", "Zwei ist gut."]
    got = [x.sentence for x in ev.best_sentences(query(), [], per_chunk=1, per_project=1, min_share=0.5)]
    assert got == ["Eins ist gut.", "Sechs ist gut."]
    got = [x.sentence for x in ev.best_sentences(query(), [], limit=10, per_chunk=3, per_project=5, min_share=0.8)]
    assert got == ["Eins ist gut.", "Zwei ist gut.", "Drei ist gut.", "Vier ist gut.", "Fünf ist gut."]
    assert fixed_scores(evidence(), []).best_sentences(query(), []) == []


def test_sections_have_no_project_cap_and_repeats_are_skipped() -> None:
    s2 = chunk("s2", kind="section", section="x")
    s3 = chunk("s3", kind="section", section="x")
    items = [
        scored(SEC, "Eins ist gut.", 1.0),
        scored(s2, "Eins ist gut. Und mehr.", 0.99),  # holds a chosen sentence
        scored(s2, "Zwei", 0.98),
        scored(s3, "Drei ist gut.", 0.97),
        scored(s3, "Vier ist gut.", 0.96),
        scored(chunk("s4", kind="section"), "Fünf ist gut.", 0.95),
    ]
    got = [x.sentence for x in fixed_scores(evidence(), items).best_sentences(query(), [], limit=5)]
    assert got == ["Eins ist gut.", "Zwei", "Drei ist gut.", "Vier ist gut.", "Fünf ist gut."]


def test_rank_projects_keeps_the_best_sentence_per_project_and_document() -> None:
    doc = chunk("d", kind="document", document="Anhang.pdf")
    chunks = [P0A, P0B, P1A, SEC, doc]
    ev = evidence(chunks=chunks, allowed=[0, 1, 2, 3])
    seen: list[list[str]] = []

    def score(q, hits):  # type: ignore[no-untyped-def]
        seen.append([h.chunk.id for h in hits])
        table = {"a": 0.5, "b": 0.7, "c": 0.6, "d": 0.65, "s": 0.9}
        return sorted([scored(h.chunk, f"Satz {h.chunk.id}.", table[h.chunk.id]) for h in hits], key=lambda x: -x.score)

    ev.score = score  # type: ignore[method-assign]
    got = ev.rank_projects(query(), {"project": "P0", "category": "", "state": None})
    assert [(owner(x.hit.chunk), x.score) for x in got] == [("P0", 0.7), ("Anhang.pdf", 0.65), ("P1", 0.6)]
    assert seen == [["a", "b", "c", "d"]]  # the section is neither project nor document
    assert ev.retriever.calls == [("allowed", {"kind": "passage"})]
    ev.retriever.calls.clear()
    seen.clear()
    got = ev.rank_projects(query(), {"category": "Großstädte", "state": "Bayern"})
    assert seen == [["a", "b", "c"]] and [owner(x.hit.chunk) for x in got] == ["P0", "P1"]
    assert ev.retriever.calls == [("allowed", {"category": "Großstädte", "state": "Bayern", "kind": "passage"})]
    seen.clear()
    ev.retriever.allowed = None
    ev.rank_projects(query())
    assert seen == [["d"]]


def test_shares_content_looks_for_a_distinctive_term_in_the_top_five_passages() -> None:
    ev = evidence()
    filler = [Hit(chunk(f"f{i}", "P9", text="Die Stadt macht vieles."), 0.1) for i in range(5)]
    park = Hit(chunk("p", "P2", text="Im Park ist es schön."), 0.1)
    bus = Hit(chunk("b", "P2", text="Der Bus fährt."), 0.1)
    assert ev.shares_content(query(), [])
    assert ev.shares_content(query(content_terms=("park",)), [park])
    assert ev.shares_content(query(content_terms=("park",)), [*filler[:4], park])
    assert not ev.shares_content(query(content_terms=("park",)), [*filler, park])
    assert not ev.shares_content(query(content_terms=("bus",)), [bus])  # idf 0.5 < 1.5
    assert ev.shares_content(query(content_terms=("parkx",)), [park])  # a part of the question's word
    assert ev.shares_content(query(content_terms=("verkehr",)), [Hit(chunk("m", "P1", text="Eine Mobilstation."), 0.1)])
    assert not ev.shares_content(query(content_terms=("verkehr",)), [Hit(chunk("m", "P1", text="Mobil."), 0.1)])


# -- quotable units ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        ("- Partizipation & Teilhabe", False),
        ("- Wir bauen eine neue Plattform", True),
        ("Die Stadt baut sehr viel.", True),
        ("Die Stadt baut viel.", False),
        ("Die Stadt baut.", False),
        ("Die Stadt baut eine Plattform", False),
        ("Die Stadt baut eine Plattform für alle ihre Bürgerinnen und Bürger im ganzen Land", True),
        ("„Wir bauen eine neue Plattform.“", True),
        ("und dann baut die Stadt eine Plattform.", False),
        ("Kategorie: Großstädte und mehr Text hier.", False),
        ("Die Stadt plant Folgendes für alle:", False),
    ],
)
def test_quotable_sentences(sentence, ok) -> None:
    assert quotable(sentence) is ok


def test_a_colon_sentence_brings_at_most_ten_list_items() -> None:
    items = "\n".join(f"- Punkt {i}" for i in range(12))
    text = f"Geplant sind:\n{items}\nDanach Ende."
    got = with_list_items(text, "Geplant sind:")
    assert got == "Geplant sind: " + " ".join(f"- Punkt {i}" for i in range(10))
    assert with_list_items(text, "Geplant sind:", most=2) == "Geplant sind: - Punkt 0 - Punkt 1"
    assert with_list_items(text, "Nicht im Text:") == "Nicht im Text:"


def test_an_alternative_far_less_telling_covers_the_group_only_in_part() -> None:
    # "Sensoren oder Plattformen": "plattform" (weight 0.2) is a word every project uses, "sensor" (3.0) is not
    f = cover("sensor", "plattform", either=(("sensor", "plattform"),))
    assert f(frozenset({"sensor"})) == pytest.approx(1.0)
    assert f(frozenset({"plattform"})) == pytest.approx(2 * 0.2 / 3.0)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("1. Formale Prüfung aller Bewerbungen.", False),  # a list item's ordinal
        ("Seit 2019 fördert der Bund Projekte.", False),  # a year
        ("Alle 94 eingereichten Bewerbungen.", True),
        ("Rund 70.000 Menschen leben hier.", True),
        ("2. Im Jahr 2021 kamen 28 Projekte hinzu.", True),
    ],
)
def test_a_quantity_is_no_ordinal_and_no_year(sentence: str, expected: bool) -> None:
    from rag.answer.evidence import has_quantity

    assert has_quantity(sentence) is expected


def test_about_one_project_a_fitting_list_item_brings_its_whole_list() -> None:
    from rag.answer.evidence import _lists_for_items

    a, b = chunk("p-1", "P"), chunk("p-2", "P")
    lead = "Drei Quartiere wurden ausgewählt: Altstadt: Handel und Welterbe Plattenbau: Bildung Dorf Ost: Nahversorgung"
    item = scored(a, "Dorf Ost: Nahversorgung und Mobilität für alle", score=0.6, lexical=0.7, cosine=0.8)
    listed = scored(a, lead.replace("Nahversorgung", "Nahversorgung und Mobilität für alle"), 0.3, 0.4, 0.9)
    elsewhere = scored(b, "Dorf Ost: Nahversorgung und Mobilität für alle", score=0.5)  # another passage
    out = _lists_for_items([item, listed, elsewhere])
    assert [s.sentence for s in out] == [listed.sentence, elsewhere.sentence]
    assert out[0].score > item.score and out[0].score == pytest.approx(0.6, abs=1e-5)
    assert (out[0].lexical, out[0].cosine) == (0.7, 0.9)
    short = scored(a, "Dorf Ost:", score=0.9)  # too short to stand for anything
    assert _lists_for_items([short, listed]) == [short, listed]


def test_an_unknown_finite_verb_finds_the_words_of_its_stem() -> None:
    ev = evidence(bm25=FakeBM(idf={**IDF, "warnung": 2.0, "warnsystem": 2.0, "bau": 1.0, "bauten": 1.0}))
    assert ev._verb_relatives("warnt") == {"warnung", "warnsystem"}
    assert ev._verb_relatives("warnet") == {"warnung", "warnsystem"}
    assert ev._verb_relatives("baut") == set()  # "bau": too short a stem to tell
    assert ev._verb_relatives("sensort") == {"sensor"}  # the stem itself, when the corpus has it
    assert [t for _, t, _, r in ev.concepts(query(content_terms=("warnt",))) if r] == ["warnt"]


def test_a_sentence_that_covers_only_the_preamble_covers_little() -> None:
    ev = evidence()
    asked_unknown = query(content_terms=("sensor", "zzzflut"), background=("sensor",), nouns=("sensor", "zzzflut"))
    # "sensor" weighs 3.0 × 0.3 (preamble) against MIN_WEIGHT (an unknown word is asked), and only 0.3 of that counts
    assert ev.lexical(asked_unknown)(frozenset({"sensor"})) == pytest.approx(0.3 * 0.9 / MIN_WEIGHT)
    asked_known = query(content_terms=("sensor", "park"), background=("sensor",))
    assert ev.lexical(asked_known)(frozenset({"park"})) > 0.3


def test_within_one_project_a_common_word_is_shared_content() -> None:
    ev = evidence()
    hits = [Hit(chunk("c0", "P0", text="Die Plattform verbindet alles."), 0.5)]
    assert ev.shares_content(query(content_terms=("plattform",)), hits)  # idf 2.0: rare enough anywhere
    low = evidence(bm25=FakeBM(idf={**IDF, "plattform": 1.2}))
    assert not low.shares_content(query(content_terms=("plattform",)), hits)
    assert low.shares_content(query(content_terms=("plattform",), projects=("P0",)), hits)


def test_a_heading_its_sentence_and_the_names_it_announces_are_one_unit() -> None:
    names = ", ".join(f"Partner {c} GmbH" for c in "ABCDEFGH")
    text = f"UNSER NETZWERK\nDas Netzwerk umfasst acht Akteure (siehe Liste).\n{names}\nDanach geht es weiter."
    units = [u for u, _ in quotes(text)]
    assert f"UNSER NETZWERK – Das Netzwerk umfasst acht Akteure (siehe Liste). {names}" in units


def test_an_asking_sentence_of_only_common_words_leaves_the_topic_to_the_preamble() -> None:
    ev = evidence()
    # "plattform" and "plan" are used by all four projects: "Macht eine Stadt das mit Plattformen?"
    common = query(content_terms=("sensor", "plattform"), background=("sensor",))
    assert {t: w for w, t, *_ in ev.concepts(common)}["sensor"] == pytest.approx(3.0)  # full weight, no 0.3
    telling = query(content_terms=("sensor", "park"), background=("sensor",))
    assert {t: w for w, t, *_ in ev.concepts(telling)}["sensor"] == pytest.approx(3.0 * 0.3)

# -- a question word in the sentence itself (names_directly) and the sentence that continues a quote -----------------


@pytest.mark.parametrize(
    ("content", "sentence", "named"),
    [
        (("sensor",), "Ein Sensor hier.", True),  # the word itself
        (("datplattform",), "Dat und Plattform.", True),  # all parts of the compound, and nothing else
        (("datplattform",), "Nur Plattform.", False),  # one part is not enough
        (("sensor",), "Messgerät da.", True),  # a thesaurus synonym
        (("sensor",), "Mobil ist gut.", False),  # another word
        (("park",), "Ein Parkhaus.", True),  # a compound of the word, known to the corpus
    ],
)
def test_a_sentence_names_a_question_word_directly(content: tuple[str, ...], sentence: str, named: bool) -> None:
    ev = evidence()
    ev.bm.idf["parkhaus"] = 1.0
    assert ev.names_directly(query(content_terms=content), sentence) is named


def test_without_a_thesaurus_a_synonym_names_nothing() -> None:
    ev = evidence()
    ev.bm.related = None
    assert ev.names_directly(query(content_terms=("sensor",)), "Messgerät da.") is False
    assert ev.names_directly(query(content_terms=("sensor",)), "Ein Sensor hier.") is True


def test_the_next_sentence_continues_a_quote_only_when_it_points_back() -> None:
    from rag.answer.evidence import continuation

    follows = "In A, B und C werden dafür Sensoren erprobt."
    # a sentence longer than 15 characters is found in the text, a shorter one is too short to place
    assert continuation(f"Wir baun Labore. {follows} Ende gut.", "Wir baun Labore.") == follows
    assert continuation(f"Wir bau Labore. {follows} Ende gut.", "Wir bau Labore.") == ""
    # the last sentence has no continuation; one that does not point back is none
    assert continuation(f"Ende gut. Wir baun Labore. {follows}", follows) == ""
    assert continuation("Wir baun Labore. Die Stadt plant neue Radwege am Fluss.", "Wir baun Labore.") == ""
    # a continuation already quoted is not added again
    assert continuation(f"Wir baun Labore. {follows}", f"Wir baun Labore. {follows}") == ""


def test_a_part_that_is_a_topic_word_counts_like_a_relative_of_the_whole() -> None:
    # "sensorplattform" splits into "sensor" (a topic word with relatives) and "plattform"
    f = cover("sensorplattform")
    assert f(frozenset({"sensor"})) == pytest.approx(0.7)  # RELATED_CREDIT, not half of half
    assert f(frozenset({"plattform"})) < 0.1  # a part without relatives stays a weak match


def test_a_list_is_a_long_sentence_with_a_colon_and_an_item_has_twenty_letters() -> None:
    from rag.answer.evidence import _lists_for_items

    a = chunk("p-1", "P")
    item = "Ostend und Westend mit"  # 22 letters
    for head, is_list in (("A" * 57, True), ("A" * 56, False)):  # with ": " and the item: 81 or 80 letters
        container = scored(a, f"{head}: {item}", score=0.2)
        fits = scored(a, item, score=0.6)
        out = _lists_for_items([fits, container])
        assert len(container.sentence) == (81 if is_list else 80)
        assert [s.sentence for s in out] == ([container.sentence] if is_list else [item, container.sentence])
    no_colon = scored(a, "B" * 60 + " " + item, score=0.2)  # long, but no "… : …"
    short_colon = scored(a, "Orte: " + item, score=0.2)  # a colon, but short
    fits = scored(a, item, score=0.6)
    assert _lists_for_items([fits, no_colon, short_colon]) == [fits, no_colon, short_colon]
    twenty = "Ostend und Westend m"  # exactly 20 letters: long enough to stand for its list
    container = scored(a, "C" * 58 + ": " + twenty + " und mehr", score=0.2)
    assert [s.sentence for s in _lists_for_items([scored(a, twenty, score=0.6), container])] == [container.sentence]


def test_a_list_takes_the_best_of_its_items_and_an_equal_score_raises_it() -> None:
    from rag.answer.evidence import _lists_for_items

    a = chunk("p-1", "P")
    one, two = "Das erste Quartier am Hafen", "Das zweite Quartier am Berg"
    container = scored(a, "Wir wählen in der Stadt zwei Gebiete aus: " + one + " und " + two + " mit Bürgern", 0.1)
    out = _lists_for_items([scored(a, one, 0.6, lexical=0.3), scored(a, two, 0.4, lexical=0.8), container])
    assert len(out) == 1 and out[0].score == pytest.approx(0.6 + 1e-6)  # the second item does not lower it
    same = _lists_for_items([scored(a, one, 0.1), container])
    assert same[0].sentence == container.sentence and same[0].score > 0.1


def test_a_weaker_alternative_does_not_lower_what_a_better_one_covered() -> None:
    g = cover("sensor", "verkehr", either=(("sensor", "verkehr"),))
    assert g(frozenset({"sensor", "mobil"})) == pytest.approx(g(frozenset({"sensor"})))
    assert g(frozenset({"sensor"})) == pytest.approx(1.0)


def test_without_content_terms_a_word_of_exactly_half_the_top_weight_is_part_of_the_whole() -> None:
    ev = evidence(bm25=FakeBM(weighted={"sensor": 1.0, "bus": 3.0}))  # 3.0 and 0.5 × 3.0 = 1.5
    f = ev.lexical(query(text="Sensor"))
    assert f(frozenset({"sensor"})) == pytest.approx(3.0 / 4.5)


def test_a_number_right_after_an_ordinal_or_glued_to_a_year_still_counts() -> None:
    from rag.answer.evidence import has_quantity

    assert has_quantity("1. 5 Städte machen mit.")  # the ordinal goes, the 5 stays
    assert has_quantity("Rund 20215 Menschen.")  # not a year: a number


def test_a_noun_of_quality_finds_its_adjective_and_a_verb_form_its_stem() -> None:
    ev = evidence(bm25=FakeBM(idf={**IDF, "barrierefrei": 2.0, "nachhaltig": 2.0, "warnung": 2.0}))
    assert ev._base_adjective("barrierefreiheit") == {"barrierefrei"}
    assert ev._base_adjective("nachhaltigkeit") == {"nachhaltig"}
    for form in ("warnest", "warnst", "warnte", "warnet", "warnt"):
        assert ev._verb_relatives(form) == {"warnung"}, form


def test_a_part_of_a_longer_word_needs_three_more_letters() -> None:
    from rag.answer.evidence import _part_of_hyphenated

    assert _part_of_hyphenated(["einwohn", "wohn"], 1)  # three letters more
    assert not _part_of_hyphenated(["wohnen", "wohn"], 1)  # two: another word


def test_the_known_share_is_of_the_asking_sentence_and_without_capitals_of_all_but_its_verbs() -> None:
    ev = evidence()
    told = query(content_terms=("sensor", "frankreich"), background=("frankreich",), nouns=("sensor", "frankreich"))
    assert ev.known_share(told) == 1.0
    lower = query(content_terms=("sensor", "frankreich"), verbs=("frankreich",))
    assert ev.known_share(lower) == 1.0
    assert ev.known_share(query(content_terms=("sensor", "frankreich"))) == 0.5


def test_passage_scores_are_best_two_bm25_per_project_scaled_over_those_found() -> None:
    from types import SimpleNamespace

    chunks = [
        chunk("a1", "A"), chunk("a2", "A"), chunk("b1", "B"), chunk("c1", "C"),
        chunk("h", "C", kind="header"), chunk("s", kind="section", section="einleitung"),
        chunk("d", kind="document", document="Anhang.md"),
    ]  # fmt: skip
    calls: list[Any] = []

    def search(text: str, k: int, allowed: Any) -> list[tuple[int, float]]:
        calls.append((text, k, allowed))
        return [(0, 4.0), (1, 2.0), (2, 3.0), (3, 1.0), (4, 9.0), (5, 9.0), (6, 2.2)]

    retriever = SimpleNamespace(
        bm25=SimpleNamespace(search=search), chunks=chunks, allowed_mask=lambda f: ("mask", tuple(sorted(f.items())))
    )
    ev = Evidence(retriever)  # type: ignore[arg-type]
    got = ev.passage_scores(query(text="Frage", search_text="Frage korrigiert"), {"state": "Bayern", "category": "", "x": 1})
    # A: 4 + 0.3·2 = 4.6, B: 3, C: 1 (its header and the section do not count), the document 2.2
    assert got == pytest.approx({"A": 1.0, "B": 2 / 3.6, "C": 0.0, "Anhang.md": 1.2 / 3.6})
    assert calls == [("Frage korrigiert", 80, ("mask", (("state", "Bayern"),)))]
    assert ev.passage_scores(query(text="Nur Text"), {}) and calls[-1][0] == "Nur Text"


def test_a_general_sections_bare_lead_in_is_never_quoted() -> None:
    # the overview's category lines end in ":" (their list follows as separate short lines): no evidence on their own
    got = [u for u, _ in quotes("Übersicht der Projekte\n★ Interkommunale Kooperationen und Landkreise:\nKreis A\nStand: Juni 2021", strict=False)]
    assert got == ["Übersicht der Projekte", "Kreis A", "Stand: Juni 2021"]
