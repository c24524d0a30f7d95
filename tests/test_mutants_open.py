"""Open questions (``rag.answer.open``), with a hand-made context: the retrieval filters a question implies,
how candidates are merged, the support and strength thresholds, the parameters of the sentence choice, the
declines and the shape of the answer text. Written against surviving mutants (issue #14)."""

from __future__ import annotations

import pytest

from rag.answer.open import (
    DENSE_SUPPORT,
    MIN_COSINE,
    MIN_LEXICAL,
    answer_open,
    candidates,
    nearest,
    search_filters,
    strong,
    supported,
)
from rag.types import Answer, Hit
from tests.mutant_fakes import FakeEvidence, FakeRetriever, chunk, context, project, query, scored

GUBEN = chunk("guben-p1", "Guben", page=31)
GUBEN2 = chunk("guben-p2", "Guben", page=32)
LINZ = chunk("linz-p1", "Linz am Rhein", page=40)
INTRO = chunk("intro-1", kind="section", section="einleitung", page=4)
IMPRESSUM = chunk("imp-1", kind="section", section="impressum")
HEADER = chunk("guben-h", "Guben", kind="header", page=31)
PROJECTS = (project("Guben"), project("Linz am Rhein"))


# -- search_filters --------------------------------------------------------------------------------------------


def test_named_projects_filter_by_project_and_leave_the_input_alone() -> None:
    given = {"category": "Großstädte"}
    f = search_filters(query(projects=("Guben", "Linz am Rhein"), states=("Bayern",)), given)
    assert f == {"category": "Großstädte", "project": ["Guben", "Linz am Rhein"]}
    assert given == {"category": "Großstädte"}
    assert search_filters(query()) == {} and search_filters(query(), None) == {}


@pytest.mark.parametrize(
    ("kw", "given", "expected"),
    [
        ({"categories": ("Großstädte",)}, {}, {"category": "Großstädte"}),
        ({"categories": ("Großstädte",)}, {"category": "Mittelstädte"}, {"category": "Mittelstädte"}),
        ({"categories": ("Großstädte", "Mittelstädte")}, {}, {}),
        ({"states": ("Bayern",)}, {}, {"state": "Bayern"}),
        ({"states": ("Bayern",)}, {"state": "Hessen"}, {"state": "Hessen"}),
        ({"states": ("Bayern", "Hessen")}, {}, {}),
        ({"states": ("Bayern",), "projects": ("Guben",)}, {}, {"project": ["Guben"]}),
        ({"wants_criteria": True}, {}, {"kind": "section"}),
        ({"wants_criteria": True, "about_programme": True}, {}, {"kind": "section"}),
        ({"about_brochure": True}, {}, {"section": "impressum"}),
        ({"about_brochure": True, "about_programme": True}, {}, {"section": "impressum"}),
        ({"about_programme": True}, {}, {"section": "einleitung"}),
        ({"about_programme": True, "overview": True}, {}, {}),
    ],
)
def test_filters_a_question_implies(kw, given, expected) -> None:
    assert search_filters(query(**kw), given) == expected


# -- candidates ------------------------------------------------------------------------------------------------


def test_candidates_merge_hybrid_bm25_and_sentence_hits_without_repeats() -> None:
    r = FakeRetriever(
        dense=[Hit(GUBEN, 0.9), Hit(HEADER, 0.8)],
        sparse=[Hit(GUBEN, 0.7), Hit(LINZ, 0.6)],
        sentence_ids=["linz-p1", "guben-p2", "guben-p2"],
        chunks=[GUBEN, GUBEN2, LINZ, HEADER],
    )
    q = query(text="Frage", search_text="Frage plus Korrektur")
    got = candidates(context(r), q, {"state": "Bayern"})
    assert [h.chunk.id for h in got] == ["guben-p1", "linz-p1", "guben-p2"]  # the header is dropped
    assert [h.score for h in got] == [0.9, 0.6, 0.0]
    assert r.calls == [
        ("retrieve", "Frage plus Korrektur", 8, {"state": "Bayern"}, "hybrid"),
        ("retrieve", "Frage plus Korrektur", 4, {"state": "Bayern"}, "bm25"),
        ("sentence_chunks", "Frage plus Korrektur", 3, {"state": "Bayern"}),
    ]
    r.calls.clear()
    candidates(context(r), q, {}, k=5)
    assert r.calls[0][2] == 5


def test_candidates_keep_headers_when_there_is_nothing_else() -> None:
    r = FakeRetriever(dense=[Hit(HEADER, 0.8)], chunks=[HEADER])
    assert [h.chunk.id for h in candidates(context(r), query(), {})] == ["guben-h"]


# -- supported / strong ------------------------------------------------------------------------------------------


def test_support_by_shared_content_or_a_close_passage() -> None:
    hits = [Hit(GUBEN, 0.1, dense_score=0.5), Hit(LINZ, 0.1, dense_score=DENSE_SUPPORT)]
    assert DENSE_SUPPORT == 0.84
    assert not supported(context(evidence=FakeEvidence(shares=True)), query(), [])
    assert supported(context(evidence=FakeEvidence(shares=True)), query(), [Hit(GUBEN, 0.1)])
    assert supported(context(evidence=FakeEvidence(shares=False)), query(), hits)
    low = [Hit(GUBEN, 0.1, dense_score=0.8399), Hit(LINZ, 0.9, dense_score=0.2)]
    assert not supported(context(evidence=FakeEvidence(shares=False)), query(), low)


@pytest.mark.parametrize(
    ("lexical", "cosine", "expected"),
    [(MIN_LEXICAL, 0.0, True), (0.0499, 0.8599, False), (0.0, MIN_COSINE, True), (0.9, 0.9, True), (0.0, 0.0, False)],
)
def test_strong_means_some_content_or_close_meaning(lexical, cosine, expected) -> None:
    assert (MIN_LEXICAL, MIN_COSINE) == (0.05, 0.86)
    weak = scored(LINZ, "Schwach.", lexical=0.0, cosine=0.0)
    assert strong([weak, scored(GUBEN, "Satz.", lexical=lexical, cosine=cosine)]) is expected
    assert strong([scored(GUBEN, "Satz.", lexical=lexical, cosine=cosine), weak]) is expected


# -- answer_open -----------------------------------------------------------------------------------------------


def _open(chosen, q=None, shares=True, known=1.0, off=False, hits=None, projects=PROJECTS, chunks=()):  # type: ignore[no-untyped-def]
    ev = FakeEvidence(chosen=chosen, shares=shares, known=known, off=off)
    r = FakeRetriever(dense=hits if hits is not None else [Hit(GUBEN, 0.9), Hit(INTRO, 0.5)], chunks=list(chunks))
    ctx = context(r, ev, projects)
    return answer_open(ctx, q or query(content_terms=("plattform",)), {}), ev


def test_the_answer_groups_quotes_by_project_or_section_with_pages() -> None:
    chosen = [
        scored(GUBEN, "Guben baut eine Plattform.", score=0.9, lexical=0.8),
        scored(INTRO, "Das Programm fördert Plattformen.", score=0.7, lexical=0.6),
        scored(GUBEN2, "Die Plattform verbindet Ämter.", score=0.6, lexical=0.6),
    ]
    ans, ev = _open(chosen)
    assert isinstance(ans, Answer)
    assert ans.text == (
        "Laut der Broschüre:\n\n"
        "**Guben**, S. 31: „Guben baut eine Plattform.“ [1] „Die Plattform verbindet Ämter.“ [3]\n\n"
        "**Einleitung**, S. 4: „Das Programm fördert Plattformen.“ [2]"
    )
    assert ans.projects == ("Guben",) and ans.mode == "extraktiv" and ans.answerable
    assert [s.chunk_id for s in ans.sources] == ["guben-p1", "intro-1", "guben-p2"]
    assert [s.score for s in ans.sources] == [0.9, 0.7, 0.6]
    assert ans.sources[0].snippet == "Guben baut eine Plattform."
    assert ev.calls == [
        {"hits": ["guben-p1", "intro-1"], "limit": 4, "per_project": 3, "per_chunk": 2, "min_share": 0.55}
    ]


def test_a_section_without_page_has_no_page_label() -> None:
    ans, _ = _open([scored(IMPRESSUM, "Herausgeber: Bundesinstitut.", lexical=0.9)], hits=[Hit(IMPRESSUM, 0.5)])
    assert ans is not None and ans.text == "Laut der Broschüre:\n\n**Impressum**: „Herausgeber: Bundesinstitut.“ [1]"
    assert ans.projects == ()


def test_sentence_choice_parameters_for_singular_and_impressum_questions() -> None:
    s = [scored(GUBEN, "Guben baut eine Plattform.", lexical=0.8)]
    _, ev = _open(s, query(content_terms=("x",), singular=True))
    assert ev.calls[0] | {"hits": None} == {
        "hits": None,
        "limit": 1,
        "per_project": 3,
        "per_chunk": 2,
        "min_share": 0.55,
    }
    _, ev = _open(s, query(content_terms=("x",), about_brochure=True), shares=False)
    assert ev.calls[0] | {"hits": None} == {
        "hits": None,
        "limit": 6,
        "per_project": 6,
        "per_chunk": 6,
        "min_share": 0.3,
    }
    _, ev = _open(s, query(content_terms=("x",), about_brochure=True, singular=True), shares=False)
    assert ev.calls[0]["limit"] == 6


def test_a_question_for_projects_drops_general_sections_unless_nothing_is_left() -> None:
    s = [scored(GUBEN, "Guben baut eine Plattform.", lexical=0.8)]
    doc = chunk("doc-1", kind="document", document="Anhang.pdf")
    _, ev = _open(s, query(asks_for_project=True), hits=[Hit(INTRO, 0.9), Hit(GUBEN, 0.5), Hit(doc, 0.4)])
    assert ev.calls[0]["hits"] == ["guben-p1", "doc-1"]
    _, ev = _open(s, query(asks_for_project=True), hits=[Hit(INTRO, 0.9)])
    assert ev.calls[0]["hits"] == ["intro-1"]
    _, ev = _open(s, query(asks_for_project=False), hits=[Hit(INTRO, 0.9), Hit(GUBEN, 0.5)])
    assert ev.calls[0]["hits"] == ["intro-1", "guben-p1"]
    _, ev = _open(s, query(asks_for_project=True, about_programme=True), hits=[Hit(INTRO, 0.9), Hit(GUBEN, 0.5)])
    assert ev.calls[0]["hits"] == ["intro-1", "guben-p1"]


def test_unsupported_or_weak_evidence_is_declined_except_in_a_named_section() -> None:
    good = [scored(GUBEN, "Guben baut eine Plattform.", lexical=0.8)]
    weak = [scored(GUBEN, "Guben baut eine Plattform.", lexical=0.01, cosine=0.5)]
    hits = [Hit(GUBEN, 0.9, dense_score=0.5)]
    assert _open(good, shares=False, hits=hits)[0] is None
    assert _open(good, shares=False, hits=[Hit(GUBEN, 0.9, dense_score=0.85)])[0] is not None
    assert _open(weak)[0] is None
    assert _open([])[0] is None
    assert _open([], query(about_brochure=True), shares=False)[0] is None
    assert _open(weak, query(about_brochure=True, content_terms=("x",)), shares=False, hits=hits)[0] is not None
    assert _open(weak, query(about_programme=True, content_terms=("x",)), shares=False, hits=hits)[0] is not None


@pytest.mark.parametrize(
    ("lexical", "cosine", "known", "answered"),
    [
        (0.8, 0.0, 0.5, True),  # 0.8 × 0.5 = 0.4 fits
        (0.79, 0.0, 0.5, False),
        (0.2, DENSE_SUPPORT, 0.1, True),
        (0.2, 0.8399, 0.1, False),
    ],
)
def test_an_off_topic_question_needs_a_sentence_that_fits_at_all(lexical, cosine, known, answered) -> None:
    s = [
        scored(LINZ, "Linz plant etwas anderes.", lexical=0.0, cosine=0.0),
        scored(GUBEN, "Guben.", lexical=lexical, cosine=cosine),
    ]
    ans, _ = _open(s, known=known, off=True)
    assert (ans is not None) is answered
    ans, _ = _open(s, known=known, off=False)  # not off topic: the share is no reason to decline
    assert ans is not None


def test_an_off_topic_question_in_a_named_section_is_answered() -> None:
    s = [scored(INTRO, "Das Programm fördert Kommunen.", lexical=0.1, cosine=0.1)]
    assert _open(s, query(about_programme=True, content_terms=("x",)), known=0.0, off=True)[0] is not None


@pytest.mark.parametrize(
    ("lexical", "cosine", "answered"),
    # below half the content and not very close: answered only with a quarter of it in its own words and close
    [(0.5, 0.0, True), (0.49, 0.8299, False), (0.2499, 0.8599, False), (0.25, 0.83, True), (0.1, MIN_COSINE, True)],
)
def test_about_one_project_its_text_must_carry_the_question(lexical, cosine, answered) -> None:
    s = [scored(GUBEN, "Guben plant vieles.", lexical=lexical, cosine=cosine)]
    q = query(projects=("Guben",), content_terms=("plattform",))
    ans, _ = _open(s, q, projects=(project("Guben", measures=()),))
    assert (ans is not None) is answered
    two = query(projects=("Guben", "Linz am Rhein"), content_terms=("plattform",))
    assert _open(s, two)[0] is not None  # two projects: no such test


def test_about_one_project_its_related_measures_follow_the_quotes() -> None:
    measures = ("Datenplattform – für alle Ämter", "Sensoren im Park", "Plattform für Vereine", "Guben baut")
    ev = FakeEvidence(
        chosen=[scored(GUBEN, "Guben baut", lexical=0.9)],
        coverage={"Plattform für Vereine": 0.9, "Datenplattform – für alle Ämter": 0.5, "Guben baut": 1.0},
    )
    p2 = chunk("guben-p2", "Guben", page=32, text="Intro. Datenplattform – für alle Ämter und mehr.")
    r = FakeRetriever(dense=[Hit(GUBEN, 0.9)], chunks=[GUBEN, p2])
    q = query(projects=("Guben",), content_terms=("plattform",))
    ans = answer_open(context(r, ev, (project("Guben", measures=measures),)), q, {})
    assert ans is not None
    assert ans.text.endswith(
        "\n\nDazu plant Guben unter anderem:\n- Plattform für Vereine [1]\n- Datenplattform – für alle Ämter [2]"
    )
    assert [s.chunk_id for s in ans.sources] == ["guben-p1", "guben-p2"]


@pytest.mark.parametrize(
    ("sentence", "lexical", "answered"),
    [
        ("Guben hat 10.500 Einwohner.", 0.5, True),
        ("Guben hat 3,5 Hektar.", 0.6, True),
        ("Guben hat 2021 begonnen.", 0.49, False),
        ("Guben hat viele Einwohner.", 0.9, False),
        ("Guben setzt K7 um.", 0.9, False),
    ],
)
def test_a_number_question_needs_a_sentence_with_a_number_that_carries_it(sentence, lexical, answered) -> None:
    s = [scored(LINZ, "Linz hat 5 Orte.", lexical=0.1), scored(GUBEN, sentence, lexical=lexical)]
    ans, _ = _open(s, query(content_terms=("einwohner",), wants_number=True))
    assert (ans is not None) is answered
    assert _open(s, query(content_terms=("einwohner",)))[0] is not None


# -- nearest ---------------------------------------------------------------------------------------------------

DECLINED = Answer("Nichts gefunden.", mode="extraktiv", intent="unanswerable", answerable=False)


def _nearest(chosen, q=None, off=False):  # type: ignore[no-untyped-def]
    ev = FakeEvidence(chosen=chosen, off=off)
    r = FakeRetriever(dense=[Hit(GUBEN, 0.9), Hit(INTRO, 0.5)])
    return nearest(context(r, ev, PROJECTS), q or query(content_terms=("x",)), {}, DECLINED), ev


def test_nearest_shows_the_closest_passages_as_such() -> None:
    chosen = [
        scored(GUBEN, "Guben baut eine Plattform.", lexical=0.5, cosine=0.82),
        scored(INTRO, "Das Programm fördert Plattformen.", lexical=0.9, cosine=0.9),
    ]
    ans, ev = _nearest(chosen)
    assert ans.text == (
        "Nichts gefunden.\n\nAm nächsten kommen diese Stellen (sie beantworten die Frage nicht unmittelbar):\n"
        "- **Guben**, S. 31: „Guben baut eine Plattform.“ [1]\n"
        "- **Einleitung**, S. 4: „Das Programm fördert Plattformen.“ [2]"
    )
    assert ans.answerable is False and [s.chunk_id for s in ans.sources] == ["guben-p1", "intro-1"]
    assert ev.calls == [{"hits": ["guben-p1", "intro-1"], "limit": 2, "per_project": 1, "min_share": 0.7}]


@pytest.mark.parametrize(("lexical", "cosine"), [(0.49, 0.9), (0.9, 0.8199)])
def test_nearest_needs_both_content_and_closeness(lexical, cosine) -> None:
    ans, _ = _nearest([scored(GUBEN, "Guben baut.", lexical=lexical, cosine=cosine)])
    assert ans is DECLINED


def test_nearest_shows_nothing_off_topic_or_without_content() -> None:
    good = [scored(GUBEN, "Guben baut.", lexical=0.9, cosine=0.9)]
    assert _nearest(good, off=True)[0] is DECLINED
    assert _nearest(good, query())[0] is DECLINED
    ans, _ = _nearest([scored(IMPRESSUM, "Herausgeber: BBSR.", lexical=0.9, cosine=0.9)])
    assert ans.text.endswith("\n- **Impressum**: „Herausgeber: BBSR.“ [1]")


def test_nearest_searches_with_the_questions_filters() -> None:
    # mutation review at 304b0a4 (nearest mutmut_4 ran into the timeout): the closest passages of a question about
    # one project are that project's
    r = FakeRetriever(dense=[Hit(GUBEN, 0.9)])
    ev = FakeEvidence(chosen=[])
    nearest(context(r, ev, PROJECTS), query(projects=("Guben",), content_terms=("x",)), {}, DECLINED)
    assert r.calls and all(call[3] == {"project": ["Guben"]} for call in r.calls), r.calls
