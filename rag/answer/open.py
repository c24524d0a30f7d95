"""Open questions: the best whole sentences of the best passages, grouped by project or section.

Used for everything that is neither a record lookup nor a list of projects: "Was ist das Leitthema?",
"Wie will Einbeck den Leerstand bekämpfen?", "Wer hat die Broschüre herausgegeben?". When no passage
carries the question's content, it returns None and the caller abstains.

Example::

    >>> print(answer_open(ctx, parser.parse("Was ist das Leitthema 2021?"), {}).text)   # doctest: +SKIP
    Laut der Broschüre: …
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rag.answer.base import Context, finish, passage_hits
from rag.answer.citations import Citations, chunk_label, quote
from rag.answer.evidence import Scored, continuation, headed_paragraph, states_number, whole_list
from rag.answer.lookup import measure_lines, related_measures
from rag.answer.topic import EXISTS_RELATIVE
from rag.german import fold, terms
from rag.types import Answer, Hit
from rag.understand import Query

DENSE_SUPPORT = 0.84  # passage cosine above which a passage counts as an answer without shared terms
# Calibrated on dev (python -m rag.evaluation.calibrate): the best sentence must carry this share of the
# question's content, or be this close semantically, for an open question to be answered
MIN_LEXICAL = 0.05  # dev: 15 open questions, all answerable -> accuracy 1.0 only below 0.06
MIN_COSINE = 0.86
ONE_PROJECT_LEXICAL, ONE_PROJECT_COSINE = 0.25, 0.83  # within one named project: part of the content, and close


def search_filters(q: Query, filters: dict[str, Any] | None = None) -> dict[str, Any]:
    """Retrieval filters implied by the question (named projects, one category/state, a section)."""
    f = dict(filters or {})
    if q.projects:
        f["project"] = list(q.projects)
    if len(q.categories) == 1 and not f.get("category"):
        f["category"] = q.categories[0]
    if len(q.states) == 1 and not f.get("state") and not q.projects:
        f["state"] = q.states[0]
    if q.wants_criteria:
        f["kind"] = "section"
    if q.about_brochure:
        f["section"] = "impressum"
    elif q.about_programme and not q.wants_criteria and not q.overview:
        f["section"] = "einleitung"
    return f


def candidates(ctx: Context, q: Query, f: dict[str, Any], k: int = 8) -> list[Hit]:
    """Hybrid hits, the best lexical ones, and passages holding a very close sentence."""
    hits = ctx.retriever.retrieve(q.retrieval_text, k=k, filters=f)
    seen = {h.chunk.id for h in hits}
    hits += [h for h in ctx.retriever.retrieve(q.retrieval_text, k=4, filters=f, mode="bm25") if h.chunk.id not in seen]
    seen = {h.chunk.id for h in hits}
    for cid in ctx.retriever.sentence_chunks(q.retrieval_text, k=3, filters=f):
        if cid not in seen:
            hits.append(Hit(ctx.retriever.by_id[cid], 0.0))
            seen.add(cid)
    return [h for h in hits if h.chunk.kind != "header"] or hits


def supported(ctx: Context, q: Query, hits: list[Hit]) -> bool:
    if not hits:
        return False
    if ctx.evidence.shares_content(q, hits):
        return True
    return max(h.dense_score for h in hits) >= DENSE_SUPPORT


def strong(chosen: list[Scored]) -> bool:
    return any(s.lexical >= MIN_LEXICAL or s.cosine >= MIN_COSINE for s in chosen)


def carries(ctx: Context, q: Query, s: Scored) -> bool:
    """Does a sentence of the one project asked about answer the question: most of its content, very close in
    meaning, or part of its content in the question's own words or their synonyms and close in meaning ("Wer gewinnt
    den Wettbewerb?" – "Sieger ist die Duborg Skolen.")?"""
    if s.lexical >= 0.5 or s.cosine >= MIN_COSINE:
        return True
    return s.lexical >= ONE_PROJECT_LEXICAL and s.cosine >= ONE_PROJECT_COSINE and ctx.evidence.names_directly(q, s.sentence)


def answer_open(ctx: Context, q: Query, filters: dict[str, Any]) -> Answer | None:
    f = search_filters(q, filters)
    hits = candidates(ctx, q, f)
    if not f.get("section") and not supported(ctx, q, hits):
        return None
    if q.asks_for_project and not f.get("section"):
        hits = [h for h in hits if h.chunk.project or h.chunk.kind == "document"] or hits
    limit = 1 if q.singular else 4
    min_share = 0.55
    if f.get("section") == "impressum":  # short "Herausgeber: …" lines: the question may ask for several
        limit, min_share = 6, 0.3
    chosen = ctx.evidence.best_sentences(
        q, hits, limit=limit, per_project=3 if limit < 6 else 6, per_chunk=2 if limit < 6 else 6, min_share=min_share
    )
    if not chosen or (not strong(chosen) and not f.get("section")):
        return None
    # declined only when nothing fits even weakly, the unknown nouns counted as not covered: an unknown noun
    # alone is no reason ("Kleinbus" ~ "Shuttle"), a question mostly about unknown things is ("Frankreich")
    share = ctx.evidence.known_share(q)
    fits_at_all = any(s.lexical * share >= 0.4 or s.cosine >= DENSE_SUPPORT for s in chosen)
    if not f.get("section") and ctx.evidence.off_topic(q) and not fits_at_all:
        return None  # the question is about something the brochure never mentions, and nothing fits well
    if len(q.projects) == 1 and not any(carries(ctx, q, s) for s in chosen):
        return None  # about one project, but its text does not carry the question: the caller shows its plans
    if q.wants_number and not any(states_number(s.sentence, q.content_terms) and s.lexical >= 0.5 for s in chosen):
        return None
    if q.exists_one and not q.projects:  # "Gibt es ein Projekt, das …?": the best, and only what fits about as well
        chosen = [s for s in chosen if s.score >= EXISTS_RELATIVE * chosen[0].score]
    if q.wants_number:  # "Wie viele Leute wohnen in X?": the sentences that state a number, not the rest
        chosen = [s for s in chosen if states_number(s.sentence, q.content_terms)]
    cites = Citations([])
    groups: dict[str, list[str]] = {}
    pages: dict[str, int] = {}
    quoted = " ".join(s.sentence for s in chosen)
    asked_nouns = tuple(t for t in q.content_terms if t in q.nouns) or q.content_terms  # "Was bedeutet das Leitthema?"
    for s in chosen:
        key = chunk_label(s.hit.chunk)
        sentence = s.sentence
        more = continuation(s.hit.chunk.text, sentence) if len(q.projects) == 1 else ""
        if more and more not in quoted:  # "… Quartierslabore definiert." + "In … werden dafür …"
            sentence, quoted = f"{sentence} {more}", f"{quoted} {more}"
        if steps := whole_list(s.hit.chunk.text, sentence):  # "3. Auswahl durch die Jury": the whole procedure
            if steps in quoted:
                continue
            sentence, quoted = steps, f"{quoted} {steps}"
        # … the section's own name is where to look, not what is asked ("Welche Förderziele nennt die Einleitung?")
        elif not q.projects and (
            para := headed_paragraph(s.hit.chunk.text, sentence, tuple(t for t in asked_nouns if t not in terms(s.hit.chunk.section)))
        ):
            if para in quoted:  # "Was sind die Förderziele?": the paragraph under that heading, not its first sentence
                continue
            sentence, quoted = para, f"{quoted} {para}"
        groups.setdefault(key, []).append(f"{quote(sentence)} {cites.cite(s.hit.chunk, s.hit.score, s.sentence)}")
        pages.setdefault(key, s.hit.chunk.page)
    parts = [
        f"**{key}**" + (f", S. {pages[key]}" if pages[key] else "") + ": " + " ".join(v) for key, v in groups.items()
    ]
    projects = [k for k in groups if any(p.name == k for p in ctx.corpus.projects)]
    if len(q.projects) == 1:  # "Wie will X …?": the project's own measures that touch the question
        quoted = " ".join(s.sentence for s in chosen)
        extra = related_measures(ctx, q, q.projects[0], exclude=quoted)
        if extra:
            lines = measure_lines(ctx, cites, q.projects[0], extra)
            parts.append(f"Dazu plant {q.projects[0]} unter anderem:\n" + "\n".join(lines))
    return finish(q, "Laut der Broschüre:\n\n" + "\n\n".join(parts), cites, "extraktiv", projects)


NEAREST_LEXICAL = 0.5  # a declined question still shows passages that carry this share of its content …
NEAREST_COSINE = 0.82  # … and are this close semantically


def nearest(ctx: Context, q: Query, filters: dict[str, Any], declined: Answer) -> Answer:
    """A decline that still shows the two closest passages, clearly as such, when the question's words are in
    the brochure but no passage answers it ("Was macht X gegen Y?" where X never names Y). The answer stays a
    decline (``answerable`` False); a question about things the brochure never mentions shows nothing."""
    if ctx.evidence.off_topic(q) or not q.content_terms:
        return declined
    f = search_filters(q, filters)
    chosen = ctx.evidence.best_sentences(q, candidates(ctx, q, f), limit=2, per_project=1, min_share=0.7)
    chosen = [s for s in chosen if s.lexical >= NEAREST_LEXICAL and s.cosine >= NEAREST_COSINE]
    if not chosen:
        return declined
    cites = Citations([])
    lines = [
        f"- **{chunk_label(s.hit.chunk)}**" + (f", S. {s.hit.chunk.page}" if s.hit.chunk.page else "")
        + f": {quote(s.sentence)} {cites.cite(s.hit.chunk, s.hit.score, s.sentence)}"
        for s in chosen
    ]
    text = (
        declined.text + "\n\nAm nächsten kommen diese Stellen (sie beantworten die Frage nicht unmittelbar):\n"
        + "\n".join(lines)
    )
    return replace(declined, text=text, sources=tuple(cites.sources))


TARGET_YEAR = r"\b(bis|ab|im jahr|in|zum|spatestens)\s+(20[2-9]\d)\b"


def target_year(ctx: Context, q: Query) -> Answer | None:
    """A date question about one project that its text answers with a target year ("Bis wann wollen die dort
    die richtigen Fragen gefunden haben?" – "Wir wollen als Region bis 2026 die richtigen Fragen … identifizieren"):
    the sentence that names the year and carries the question's content, else None (the decline stands)."""
    if len(q.projects) != 1 or not q.content_terms:
        return None
    hits = passage_hits(ctx, q.projects[0])
    open_q = replace(q, intent="open", reason="")
    dated = [
        s for s in ctx.evidence.best_sentences(open_q, hits, limit=8, per_project=8, per_chunk=8, min_share=0.0)
        if re.search(TARGET_YEAR, fold(s.sentence)) and s.lexical >= 0.3
    ]
    if not dated:
        return None
    s = dated[0]
    cites = Citations([])
    mark = cites.cite(s.hit.chunk, s.hit.score, s.sentence)
    text = (
        f"Einzelne Termine nennt die Broschüre nicht, wohl aber ein Zieljahr: **{q.projects[0]}**, "
        f"S. {s.hit.chunk.page}: {quote(s.sentence)} {mark}"
    )
    return finish(open_q, text, cites, "extraktiv", [q.projects[0]])
