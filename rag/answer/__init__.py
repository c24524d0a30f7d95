"""The answer layer: a ``Query`` in, an ``Answer`` out, by one of a few strategies tried in a fixed order.

Each strategy lives in its own module and can be tested from a ``Query`` alone:

=================  ==============================================================================
module             answers
=================  ==============================================================================
``structured``     lists and counts by category / Land / size class, the overview, the criteria
``lookup``         an attribute of a named project, or "Was plant X?" from its parsed measures
``compare``        two or more named projects side by side
``topic``          "which projects do X": every project scored, all that fit named
``open``           anything else: the best whole sentences of the best passages
``premise``        corrections of false premises (earlier rounds, wrong Land)
``base``           ``finish`` and ``abstain``; ``citations``: [n] markers; ``evidence``: what to quote
=================  ==============================================================================

The order (``Answerer.answer``) goes from exact to approximate: what the records answer exactly is never
left to retrieval, and retrieval is tried before any refusal that is not about a kind of fact the brochure
never contains.

Example::

    >>> answerer = Answerer(corpus, retriever)                                            # doctest: +SKIP
    >>> answerer.answer(parser.parse("Welche Kleinstädte wurden 2021 gefördert?")).projects  # doctest: +SKIP
    ('Guben', 'Linz am Rhein')
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rag.answer.base import Context, abstain, abstain_with_context, finish, leaving_out, merge, topic_words
from rag.answer.citations import Citations, join_names, quote
from rag.answer.compare import answer_compare
from rag.answer.lookup import answer_lookup, answer_measure_count, answer_plans_instead, answer_reverse
from rag.answer.open import answer_open, nearest, search_filters, target_year
from rag.answer.premise import answer_past, correct_premises
from rag.answer.structured import (
    answer_count_states,
    answer_criteria,
    answer_list,
    answer_overview_count,
    answer_overview_list,
    answer_size_rank,
)
from rag.answer.topic import answer_topic
from rag.german import terms
from rag.retrieve import Retriever
from rag.types import Answer, Corpus, Hit
from rag.understand import Query

NO_PASSAGE = "Zu dieser Frage habe ich in der Broschüre keine passende Stelle gefunden."
NO_NUMBER = "Eine Zahl dazu nennt die Broschüre nicht."

__all__ = ["Answerer", "Citations", "Context", "finish", "quote"]


class Answerer:
    def __init__(self, corpus: Corpus, retriever: Retriever) -> None:
        self.ctx = Context(corpus, retriever)
        self.corpus = corpus
        self.retriever = retriever

    @property
    def header(self) -> dict[str, Any]:
        return self.ctx.header

    def answer(self, q: Query, filters: dict[str, Any] | None = None) -> Answer:
        f = {k: v for k, v in (filters or {}).items() if v}
        if q.multi_state:  # "über mehrere Bundesländer": only the projects whose records name two or more
            f["multi_state"] = True
        if q.parts:  # "Wer hat die Broschüre herausgegeben, und wer hat sie gestaltet?": each part, in order
            answers = [correct_premises(self.ctx, p, self._answer(p, f)) for p in q.parts]
            first, second = q.parts[0], q.parts[-1]
            if first.wants_number and second.followup and answers[0].mode == "strukturiert" and answers[1].projects:
                # "Wie viele Großstädte …, und welche davon …?": the number, then the list of those asked for
                lead = answers[0].text.split("\n", 1)[0].rstrip(":")
                answers[0] = replace(answers[0], text=f"{lead}.", sources=(), projects=())
            return merge(answers)
        return correct_premises(self.ctx, q, self._answer(q, f))

    def _answer(self, q: Query, filters: dict[str, Any]) -> Answer:
        ctx = self.ctx
        filters = leaving_out(q, filters)  # "Welche Kleinstädte außer Guben …?", "nur die Landkreise": never listed
        # 1. nothing to answer, or a kind of fact the brochure never contains (budgets per project,
        #    persons, schedules, other years …): a German reason instead of a guess
        if q.intent == "empty":
            return Answer(
                "Bitte stellen Sie eine Frage zur Broschüre „Modellprojekte Smart Cities 2021“.",
                mode="fehler",
                intent="empty",
                answerable=False,
            )
        if q.intent == "unanswerable":
            if q.schedule and (dated := target_year(ctx, q)) is not None:
                return dated  # "Bis wann …?" where the project's text names its target year
            # "Fußball": unless a project's text names it in so many words, and most of the question is known
            if q.soft_refusal and q.asks_for_project and q.content_terms and ctx.evidence.known_share(q) > 0.5:
                found = answer_topic(ctx, replace(q, intent="open", reason=""), filters, strict=True)
                if found is not None and strongly_named(ctx, q, found):
                    return found
            return abstain_with_context(ctx, q)
        # 2. a place of the earlier rounds taken for a 2021 project: correct the premise
        # ("Welches Motto hat <Ort aus 2019/2020>?" reads as a list, but asks about that place)
        about_past = q.intent not in ("list", "count") or (q.attributes and not (q.states or q.size_classes))
        if q.past_entities and not q.projects and not q.categories and about_past:
            return answer_past(ctx, q)
        # "Was planen Kassel und Bochum?", "Gelsenkirchen ist ja dabei – welche anderen aus NRW?": the earlier place
        # corrected, then the 2021 project or the selection answered
        beside = q.projects and q.past_beside and q.intent not in ("similar", "compare")
        before_selection = not q.projects and q.intent in ("list", "count") and not q.overview
        if q.past_entities and (beside or before_selection):
            return merge([answer_past(ctx, q), self._answer(replace(q, past_entities=()), filters)])
        # 3. exact answers from the records: a quoted motto or title, the overview, counts of Länder, criteria,
        #    lists and counts
        if q.phrase and not q.projects and (reverse := answer_reverse(ctx, q)) is not None:
            return reverse  # "Welches Projekt hat das Motto „…“?", "In welchen Titeln steht „Smart“?"
        counts_other = q.intent == "count" and not q.counts_projects  # "Wie viele Bewerbungen …?"
        if q.intent in ("list", "count") and q.overview and not q.states and not q.projects and not counts_other:
            return answer_overview_count(ctx, q) if q.intent == "count" else answer_overview_list(ctx, q)
        layout = q.overview and not (q.states or q.projects or q.past_entities or q.about_programme or q.wants_number)
        if q.intent == "open" and layout and not topical(ctx, q):
            return answer_overview_list(ctx, q)  # "Was zeigt die Übersicht hinten?": no topic, the overview itself
        if ((q.intent == "count" and q.states_count) or q.states_without) and not q.states:
            return answer_count_states(ctx, q, filters)  # "Wie viele Länder …?", "Welche Länder haben keins?"
        if q.most_projects and not q.projects:
            return answer_count_states(ctx, q, filters)  # "Welches Land hat die meisten Projekte?"
        if q.size_rank and not (q.content_terms or q.overview):
            return answer_size_rank(ctx, q, filters)  # "Welche davon ist die kleinste?"
        if q.criteria or q.criteria_list or (q.wants_criteria and (not q.content_terms or q.criteria_group)):
            return answer_criteria(ctx, q)
        if q.intent in ("list", "count") and q.structural:
            return answer_list(ctx, q, filters)
        selects = bool(q.categories or q.states or q.size_classes) and not q.projects
        if q.intent in ("list", "count") and selects and not counts_other:
            # a list with a topic ("Welche Großstädte planen X?"): the topic within the selection if the
            # evidence shows one, else the selection itself ("Welche Großstädte tragen die Größenklasse …")
            # only the asked words narrow it: not who asks or what for ("Für den Gemeinderat: …"), nor the selection's
            narrowing = replace(q, content_terms=q.narrowing)
            topic = answer_topic(ctx, narrowing, filters, strict=True) if "open" in q.alternatives and q.narrowing else None
            if topic is None and q.followup and q.content_terms and not q.among:
                # "Und welche davon machen was mit Wasser?": none of them names it; say so, then the selection
                listed = answer_list(ctx, q, filters)
                note = f"Zum Stichwort {quote(topic_words(q))} nennt keines dieser Projekte etwas Ausdrückliches."
                return replace(listed, text=f"{note} Zur Auswahl selbst:\n\n{listed.text}")
            return topic or answer_list(ctx, q, filters)
        # 4. named projects: an attribute, a summary, a comparison
        if q.intent == "lookup" and q.projects:
            found = answer_lookup(ctx, q)
            if q.attributes and q.content_terms and len(q.projects) == 1:
                # "Wie heißt das Projekt von X, und wozu dient der Smart Data Hub?": the attribute, then what the
                # project's text says to the rest, when a sentence of it carries that
                more = answer_open(ctx, replace(q, intent="open", attributes=()), filters)
                if more is not None:
                    return merge([found, more])
            return found
        if q.intent == "compare" and len(q.projects) >= 2:
            return answer_compare(ctx, q)
        # 5. "which projects do X": all projects that fit, each with its supporting sentence
        if q.asks_for_project and not q.projects and not (q.about_brochure or q.about_programme or q.wants_criteria):
            topic = answer_topic(ctx, q, filters)
            if topic is not None:
                return topic
        # 6. anything else: the best sentences of the best passages, or a refusal if none carries the question
        found = answer_open(ctx, q, filters)
        if found is not None:
            return found
        if len(q.projects) == 1 and not q.wants_number:
            # about one project, but nothing in its text carries the question's words: what it plans
            return answer_plans_instead(ctx, q)
        if (counted := answer_measure_count(ctx, q)) is not None:
            return counted  # no number stated, but the project numbers its measures (A1 … B6): counted
        # 7. no passage carries the question: what the entities alone answer, before refusing
        if q.wants_criteria:
            return answer_criteria(ctx, q)
        if selects and not counts_other:
            return answer_list(ctx, q, filters)
        return nearest(ctx, q, filters, abstain(q, NO_NUMBER if q.wants_number else _no_passage(ctx, q)))

    # -- used by the Assistant and the evaluation ----------------------------------------------------
    def evidence(self, q: Query, k: int = 10, filters: dict[str, Any] | None = None) -> list[Hit]:
        """What the answer rests on, ranked: the records for structured questions, else the passages."""
        if q.intent in ("list", "count", "lookup", "compare") and (q.structural or q.intent != "open"):
            names = list(q.projects) or (
                [p.name for p in self.ctx.select(q.categories, q.states, q.size_classes, filters)]
                if q.structural
                else []
            )
            if names:
                return [Hit(self.ctx.header[n], 1.0) for n in names[:k]]
        if q.asks_for_project and not q.projects:
            ranked = self.ctx.evidence.rank_projects(q, filters)
            return [Hit(s.hit.chunk, s.score) for s in ranked[:k]]
        return self.retriever.retrieve(q.retrieval_text, k=k, filters=search_filters(q, filters))


def _no_passage(ctx: Context, q: Query) -> str:
    """Why nothing was found: the asked-about name when the brochure never mentions it ("Was ist das Motto von
    Erfurt?" – no project, no entry of the overview), else that no passage fits."""
    if not q.attributes or q.projects:
        return NO_PASSAGE
    unknown = set(ctx.evidence.unknown(q))
    names = [w for w in q.written_nouns if len(w) >= 3 and set(terms(w)) & unknown]
    if names:
        return (
            f"{join_names(list(dict.fromkeys(names)))} kommt in der Broschüre nicht vor: weder unter den "
            f"Modellprojekten 2021 noch in der Übersicht 2019–2021."
        )
    return NO_PASSAGE


STRONG_NAMED = 0.5  # the share of a refused topic's words a quoted sentence must carry to overrule the refusal (half:
# "Besuchermassen bei Fußballspielen" is carried by "Heimspiele" and "Besucherlenkung", each a relative)


def strongly_named(ctx: Context, q: Query, found: Answer) -> bool:
    """Does a sentence the answer quotes carry most of the question's words, one of them as written or as a
    thesaurus synonym (not only inside a longer word: "Wetter" is no "wettbewerbsfähig")?"""
    covered = ctx.evidence.lexical(q)
    related = ctx.evidence.bm.related
    words = {x for t in q.content_terms for x in ({t} | (related(t) if related else set()))}
    return any(
        covered(st := ctx.evidence.sentence_terms(s.snippet)) >= STRONG_NAMED and bool(st & words) for s in found.sources
    )


def topical(ctx: Context, q: Query) -> bool:
    """Does the question name a topic the thesaurus knows (not only words about the brochure's layout)?"""
    related = ctx.evidence.bm.related
    return related is not None and any(related(t) for t in q.content_terms)
