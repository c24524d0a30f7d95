"""Parse the brochure text into typed records and check them against its table of contents.

The text is a PDF extraction. Structure used:

- the table of contents (``Name<TAB>page``) names the 28 projects, their category and first page;
- a project starts with its name, then ``Größenklasse • Bundesland[, Bundesland]``, then
  ``Projekttitel:`` (sometimes misspelt ``Projekttitle:``) and ``Motto:``;
- a line holding a single space marks a page break;
- general sections: ``1. Einleitung``, ``2. Bewertungskriterien`` (``K 1** …``), ``4. Übersicht …``
  (entries with ``+ partner`` lines), ``Impressum``.

Example::

    >>> corpus = parse_brochure(Path("corpus/modellprojekte-smart-cities-2021.txt").read_text())  # doctest: +SKIP
    >>> corpus.project("Guben").states, corpus.project("Guben").page  # doctest: +SKIP
    (('Brandenburg',), 31)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from rag.fields import assign_fields
from rag.german import fold
from rag.measures import extract_measures
from rag.text import clean_inline, fix_inline_hyphens, join_paragraphs, unify_line_breaks
from rag.types import CATEGORIES, Corpus, OverviewEntry, Project, Section

BROCHURE_FILE = "modellprojekte-smart-cities-2021.txt"
EXPECTED_SPLIT = {CATEGORIES[0]: 12, CATEGORIES[1]: 6, CATEGORIES[2]: 2, CATEGORIES[3]: 8}
EXPECTED_OVERVIEW = 73
BUNDESLAENDER = (
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
)
_OVERVIEW_HEADINGS = {
    "Großstädte": CATEGORIES[0],
    "Mittlere Städte": CATEGORIES[1],
    "Kleinstädte und Landgemeinden": CATEGORIES[2],
    "Interkommunale Kooperationen und Landkreise": CATEGORIES[3],
}
_TITLE = re.compile(r"^Projektti(?:tel|tle)\s*:\s*(.*)$")
_MOTTO = re.compile(r"^Motto\s*:\s*(.*)$")
_CRITERION = re.compile(r"^-\s*K\s*(\d+)\*\*\s*(.+)$")
_PAGE_BREAK = " "


class CorpusError(ValueError):
    """The brochure does not parse as expected; the message names what did not match (German)."""


@dataclass(frozen=True)
class TocEntry:
    name: str
    page: int
    category: str


def parse_toc(lines: list[str]) -> list[TocEntry]:
    """Project entries of the table of contents, with their category heading."""
    try:
        start = lines.index("Inhaltsverzeichnis")
    except ValueError as exc:
        raise CorpusError("Inhaltsverzeichnis nicht gefunden.") from exc
    entries: list[TocEntry] = []
    category = ""
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        if "\t" not in line:
            break
        name, _, page = line.rpartition("\t")
        name = name.strip()
        if name.startswith("4."):
            break
        if name in CATEGORIES:
            category = name
        elif category and not re.match(r"^\d\.", name):
            entries.append(TocEntry(name, int(page), category))
    return entries


def _paragraphs_with_pages(lines: list[str], first_page: int, last_page: int) -> list[tuple[str, int]]:
    """Paragraphs (blank-line separated) with the page each starts on, counting page-break lines."""
    paras: list[tuple[str, int]] = []
    buf: list[str] = []
    page = first_page
    buf_page = page

    def flush() -> None:
        if buf:
            paras.append(("\n".join(buf), buf_page))
            buf.clear()

    for line in lines:
        if line == _PAGE_BREAK:
            flush()
            page = min(page + 1, last_page)
            continue
        if not line.strip():
            flush()
            continue
        if not buf:
            buf_page = page
        buf.append(line)
    flush()
    return paras


def _clean_paragraphs(paras: list[tuple[str, int]], keep_headings: bool = False) -> tuple[str, tuple[int, ...]]:
    """Join broken paragraphs, strip markdown; returns text and the page of each paragraph."""
    texts = [clean_inline(fix_inline_hyphens(" ".join(p.split("\n")) if not _keeps_lines(p) else p)) for p, _ in paras]
    pages = [pg for _, pg in paras]
    joined: list[str] = []
    joined_pages: list[int] = []
    for text, page in zip(texts, pages, strict=True):
        before = len(joined)
        joined = join_paragraphs([*joined, text], keep_headings)
        if len(joined) > before:
            joined_pages.append(page)
    return "\n\n".join(joined), tuple(joined_pages)


def _keeps_lines(paragraph: str) -> bool:
    return "\n" in paragraph and all(line.lstrip().startswith(("-", "✓", "☐")) for line in paragraph.split("\n")[1:])


def _split_states(text: str) -> tuple[str, ...]:
    states = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in states if s not in BUNDESLAENDER]
    if unknown:
        raise CorpusError(f"Unbekanntes Bundesland: {', '.join(unknown)}")
    return states


def parse_projects(lines: list[str], toc: list[TocEntry], end: int) -> list[Project]:
    """Find each TOC project in the body by its name followed by a ``… • …`` line."""
    starts: list[int] = []
    for entry in toc:
        found = None
        for i in range(starts[-1] + 1 if starts else 0, end):
            if lines[i].strip() == entry.name:
                nxt = next((j for j in range(i + 1, min(i + 6, end)) if lines[j].strip()), None)
                if nxt is not None and "•" in lines[nxt]:
                    found = i
                    break
        if found is None:
            raise CorpusError(f"Projekt „{entry.name}“ aus dem Inhaltsverzeichnis nicht im Text gefunden.")
        starts.append(found)
    projects: list[Project] = []
    category_lines = set(CATEGORIES)
    for k, (entry, start) in enumerate(zip(toc, starts, strict=True)):
        stop = starts[k + 1] if k + 1 < len(starts) else end
        block = lines[start + 1 : stop]
        while block and (block[-1].strip() in category_lines or not block[-1].strip()):
            block.pop()
        size_class = states_text = title = motto = ""
        body_from = 0
        for i, line in enumerate(block):
            s = line.strip()
            if not size_class and "•" in s:
                size_class, _, states_text = (x.strip() for x in s.partition("•"))
            elif m := _TITLE.match(s):
                title = clean_inline(m.group(1))
            elif m := _MOTTO.match(s):
                motto = clean_inline(m.group(1))
                body_from = i + 1
                break
        if not (size_class and title and motto):
            raise CorpusError(f"Projekt „{entry.name}“: Größenklasse, Projekttitel oder Motto fehlt.")
        next_page = toc[k + 1].page if k + 1 < len(toc) else entry.page + 1
        raw = _paragraphs_with_pages(block[body_from:], entry.page, max(entry.page, next_page))
        text, pages = _clean_paragraphs(raw)
        measure_text, _ = _clean_paragraphs(raw, keep_headings=True)  # headings stay apart for measures
        project = Project(
            name=entry.name,
            category=entry.category,
            size_class=size_class,
            states=_split_states(states_text),
            title=title,
            motto=motto,
            text=text,
            page=entry.page,
            paragraph_pages=pages,
            measures=extract_measures(measure_text.split("\n\n")),
        )
        projects.append(replace(project, fields=assign_fields(project)))  # Handlungsfelder from the text
    return projects


def _find(lines: list[str], text: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if lines[i].strip() == text:
            return i
    raise CorpusError(f"Abschnitt „{text}“ nicht gefunden.")


def parse_sections(lines: list[str], toc_pages: dict[str, int]) -> list[Section]:
    """Einleitung, the criteria K1-K12 (one section each plus the whole list), Übersicht, Impressum."""
    intro = _find(lines, "1. Einleitung", _find(lines, "Inhaltsverzeichnis") + 3)
    criteria = _find(lines, "2. Bewertungskriterien", intro)
    projects = _find(lines, "3. Modellprojekte Smart Cities 2021", criteria)
    overview = _find(lines, "4. Übersicht Modellprojekte Smart Cities 2019-2021", projects)
    impressum = _find(lines, "Impressum", overview)
    sections: list[Section] = []
    text, _ = _clean_paragraphs(_paragraphs_with_pages(lines[intro + 1 : criteria], 0, 0))
    sections.append(Section("einleitung", "Einleitung", _merge_headings(text), toc_pages["Einleitung"]))

    group = ""
    crit_page = toc_pages["Bewertungskriterien"]
    overview_lines: list[str] = []
    for raw in lines[criteria + 1 : projects]:
        s = raw.strip()
        if not s:
            continue
        if m := _CRITERION.match(s):
            num, name = int(m.group(1)), clean_inline(m.group(2))
            sections.append(Section(f"k{num}", f"K{num} {name}", f"K{num} ({group}): {name}", crit_page, group))
            overview_lines.append(f"- K{num}: {name}")
        else:
            group = clean_inline(s)
            overview_lines.append(f"\n{group}")
    crit_count = sum(1 for s in sections if s.key.startswith("k"))
    if crit_count != 12:
        raise CorpusError(f"Erwartet 12 Bewertungskriterien (K1–K12), gefunden {crit_count}.")
    sections.append(Section("bewertungskriterien", "Bewertungskriterien", "\n".join(overview_lines).strip(), crit_page))
    text, _ = _clean_paragraphs(_paragraphs_with_pages(lines[overview + 1 : impressum], 0, 0))
    sections.append(
        Section("uebersicht", "Übersicht Modellprojekte Smart Cities 2019–2021", text, toc_pages["Übersicht"])
    )
    text = _label_value_paragraphs(lines[impressum + 1 :])
    sections.append(Section("impressum", "Impressum", text, 0))
    return sections


def _merge_headings(text: str) -> str:
    """Prefix a short heading paragraph to the paragraph it introduces ("Förderziele: Mit den …")."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    out: list[str] = []
    pending = ""
    for p in paras:
        if len(p) <= 80 and not p.rstrip().endswith((".", ":", "!", "?")) and not p.startswith(("- ", "1.")):
            pending = f"{pending} – {p}" if pending else p
            continue
        out.append(f"{pending}: {p}" if pending else p)
        pending = ""
    if pending:
        out.append(pending)
    return "\n\n".join(out)


def _label_value_paragraphs(lines: list[str]) -> str:
    """Impressum style: a one-word heading paragraph followed by its value ("Gestaltung: ORCA …")."""
    paras = [p for p, _ in _paragraphs_with_pages(lines, 0, 0)]
    out: list[str] = []
    i = 0
    while i < len(paras):
        head = paras[i].strip()
        if "\n" not in head and len(head) <= 25 and not head.endswith((".", ":")) and i + 1 < len(paras):
            value = ", ".join(clean_inline(x) for x in paras[i + 1].split("\n") if x.strip())
            out.append(f"{head}: {value}")
            i += 2
        else:
            out.append(clean_inline(" ".join(paras[i].split("\n"))))
            i += 1
    return "\n\n".join(out)


def _same_entity(overview_name: str, project_name: str) -> bool:
    def core(name: str) -> str:
        return re.sub(r"^(landkreis|kreis|gemeinde|stadt)\s+", "", fold(name))

    return core(overview_name) == core(project_name)


def parse_overview(lines: list[str], projects: list[Project]) -> list[OverviewEntry]:
    """The Übersicht 2019-2021: entries per category heading, ``+ …`` lines are partners."""
    start = _find(
        lines, "4. Übersicht Modellprojekte Smart Cities 2019-2021", _find(lines, "3. Modellprojekte Smart Cities 2021")
    )
    raw: list[tuple[str, str, str, list[str]]] = []
    category = printed = ""
    for line in lines[start + 1 :]:
        s = line.strip()
        if not s:
            continue
        heading = re.sub(r"^[■●▲★]\s*", "", s).rstrip(":")
        if heading in _OVERVIEW_HEADINGS and s != heading:
            category, printed = _OVERVIEW_HEADINGS[heading], heading
            continue
        if s.startswith("—") or s.startswith("Mehr Informationen"):
            break
        if not category:
            continue
        if s.startswith("+"):
            if not raw:
                raise CorpusError(f"Partnerzeile „{s}“ ohne Eintrag darüber.")
            raw[-1][3].append(s.lstrip("+ ").strip())
        else:
            raw.append((s, category, printed, []))
    entries = []
    for name, cat, heading, partners in raw:
        match = next((p.name for p in projects if _same_entity(name, p.name)), "")
        entries.append(OverviewEntry(name, cat, tuple(partners), bool(match), match, heading))
    if len(entries) != EXPECTED_OVERVIEW:
        raise CorpusError(f"Übersicht: erwartet {EXPECTED_OVERVIEW} Einträge, gefunden {len(entries)}.")
    matched = {e.project for e in entries if e.project}
    missing = [p.name for p in projects if p.name not in matched]
    if missing:
        raise CorpusError(f"Übersicht: 2021-Projekte fehlen: {', '.join(missing)}")
    return entries


def validate(projects: list[Project], toc: list[TocEntry]) -> None:
    """Check the records against the table of contents; raise CorpusError naming any mismatch."""
    problems = []
    if len(projects) != 28:
        problems.append(f"erwartet 28 Projekte, gefunden {len(projects)}")
    for cat, n in EXPECTED_SPLIT.items():
        got = sum(1 for p in projects if p.category == cat)
        if got != n:
            problems.append(f"{cat}: erwartet {n}, gefunden {got}")
    for p, t in zip(projects, toc, strict=False):
        if (p.name, p.page) != (t.name, t.page):
            problems.append(f"{p.name} S. {p.page} passt nicht zu {t.name} S. {t.page}")
        if not p.text.strip():
            problems.append(f"{p.name}: kein Text")
    if problems:
        raise CorpusError("Broschüre passt nicht zum Inhaltsverzeichnis: " + "; ".join(problems))


def parse_brochure(text: str) -> Corpus:
    """Parse the whole brochure; raises CorpusError (German message) when anything does not match."""
    lines = text.replace("\r\n", "\n").split("\n")
    toc = parse_toc(lines)
    toc_pages: dict[str, int] = {}
    for line in lines[lines.index("Inhaltsverzeichnis") + 1 :]:
        if "\t" in line:
            name, _, page = line.rpartition("\t")
            key = re.sub(r"^\d\.\s*", "", name.strip())
            key = "Übersicht" if key.startswith("Übersicht") else key
            toc_pages.setdefault(key, int(page))
        elif line.strip() and toc_pages.get("Übersicht"):
            break
    end = _find(
        lines, "4. Übersicht Modellprojekte Smart Cities 2019-2021", _find(lines, "3. Modellprojekte Smart Cities 2021")
    )
    projects = parse_projects(lines, toc, end)
    validate(projects, toc)
    sections = parse_sections(lines, toc_pages)
    overview = parse_overview(lines, projects)
    year = next((m.group(1) for x in lines if (m := re.fullmatch(r"\d\.\s*Modellprojekte Smart Cities (20\d\d)", x.strip()))), "")
    return Corpus(tuple(projects), tuple(sections), tuple(overview), BROCHURE_FILE, year)


def load_corpus(corpus_dir: Path) -> Corpus:
    path = corpus_dir / BROCHURE_FILE
    try:
        text = unify_line_breaks(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorpusError(f"Broschüre nicht lesbar: {path} ({exc.strerror or exc}).") from exc
    return parse_brochure(text)
