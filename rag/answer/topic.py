"""Topic answers: "Welche Projekte machen X?", "Wer plant Y?", "Wo gibt es Z?".

Every project is scored on all of its sentences (``Evidence.rank_projects``: content terms with compounds
and thesaurus expansions, plus sentence embeddings), blended with how well its passages as a whole match the
question's words (BM25, ``Evidence.passage_scores``). Every project whose best sentence is close enough is
named — not just the top few — and the best ones are quoted, each with the sentence that supports it.

Example::

    >>> print(answer_topic(ctx, parser.parse("Welche Projekte planen einen digitalen Zwilling?"), {}).text)  # doctest: +SKIP
    Dazu passen laut Broschüre 3 Projekte: Hannover, Kempten (Allgäu) und Wuppertal. …
"""

from __future__ import annotations

from typing import Any

from rag.answer.base import Context, finish, passage_hits
from rag.answer.citations import Citations, join_names, quote
from rag.answer.evidence import Scored, owner
from rag.types import Answer
from rag.understand import Query

# Fitted on the topic questions of the splits whose failures have been read (dev, test, blind … blind5) by
# ``python -m bench.calibrate_topic`` (grid search for the mean F1 of the named projects plus half the share of
# questions with at least one right project; results in bench/results/topic_calibration.md)
MIN_LEXICAL = 0.3  # share of the question's content weight a sentence must contain …
MIN_COSINE = 0.85  # … or this close must it be semantically
RELATIVE = 0.8  # and its score must reach this share of the best project's …
# A topic within a selection ("Welche Großstädte planen X?") replaces the selection itself: its sentences must
# qualify by the stricter gate of before (the whole selection is the better answer when only weak evidence narrows
# it); what qualifies is named from 0.6 of the best, as before
SELECTION_GATE = (0.45, 0.875, 0.6)  # (MIN_LEXICAL, MIN_COSINE, RELATIVE)
STRONG_LEXICAL = 0.5  # … unless its sentence carries this share of the question's content
# share of a project's score that comes from its passages as a whole (BM25, scaled to the best sentence's score):
# a project that says the thing in several passages overtakes one with a single lucky sentence
PASSAGES = 0.2
# "Gibt es ein Projekt, das …?": further projects are named only this close to the best one
EXISTS_RELATIVE = 0.9
MAX_NAMED = 28  # every project that fits is named; only MAX_QUOTED of them with a quote
MAX_QUOTED = 8


def gate(strict: bool = False) -> tuple[float, float, float]:
    """(MIN_LEXICAL, MIN_COSINE, RELATIVE) of a plain topic question, or of one that narrows a selection."""
    return SELECTION_GATE if strict else (MIN_LEXICAL, MIN_COSINE, RELATIVE)


def qualifies(s: Scored, strict: bool = False) -> bool:
    """Does a project's best sentence carry the question? Within a selection closeness alone is not enough: a
    sentence that shares none of the question's content does not narrow "die Projekte in Rheinland-Pfalz"."""
    min_lexical, min_cosine, _ = gate(strict)
    return s.lexical >= min_lexical or (s.cosine >= min_cosine and (s.lexical > 0 or not strict))


def blended(ranked: list[Scored], passages: dict[str, float], weight: float = PASSAGES) -> list[tuple[float, Scored]]:
    """``ranked`` (best sentence first) as (score to rank and name by, sentence), best first: each sentence's score
    blended with its project's ``passages`` score (0..1, taken on the scale of the best sentence). The sentence
    keeps its own score for the citation.

    >>> from rag.types import Chunk, Hit
    >>> a, b = (Scored(Hit(Chunk(n, "", "passage", project=n), 0.0), "", sc, 0.5, 0.8) for n, sc in (("A", 0.8), ("B", 0.75)))
    >>> [(s.hit.chunk.project, round(v, 2), s.score) for v, s in blended([a, b], {"A": 0.0, "B": 1.0})]
    [('B', 0.76, 0.75), ('A', 0.64, 0.8)]
    """
    if not ranked:
        return []
    top = ranked[0].score
    mixed = [((1 - weight) * s.score + weight * passages.get(owner(s.hit.chunk), 0.0) * top, s) for s in ranked]
    return sorted(mixed, key=lambda x: -x[0])


def answer_topic(ctx: Context, q: Query, filters: dict[str, Any], strict: bool = False) -> Answer | None:
    """The projects that do what the question asks, or None when no project clearly does; ``strict`` for a
    topic that would narrow a selection."""
    f = dict(filters)
    if len(q.categories) == 1:
        f.setdefault("category", q.categories[0])
    if len(q.states) == 1:
        f.setdefault("state", q.states[0])
    narrowed = bool(q.categories or q.states or q.size_classes or filters)
    within = {p.name for p in ctx.select(q.categories, q.states, q.size_classes, filters)}
    ranked = [
        s
        for s in ctx.evidence.rank_projects(q, f)
        if qualifies(s, strict) and (s.hit.chunk.project in within or (not narrowed and s.hit.chunk.kind == "document"))
    ]
    if not ranked or (ctx.evidence.off_topic(q) and ranked[0].lexical < 0.5):
        # nothing fits, or the question is mostly about things the brochure never mentions and no sentence
        # carries the rest well (paraphrases such as "unbemanntes Fluggerät" still reach a fitting project)
        return None
    mixed = blended(ranked, ctx.evidence.passage_scores(q, f))
    best, first = mixed[0]
    # a project whose sentence carries most of the question's content in its own words is named, however it
    # ranks; one that only has a relative of them ("Kultur" for "Welterbe") must rank close to the best
    relative = max(gate(strict)[2], EXISTS_RELATIVE) if q.exists_one else gate(strict)[2]
    # … and when the best sentence shares words with the question, one that shares none is only close in meaning: on
    # the read splits 3 of 47 such projects were right
    lexical = first.lexical > 0
    chosen = [
        s
        for v, s in mixed
        if (v >= relative * best and (s.lexical > 0 or not lexical or s is first))
        or (s.lexical >= STRONG_LEXICAL and ctx.evidence.names_directly(q, s.sentence))
    ]
    if q.singular:
        chosen = chosen[:1]
    cut = len(chosen) > MAX_NAMED
    chosen = chosen[:MAX_NAMED]
    names = [owner(s.hit.chunk) for s in chosen]
    cites = Citations([])
    blocks = []
    for s in chosen[:MAX_QUOTED]:
        c = s.hit.chunk
        where = f", S. {c.page}" if c.page else ""
        said = [s]
        if len(chosen) == 1 and c.project:
            # one project fits: its further sentences on the question, as an open answer about it would quote them
            # ("… und wie heißt das?": the sentence that names it need not be the one that fits best)
            own = passage_hits(ctx, c.project)
            said += [x for x in ctx.evidence.best_sentences(q, own, limit=3, min_share=0.7) if x.sentence != s.sentence][:2]
        quoted = " ".join(f"{quote(x.sentence)} {cites.cite(x.hit.chunk, x.score, x.sentence)}" for x in said)
        blocks.append(f"**{owner(c)}**{where}: {quoted}")
    if len(names) == 1:
        lead = f"Dazu passt laut Broschüre vor allem {names[0]}."
    else:
        lead = f"Dazu passen laut Broschüre {'u. a. ' if cut else ''}{len(names)} Projekte: {join_names(names)}."
    rest = names[MAX_QUOTED:]
    tail = f"\n\nEbenfalls genannt: {join_names(rest)}." if rest else ""
    projects = [n for n in names if any(p.name == n for p in ctx.corpus.projects)]
    return finish(q, lead + "\n\n" + "\n\n".join(blocks) + tail, cites, "extraktiv", projects)
