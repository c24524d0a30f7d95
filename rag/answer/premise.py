"""Premises: questions that take something false for granted are corrected, whatever their form.

- a place of the 2019/2020 rounds treated as a 2021 project ("Warum wurde Kassel 2021 gefördert?");
- a 2021 project put into the wrong Land ("Was plant Konstanz in Bayern?").

Example::

    >>> print(answer_past(ctx, parser.parse("Was plant Kassel?")).text)   # doctest: +SKIP
    Kassel gehört nicht zu den 28 Modellprojekten der Förderrunde 2021. …
"""

from __future__ import annotations

from dataclasses import replace

from rag.answer.base import Context, finish
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
            f"der Übersicht Modellprojekte Smart Cities 2019–2021 (Kategorie {quote(e.category)}) und wurde "
            f"damit in einer früheren Staffel (2019 oder 2020) ausgewählt {m}."
        )
    return finish(q, "\n\n".join(lines), cites, "strukturiert", [])


def correct_states(ctx: Context, q: Query, answer: Answer) -> Answer:
    """Put the correction of a wrong Land in front of the answer (its citation numbered first)."""
    if not q.wrong_states or not answer.answerable or q.attributes == ("states",):
        return answer  # nothing to correct, or the answer is the Land itself ("Nein, X liegt in …")
    cites = Citations([])
    lines = []
    for name, _state in q.wrong_states:
        p = ctx.corpus.project(name)
        m = cites.cite(ctx.header[name], 1.0)
        lines.append(
            f"Richtigstellung: {name} liegt in {join_names(list(p.states))}, nicht in dem in der Frage genannten Land {m}."
        )
    # renumber the answer's own markers after the correction's
    offset = len(cites.sources)
    text = answer.text
    for s in sorted(answer.sources, key=lambda s: -s.n):
        text = text.replace(f"[{s.n}]", f"[{s.n + offset}]")
    sources = tuple(cites.sources) + tuple(replace(s, n=s.n + offset) for s in answer.sources)
    return replace(answer, text="\n".join(lines) + "\n\n" + text, sources=sources)
