"""Frozen dataclasses at the pipeline's stage boundaries.

parse -> ``Corpus`` (``Project``, ``Section``, ``OverviewEntry``)
chunk -> ``Chunk``
retrieve -> ``Hit``
answer -> ``Answer`` with ``Source`` citations

Example::

    >>> s = Source(n=1, project="Guben", page=31, category="Kleinstädte und Landgemeinden",
    ...            states=("Brandenburg",), snippet="Die Lausitzer Kleinstadt Guben ...", score=0.9)
    >>> Answer(text="Guben [1]", sources=(s,), mode="extraktiv").to_dict()["sources"][0]["project"]
    'Guben'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

CATEGORIES: tuple[str, ...] = (
    "Großstädte",
    "Mittelstädte",
    "Kleinstädte und Landgemeinden",
    "Interkommunale Kooperationen und Landkreise",
)

SECTION_LABELS: dict[str, str] = {
    "einleitung": "Einleitung",
    "bewertungskriterien": "Bewertungskriterien",
    "uebersicht": "Übersicht 2019–2021",
    "impressum": "Impressum",
    **{f"k{i}": f"Bewertungskriterium K{i}" for i in range(1, 13)},
}

Intent = Literal["list", "count", "lookup", "open", "compare", "similar", "smalltalk", "unanswerable"]


@dataclass(frozen=True)
class Project:
    """One funded 2021 project as the brochure describes it."""

    name: str
    category: str  # one of CATEGORIES
    size_class: str  # the finer "Größenklasse" line, e.g. "Kleine Kleinstadt"
    states: tuple[str, ...]  # Bundesländer; Verband Region Rhein-Neckar has three
    title: str  # Projekttitel (as printed; "26" for Vorpommern-Greifswald)
    motto: str
    text: str  # cleaned body text, paragraphs separated by blank lines
    page: int  # first page, from the table of contents
    paragraph_pages: tuple[int, ...] = ()  # page of each paragraph of ``text``
    measures: tuple[str, ...] = ()  # what the project plans, as whole pieces of ``text`` (rag.measures)
    fields: tuple[str, ...] = ()  # Handlungsfelder, assigned from the text at parse time (rag.fields)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Section:
    """A general part of the brochure: Einleitung, a Bewertungskriterium, Impressum ..."""

    key: str  # stable id, e.g. "einleitung", "k7", "impressum"
    title: str
    text: str
    page: int
    group: str = ""  # e.g. "Modellhaftigkeit" for K9-K12


@dataclass(frozen=True)
class OverviewEntry:
    """One line of the Übersicht 2019-2021 ("+ ..." partner lines folded into ``partners``)."""

    name: str
    category: str  # one of CATEGORIES (the overview's own headings, mapped)
    partners: tuple[str, ...] = ()
    is_2021: bool = False
    project: str = ""  # name of the matching 2021 Project, if any
    heading: str = ""  # the overview's heading as printed ("Mittlere Städte" for the category "Mittelstädte")

    @property
    def label(self) -> str:
        """The heading to quote: as printed, else the category."""
        return self.heading or self.category


@dataclass(frozen=True)
class Corpus:
    projects: tuple[Project, ...]
    sections: tuple[Section, ...]
    overview: tuple[OverviewEntry, ...]
    source: str = "modellprojekte-smart-cities-2021.txt"
    year: str = ""  # the round the brochure presents, from its heading ("3. Modellprojekte Smart Cities 2021")

    def project(self, name: str) -> Project:
        for p in self.projects:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage with its metadata. ``id`` is stable across rebuilds."""

    id: str
    text: str
    kind: str  # "header" | "passage" | "section" | "overview" | "document"
    project: str = ""  # project name, empty for general sections
    category: str = ""
    size_class: str = ""
    states: tuple[str, ...] = ()
    page: int = 0
    section: str = ""  # section title / key
    document: str = ""  # source file name
    position: int = 0  # order within its project / document
    fields: tuple[str, ...] = ()  # the project's Handlungsfelder (rag.fields), for header and passages

    def metadata(self) -> dict[str, Any]:
        """Flat, Chroma-compatible metadata (no lists)."""
        return {
            "kind": self.kind,
            "project": self.project,
            "category": self.category,
            "size_class": self.size_class,
            "states": "|".join(self.states),
            "page": self.page,
            "section": self.section,
            "document": self.document,
            "position": self.position,
            "fields": "|".join(self.fields),
        }


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused (reciprocal rank fusion) score
    dense_rank: int | None = None
    sparse_rank: int | None = None
    dense_score: float = 0.0  # cosine similarity, 0 when not among the dense candidates
    sparse_score: float = 0.0  # BM25 score, 0 when not among the sparse candidates


@dataclass(frozen=True)
class Source:
    """A citation: answer marker [n] -> where in the brochure."""

    n: int
    project: str
    page: int
    category: str
    states: tuple[str, ...]
    snippet: str
    score: float
    size_class: str = ""
    section: str = ""
    document: str = ""
    chunk_id: str = ""

    def label(self) -> str:
        where = self.project or SECTION_LABELS.get(self.section, self.section) or self.document
        if self.document and self.document != "broschuere":
            where = f"{self.document}, {self.section}" if self.section else self.document
        return f"[{self.n}] {where}, S. {self.page}" if self.page else f"[{self.n}] {where}"


@dataclass(frozen=True)
class Answer:
    text: str
    sources: tuple[Source, ...] = ()
    mode: str = "extraktiv"  # "extraktiv" | "strukturiert" | "ollama:<model>" | "fehler"
    intent: str = "open"
    answerable: bool = True
    projects: tuple[str, ...] = ()  # projects the answer is about (for lists: the full list)
    notice: str = ""  # e.g. fallback notice shown to the user
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sources"] = [asdict(s) for s in self.sources]
        return d


@dataclass(frozen=True)
class Similar:
    """A comparable project for ``Assistant.similar``."""

    project: str
    category: str
    states: tuple[str, ...]
    page: int
    score: float
    reason: str
    topics: tuple[str, ...] = ()
    snippet: str = ""
