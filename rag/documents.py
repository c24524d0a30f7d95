"""Further documents in ``corpus/`` (plain text or Markdown): a generic heading-based section splitter.

The brochure keeps its dedicated parser (``rag.parse``); every other ``*.txt``/``*.md`` file becomes
chunks with document and section (heading) metadata, so answers can cite "Datei, Abschnitt".

Example::

    >>> cs = split_document("strategie.md", "# Ziele\\n\\nWir wollen X.\\n\\n## Mobilität\\n\\nMehr Busse.")
    >>> [(c.section, c.text) for c in cs]
    [('Ziele', 'Wir wollen X.'), ('Mobilität', 'Mehr Busse.')]
"""

from __future__ import annotations

import re
from pathlib import Path

from rag.chunk import MAX_CHARS, TARGET_CHARS, slug
from rag.text import clean_inline, join_paragraphs, unify_line_breaks
from rag.types import Chunk

_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")


def _is_plain_heading(block: str) -> bool:
    return "\n" not in block and len(block) <= 80 and not block.rstrip().endswith((".", ":", ",", ";", "!", "?"))


def split_document(name: str, text: str) -> list[Chunk]:
    """Sections by Markdown headings (or short unpunctuated lines in plain text), then ~700-char passages."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    sections: list[tuple[str, list[str]]] = [("", [])]
    markdown = name.lower().endswith(".md")
    for block in blocks:
        m = _MD_HEADING.match(block) if "\n" not in block else None
        if m or (not markdown and _is_plain_heading(block)):
            sections.append((clean_inline(m.group(1) if m else block), []))
        else:
            sections[-1][1].append(clean_inline(block))
    chunks: list[Chunk] = []
    doc_slug = slug(Path(name).stem)
    for heading, paras in sections:
        buf: list[str] = []
        for para in [*join_paragraphs(paras), None]:
            size = sum(len(b) for b in buf)
            if buf and (para is None or size >= TARGET_CHARS or size + len(para) > MAX_CHARS):
                pos = len(chunks)
                chunks.append(
                    Chunk(
                        id=f"doc-{doc_slug}-{pos}",
                        text="\n\n".join(buf),
                        kind="document",
                        section=heading or Path(name).stem,
                        document=name,
                        position=pos,
                    )
                )
                buf = []
            if para is not None:
                buf.append(para)
    return chunks


def document_files(corpus_dir: Path, exclude: str) -> list[Path]:
    return sorted(p for p in corpus_dir.iterdir() if p.suffix.lower() in (".txt", ".md") and p.name != exclude)


def load_documents(corpus_dir: Path, exclude: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    for path in document_files(corpus_dir, exclude):
        text = unify_line_breaks(path.read_text(encoding="utf-8", errors="replace"))
        chunks.extend(split_document(path.name, text))
    return chunks
