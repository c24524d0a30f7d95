"""Answers without a language model: exact answers from the records, extractive answers from passages.

- list / count / lookup questions are answered from the ``Project`` records (complete and exact);
- open questions get the most relevant sentences of the top passages, grouped by project, with [n]
  markers that map to ``Source`` citations;
- questions the brochure cannot answer get a German abstention instead of a guess.

Example::

    >>> answerer = Answerer(corpus, retriever)                                           # doctest: +SKIP
    >>> print(answerer.answer(parser.parse("Welche Kleinstädte wurden 2021 gefördert?")).text)  # doctest: +SKIP
    2021 wurden 2 Kleinstädte und Landgemeinden als Modellprojekte Smart Cities gefördert:
    1. Guben – Größere Kleinstadt, Brandenburg (S. 31) [1]
    2. Linz am Rhein – Kleine Kleinstadt, Rheinland-Pfalz (S. 32) [2]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rag.german import fold, terms
from rag.retrieve import Retriever
from rag.synonyms import english_to_german
from rag.text import split_sentences
from rag.types import CATEGORIES, SECTION_LABELS, Answer, Chunk, Corpus, Hit, Project, Source
from rag.understand import Query

DENSE_SUPPORT = 0.84  # cosine below which a passage without shared terms does not count as an answer
_ABOUT_BROCHURE = (
    r"^(?=.*(broschure|publikation|heft|veroffentlichung))(?=.*(herausgeb|heraus|gestalt|redaktion|stand|erschien|kontakt|"
    r"bildnachweis|bestell|kosten|verkauf))|herausgeber|impressum|gesamtredaktion|bildnachweis"
)
_SINGULAR = (
    r"\b(welche|welches|welcher|welchem) (stadt|projekt|modellprojekt|kommune|gemeinde|landkreis|kreis|region|"
    r"vorhaben|verband|dokument|gremium|institution|ministerium|unternehmen|firma|agentur)\b|"
    r"\bwhich (city|project|town|district)\b"
)
_ASKS_FOR_PROJECT = (
    r"^wo\b|^wer\b(?!.*(bewerb|jury|gutacht|auswahl|kriteri|broschure|bundesregierung|ministerium|programm))|\bwelche[rsmn]? (projekte?|modellprojekte?|stadte?|kommunen?|gemeinden?|landkreise?|kreise?|"
    r"regionen?|vorhaben)\b|\b(which|what) (projects?|cities|towns|districts)\b|^(who|where)\b"
)
_OVERVIEW_COUNT = re.compile(r"2019|2020|seit|ubersicht|bisher|staffel")


def section_label(key: str) -> str:
    return SECTION_LABELS.get(key, key)


def with_list_items(text: str, sentence: str, most: int = 10) -> str:
    """A sentence that ends with a colon brings the list items that follow it in ``text``.

    >>> with_list_items("Drei Schritte:\\n1. Prüfung\\n2. Begutachtung\\nDanach Ende.", "Drei Schritte:")
    'Drei Schritte: 1. Prüfung 2. Begutachtung'
    """
    if not sentence.rstrip().endswith(":"):
        return sentence
    parts = split_sentences(text)
    if sentence not in parts:
        return sentence
    items: list[str] = []
    for p in parts[parts.index(sentence) + 1 :]:
        if not re.match(r"^(- |\d+\. |✓|☐)", p) or len(items) >= most:
            break
        items.append(p)
    return " ".join([sentence, *items])


def quote(text: str) -> str:
    return f"„{text}“"


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


@dataclass
class Citations:
    """Collects sources in citation order; ``cite`` returns the [n] marker for a chunk."""

    sources: list[Source]

    def cite(self, chunk: Chunk, score: float, snippet: str | None = None) -> str:
        for s in self.sources:
            if s.chunk_id == chunk.id:
                return f"[{s.n}]"
        n = len(self.sources) + 1
        self.sources.append(
            Source(
                n=n,
                project=chunk.project,
                page=chunk.page,
                category=chunk.category,
                states=chunk.states,
                snippet=(snippet or chunk.text)[:600],
                score=round(float(score), 4),
                size_class=chunk.size_class,
                section=chunk.section,
                document=chunk.document,
                chunk_id=chunk.id,
            )
        )
        return f"[{n}]"


class Answerer:
    def __init__(self, corpus: Corpus, retriever: Retriever) -> None:
        self.corpus = corpus
        self.retriever = retriever
        self.header = {c.project: c for c in retriever.chunks if c.kind == "header"}
        self.section_chunks = {c.section: c for c in retriever.chunks if c.kind in ("section", "overview")}
        self.overview_chunk = {c.category: c for c in retriever.chunks if c.kind == "overview"}

    # -- dispatch -------------------------------------------------------------------------------
    def answer(self, q: Query, filters: dict[str, Any] | None = None) -> Answer:
        filters = {k: v for k, v in (filters or {}).items() if v}
        if q.intent == "empty":
            return Answer(
                "Bitte stellen Sie eine Frage zur Broschüre „Modellprojekte Smart Cities 2021“.",
                mode="fehler",
                intent="empty",
                answerable=False,
            )
        if q.intent == "unanswerable":
            return self._abstain(q, q.reason)
        if q.past_entities and not q.projects and not q.categories and q.intent not in ("list", "count"):
            return self._past(q)
        folded = fold(q.text)
        if q.intent in ("list", "count") and _OVERVIEW_COUNT.search(folded) and not q.states and not q.projects:
            return self._overview_count(q) if q.intent == "count" else self._overview_list(q)
        if q.intent == "count" and re.search(r"bundeslander|\bstates\b|\blander\b", folded) and not q.states:
            return self._count_states(q, filters)
        groups = list(dict.fromkeys(s.group for s in self.corpus.sections if s.group))
        if q.criteria or (q.wants_criteria and (not q.content_terms or self._named_group(q.text, groups))):
            return self._criteria(q)
        if q.intent in ("list", "count") and q.structural:
            return self._list(q, filters)
        if q.intent == "lookup" and q.projects:
            return self._lookup(q)
        if q.intent == "compare" and len(q.projects) >= 2:
            return self._compare(q)
        return self._open(q, filters)

    def _finish(self, q: Query, text: str, cites: Citations, mode: str, projects: Iterable[str]) -> Answer:
        notice = []
        if q.injection:
            notice.append("Hinweis: Anweisungen in der Frage wurden ignoriert; beantwortet wird nur die Sachfrage.")
        if q.truncated:
            notice.append("Hinweis: Die Frage war sehr lang und wurde gekürzt.")
        if q.english:
            notice.append("Antwort auf Deutsch, da die Broschüre deutsch ist.")
        return Answer(
            text=text,
            sources=tuple(cites.sources),
            mode=mode,
            intent=q.intent,
            answerable=True,
            projects=tuple(dict.fromkeys(projects)),
            notice=" ".join(notice),
        )

    def _abstain(self, q: Query, reason: str) -> Answer:
        text = f"{reason} Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."
        notice = "Hinweis: Anweisungen in der Frage wurden ignoriert." if q.injection else ""
        return Answer(text=text, mode="extraktiv", intent="unanswerable", answerable=False, notice=notice)

    # -- structured answers from the records ----------------------------------------------------
    def select(
        self,
        categories: Iterable[str] = (),
        states: Iterable[str] = (),
        size_classes: Iterable[str] = (),
        filters: dict[str, Any] | None = None,
    ) -> list[Project]:
        cats, sts, sizes = set(categories), set(states), set(size_classes)
        filters = filters or {}
        if filters.get("category"):
            cats = cats & {filters["category"]} if cats else {filters["category"]}
        if filters.get("state"):
            sts = sts & {filters["state"]} if sts else {filters["state"]}
        return [
            p
            for p in self.corpus.projects
            if (not cats or p.category in cats)
            and (not sts or sts & set(p.states))
            and (not sizes or p.size_class in sizes)
        ]

    @staticmethod
    def _describe(q: Query, filters: dict[str, Any]) -> str:
        cats = list(q.categories) or ([filters["category"]] if filters.get("category") else [])
        what = _join_names(list(q.size_classes)) if q.size_classes else (_join_names(cats) if cats else "")
        states = list(q.states) or ([filters["state"]] if filters.get("state") else [])
        where = f" in {_join_names(states)}" if states else ""
        return (what or "Modellprojekte") + where

    def _criteria(self, q: Query) -> Answer:
        """The Bewertungskriterien K1-K12 from the section records (all, by number, or by group)."""
        cites = Citations([])
        crit = [s for s in self.corpus.sections if re.fullmatch(r"k\d+", s.key)]
        groups = list(dict.fromkeys(s.group for s in crit))
        chosen = [s for s in crit if int(s.key[1:]) in q.criteria]
        chosen = chosen or [s for s in crit if s.group == self._named_group(q.text, groups)]
        if chosen:
            lines = [
                f"{s.title} (Gruppe {quote(s.group)}) {cites.cite(self.section_chunks[s.key], 1.0)}" for s in chosen
            ]
            return self._finish(q, "\n".join(lines), cites, "strukturiert", [])
        m = cites.cite(self.section_chunks["bewertungskriterien"], 1.0)
        text = f"Die Broschüre nennt {len(crit)} Bewertungskriterien in {len(groups)} Gruppen {m}:\n"
        for g in groups:
            text += f"\n{g}:\n" + "\n".join(f"- {s.title}" for s in crit if s.group == g) + "\n"
        return self._finish(q, text.rstrip(), cites, "strukturiert", [])

    @staticmethod
    def _named_group(question: str, groups: list[str]) -> str:
        """The criteria group whose distinctive words the question uses ("Gruppe Einbezug der Akteure")."""
        asked = set(terms(question))
        best, score = "", 0
        for g in groups:
            words = {t for t in terms(g) if len(t) >= 5}
            overlap = len(asked & words)
            if overlap >= min(2, len(words)) and overlap > score:  # one shared word ("lokal") is not enough
                best, score = g, overlap
        return best

    def _list(self, q: Query, filters: dict[str, Any]) -> Answer:
        projects = self.select(q.categories, q.states, q.size_classes, filters)
        cites = Citations([])
        what = self._describe(q, filters)
        if not projects:
            text = f"Unter den 28 Modellprojekten Smart Cities 2021 gibt es keine {what}."
            past = [e for e in self.corpus.overview if not e.is_2021 and any(fold(s) in fold(e.name) for s in q.states)]
            if past:
                c = self.section_chunks.get("uebersicht") or next(iter(self.overview_chunk.values()))
                text += (
                    f" In der Übersicht 2019–2021 steht {_join_names([e.name for e in past])} aus einer "
                    f"früheren Staffel {cites.cite(c, 1.0)}."
                )
            return self._finish(q, text, cites, "strukturiert", [])
        lines = []
        for i, p in enumerate(projects, start=1):
            marker = cites.cite(self.header[p.name], 1.0)
            lines.append(f"{i}. {p.name} – {p.size_class}, {', '.join(p.states)} (S. {p.page}) {marker}")
        n = len(projects)
        head = f"2021 wurden {n} {what} als Modellprojekte Smart Cities gefördert:"
        if what == "Modellprojekte":
            if q.intent == "count":
                return self._count_all(q, projects)
            head = f"2021 wurden insgesamt {n} Modellprojekte Smart Cities gefördert:"
        return self._finish(q, head + "\n\n" + "\n".join(lines), cites, "strukturiert", [p.name for p in projects])

    def _count_all(self, q: Query, projects: list[Project]) -> Answer:
        """ "How many projects in 2021?": the number from the Einleitung, split by category."""
        cites = Citations([])
        intro = next((c for c in self.retriever.chunks if c.section == "einleitung" and "28 weitere" in c.text), None)
        m = f" {cites.cite(intro, 1.0)}" if intro else ""
        parts = [f"{sum(p.category == c for p in projects)} {c}" for c in CATEGORIES]
        text = (
            f"Ab dem Jahr 2021 werden {len(projects)} weitere Modellprojekte Smart Cities gefördert{m}: "
            + ", ".join(parts[:-1])
            + f" und {parts[-1]}."
        )
        return self._finish(q, text, cites, "strukturiert", [])

    def _count_states(self, q: Query, filters: dict[str, Any]) -> Answer:
        projects = self.select(q.categories, (), q.size_classes, filters)
        states: dict[str, list[str]] = {}
        for p in projects:
            for st in p.states:
                states.setdefault(st, []).append(p.name)
        cites = Citations([])
        lines = [
            f"- {st}: " + ", ".join(f"{n} {cites.cite(self.header[n], 1.0)}" for n in names)
            for st, names in sorted(states.items())
        ]
        what = self._describe(q, {**filters, "state": None})
        text = f"Die {len(projects)} {what} 2021 verteilen sich auf {len(states)} Bundesländer:\n\n" + "\n".join(lines)
        return self._finish(q, text, cites, "strukturiert", [p.name for p in projects])

    def _overview_list(self, q: Query) -> Answer:
        """Entries of the Übersicht 2019-2021 (earlier rounds, or all), by category."""
        cites = Citations([])
        earlier = bool(re.search(r"fruher|2019|2020|vorherig|ersten|bisherig|nicht 2021|vor 2021", fold(q.text)))
        blocks = []
        for cat in q.categories or CATEGORIES:
            entries = [e for e in self.corpus.overview if e.category == cat and not (earlier and e.is_2021)]
            chunk = self.overview_chunk.get(cat)
            m = f" {cites.cite(chunk, 1.0)}" if chunk else ""
            names = [e.name + (" (2021)" if e.is_2021 else "") for e in entries]
            blocks.append(f"{cat} ({len(entries)}){m}: " + ", ".join(names))
        lead = "Die Übersicht 2019–2021 nennt aus früheren Staffeln:" if earlier else "Die Übersicht 2019–2021 nennt:"
        return self._finish(q, lead + "\n\n" + "\n\n".join(blocks), cites, "strukturiert", [])

    def _overview_count(self, q: Query) -> Answer:
        cites = Citations([])
        entries = [e for e in self.corpus.overview if not q.categories or e.category in q.categories]
        cats = list(q.categories) or list(CATEGORIES)
        parts = []
        for cat in cats:
            n = sum(1 for e in entries if e.category == cat)
            chunk = self.overview_chunk.get(cat)
            parts.append(f"{cat}: {n}" + (f" {cites.cite(chunk, 1.0)}" if chunk else ""))
        n2021 = sum(1 for e in entries if e.is_2021)
        text = (
            f"Die Übersicht Modellprojekte Smart Cities 2019–2021 nennt {len(entries)} Einträge "
            f"({'; '.join(parts)}). Davon gehören {n2021} zur Förderrunde 2021."
        )
        return self._finish(q, text, cites, "strukturiert", [])

    def _lookup(self, q: Query) -> Answer:
        cites = Citations([])
        lines = []
        for name in q.projects:
            p = self.corpus.project(name)
            m = cites.cite(self.header[name], 1.0)
            attrs = q.attributes or ("summary",)
            for a in attrs:
                if a == "motto":
                    lines.append(f"Das Motto von {name} lautet {quote(p.motto)} {m}.")
                elif a == "title":
                    extra = " (so steht der Titel in der Broschüre)" if len(p.title) <= 3 else ""
                    lines.append(f"Der Projekttitel von {name} lautet {quote(p.title)}{extra} {m}.")
                elif a == "states":
                    verb = "liegt in" if len(p.states) == 1 else "erstreckt sich über die Bundesländer"
                    lines.append(f"{name} {verb} {_join_names(list(p.states))} {m}.")
                elif a == "size_class":
                    lines.append(
                        f"{name} gehört zur Kategorie {quote(p.category)}, Größenklasse {quote(p.size_class)} {m}."
                    )
                elif a == "page":
                    lines.append(f"{name} wird ab Seite {p.page} der Broschüre vorgestellt {m}.")
                else:
                    lines.append(self._summary(p, cites))
        return self._finish(q, "\n\n".join(lines), cites, "strukturiert", q.projects)

    def _summary(self, p: Project, cites: Citations) -> str:
        m = cites.cite(self.header[p.name], 1.0)
        head = (
            f"**{p.name}** ({p.size_class}, {', '.join(p.states)}, S. {p.page}) {m}: Projekttitel "
            f"{quote(p.title)}, Motto {quote(p.motto)}."
        )
        first = next((c for c in self.retriever.project_chunks(p.name) if c.kind == "passage"), None)
        if first is None:
            return head
        sentences = split_sentences(first.text)[:2]
        return head + "\n\n" + quote(" ".join(sentences)) + " " + cites.cite(first, 1.0, " ".join(sentences))

    def _compare(self, q: Query) -> Answer:
        cites = Citations([])
        blocks = []
        topic = " ".join(q.content_terms)
        for name in q.projects:
            p = self.corpus.project(name)
            m = cites.cite(self.header[name], 1.0)
            block = (
                f"**{name}** – {p.category} ({p.size_class}), {', '.join(p.states)}, S. {p.page} {m}\n"
                f"Projekttitel {quote(p.title)}; Motto {quote(p.motto)}."
            )
            hits = self.retriever.retrieve(
                q.text if topic else p.title + " " + p.motto, k=2, filters={"project": name, "kind": "passage"}
            )
            best = self.best_sentences(q, hits, limit=2)
            if best:
                block += "\n" + " ".join(f"{quote(s)} {cites.cite(h.chunk, h.score, s)}" for h, s, _ in best)
            blocks.append(block)
        ps = [self.corpus.project(n) for n in q.projects]
        common = []
        if len({p.category for p in ps}) == 1:
            common.append(f"alle gehören zur Kategorie {quote(ps[0].category)}")
        shared_states = set(ps[0].states).intersection(*[set(p.states) for p in ps[1:]])
        if shared_states:
            common.append(f"alle liegen in {_join_names(sorted(shared_states))}")
        text = "Vergleich laut Broschüre:\n\n" + "\n\n".join(blocks)
        if common:
            text += "\n\nGemeinsam: " + "; ".join(common) + "."
        return self._finish(q, text, cites, "strukturiert", q.projects)

    def _past(self, q: Query) -> Answer:
        cites = Citations([])
        lines = []
        for name in q.past_entities:
            e = next(e for e in self.corpus.overview if e.name == name)
            c = self.overview_chunk.get(e.category)
            m = cites.cite(c, 1.0) if c else ""
            lines.append(
                f"{name} gehört nicht zu den 28 Modellprojekten der Förderrunde 2021. {name} steht aber in der "
                f"Übersicht Modellprojekte Smart Cities 2019–2021 (Kategorie {quote(e.category)}) und wurde "
                f"damit in einer früheren Staffel (2019 oder 2020) ausgewählt {m}."
            )
        return self._finish(q, "\n\n".join(lines), cites, "strukturiert", [])

    # -- extractive answers from passages -------------------------------------------------------
    def best_sentences(
        self,
        q: Query,
        hits: list[Hit],
        limit: int = 4,
        per_chunk: int = 2,
        per_project: int = 3,
        min_share: float = 0.5,
    ) -> list[tuple[Hit, str, float]]:
        """Sentences of the hits ranked by lexical and semantic closeness to the question.

        Lexical: idf-weighted query terms the sentence contains (content words count fully, framing words
        little). Semantic: cosine of the sentence embedding, scaled between the median and the best
        candidate. Both are scaled to 0..1 and averaged; a small bonus goes to higher-ranked passages.
        A sentence qualifies when its combined score reaches ``min_share`` of the best one.
        """
        bm = self.retriever.bm25
        own_names = {t for p in q.projects for t in terms(p)}
        qweights = {t: w for t, w in bm.weighted_terms(q.text).items() if t not in own_names}
        if q.content_terms:  # framing words ("Modellprojekte", "Smart Cities") count little
            core = set(bm.decompounder.expand_query(list(q.content_terms)))
            core |= {r for t in list(core) for r in (bm.related(t) if bm.related else set())}
            qweights = {t: (w if t in core else 0.2 * w) for t, w in qweights.items()}
        wants_number = q.intent == "count" or bool(re.search(r"wie (hoch|viel)|\bhow (much|many)", fold(q.text)))
        sims = self.retriever.sentence_similarity(q.text, list(dict.fromkeys(h.chunk.id for h in hits)))
        raw: list[tuple[Hit, str, float, float, float]] = []  # hit, sentence, overlap, cosine, prior
        for rank, h in enumerate(hits):
            for s in split_sentences(h.chunk.text):
                st = set(bm.decompounder.expand(terms(s)))
                overlap = sum(bm.idf.get(t, 0.0) * w for t, w in qweights.items() if t in st)
                if wants_number and re.search(r"\d", s):
                    overlap *= 1.5
                if len(s) > 400:
                    overlap *= 0.7
                raw.append((h, s, overlap, sims.get((h.chunk.id, s), 0.0), 1.0 / (1 + rank * 0.5)))
        if not raw:
            return []
        top_overlap = max(x[2] for x in raw)
        cosines = sorted(x[3] for x in raw)
        mid, top_cos = cosines[len(cosines) // 2], cosines[-1]
        scored = []
        for h, s, overlap, cos, prior in raw:
            lexical = overlap / top_overlap if top_overlap > 0 else 0.0
            semantic = max(0.0, (cos - mid) / (top_cos - mid)) if top_cos > mid else 0.0
            weight_sem = 0.5 if sims else 0.0
            score = (1 - weight_sem) * lexical + weight_sem * semantic + 0.1 * prior
            scored.append((h, s, score))
        scored.sort(key=lambda x: -x[2])
        best = scored[0][2]
        chosen: list[tuple[Hit, str, float]] = []
        n_chunk: dict[str, int] = {}
        n_project: dict[str, int] = {}
        for h, s, sc in scored:
            if len(chosen) >= limit or sc < min_share * best:
                break
            key = h.chunk.project or h.chunk.id  # the per-project cap does not apply to general sections
            if n_chunk.get(h.chunk.id, 0) >= per_chunk or n_project.get(key, 0) >= per_project:
                continue
            n_chunk[h.chunk.id] = n_chunk.get(h.chunk.id, 0) + 1
            n_project[key] = n_project.get(key, 0) + 1
            chosen.append((h, s, sc))
        return chosen

    def supported(self, q: Query, hits: list[Hit]) -> bool:
        """Does any top passage share a content term with the question, or match it very closely?"""
        if not hits:
            return False
        if not q.content_terms:
            return True
        bm = self.retriever.bm25
        # generic terms ("stadt", "digital") found almost everywhere do not make a passage an answer
        qterms = {t for t in bm.decompounder.expand_query(list(q.content_terms)) if bm.idf.get(t, 0.0) >= 1.5}
        for h in hits[:5]:
            if qterms & set(bm.decompounder.expand(terms(h.chunk.text))):
                return True
        return max(h.dense_score for h in hits) >= DENSE_SUPPORT

    def search_filters(self, q: Query, filters: dict[str, Any] | None = None) -> dict[str, Any]:
        """Retrieval filters implied by the question (named projects, one category/state, a section)."""
        f = dict(filters or {})
        if q.projects:
            f["project"] = list(q.projects)
        if len(q.categories) == 1 and not f.get("category"):
            f["category"] = q.categories[0]
        if len(q.states) == 1 and not f.get("state"):
            f["state"] = q.states[0]
        if q.wants_criteria:
            f["kind"] = "section"
        if re.search(_ABOUT_BROCHURE, fold(english_to_german(q.text))):
            f["section"] = "impressum"
        return f

    def evidence(self, q: Query, k: int = 10, filters: dict[str, Any] | None = None) -> list[Hit]:
        """What the answer rests on, ranked: the records for structured questions, else the passages."""
        if q.intent in ("list", "count", "lookup", "compare") and (q.structural or q.intent != "open"):
            names = list(q.projects) or (
                [p.name for p in self.select(q.categories, q.states, q.size_classes, filters)] if q.structural else []
            )
            if names:
                return [Hit(self.header[n], 1.0) for n in names[:k]]
        return self.retriever.retrieve(q.text, k=k, filters=self.search_filters(q, filters))

    def _open(self, q: Query, filters: dict[str, Any]) -> Answer:
        f = self.search_filters(q, filters)
        folded = fold(q.text)
        listing = bool(re.search(r"\b(wer|welche\w*|which|who)\b", folded)) and not q.projects
        singular = bool(re.search(_SINGULAR, folded))
        hits = self.retriever.retrieve(q.text, k=10 if listing else 6, filters=f)
        if listing:
            # a "who does X" answer must not miss a passage that names X literally: add the best lexical hits
            seen = {h.chunk.id for h in hits}
            hits += [h for h in self.retriever.retrieve(q.text, k=5, filters=f, mode="bm25") if h.chunk.id not in seen]
        seen = {h.chunk.id for h in hits}
        for cid in self.retriever.sentence_chunks(q.text, k=3, filters=f):  # passages with a very close sentence
            if cid not in seen:
                hits.append(Hit(self.retriever.by_id[cid], 0.0))
                seen.add(cid)
        if f.get("section") != "impressum" and not self.supported(q, hits):
            return self._abstain(q, "Zu dieser Frage habe ich in der Broschüre keine passende Stelle gefunden.")
        limit = 1 if singular else (6 if listing else 4)
        min_share = 0.6 if listing else 0.5
        if re.search(_ASKS_FOR_PROJECT, folded) and not f.get("section"):
            # "which project / who / where …": the answer is a project, not a general section
            hits = [h for h in hits if h.chunk.project] or hits
        chosen = self.best_sentences(q, hits, limit=limit, per_project=1 if listing else 3, min_share=min_share)
        if q.intent == "count" or re.search(r"wie (hoch|gross|lang)|\bhow (much|many)", folded):
            # a number question needs a sentence with a number that is about the asked thing
            asked = set(self.retriever.bm25.decompounder.expand_query(list(q.content_terms)))
            if not any(re.search(r"\d", s) and (not asked or asked & set(terms(s))) for _, s, _ in chosen):
                return self._abstain(q, "Eine Zahl dazu nennt die Broschüre nicht.")
        cites = Citations([])
        groups: dict[str, list[str]] = {}
        order: list[str] = []
        for h, s, _ in chosen:
            c = h.chunk
            key = c.project or section_label(c.section) or c.document
            if key not in groups:
                groups[key] = []
                order.append(key)
            s = with_list_items(c.text, s)
            groups[key].append(f"{quote(s)} {cites.cite(c, h.score, s)}")
        parts = []
        for key in order:
            src = next(s for s in cites.sources if (s.project or section_label(s.section) or s.document) == key)
            page = f", S. {src.page}" if src.page else ""
            parts.append(f"**{key}**{page}: " + " ".join(groups[key]))
        projects = [k for k in order if any(p.name == k for p in self.corpus.projects)]
        lead = "Laut der Broschüre:"
        if listing and projects:
            lead = f"Dazu nennt die Broschüre: {_join_names(projects)}."
        return self._finish(q, lead + "\n\n" + "\n\n".join(parts), cites, "extraktiv", projects)
