"""Small hand-made stand-ins for the answer layer's context (retriever, evidence, corpus), so that tests can pin
the exact thresholds, call parameters and text shapes of a strategy with inputs whose scores they choose.

Used by ``tests/test_mutants_*.py`` (written against surviving mutants, issue #14).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from rag.answer.evidence import Scored
from rag.types import Chunk, Hit
from rag.understand import Query


def chunk(cid: str, project: str = "", kind: str = "passage", page: int = 0, **kw: Any) -> Chunk:
    return Chunk(id=cid, text=kw.pop("text", f"Text von {cid}."), kind=kind, project=project, page=page, **kw)


def scored(c: Chunk, sentence: str, score: float = 0.5, lexical: float = 0.5, cosine: float = 0.5) -> Scored:
    return Scored(Hit(c, round(score, 4)), sentence, score, lexical, cosine)


def query(**kw: Any) -> Query:
    kw.setdefault("text", "Frage")
    kw.setdefault("intent", "open")
    return Query(**kw)


@dataclass
class FakeRetriever:
    """``retrieve`` / ``sentence_chunks`` return what the test gives them and record how they were called."""

    dense: list[Hit] = field(default_factory=list)
    sparse: list[Hit] = field(default_factory=list)
    sentence_ids: list[str] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Chunk]:
        return {c.id: c for c in self.chunks}

    def retrieve(self, text: str, k: int = 8, filters: dict[str, Any] | None = None, mode: str = "hybrid") -> list[Hit]:
        self.calls.append(("retrieve", text, k, filters, mode))
        return list(self.dense if mode == "hybrid" else self.sparse)

    def sentence_chunks(self, text: str, k: int = 3, filters: dict[str, Any] | None = None) -> list[str]:
        self.calls.append(("sentence_chunks", text, k, filters))
        return list(self.sentence_ids)

    def project_chunks(self, name: str) -> list[Chunk]:
        return [c for c in self.chunks if c.project == name]


@dataclass
class FakeEvidence:
    """``best_sentences`` returns the given sentences (and records its keyword arguments and hits)."""

    chosen: list[Scored] = field(default_factory=list)
    ranked: list[Scored] = field(default_factory=list)
    shares: bool = True
    known: float = 1.0
    off: bool = False
    coverage: dict[str, float] = field(default_factory=dict)  # measure text -> lexical coverage
    passages: dict[str, float] = field(default_factory=dict)  # project -> how well its passages match (0..1)
    calls: list[dict[str, Any]] = field(default_factory=list)

    def names_directly(self, q: Query, sentence: str) -> bool:
        return True  # every given sentence holds the question's own words

    def shares_content(self, q: Query, hits: list[Hit]) -> bool:
        return self.shares

    def best_sentences(self, q: Query, hits: list[Hit], **kw: Any) -> list[Scored]:
        self.calls.append({"hits": [h.chunk.id for h in hits], **kw})
        return list(self.chosen)

    def rank_projects(self, q: Query, filters: dict[str, Any] | None = None) -> list[Scored]:
        self.calls.append({"filters": dict(filters or {})})
        return list(self.ranked)

    def passage_scores(self, q: Query, filters: dict[str, Any] | None = None) -> dict[str, float]:
        return dict(self.passages)

    def known_share(self, q: Query) -> float:
        return self.known

    def off_topic(self, q: Query) -> bool:
        return self.off

    def lexical(self, q: Query) -> Any:
        return lambda st: max((v for k, v in self.coverage.items() if frozenset([k]) == st), default=0.0)

    def sentence_terms(self, sentence: str) -> frozenset[str]:
        return frozenset([sentence])


def project(name: str, **kw: Any) -> SimpleNamespace:
    kw.setdefault("measures", ())
    kw.setdefault("category", "Großstädte")
    kw.setdefault("size_class", "Kleinere Großstadt")
    kw.setdefault("states", ("Bayern",))
    kw.setdefault("fields", ())
    return SimpleNamespace(name=name, **kw)


def context(
    retriever: FakeRetriever | None = None, evidence: FakeEvidence | None = None, projects: tuple[Any, ...] = ()
) -> Any:
    by_name = {p.name: p for p in projects}
    corpus = SimpleNamespace(projects=list(projects), project=lambda n: by_name[n])

    def select(categories: Any = (), states: Any = (), sizes: Any = (), filters: Any = None) -> list[Any]:
        cats, sts = set(categories), set(states)
        filters = filters or {}
        return [
            p
            for p in projects
            if (not cats or p.category in cats)
            and (not sts or sts & set(p.states))
            and (not filters.get("category") or p.category == filters["category"])
        ]

    return SimpleNamespace(
        retriever=retriever or FakeRetriever(), evidence=evidence or FakeEvidence(), corpus=corpus, select=select
    )
