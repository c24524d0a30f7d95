"""Turn records into retrievable chunks with metadata and stable ids.

Per project: one header chunk (name, category, Größenklasse, Bundesland, title, motto, page) and passages
of a few paragraphs. General sections: Einleitung passages, one chunk per criterion K1-K12 plus the whole
list, one chunk per category of the Übersicht, the Impressum.

Example::

    >>> p = Project("Guben", "Kleinstädte und Landgemeinden", "Größere Kleinstadt", ("Brandenburg",),
    ...             "Eurostadt Guben/Gubin", "Ein kleiner Schritt", "Erster Absatz.\\n\\nZweiter.", 31, (31, 31))
    >>> [c.id for c in project_chunks(p)]
    ['guben-header', 'guben-p0']
    >>> index_text(project_chunks(p)[1])[:28]
    'Guben (Größere Kleinstadt, B'
"""

from __future__ import annotations

import re
from typing import Any

from rag.german import fold
from rag.types import Chunk, Corpus, Project, Section

# 3: sentence vectors; 4: Handlungsfelder in chunk metadata; 5: suspended hyphens; 6: chunk vectors kept;
# 7: ordinals and quotations kept inside a sentence; 8: a list stays with the sentence that announces it
CHUNKER_VERSION = "8"
TARGET_CHARS = 700
MAX_CHARS = 1100


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _continues_list(previous: str, para: str, label_before: bool) -> bool:
    """Does ``para`` still belong to the list that a paragraph ending in ":" opened? A list item, a short
    label ("Plattenbausiedlung X:") or the line that describes the label before it."""
    if previous.rstrip().endswith(":"):
        return True
    short_label = para.rstrip().endswith(":") and len(para.split()) <= 6
    return bool(re.match(r"(- |• |\d+\. )", para)) or short_label or label_before


def _group(paragraphs: list[str], pages: list[int]) -> list[tuple[str, int]]:
    """Greedy groups of consecutive paragraphs of about TARGET_CHARS (a long one stays whole). A list stays
    with the sentence that announces it ("… drei Modellquartiere identifiziert:"), up to 2 × MAX_CHARS."""
    groups: list[tuple[str, int]] = []
    buf: list[str] = []
    page = 0
    in_list = False
    for para, pg in zip(paragraphs, pages, strict=True):
        size = sum(len(b) for b in buf)
        label_before = bool(buf) and buf[-1].rstrip().endswith(":") and len(buf[-1].split()) <= 6
        in_list = bool(buf) and (buf[-1].rstrip().endswith(":") or (in_list and _continues_list(buf[-1], para, label_before)))
        keep = in_list and size + len(para) <= 2 * MAX_CHARS
        if buf and not keep and (size >= TARGET_CHARS or size + len(para) > MAX_CHARS):
            groups.append(("\n\n".join(buf), page))
            buf = []
        if not buf:
            page = pg
        buf.append(para)
    if buf:
        groups.append(("\n\n".join(buf), page))
    return groups


def header_text(p: Project) -> str:
    states = ", ".join(p.states)
    return (
        f"{p.name} – Modellprojekt Smart Cities 2021. Kategorie: {p.category} ({p.size_class}). "
        f"Bundesland: {states}. Projekttitel: {p.title}. Motto: {p.motto}. Seite {p.page}."
    )


def project_chunks(p: Project) -> list[Chunk]:
    base: dict[str, Any] = {
        "project": p.name,
        "category": p.category,
        "size_class": p.size_class,
        "states": p.states,
        "document": "broschuere",
        "fields": p.fields,
    }
    chunks = [
        Chunk(
            id=f"{slug(p.name)}-header",
            text=header_text(p),
            kind="header",
            page=p.page,
            section="Steckbrief",
            position=0,
            **base,
        )
    ]
    pages = list(p.paragraph_pages) or [p.page] * len(p.paragraphs)
    for i, (text, page) in enumerate(_group(p.paragraphs, pages)):
        chunks.append(
            Chunk(
                id=f"{slug(p.name)}-p{i}",
                text=text,
                kind="passage",
                page=page,
                section="Projektbeschreibung",
                position=i + 1,
                **base,
            )
        )
    return chunks


def section_chunks(s: Section) -> list[Chunk]:
    paras = [x for x in s.text.split("\n\n") if x.strip()]
    groups = _group(paras, [s.page] * len(paras)) if s.key in ("einleitung", "impressum") else [(s.text, s.page)]
    return [
        Chunk(id=f"{s.key}-{i}", text=text, kind="section", page=page, section=s.key, position=i, document="broschuere")
        for i, (text, page) in enumerate(groups)
    ]


def overview_chunks(corpus: Corpus) -> list[Chunk]:
    by_cat: dict[str, list[str]] = {}
    heading: dict[str, str] = {}  # as the overview prints it ("Mittlere Städte" for the category "Mittelstädte")
    for e in corpus.overview:
        label = e.name + (f" (mit {', '.join(e.partners)})" if e.partners else "")
        by_cat.setdefault(e.category, []).append(label + (" [2021]" if e.is_2021 else ""))
        heading.setdefault(e.category, e.label)
    page = next((s.page for s in corpus.sections if s.key == "uebersicht"), 0)
    return [
        Chunk(
            id=f"uebersicht-{slug(cat)}",
            text=f"Übersicht Modellprojekte Smart Cities 2019–2021, {heading[cat]}: " + "; ".join(names) + ".",
            kind="overview",
            page=page,
            section="uebersicht",
            category=cat,
            position=i,
            document="broschuere",
        )
        for i, (cat, names) in enumerate(by_cat.items())
    ]


def chunk_corpus(corpus: Corpus) -> list[Chunk]:
    chunks: list[Chunk] = []
    for p in corpus.projects:
        chunks.extend(project_chunks(p))
    for s in corpus.sections:
        chunks.extend(section_chunks(s))
    chunks.extend(overview_chunks(corpus))
    return chunks


def index_text(c: Chunk) -> str:
    """The text that is embedded and BM25-indexed: the passage with its project context in front."""
    if c.project and c.kind != "header":
        return f"{c.project} ({c.size_class}, {', '.join(c.states)}): {c.text}"
    if c.kind == "section" and c.section == "einleitung":
        return f"Einleitung: {c.text}"
    if c.kind == "section" and c.section.startswith("k") and c.section[1:].isdigit():
        return f"Bewertungskriterium {c.text}"
    return c.text
