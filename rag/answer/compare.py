"""Two or more named projects side by side: category, Land, title, motto, and the sentences of each that
fit the question's topic (or their measures), then what they have in common.

Example::

    >>> print(answer_compare(ctx, parser.parse("Worin unterscheiden sich Guben und Linz?")).text)  # doctest: +SKIP
    Vergleich laut Broschüre: …
"""

from __future__ import annotations

from rag.answer.base import Context, finish
from rag.answer.citations import Citations, join_names, quote
from rag.answer.lookup import measure_lines, related_measures
from rag.types import Answer, Hit
from rag.understand import Query


def answer_compare(ctx: Context, q: Query) -> Answer:
    cites = Citations([])
    blocks = []
    for name in q.projects:
        p = ctx.corpus.project(name)
        m = cites.cite(ctx.header[name], 1.0)
        block = (
            f"**{name}** – {p.category} ({p.size_class}), {', '.join(p.states)}, S. {p.page} {m}\n"
            f"Projekttitel {quote(p.title)}; Motto {quote(p.motto)}."
        )
        # the topic the question compares on, if the project's text carries it …
        passages = [c for c in ctx.retriever.project_chunks(name) if c.kind == "passage"]
        hits = [Hit(c, 0.0) for c in passages]
        best = [s for s in ctx.evidence.best_sentences(q, hits, limit=2) if s.lexical >= 0.5] if q.content_terms else []
        if best:
            block += "\n" + " ".join(f"{quote(s.sentence)} {cites.cite(s.hit.chunk, 1.0, s.sentence)}" for s in best)
        # … and what the project plans: its measures, those touching the topic first
        measures = (related_measures(ctx, q, name, most=3) if q.content_terms else []) or list(p.measures)[:3]
        if measures:
            block += "\nGeplant ist unter anderem:\n" + "\n".join(measure_lines(ctx, cites, name, measures))
        blocks.append(block)
    ps = [ctx.corpus.project(n) for n in q.projects]
    common, differ = [], []
    if len({p.category for p in ps}) == 1:
        common.append(
            f"beide gehören zur Kategorie {quote(ps[0].category)}"
            if len(ps) == 2
            else f"alle gehören zur Kategorie {quote(ps[0].category)}"
        )
    else:
        differ.append("Kategorie: " + "; ".join(f"{p.name} {p.category} ({p.size_class})" for p in ps))
    shared_states = set(ps[0].states).intersection(*[set(p.states) for p in ps[1:]])
    if shared_states:
        common.append(f"{'beide' if len(ps) == 2 else 'alle'} liegen in {join_names(sorted(shared_states))}")
    else:
        differ.append("Bundesland: " + "; ".join(f"{p.name} {', '.join(p.states)}" for p in ps))
    text = "Vergleich laut Broschüre:\n\n" + "\n\n".join(blocks)
    if differ:
        text += "\n\nUnterschiede: " + " – ".join(differ) + "."
    if common:
        text += "\n\nGemeinsam: " + "; ".join(common) + "."
    return finish(q, text, cites, "strukturiert", q.projects)
