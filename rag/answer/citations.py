"""Citations: the [n] markers of an answer and the ``Source`` records they point to.

One place for quoting and source labels, so that every strategy cites the same way.

Example::

    >>> from rag.types import Chunk
    >>> c = Chunk(id="guben-p0", text="Guben liegt an der Neiße.", kind="passage", project="Guben", page=31)
    >>> cites = Citations([])
    >>> cites.cite(c, 0.9), cites.cite(c, 0.9), cites.sources[0].label()
    ('[1]', '[1]', '[1] Guben, S. 31')
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.types import SECTION_LABELS, Chunk, Source


def section_label(key: str) -> str:
    return SECTION_LABELS.get(key, key)


def chunk_label(chunk: Chunk) -> str:
    """Who a passage belongs to: the project, the section's German name, or the document."""
    return chunk.project or section_label(chunk.section) or chunk.document


def quote(text: str) -> str:
    return f"„{text}“"


def join_names(names: list[str]) -> str:
    """ "A", "A und B", "A, B und C"."""
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


@dataclass
class Citations:
    """Collects sources in citation order; ``cite`` returns the [n] marker for a chunk."""

    sources: list[Source]

    def cite(self, chunk: Chunk, score: float, snippet: str | None = None) -> str:
        for s in self.sources:
            if s.chunk_id == chunk.id:
                return f"[{s.n}]"
        n = len(self.sources) + 1
        self.sources.append(
            Source(
                n=n,
                project=chunk.project,
                page=chunk.page,
                category=chunk.category,
                states=chunk.states,
                snippet=(snippet or chunk.text)[:600],
                score=round(float(score), 4),
                size_class=chunk.size_class,
                section=chunk.section,
                document=chunk.document,
                chunk_id=chunk.id,
            )
        )
        return f"[{n}]"
