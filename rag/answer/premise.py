"""Premises: questions that take something false for granted are corrected, whatever their form.

- a place of the 2019/2020 rounds treated as a 2021 project ("Warum wurde Kassel 2021 gefördert?");
- a 2021 project put into the wrong Land ("Was plant Konstanz in Bayern?") or the wrong category ("Welche
  Projekte hat die Großstadt Einbeck?").

Example::

    >>> print(answer_past(ctx, parser.parse("Was plant Kassel?")).text)   # doctest: +SKIP
    Kassel gehört nicht zu den 28 Modellprojekten der Förderrunde 2021. …
"""

from __future__ import annotations

from dataclasses import replace

from rag.answer.base import Context, finish, renumber
from rag.answer.citations import Citations, join_names, quote
from rag.types import Answer
from rag.understand import Query


def answer_past(ctx: Context, q: Query) -> Answer:
    cites = Citations([])
    total = len(ctx.corpus.projects)
    lines = []
    for name in q.past_entities:
        e = next(e for e in ctx.corpus.overview if e.name == name)
        c = ctx.overview_chunk.get(e.category)
        m = cites.cite(c, 1.0) if c else ""
        partners = f", gemeinsam mit {join_names(list(e.partners))}," if e.partners else ""
        lines.append(
            f"{name} gehört nicht zu den {total} Modellprojekten der Förderrunde 2021. {name} steht aber{partners} in "
            f"der Übersicht Modellprojekte Smart Cities 2019–2021 (Kategorie {quote(e.label)}) und wurde "
            f"damit in einer früheren Staffel (2019 oder 2020) ausgewählt {m}."
        )
    return finish(q, "\n\n".join(lines), cites, "strukturiert", [])


def correct_premises(ctx: Context, q: Query, answer: Answer) -> Answer:
    """Put the correction of a wrong Land or a wrong category in front of the answer (its citations numbered
    first): "Was plant Konstanz in Bayern?", "Welche Projekte hat die Großstadt Einbeck?"."""
    wrong_states = q.wrong_states if q.attributes != ("states",) else ()  # else the answer is the Land ("Nein, …")
    wrong_classes = q.wrong_classes if "size_class" not in q.attributes else ()
    if not (wrong_states or wrong_classes) or not answer.answerable:
        return answer
    cites = Citations([])
    lines = []
    for name in dict.fromkeys(n for n, _ in wrong_states):  # one line per project, however many Länder were named
        p = ctx.corpus.project(name)
        m = cites.cite(ctx.header[name], 1.0)
        lines.append(
            f"Richtigstellung: {name} liegt in {join_names(list(p.states))}, nicht in dem in der Frage genannten Land {m}."
        )
    for name, named in dict.fromkeys(wrong_classes):
        p = ctx.corpus.project(name)
        m = cites.cite(ctx.header[name], 1.0)
        lines.append(
            f"Richtigstellung: {name} gehört nicht zu {quote(named)}, sondern zur Kategorie {quote(p.category)}, "
            f"Größenklasse {quote(p.size_class)} {m}."
        )
    # renumber the answer's own markers after the correction's; a source the correction cites keeps its number
    sources = list(cites.sources)
    number: dict[int, int] = {}
    for s in sorted(answer.sources, key=lambda s: s.n):
        same = next((c for c in cites.sources if c.chunk_id == s.chunk_id and c.snippet == s.snippet), None)
        if same is None:
            sources.append(replace(s, n=len(sources) + 1))
        number[s.n] = same.n if same is not None else len(sources)
    return replace(answer, text="\n".join(lines) + "\n\n" + renumber(answer.text, number), sources=tuple(sources))
