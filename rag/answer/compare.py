"""Two or more named projects side by side: category, Land, title, motto, and the sentences of each that
fit the question's topic (or their measures), then what they have in common.

Example::

    >>> print(answer_compare(ctx, parser.parse("Worin unterscheiden sich Guben und Linz?")).text)  # doctest: +SKIP
    Vergleich laut Broschüre: …
"""

from __future__ import annotations

import re

from rag.answer.base import Context, finish, passage_hits, topic_words
from rag.answer.citations import Citations, join_names, quote
from rag.answer.evidence import quotes
from rag.answer.lookup import measure_lines, related_measures
from rag.german import terms
from rag.types import Answer, Hit, Project
from rag.understand import Query, name_forms

TOPIC_LEXICAL = 0.5  # a sentence carries the compared topic with this share of the question's content …
TOPIC_COSINE = 0.88  # … or this semantic closeness


def answer_compare(ctx: Context, q: Query) -> Answer:
    if q.content_terms and not q.attributes:  # "Vergleiche die Mottos …" compares the records
        return _compare_on_topic(ctx, q)
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
    text = "Vergleich laut Broschüre:\n\n" + "\n\n".join(blocks) + _links(ctx, q, cites) + _common_and_different(ctx, q)
    return finish(q, text, cites, "strukturiert", q.projects)


MAX_LINKS = 3


def _links(ctx: Context, q: Query, cites: Citations) -> str:
    """Where one compared project's text names another ("… eng abgestimmt mit den Städten Hannover, Oldenburg …"
    in Einbeck's text): a link between them, quoted; "" when none names another."""
    found: list[str] = []
    forms = {p.name: name_forms(p.name) for p in ctx.corpus.projects}
    # the forms that name one project only ("Rhein" is part of two names), as a name, not a noun after an article
    # ("eine Halle" is no Halle (Saale))
    article = "".join(f"(?<!{a} )" for a in ("ein", "eine", "die", "der", "den", "dem", "des"))
    own = {
        o: [f for f in forms[o] if not any(f in forms[x] for x in forms if x != o)] or [o] for o in q.projects
    }
    for name in q.projects:
        others = {o: re.compile(article + r"\b(" + "|".join(map(re.escape, own[o])) + r")(?![\w-])") for o in q.projects if o != name}
        for c in ctx.retriever.project_chunks(name):
            if c.kind != "passage":
                continue
            for unit, _ in quotes(c.text):
                named = [o for o, rx in others.items() if rx.search(unit)]
                if named and len(found) < MAX_LINKS:
                    found.append(f"- {name} nennt {join_names(named)}: {quote(unit)} {cites.cite(c, 1.0, unit)}")
    return "\n\nVerbindung laut Broschüre:\n" + "\n".join(found) if found else ""



def _compare_on_topic(ctx: Context, q: Query) -> Answer:
    """ "Wie gehen X und Y jeweils das Thema Mobilität an?": per project, the sentences on the topic, or that
    the brochure names none; then what the projects have in common."""
    cites = Citations([])
    blocks = []
    topic = topic_words(q)
    for name in q.projects:
        p = ctx.corpus.project(name)
        m = cites.cite(ctx.header[name], 1.0)
        block = f"**{name}** ({p.size_class}, {', '.join(p.states)}, S. {p.page}) {m}"
        hits = passage_hits(ctx, name)
        candidates = ctx.evidence.best_sentences(q, hits, limit=3, per_chunk=2, min_share=0.6)
        best = [s for s in candidates if s.lexical >= TOPIC_LEXICAL or s.cosine >= TOPIC_COSINE]
        # a sentence in the question's own words counts, even when it lacks a modifier ("autonome Mobilität")
        best = best or [s for s in candidates if ctx.evidence.names_directly(q, s.sentence)][:2]
        if best:
            block += ":\n" + "\n".join(f"- {quote(s.sentence)} {cites.cite(s.hit.chunk, 1.0, s.sentence)}" for s in best)
            # … and the project's own measures on the topic (its named building blocks: "Dorfhub", "Pick-up-Point")
            quoted = " ".join(s.sentence for s in best)
            extra = related_measures(ctx, q, name, exclude=quoted, most=3)
            if extra:
                block += "\nDazu geplant:\n" + "\n".join(measure_lines(ctx, cites, name, extra))
        else:
            block += f": Zum Stichwort {quote(topic)} nennt die Broschüre bei {name} nichts Ausdrückliches."
            if p.measures:
                block += " Geplant ist vor allem:\n" + "\n".join(measure_lines(ctx, cites, name, list(p.measures)[:2]))
        blocks.append(block)
    text = (
        f"Vergleich zum Stichwort {quote(topic)} laut Broschüre:\n\n"
        + "\n\n".join(blocks)
        + _links(ctx, q, cites)
        + _common_and_different(ctx, q)
    )
    return finish(q, text, cites, "extraktiv", q.projects)


def _common_and_different(ctx: Context, q: Query) -> str:
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
    fields = [set(p.fields) for p in ps]
    shared_fields = sorted(set.intersection(*fields)) if fields else []
    if shared_fields:
        common.append("gemeinsame Handlungsfelder (vom Assistenten zugeordnet): " + ", ".join(shared_fields))
    only = [
        f"nur {p.name}: {', '.join(sorted(f - set(shared_fields)))}"
        for p, f in zip(ps, fields, strict=True)
        if f - set(shared_fields)
    ]
    if only:
        differ.append("Handlungsfelder " + "; ".join(only))
    themes = shared_themes(ctx, ps)
    if themes:
        common.append("Themen, die nur wenige Projekte nennen, bei beiden: " + ", ".join(themes))
    text = ""
    if differ:
        text += "\n\nUnterschiede: " + " – ".join(differ) + "."
    if common:
        text += "\n\nGemeinsam: " + "; ".join(common) + "."
    return text


MAX_SHARED_SHARE = 0.15  # a shared word counts as a common theme when at most this share of projects use it


def shared_themes(ctx: Context, ps: list[Project], most: int = 5) -> list[str]:
    """Words that all of the projects use but few others do (e.g. "polnischen", "Grenzregion"), as written in
    the first project's text, rarest first."""
    ev = ctx.evidence
    per_project = [set(ev.sentence_terms(" ".join(p.paragraphs) or p.text)) for p in ps]
    shared = set.intersection(*per_project) if per_project else set()
    names = {t for p in ps for t in terms(f"{p.name} {' '.join(p.states)}")}
    rare = [t for t in shared if len(t) >= 5 and t not in names and ev.project_share(t) <= MAX_SHARED_SHARE]
    surface: dict[str, str] = {}
    # nouns (capitalised inside a sentence) and adjectives of origin ("polnischen"), not verbs or adverbs
    words = re.findall(r"(?<=[a-zäöüß,] )[A-ZÄÖÜ][\wäöüß-]{4,}|\b[a-zäöüß]{3,}isch(?:e|en|er|es)?\b", ps[0].text)
    for word in (w for w in words if not w.endswith("-")):
        for t in terms(word):
            if t in rare:
                surface.setdefault(t, word)
    ranked = sorted((t for t in rare if t in surface), key=lambda t: (ev.project_share(t), t))
    return list(dict.fromkeys(surface[t] for t in ranked))[:most]
