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

from rag.answer import Answerer
from rag.cache import cached_collect
from rag.config import Config
from rag.embed import Embedder, make_embedder
from rag.index.build import Index, Progress, build_index, collect, current, index_key, open_index
from rag.index.exact import DenseSearch, ExactVectors
from rag.index.filters import ChunkFilter
from rag.retrieve import Retriever, cached_bm25
from rag.similar import SimilarFinder
from rag.synonyms import Thesaurus
from rag.types import Answer, Corpus, Hit, Project, Similar
from rag.understand import QuestionParser

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
        chunk_filter = ChunkFilter(index.chunks)
        dense: DenseSearch = index.store
        if index.chunk_vectors is not None and not config.chroma_url:
            dense = ExactVectors(index.chunks, index.chunk_vectors, chunk_filter, ann=index.store)  # rag.index.exact
        self.retriever = Retriever(
            index.chunks,
            dense,
            embedder,
            sentences=index.sentences,
            sentence_vectors=index.sentence_vectors,
            bm25=cached_bm25(index.chunks, Thesaurus(), config.data_dir),
            chunk_filter=chunk_filter,
        )
        self.parser = QuestionParser(corpus)
        self.answerer = Answerer(corpus, self.retriever)
        self.finder = SimilarFinder(self.answerer.ctx, self.parser, embedder, dense)

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
        corpus, chunks = cached_collect(config, collect)
        t0 = time.perf_counter()
        cur = current(config.data_dir)
        index = None
        if not rebuild and cur and cur[0] == index_key(chunks, embedder.name):
            try:
                index = open_index(config, verify_store=False)  # the store opens on first use, if ever
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
            model = getattr(self.llm, "model", getattr(self.llm, "name", "?"))
            if str(getattr(self.llm, "name", "")).startswith("openai:"):
                return f"mit Sprachmodell {model} (OpenAI-kompatibler Server)"
            return f"mit ollama-Modell {model}"
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
            answer = self.finder.answer(q, filters) if q.intent == "similar" else self.answerer.answer(q, filters)
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
        q = self.parser.parse(question, history)
        if q.intent == "similar":  # comparable projects: the finder's ranking is the evidence
            return [Hit(self.answerer.header[s.project], s.score) for s in self.finder.similar(q.text, k, filters)]
        return self.answerer.evidence(q, k=k, filters=filters)

    def llama_retriever(self, k: int = 5, filters: dict[str, Any] | None = None, mode: str = "hybrid") -> Any:
        """The hybrid retriever as a LlamaIndex ``BaseRetriever`` (``rag.index.llama.HybridRetriever``)."""
        from rag.index.llama import HybridRetriever

        return HybridRetriever(self.retriever, k=k, filters=filters, mode=mode)

    # -- comparable projects --------------------------------------------------------------------
    def similar(self, text: str, k: int = 5, filters: dict[str, Any] | None = None) -> list[Similar]:
        """Rank comparable 2021 projects for a description (or a project name), with the reason."""
        return self.finder.similar(text, k=k, filters=filters)


def _timed(answer: Answer, t0: float) -> Answer:
    from dataclasses import replace

    return replace(answer, timings={**answer.timings, "total_ms": round((time.perf_counter() - t0) * 1000, 1)})


__all__ = ["INTERNAL_ERROR", "Assistant"]
