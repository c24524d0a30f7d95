"""The ``Assistant``: one object that the CLI, the web app and the evaluation use.

It wires the stages together — parse → chunk → embed/index → retrieve → understand → answer — with the
dependencies passed in (config, embedder, optional LLM), and never lets an exception reach the user.

Example::

    >>> from rag import Assistant                                                  # doctest: +SKIP
    >>> a = Assistant.load()                                                       # doctest: +SKIP
    >>> ans = a.ask("Welche Kleinstädte wurden 2021 gefördert?")                   # doctest: +SKIP
    >>> ans.projects, [s.page for s in ans.sources]                                # doctest: +SKIP
    (('Guben', 'Linz am Rhein'), [31, 32])
    >>> a.ask("Und in welchem Bundesland liegt Guben?").text                       # doctest: +SKIP
    'Guben liegt in Brandenburg [1].'
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from rag.answer import Answerer, Citations, quote
from rag.config import Config
from rag.embed import Embedder, make_embedder
from rag.german import terms
from rag.index.build import Index, Progress, build_index, collect, current, index_key, open_index
from rag.retrieve import Retriever
from rag.types import Answer, Corpus, Hit, Project, Similar
from rag.understand import Query, QuestionParser

log = logging.getLogger("rag")

INTERNAL_ERROR = (
    "Entschuldigung, bei der Beantwortung ist ein interner Fehler aufgetreten. "
    "Bitte formulieren Sie die Frage anders oder versuchen Sie es erneut."
)


class Assistant:
    def __init__(
        self,
        config: Config,
        corpus: Corpus,
        index: Index,
        embedder: Embedder,
        llm: Any = None,
        build_seconds: float = 0.0,
    ) -> None:
        self.config = config
        self.corpus = corpus
        self.index = index
        self.embedder = embedder
        self.llm = llm
        self.build_seconds = build_seconds
        self.retriever = Retriever(
            index.chunks, index.store, embedder, sentences=index.sentences, sentence_vectors=index.sentence_vectors
        )
        self.parser = QuestionParser(corpus)
        self.answerer = Answerer(corpus, self.retriever)

    @classmethod
    def load(
        cls,
        config: Config | None = None,
        *,
        embedder: Embedder | None = None,
        llm: Any = None,
        progress: Progress | None = None,
        rebuild: bool = False,
    ) -> Assistant:
        """Open the index (building it first if missing, stale or broken) and return a ready Assistant."""
        config = config or Config.from_env()
        embedder = embedder or make_embedder(config.embedder)
        corpus, chunks = collect(config)
        t0 = time.perf_counter()
        cur = current(config.data_dir)
        index = None
        if not rebuild and cur and cur[0] == index_key(chunks, embedder.name):
            try:
                index = open_index(config)
            except Exception:
                log.warning("index unusable, rebuilding", exc_info=True)
        built = 0.0
        if index is None:
            index, _ = build_index(config, embedder, force=rebuild, progress=progress)
            built = time.perf_counter() - t0
        return cls(config, corpus, index, embedder, llm=llm, build_seconds=built)

    @cached_property
    def _project_aliases(self) -> dict[str, list[str]]:
        """Project name -> the aliases the parser knows (for validating language-model answers)."""
        return {p.name: sorted(a for a, n in self.parser.aliases.items() if n == p.name) for p in self.corpus.projects}

    @cached_property
    def _past_places(self) -> list[str]:
        return [e.name for e in self.corpus.overview if not e.is_2021]

    # -- information ----------------------------------------------------------------------------
    @property
    def mode_label(self) -> str:
        if self.llm is not None:
            return f"mit ollama-Modell {getattr(self.llm, 'model', getattr(self.llm, 'name', '?'))}"
        return "ohne Sprachmodell (extraktiv)"

    def projects(self, category: str | None = None, state: str | None = None) -> list[Project]:
        return [
            p
            for p in self.corpus.projects
            if (not category or p.category == category) and (not state or state in p.states)
        ]

    # -- asking ---------------------------------------------------------------------------------
    def ask(
        self, question: str, history: list[dict[str, str]] | None = None, filters: dict[str, Any] | None = None
    ) -> Answer:
        final: Answer | None = None
        for piece in self.ask_stream(question, history, filters):
            if isinstance(piece, Answer):
                final = piece
        assert final is not None
        return final

    def ask_stream(
        self, question: str, history: list[dict[str, str]] | None = None, filters: dict[str, Any] | None = None
    ) -> Iterator[str | Answer]:
        """Yield text pieces, then the final ``Answer`` (always exactly one, never an exception)."""
        t0 = time.perf_counter()
        try:
            if not isinstance(question, str):
                question = "" if question is None else str(question)
            history = [h for h in (history or []) if isinstance(h, dict)]
            q = self.parser.parse(question, history)
            if self.llm is not None and history and q.refers_back and not q.followup:
                # the language model rewrites a follow-up the rules could not resolve into a full question
                from rag.llm import condense

                rewritten = condense(self.llm, question, history)
                if rewritten and rewritten != question:
                    q = self.parser.parse(rewritten, history)
            answer = self._similar_answer(q, filters) if q.intent == "similar" else self.answerer.answer(q, filters)
        except Exception:
            log.error("ask failed for %r", question[:200] if isinstance(question, str) else question, exc_info=True)
            answer = Answer(INTERNAL_ERROR, mode="fehler", intent="error", answerable=False)
        if self.llm is not None and answer.mode != "fehler":
            yield from self._with_llm(question, history or [], answer, t0)
            return
        yield from answer.text.splitlines(keepends=True)  # line by line, so that interfaces can stream
        yield _timed(answer, t0)

    def _with_llm(
        self, question: str, history: list[dict[str, str]], answer: Answer, t0: float
    ) -> Iterator[str | Answer]:
        from rag.llm import generate_answer

        final = answer
        for piece in generate_answer(
            self.llm, question, history, answer, self._project_aliases, places=self._past_places
        ):
            if isinstance(piece, Answer):
                final = piece
            else:
                yield piece
        yield _timed(final, t0)

    def retrieve(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        k: int = 10,
        filters: dict[str, Any] | None = None,
    ) -> list[Hit]:
        """The ranked evidence the answer to ``question`` rests on (follow-ups resolved, filters applied)."""
        return self.answerer.evidence(self.parser.parse(question, history), k=k, filters=filters)

    # -- comparable projects --------------------------------------------------------------------
    def similar(self, text: str, k: int = 5, filters: dict[str, Any] | None = None) -> list[Similar]:
        """Rank comparable 2021 projects for a description (or a project name), with the reason."""
        text = (text or "").strip()[:2000]
        if not text:
            return []
        q = self.parser.parse(text)
        own = q.projects[0] if len(q.projects) == 1 and len(text) < 60 else ""
        if own:
            proj = self.corpus.project(own)
            query_text = f"{proj.title}. {proj.motto}. {proj.text[:1500]}"
            emb = self.embedder.embed_documents([query_text])[0]
        else:
            query_text = text
            emb = self.retriever.embed_query(text)
        f = {key: v for key, v in (filters or {}).items() if v and key in ("category", "state")}
        dense = self.index.store.query(emb, 60, f)
        per_dense: dict[str, list[float]] = {}
        for cid, score in dense:
            c = self.retriever.by_id.get(cid)
            if c and c.project and c.project != own:
                per_dense.setdefault(c.project, []).append(score)
        allowed = self.retriever.allowed_indices(f)
        per_sparse: dict[str, float] = {}
        for i, s in self.retriever.bm25.search(query_text, 80, allowed):
            c = self.retriever.chunks[i]
            if c.project and c.project != own:
                per_sparse[c.project] = per_sparse.get(c.project, 0.0) + s
        # score fusion per project: dense (best passage + a little of the second) and summed BM25,
        # each scaled to 0..1 across the candidates, so that the score says how close a match is
        dense_score = {p: max(v) + 0.3 * sorted(v)[-2:][0] for p, v in per_dense.items()}
        fused = {
            p: 0.5 * _scaled(dense_score, p) + 0.5 * _scaled(per_sparse, p) for p in set(dense_score) | set(per_sparse)
        }
        preferred = set(q.categories)
        for name in fused:
            if self.corpus.project(name).category in preferred:
                fused[name] += 0.1
        return [
            self._similar_reason(name, query_text, q, fused[name])
            for name in sorted(fused, key=lambda p: (-fused[p], p))[:k]
        ]

    def _similar_reason(self, name: str, query_text: str, q: Query, score: float) -> Similar:
        p = self.corpus.project(name)
        bm = self.retriever.bm25
        qterms = set(bm.query_terms(query_text))
        surface: dict[str, str] = {}
        for w in p.text.replace("\n", " ").split():
            w = w.strip(".,;:!?()„“\"'–-")
            for t in terms(w):
                if t in qterms and len(w) > 3 and t not in self.parser.frame_stems and bm.idf.get(t, 0.0) > 1.5:
                    surface.setdefault(t, w)
        shared = sorted(surface, key=lambda t: -bm.idf.get(t, 0.0))[:5]
        topics = tuple(surface[t] for t in shared)
        hits = self.retriever.retrieve(query_text, k=2, filters={"project": name, "kind": "passage"})
        best = self.answerer.best_sentences(Query(text=query_text, intent="open"), hits, limit=1)
        snippet = best[0][1] if best else ""
        reasons = []
        if topics:
            reasons.append("gemeinsame Themen: " + ", ".join(topics))
        if p.category in q.categories:
            reasons.append(f"gleiche Kategorie ({p.category})")
        if snippet:
            reasons.append(f"passende Stelle (S. {best[0][0].chunk.page}): {quote(snippet[:220])}")
        reason = "; ".join(reasons) or "inhaltlich ähnliche Beschreibung"
        return Similar(name, p.category, p.states, p.page, round(score, 4), reason, topics, snippet)

    def _similar_answer(self, q: Query, filters: dict[str, Any] | None) -> Answer:
        results = self.similar(q.text, k=5, filters=filters)
        if results:  # in an answer, only the close matches (the API returns all k)
            results = [r for r in results if r.score >= 0.75 * results[0].score]
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
            m = cites.cite(self.answerer.header[s.project], s.score)
            snippet_marker = ""
            if s.snippet:
                chunk = next((c for c in self.retriever.project_chunks(s.project) if s.snippet in c.text), None)
                if chunk:
                    snippet_marker = " " + cites.cite(chunk, s.score, s.snippet)
            p = self.corpus.project(s.project)
            lines.append(
                f"{i}. **{s.project}** ({p.size_class}, {', '.join(s.states)}, S. {s.page}) {m}{snippet_marker}"
                f"\n   Warum: {s.reason}"
            )
        text = "Diese Modellprojekte 2021 sind mit Ihrem Vorhaben vergleichbar:\n\n" + "\n".join(lines)
        notice = "Hinweis: Anweisungen in der Frage wurden ignoriert." if q.injection else ""
        return Answer(
            text, tuple(cites.sources), "extraktiv", "similar", True, tuple(s.project for s in results), notice
        )


def _scaled(scores: dict[str, float], key: str) -> float:
    """Min-max scaled score of ``key`` (0 when absent)."""
    if key not in scores:
        return 0.0
    lo, hi = min(scores.values()), max(scores.values())
    return 1.0 if hi == lo else (scores[key] - lo) / (hi - lo)


def _timed(answer: Answer, t0: float) -> Answer:
    from dataclasses import replace

    return replace(answer, timings={**answer.timings, "total_ms": round((time.perf_counter() - t0) * 1000, 1)})


__all__ = ["INTERNAL_ERROR", "Assistant"]
