"""Two or more named projects side by side: category, Land, title, motto, and the sentences of each that
fit the question's topic (or their measures), then what they have in common.

Example::

    >>> print(answer_compare(ctx, parser.parse("Worin unterscheiden sich Guben und Linz?")).text)  # doctest: +SKIP
    Vergleich laut Broschüre: …
"""

from __future__ import annotations

from rag.answer.base import Context, finish
from rag.answer.citations import Citations, join_names, quote
from rag.types import Answer
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
        probe = q if q.content_terms else None
        hits = ctx.retriever.retrieve(
            q.retrieval_text if probe else f"{p.title} {p.motto}", k=3, filters={"project": name, "kind": "passage"}
        )
        best = ctx.evidence.best_sentences(q, hits, limit=2) if probe else []
        if best:
            block += "\n" + " ".join(
                f"{quote(s.sentence)} {cites.cite(s.hit.chunk, s.hit.score, s.sentence)}" for s in best
            )
        else:
            measures = list(p.measures)[:3]
            if measures:
                passages = [c for c in ctx.retriever.project_chunks(name) if c.kind == "passage"]
                items = []
                for x in measures:
                    chunk = next((c for c in passages if x.split(":")[0][:60] in c.text), passages[0])
                    items.append(f"- {x} {cites.cite(chunk, 1.0, x)}")
                block += "\nGeplant ist unter anderem:\n" + "\n".join(items)
            elif hits:
                best = ctx.evidence.best_sentences(q, hits, limit=2)
                block += "\n" + " ".join(
                    f"{quote(s.sentence)} {cites.cite(s.hit.chunk, s.hit.score, s.sentence)}" for s in best
                )
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
