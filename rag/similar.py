"""Comparable projects: a municipality describes its situation and plans, and gets the 2021 projects
that work on the same themes — theme before category or Land — each with the shared content terms and a
whole sentence of the project that shows the match.

Scoring per project (``signals``): dense passage similarity and BM25 over its passages (each the best passage
plus a little of the second), and its best single sentence (``Evidence.rank_projects``), each scaled 0..1 over
the candidates and weighted by ``WEIGHTS``. A Land the description names adds a little, a matching category
only breaks near-ties.

Example::

    >>> finder = SimilarFinder(answerer.ctx, parser, embedder, index.store)          # doctest: +SKIP
    >>> [s.project for s in finder.similar("Grenzstadt zu Polen, Strukturwandel", k=2)]  # doctest: +SKIP
    ['Guben', 'Landkreis Vorpommern-Greifswald']
"""

from __future__ import annotations

import re
from typing import Any

from rag.answer.base import Context, finish, passage_hits
from rag.answer.citations import Citations, quote
from rag.answer.evidence import best_two, scaled
from rag.embed import Embedder
from rag.german import QUESTION_VERBS, terms
from rag.index.exact import DenseSearch
from rag.types import Answer, Similar
from rag.understand import Query, QuestionParser

# words of a self-description that say nothing about the theme
_FILLER = frozenset(
    terms(
        """wollen möchten möchte suchen suche schon bereits Menschen gerne gern viele viel Stadt Gemeinde Kommune
        Landkreis Kreis Region Projekte Projekt vergleichbar ähnlich ähnliche Vorhaben planen plant geplant
        haben sind unsere unser unseren wir gibt neue neuen mehr besser gut große kleine Ideen Idee
        Einwohner Einwohnern Einwohnerinnen Bewohner EW Leute Problem Probleme Herausforderung Herausforderungen
        stärken verbessern interessant passen passt hilfreich"""
    )
)
# weights of the (dense, sparse, sentence) signals, fitted with the bonuses below and ``CLOSE`` on the 193
# comparable-project requests of the read splits and practice sets (``python -m bench.calibrate_similar``, results
# in bench/results/similar_calibration.md): the words a description shares with a project's passages say more
# than how close in meaning one passage is
WEIGHTS = (0.1, 0.5, 0.3)
SAME_STATE = 0.1  # a project in a Land the description names (its own Land, or one its region lies in)
CATEGORY_TIEBREAK = 0.03
# an answer names the matches scoring at least this share of the best
CLOSE = 0.75


class SimilarFinder:
    def __init__(self, ctx: Context, parser: QuestionParser, embedder: Embedder, store: DenseSearch) -> None:
        self.ctx = ctx
        self.parser = parser
        self.embedder = embedder
        self.store = store
        self._surfaces: dict[str, list[tuple[str, str]]] = {}

    def similar(
        self, text: str, k: int = 5, filters: dict[str, Any] | None = None, parsed: Query | None = None
    ) -> list[Similar]:
        """Rank comparable 2021 projects for a description (or a project name), with the reason. ``parsed``:
        the description already read by the parser (the chat has it), so that it is not read twice."""
        text = (text or "").strip()[:2000]
        if not text:
            return []
        q = parsed if parsed is not None and parsed.text == text else self.parser.parse(text)
        probe, signals = self.signals(q, filters)
        fused = {p: sum(w * x for w, x in zip(WEIGHTS, xs, strict=True)) for p, xs in signals.items()}
        for name in fused:
            p = self.ctx.corpus.project(name)
            if p.category in q.categories:
                fused[name] += CATEGORY_TIEBREAK
            if set(p.states) & set(q.states):
                fused[name] += SAME_STATE
        ranked = sorted(fused, key=lambda p: (-fused[p], p))[:k]
        return [self._reason(name, probe, q, fused[name]) for name in ranked]

    def signals(
        self, q: Query, filters: dict[str, Any] | None = None
    ) -> tuple[Query, dict[str, tuple[float, float, float]]]:
        """The probe the themes are searched with, and per candidate project its (dense, sparse, sentence)
        signals, each scaled 0..1 over the candidates. A request that only names one project ("Projekte wie
        Guben") is searched by that project's own text, and the project itself is no candidate."""
        retriever = self.ctx.retriever
        own = q.projects[0] if len(q.projects) == 1 and len(q.text) < 60 else ""
        if own:
            proj = self.ctx.corpus.project(own)
            query_text = f"{proj.title}. {proj.motto}. {proj.text[:1500]}"
            emb = self.embedder.embed_documents([query_text])[0]
        else:
            query_text = q.retrieval_text
            emb = retriever.embed_query(query_text)
        f = {key: v for key, v in (filters or {}).items() if v and key in ("category", "state")}
        per_dense: dict[str, list[float]] = {}
        for cid, score in self.store.query(emb, 60, f):
            c = retriever.by_id.get(cid)
            if c and c.project and c.project != own and c.kind == "passage":
                per_dense.setdefault(c.project, []).append(score)
        allowed = retriever.allowed_mask(f)
        per_sparse_all: dict[str, list[float]] = {}
        for i, s in retriever.bm25.search(query_text, 80, allowed):
            c = retriever.chunks[i]
            if c.project and c.project != own and c.kind == "passage":
                per_sparse_all.setdefault(c.project, []).append(s)
        # best passage plus a little of the second, as for the dense side: a sum would favour long texts
        per_sparse = {p: best_two(v) for p, v in per_sparse_all.items()}
        probe = Query(text=query_text, intent="open", content_terms=self.themes(q), search_text=query_text,
                      expansions=q.expansions)  # fmt: skip
        per_sentence = {s.hit.chunk.project: s.score for s in self.ctx.evidence.rank_projects(probe, f)}
        per_sentence.pop(own, None)
        dense_score = {p: best_two(v) for p, v in per_dense.items()}
        names = set(dense_score) | set(per_sparse) | set(per_sentence)
        signals = {p: (scaled(dense_score, p), scaled(per_sparse, p), scaled(per_sentence, p)) for p in names}
        return probe, signals

    def _surface_terms(self, name: str) -> list[tuple[str, str]]:
        """(term, the word of the project's text it comes from), in text order; computed once per project."""
        got = self._surfaces.get(name)
        if got is None:
            bm = self.ctx.retriever.bm25
            got = []
            for w in self.ctx.corpus.project(name).text.replace("\n", " ").split():
                w = w.strip(".,;:!?()„“\"'–-*")
                if len(w) > 3:
                    got.extend((t, w) for t in bm.decompounder.expand(terms(w)))
            self._surfaces[name] = got
        return got

    def themes(self, q: Query) -> tuple[str, ...]:
        """The description's nouns among its content terms (German nouns are capitalised), without filler
        words; all content terms when the description has no such noun (e.g. written in lower case)."""
        content = [t for t in q.content_terms if t not in _FILLER and t not in QUESTION_VERBS]
        nouns = set(q.nouns)
        return tuple(t for t in content if t in nouns) or tuple(content)

    def _reason(self, name: str, probe: Query, q: Query, score: float) -> Similar:
        p = self.ctx.corpus.project(name)
        bm = self.ctx.retriever.bm25
        wanted = set(bm.decompounder.expand_query(list(probe.content_terms))) | set(probe.expansions)
        surface: dict[str, str] = {}
        for t, w in self._surface_terms(name):
            if t in wanted and t not in _FILLER and bm.idf.get(t, 0.0) > 1.2:
                surface.setdefault(t, w)
        topics = tuple(dict.fromkeys(surface[t] for t in sorted(surface, key=lambda t: -bm.idf.get(t, 0.0))))[:5]
        hits = passage_hits(self.ctx, name)
        best = self.ctx.evidence.best_sentences(probe, hits, limit=1)
        snippet = best[0].sentence if best else ""
        reasons = []
        if topics:
            reasons.append("gemeinsame Themen: " + ", ".join(topics))
        if snippet:
            reasons.append(f"passende Stelle (S. {best[0].hit.chunk.page}): {quote(snippet)}")
        if p.category in q.categories:
            reasons.append(f"gleiche Kategorie ({p.category})")
        reason = "; ".join(reasons) or "inhaltlich ähnliche Beschreibung"
        return Similar(name, p.category, p.states, p.page, round(score, 4), reason, topics, snippet)

    def answer(self, q: Query, filters: dict[str, Any] | None) -> Answer:
        """The chat answer to a comparable-projects request: the close matches with their reasons."""
        results = self.similar(q.text, k=5, filters=filters, parsed=q)
        if results:  # in an answer, only the close matches (the API returns all k)
            results = [r for r in results if r.score >= CLOSE * results[0].score][:4]
        if not results:
            return Answer(
                "Dazu habe ich keine vergleichbaren Projekte gefunden.",
                mode="extraktiv",
                intent="similar",
                answerable=False,
            )
        cites = Citations([])
        lines = []
        for i, s in enumerate(results, start=1):
            m = cites.cite(self.ctx.header[s.project], s.score)
            snippet_marker = ""
            if s.snippet:
                # a measure reads "heading – text": its heading is in the passage; whitespace as in no chunk
                head = " ".join(re.split(r" – |: ", s.snippet)[0].split())[:80]
                passages = [c for c in self.ctx.retriever.project_chunks(s.project) if c.kind == "passage"]
                chunk = next((c for c in passages if head in " ".join(c.text.split())), None)
                if chunk:
                    snippet_marker = " " + cites.cite(chunk, s.score, s.snippet)
            p = self.ctx.corpus.project(s.project)
            lines.append(
                f"{i}. **{s.project}** ({p.size_class}, {', '.join(s.states)}, S. {s.page}) {m}{snippet_marker}"
                f"\n   Warum: {s.reason}"
            )
        text = "Diese Modellprojekte 2021 sind mit Ihrem Vorhaben vergleichbar:\n\n" + "\n".join(lines)
        return finish(q, text, cites, "extraktiv", [s.project for s in results])
