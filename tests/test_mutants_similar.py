"""Comparable projects (``rag.similar``) with hand-made scores: the fusion weights, min-max scaling, the
category tie-break, what is searched for, the themes and the reason's exact wording, and the chat answer's
shape. Written against surviving mutants (issue #14)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from rag.answer.evidence import best_two as _best_two
from rag.answer.evidence import scaled as _scaled
from rag.similar import CATEGORY_TIEBREAK, CLOSE, SAME_STATE, WEIGHTS, SimilarFinder
from rag.types import Similar
from tests.mutant_fakes import chunk, project, query, scored


def test_best_two_is_the_best_plus_three_tenths_of_the_second() -> None:
    assert _best_two([0.5]) == 0.5
    assert _best_two([0.2, 1.0, 0.5]) == pytest.approx(1.0 + 0.3 * 0.5)
    assert _best_two([2.0, 2.0]) == pytest.approx(2.6)


def test_scaled_is_min_max_over_the_candidates() -> None:
    scores = {"a": 1.0, "b": 3.0, "c": 2.5}
    assert [_scaled(scores, k) for k in "abc"] == [0.0, 1.0, 0.75]
    assert _scaled(scores, "x") == 0.0
    assert _scaled({"a": 2.0, "b": 2.0}, "a") == 1.0
    assert _scaled({"a": -1.0, "b": 1.0}, "a") == 0.0 and _scaled({"a": -1.0, "b": 1.0, "c": 0.0}, "c") == 0.5


# -- a finder over hand-made candidates -------------------------------------------------------------------------

NAMES = ["Anstadt", "Bestadt", "Cestadt", "Destadt", "Eestadt"]
TEXTS = {
    "Anstadt": "Anstadt baut eine Datenplattform, und Sensoren; dazu (Mobilität) für alle!",
    "Bestadt": "Bestadt plant Mobilität im Quartier.",
    "Cestadt": "Cestadt macht etwas.",
    "Destadt": "Destadt: Bus.",
    "Eestadt": "Eestadt.",
}
IDF = {
    "datenplattform": 3.0,
    "dat": 1.1,
    "plattform": 2.0,
    "sensor": 2.5,
    "mobilitat": 1.3,
    "quarti": 1.25,
    "bus": 1.2,
    "alle": 0.1,
    "region": 4.0,
    "projekt": 4.0,
}


class Decompounder:
    def expand(self, ts: list[str]) -> list[str]:
        return [*ts, *(["dat", "plattform"] if "datenplattform" in ts else [])]

    def expand_query(self, ts: list[str]) -> list[str]:
        return self.expand(ts)


@dataclass
class Bm25:
    hits: list[tuple[int, float]]
    idf: dict[str, float] = field(default_factory=lambda: dict(IDF))
    decompounder: Decompounder = field(default_factory=Decompounder)
    calls: list[Any] = field(default_factory=list)

    def search(self, text: str, k: int, allowed: Any) -> list[tuple[int, float]]:
        self.calls.append((text, k, allowed))
        return list(self.hits)


@dataclass
class Retriever:
    chunks: list[Any]
    bm25: Bm25
    calls: list[Any] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Any]:
        return {c.id: c for c in self.chunks}

    def embed_query(self, text: str) -> np.ndarray:
        self.calls.append(("embed_query", text))
        return np.ones(2)

    def allowed_mask(self, f: dict[str, Any]) -> Any:
        self.calls.append(("mask", f))
        return "MASK"

    def project_chunks(self, name: str) -> list[Any]:
        return [c for c in self.chunks if c.project == name]


@dataclass
class Store:
    rows: list[tuple[str, float]]
    calls: list[Any] = field(default_factory=list)

    def query(self, emb: Any, k: int, f: dict[str, Any]) -> list[tuple[str, float]]:
        self.calls.append((list(emb), k, f))
        return list(self.rows)


@dataclass
class Ev:
    sentence_scores: dict[str, float]
    snippets: dict[str, tuple[str, int]] = field(default_factory=dict)
    probes: list[Any] = field(default_factory=list)

    def rank_projects(self, probe: Any, f: dict[str, Any]) -> list[Any]:
        self.probes.append((probe, f))
        return [scored(chunk(f"{n}-s", n), "x", s) for n, s in self.sentence_scores.items()]

    def best_sentences(self, probe: Any, hits: list[Any], limit: int = 4) -> list[Any]:
        assert limit == 1 and all(h.chunk.kind == "passage" for h in hits)
        name = hits[0].chunk.project if hits else ""
        if name not in self.snippets:
            return []
        sentence, page = self.snippets[name]
        return [scored(chunk(f"{name}-b", name, page=page), sentence, 0.5)]


class Parser:
    def __init__(self, q: Any) -> None:
        self.q = q
        self.seen: list[str] = []

    def parse(self, text: str) -> Any:
        self.seen.append(text)
        return self.q


class Embedder:
    def __init__(self) -> None:
        self.docs: list[str] = []

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.docs.extend(texts)
        return np.zeros((len(texts), 2))


def finder(q, dense=(), sparse=(), sentence=None, snippets=None, categories=None, states=None):  # type: ignore[no-untyped-def]
    cats, lands = categories or {}, states or {}
    projects = {
        n: project(
            n, category=cats.get(n, "Mittelstädte"), text=TEXTS[n], title=f"Titel {n}", motto=f"Motto {n}", page=10 + i,
            states=lands.get(n, ("Bayern",)),
        )
        for i, n in enumerate(NAMES)
    }
    chunks = [chunk(f"{n}-p", n, text=TEXTS[n], page=10 + i) for i, n in enumerate(NAMES)]
    chunks += [chunk(f"{n}-h", n, kind="header", page=10 + i) for i, n in enumerate(NAMES)]
    chunks += [chunk("sec", kind="section", section="einleitung")]
    index = {c.id: i for i, c in enumerate(chunks)}
    bm = Bm25([(index[cid], s) for cid, s in sparse])
    retriever = Retriever(chunks, bm)
    corpus = SimpleNamespace(project=lambda n: projects[n], projects=list(projects.values()))
    ev = Ev(dict(sentence or {}), dict(snippets or {}))
    ctx = SimpleNamespace(
        corpus=corpus, retriever=retriever, evidence=ev, header={c.project: c for c in chunks if c.kind == "header"}
    )
    store = Store(list(dense))
    return SimilarFinder(ctx, Parser(q), Embedder(), store)  # type: ignore[arg-type]


def test_fusion_weighs_dense_sparse_and_sentence_scores_with_a_category_tiebreak() -> None:
    q = query(text="Wir wollen eine Datenplattform", content_terms=("datenplattform",), categories=("Großstädte",))
    f = finder(
        q,
        dense=[
            ("Anstadt-p", 0.9),
            ("Bestadt-p", 0.5),
            ("Bestadt-p", 0.7),
            ("Cestadt-p", 0.1),
            ("Anstadt-h", 0.99),
            ("sec", 0.99),
        ],
        sparse=[("Anstadt-p", 2.0), ("Bestadt-p", 8.0), ("Destadt-p", 5.0), ("Destadt-h", 9.0), ("sec", 9.0)],
        sentence={"Anstadt": 0.6, "Bestadt": 0.2, "Eestadt": 0.4},
        categories={"Destadt": "Großstädte"},
    )
    got = f.similar("  Wir wollen eine Datenplattform  ", k=5)
    dense = {"Anstadt": 0.9, "Bestadt": 0.7 + 0.3 * 0.5, "Cestadt": 0.1}
    sparse = {"Anstadt": 2.0, "Bestadt": 8.0, "Destadt": 5.0}
    sent = {"Anstadt": 0.6, "Bestadt": 0.2, "Eestadt": 0.4}
    expected = {
        n: 0.1 * _scaled(dense, n) + 0.5 * _scaled(sparse, n) + 0.3 * _scaled(sent, n) + (0.03 if n == "Destadt" else 0)
        for n in NAMES
    }
    assert WEIGHTS == (0.1, 0.5, 0.3) and CATEGORY_TIEBREAK == 0.03
    assert [r.project for r in got] == sorted(NAMES, key=lambda n: -expected[n])
    assert [r.score for r in got] == [round(expected[r.project], 4) for r in got]
    assert f.parser.seen == ["Wir wollen eine Datenplattform"]  # type: ignore[attr-defined]
    assert f.store.calls[0][1:] == (60, {})  # type: ignore[attr-defined]
    assert f.ctx.retriever.bm25.calls == [("Wir wollen eine Datenplattform", 80, "MASK")]
    assert f.ctx.retriever.calls == [("embed_query", "Wir wollen eine Datenplattform"), ("mask", {})]
    assert [r.project for r in f.similar("Wir wollen eine Datenplattform", k=2)] == [r.project for r in got[:2]]


def test_a_land_the_description_names_adds_a_little_but_the_theme_comes_first() -> None:
    q = query(text="Wir in Hessen wollen Sensoren", content_terms=("sensor",), states=("Hessen",))
    lands = {"Bestadt": ("Hessen",), "Cestadt": ("Hessen", "Bayern")}
    # Anstadt and Bestadt share the same words; Cestadt, in Hessen too, shares fewer
    f = finder(q, sparse=[("Anstadt-p", 4.0), ("Bestadt-p", 4.0), ("Cestadt-p", 3.0), ("Destadt-p", 1.0)], states=lands)
    got = {r.project: r.score for r in f.similar("Wir in Hessen wollen Sensoren")}
    assert SAME_STATE == 0.1
    assert got["Bestadt"] == pytest.approx(0.5 + SAME_STATE) and got["Anstadt"] == pytest.approx(0.5)
    assert got["Cestadt"] == pytest.approx(0.5 * 2 / 3 + SAME_STATE, abs=1e-4)
    assert [r.project for r in f.similar("Wir in Hessen wollen Sensoren")][:3] == ["Bestadt", "Anstadt", "Cestadt"]


def test_ties_are_broken_by_name_and_what_is_searched_for() -> None:
    q = query(text="x", content_terms=("mobilitat", "sensor", "stadt"), nouns=("mobilitat", "stadt"), search_text="x y",
              expansions=("verkehr",))  # fmt: skip
    f = finder(q, dense=[("Cestadt-p", 0.5), ("Bestadt-p", 0.5)])
    got = f.similar("x", k=5, filters={"state": "Bayern", "category": "", "project": "Anstadt"})
    assert [r.project for r in got] == ["Bestadt", "Cestadt"] and [r.score for r in got] == [0.1, 0.1]
    probe, pf = f.ctx.evidence.probes[0]
    assert pf == {"state": "Bayern"} and f.store.calls[0][2] == {"state": "Bayern"}  # type: ignore[attr-defined]
    assert (probe.text, probe.intent, probe.search_text, probe.expansions) == ("x y", "open", "x y", ("verkehr",))
    assert probe.content_terms == ("mobilitat",)  # the nouns among the content, "stadt" is filler
    assert f.similar("") == [] and f.similar("   ") == []
    f.similar("a" * 3000)
    assert f.parser.seen[-1] == "a" * 2000  # type: ignore[attr-defined]


def test_a_project_named_alone_is_searched_by_its_own_text_and_left_out() -> None:
    q = query(text="Anstadt", projects=("Anstadt",))
    f = finder(q, dense=[("Anstadt-p", 0.9), ("Bestadt-p", 0.5)], sparse=[("Anstadt-p", 3.0), ("Cestadt-p", 1.0)],
               sentence={"Anstadt": 0.9, "Destadt": 0.5})  # fmt: skip
    got = f.similar("Anstadt")
    assert {r.project for r in got} == {"Bestadt", "Cestadt", "Destadt"}
    assert f.embedder.docs == [f"Titel Anstadt. Motto Anstadt. {TEXTS['Anstadt']}"]  # type: ignore[attr-defined]
    assert f.ctx.retriever.bm25.calls[0][0] == f.embedder.docs[0]  # type: ignore[attr-defined]
    assert not any(c[0] == "embed_query" for c in f.ctx.retriever.calls)
    long = "Anstadt " + "x" * 60  # a long description that names one project is no request about it
    f2 = finder(query(text=long, projects=("Anstadt",)), dense=[("Anstadt-p", 0.9)])
    assert [r.project for r in f2.similar(long)] == ["Anstadt"] and f2.embedder.docs == []  # type: ignore[attr-defined]
    f3 = finder(query(text="A B", projects=("Anstadt", "Bestadt")), dense=[("Anstadt-p", 0.9)])
    assert [r.project for r in f3.similar("A B")] == ["Anstadt"]


def test_themes_are_nouns_without_filler_or_all_content() -> None:
    f = finder(query())
    assert f.themes(
        query(content_terms=("datenplattform", "mobilitat", "stadt", "plant"), nouns=("mobilitat", "stadt"))
    ) == ("mobilitat",)
    assert f.themes(query(content_terms=("datenplattform", "stadt", "plant", "macht"), nouns=())) == ("datenplattform",)
    assert f.themes(query(content_terms=("projekt", "stadt"), nouns=("stadt",))) == ()


def test_the_reason_names_rare_shared_words_as_the_project_writes_them() -> None:
    q = query(
        text="x",
        content_terms=("datenplattform", "mobilitat", "sensor", "alle", "region", "bus"),
        categories=("Großstädte",),
    )
    f = finder(q, dense=[("Anstadt-p", 0.9), ("Destadt-p", 0.2)], snippets={"Anstadt": ("Anstadt baut eine Datenplattform.", 31)},
               categories={"Anstadt": "Großstädte"})  # fmt: skip
    a, d = f.similar("x", k=2)
    # rarest first: datenplattform 3.0, sensor 2.5, mobilitat 1.3 ("alle": too short; "bus": idf not above 1.2)
    assert a.topics == ("Datenplattform", "Sensoren", "Mobilität")
    assert a.reason == (
        "gemeinsame Themen: Datenplattform, Sensoren, Mobilität; "
        "passende Stelle (S. 31): „Anstadt baut eine Datenplattform.“; gleiche Kategorie (Großstädte)"
    )
    assert a.snippet == "Anstadt baut eine Datenplattform." and a.category == "Großstädte"
    assert (a.states, a.page) == (("Bayern",), 10)
    assert d.topics == () and d.snippet == "" and d.reason == "inhaltlich ähnliche Beschreibung"
    q2 = query(text="x", content_terms=("dat", "plattform", "quarti", "mobilitat", "sensor", "bus"))
    f2 = finder(q2, dense=[("Anstadt-p", 0.9), ("Bestadt-p", 0.2)])
    a2, b2 = f2.similar("x", k=2)
    assert a2.topics == ("Sensoren", "Datenplattform", "Mobilität")  # one surface word for its parts
    assert b2.topics == ("Mobilität", "Quartier") and b2.reason == "gemeinsame Themen: Mobilität, Quartier"


def test_at_most_five_themes() -> None:
    text = "Anstadt: Alpha Bravo Charlie Delta Echo Foxtrot."
    words = ("alpha", "bravo", "charli", "delta", "echo", "foxtrot")
    q = query(text="x", content_terms=words)
    f = finder(q, dense=[("Anstadt-p", 0.9)])
    f.ctx.corpus.project("Anstadt").text = text
    f.ctx.retriever.bm25.idf.update({w: 2.0 + i / 10 for i, w in enumerate(words)})
    (r,) = f.similar("x", k=1)
    assert r.topics == ("Foxtrot", "Echo", "Delta", "Charlie", "Bravo")


# -- the chat answer ---------------------------------------------------------------------------------------------


def results_finder(results: list[Similar], texts: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    f = finder(query())
    for n, t in (texts or {}).items():
        c = f.ctx.retriever.chunks[NAMES.index(n)]
        f.ctx.retriever.chunks[NAMES.index(n)] = type(c)(**{**c.__dict__, "text": t})
    f.similar = lambda text, k=5, filters=None, parsed=None: list(results)  # type: ignore[method-assign]
    return f


def sim(name: str, score: float, snippet: str = "") -> Similar:
    return Similar(
        name, "Mittelstädte", ("Bayern", "Hessen"), 10 + NAMES.index(name), score, f"Grund {name}", (), snippet
    )


def test_the_chat_answer_lists_the_close_matches_with_reasons_and_passages() -> None:
    assert CLOSE == 0.75
    results = [sim("Anstadt", 1.0, "Anstadt baut: eine Plattform."), sim("Bestadt", 0.75), sim("Cestadt", 0.749)]
    f = results_finder(results, {"Anstadt": "Intro. Anstadt baut: eine Plattform."})
    ans = f.answer(query(text="Frage", intent="similar"), None)
    assert ans.text == (
        "Diese Modellprojekte 2021 sind mit Ihrem Vorhaben vergleichbar:\n\n"
        "1. **Anstadt** (Kleinere Großstadt, Bayern, Hessen, S. 10) [1] [2]\n   Warum: Grund Anstadt\n"
        "2. **Bestadt** (Kleinere Großstadt, Bayern, Hessen, S. 11) [3]\n   Warum: Grund Bestadt"
    )
    assert ans.projects == ("Anstadt", "Bestadt") and ans.answerable and ans.mode == "extraktiv"
    assert [s.chunk_id for s in ans.sources] == ["Anstadt-h", "Anstadt-p", "Bestadt-h"]
    assert ans.sources[1].snippet == "Anstadt baut: eine Plattform." and ans.sources[1].score == 1.0


def test_the_chat_answer_keeps_four_and_cites_no_passage_it_cannot_find() -> None:
    results = [sim(n, 1.0, "Nirgends steht das.") for n in NAMES]
    ans = results_finder(results).answer(query(text="Frage", intent="similar"), {})
    assert ans.projects == tuple(NAMES[:4]) and len(ans.sources) == 4
    assert "\n4. **Destadt** (Kleinere Großstadt, Bayern, Hessen, S. 13) [4]\n   Warum: Grund Destadt" in ans.text


def test_the_chat_answer_without_matches() -> None:
    ans = results_finder([]).answer(query(text="Frage", intent="similar"), None)
    assert (ans.text, ans.answerable, ans.intent, ans.mode) == (
        "Dazu habe ich keine vergleichbaren Projekte gefunden.", False, "similar", "extraktiv",
    )  # fmt: skip


def test_a_short_request_names_its_own_project_below_sixty_characters() -> None:
    for text, own in (("Anstadt".ljust(59, "."), True), ("Anstadt".ljust(60, "."), False)):
        f = finder(query(text=text, projects=("Anstadt",)), dense=[("Anstadt-p", 0.9), ("Bestadt-p", 0.5)])
        got = [r.project for r in f.similar(text)]
        assert ("Anstadt" not in got) is own and bool(f.embedder.docs) is own  # type: ignore[attr-defined]
    f = finder(query(text="Anstadt", projects=("Anstadt",)), dense=[("Bestadt-p", 0.5)])
    f.ctx.corpus.project("Anstadt").text = "a" * 1500 + "b" * 10
    f.similar("Anstadt")
    assert f.embedder.docs == ["Titel Anstadt. Motto Anstadt. " + "a" * 1500]  # type: ignore[attr-defined]


def test_scores_keep_four_decimals() -> None:
    f = finder(query(text="x"), sparse=[("Anstadt-p", 0.0), ("Bestadt-p", 1.0), ("Cestadt-p", 3.0)])
    got = {r.project: r.score for r in f.similar("x")}
    assert got == {"Cestadt": 0.5, "Bestadt": 0.1667, "Anstadt": 0.0}


def test_theme_words_of_the_project_text_exactly() -> None:
    words = ("app", "netz", "xenon", "datenplattform", "unbekannt")
    q = query(text="x", content_terms=words)
    f = finder(q, dense=[("Anstadt-p", 0.9)])
    f.ctx.corpus.project("Anstadt").text = "Eine App und Netze.\nXenon-\nDatenplattform, unbekannt."
    f.ctx.retriever.bm25.idf.update({"app": 2.0, "netz": 1.2, "xenon": 1.5})
    (r,) = f.similar("x", k=1)
    # "App" is too short, "Netze" not rare enough (idf 1.2), "unbekannt" unknown to the index
    assert r.topics == ("Datenplattform", "Xenon")


def test_the_chat_answer_asks_for_five_and_finds_a_snippet_by_its_lead() -> None:
    asked: list[Any] = []
    f = finder(query())
    chunks = f.ctx.retriever.chunks
    chunks[0] = type(chunks[0])(**{**chunks[0].__dict__, "text": "Intro. Anstadt baut: etwas anderes."})
    f.similar = lambda text, k=5, filters=None, parsed=None: (
        asked.append((text, k, filters)) or [sim("Anstadt", 1.0, "Anstadt baut: eine Plattform.")]
    )  # type: ignore[method-assign]
    ans = f.answer(query(text="Frage", intent="similar"), {"state": "Bayern"})
    assert asked == [("Frage", 5, {"state": "Bayern"})]
    assert [s.chunk_id for s in ans.sources] == ["Anstadt-h", "Anstadt-p"]


def test_five_comparable_projects_by_default() -> None:
    f = finder(query(text="x"), dense=[(f"{n}-p", 0.1 * i) for i, n in enumerate(NAMES)])
    f.ctx.retriever.chunks.append(chunk("Festadt-p", "Festadt", text="Festadt."))
    f.store.rows.append(("Festadt-p", 0.9))  # type: ignore[attr-defined]
    f.ctx.corpus.projects.append(project("Festadt", text="Festadt.", title="T", motto="M", page=20))
    projects = {p.name: p for p in f.ctx.corpus.projects}
    f.ctx.corpus.project = lambda n: projects[n]
    got = [r.project for r in f.similar("x")]
    assert got == ["Festadt", "Eestadt", "Destadt", "Cestadt", "Bestadt"]


def test_a_description_already_read_is_not_read_again() -> None:
    q = query(text="Wir wollen eine Datenplattform", content_terms=("datenplattform",))
    f = finder(q, dense=[("Anstadt-p", 0.9)])
    assert [r.project for r in f.similar("  Wir wollen eine Datenplattform ", parsed=q)] == ["Anstadt"]
    assert f.parser.seen == []  # type: ignore[attr-defined]
    f.similar("Etwas anderes", parsed=q)  # a parsed question of another text is not taken for this one
    assert f.parser.seen == ["Etwas anderes"]  # type: ignore[attr-defined]
    f.answer(q, None)  # the chat hands its parsed question on
    assert f.parser.seen == ["Etwas anderes"]  # type: ignore[attr-defined]


def test_a_projects_theme_words_are_read_from_its_text_once() -> None:
    q = query(text="x", content_terms=("datenplattform", "sensor"))
    f = finder(q, dense=[("Anstadt-p", 0.9)])
    (first,) = f.similar("x", k=1)
    f.ctx.corpus.project("Anstadt").text = "Anstadt nutzt Sensoren."
    (again,) = f.similar("x", k=1)
    assert first.topics == again.topics == ("Datenplattform", "Sensoren")


def test_a_long_measure_heading_is_found_by_its_first_eighty_characters() -> None:
    heading = "Aufbau einer offenen urbanen Datenplattform für Verwaltung, Stadtwerke, Hochschule und Zivilgesellschaft"
    assert len(heading) > 81
    passage = f"Intro. {heading[:80]}-\n{heading[80:].upper()} mit allen Partnern."
    ans = results_finder([sim("Anstadt", 1.0, f"{heading} – ein Vorhaben.")], {"Anstadt": passage}).answer(
        query(text="Frage", intent="similar"), None
    )
    assert [s.chunk_id for s in ans.sources] == ["Anstadt-h", "Anstadt-p"]
