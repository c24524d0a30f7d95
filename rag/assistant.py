"""The ``Assistant``: one object that the CLI, the web app and the evaluation use.

It wires the stages together — parse → chunk → embed/index → retrieve → understand → answer — with the
dependencies passed in (config, embedder, optional LLM), and never lets an exception reach the user.
A running Assistant picks up an index that ``rag index`` publishes meanwhile (:mod:`rag.live`).

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
import os
import time
from collections.abc import Iterator
from typing import Any

from rag.answer import Answerer
from rag.cache import cached_collect
from rag.config import Config
from rag.embed import Embedder, make_embedder
from rag.index.build import (
    Index,
    IndexError_,
    Progress,
    build_index,
    collect,
    current,
    index_key,
    open_index,
)
from rag.index.store import StoreError, Unreachable
from rag.live import Generation, LiveIndex
from rag.retrieve import Retriever
from rag.similar import SimilarFinder
from rag.types import Answer, Corpus, Hit, Project, Similar
from rag.understand import QuestionParser

log = logging.getLogger("rag")

INTERNAL_ERROR = (
    "Entschuldigung, bei der Beantwortung ist ein interner Fehler aufgetreten. "
    "Bitte formulieren Sie die Frage anders oder versuchen Sie es erneut."
)
STORE_UNREACHABLE = (
    "Entschuldigung, der Vektorspeicher (Chroma) ist gerade nicht erreichbar, daher kann ich die Frage "
    "nicht beantworten. Bitte versuchen Sie es in einigen Sekunden erneut; an der Frage liegt es nicht."
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
        notice: str = "",
    ) -> None:
        self.config = config
        self.embedder = embedder
        self.llm = llm
        self.build_seconds = build_seconds
        self.notice = notice  # a German note for the operator (e.g. the index cannot be rebuilt), or ""
        self.live = LiveIndex(config, embedder, Generation.build(config, corpus, index, embedder))

    # the current generation's parts (a newly published index replaces them between requests)
    @property
    def index(self) -> Index:
        return self.live.current.index

    @property
    def corpus(self) -> Corpus:
        return self.live.current.corpus

    @property
    def retriever(self) -> Retriever:
        return self.live.current.retriever

    @property
    def parser(self) -> QuestionParser:
        return self.live.current.parser

    @property
    def answerer(self) -> Answerer:
        return self.live.current.answerer

    @property
    def finder(self) -> SimilarFinder:
        return self.live.current.finder

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
        """Open the index (building it first if missing, stale or broken) and return a ready Assistant.

        If the index cannot be (re)built (read-only or full data directory, a store that fails to write),
        a published index that still opens is used as it is and ``notice`` says so (German).
        """
        config = config or Config.from_env()
        embedder = embedder or make_embedder(config.embedder)
        corpus, chunks = cached_collect(config, collect)
        t0 = time.perf_counter()
        cur = current(config.data_dir)
        index = None
        notice = ""
        if not rebuild and cur and cur[0] == index_key(chunks, embedder.name):
            try:
                index = open_index(config, verify_store=False)  # the store opens on first use, if ever
            except Unreachable:
                raise  # a Chroma server that does not answer: a rebuild would wait for it again
            except Exception:
                log.warning("index unusable, rebuilding", exc_info=True)
        built = 0.0
        if index is None:
            try:
                index, _ = build_index(config, embedder, force=rebuild, progress=progress)
            except (IndexError_, StoreError) as exc:  # read-only or full data directory, store write failed …
                index = _fallback(config, embedder)
                if index is None:
                    raise
                notice = (
                    f"Hinweis: Der Index kann nicht neu gebaut werden ({exc}). Es wird der vorhandene "
                    f"Index {index.dirname} benutzt; er passt womöglich nicht mehr zum Korpus."
                )
            built = time.perf_counter() - t0
        if not notice and not os.access(config.data_dir, os.W_OK):
            notice = (
                f"Hinweis: Das Datenverzeichnis {config.data_dir} ist schreibgeschützt. Der vorhandene Index "
                "wird benutzt, kann aber nicht neu gebaut werden; Feedback und Log werden nicht gespeichert."
            )
        if notice:
            log.warning("%s", notice)
        return cls(config, corpus, index, embedder, llm=llm, build_seconds=built, notice=notice)

    @property
    def _project_aliases(self) -> dict[str, list[str]]:
        """Project name -> the aliases the parser knows (for validating language-model answers)."""
        return self.live.current.aliases

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
        """Yield text pieces, then the final ``Answer`` (always exactly one, never an exception).

        The whole request runs on one index generation, even if a newer index is swapped in meanwhile.
        """
        t0 = time.perf_counter()
        self.live.poll()
        with self.live.use() as gen:
            yield from self._ask_on(gen, question, history, filters, t0)

    def _ask_on(
        self,
        gen: Generation,
        question: str,
        history: list[dict[str, str]] | None,
        filters: dict[str, Any] | None,
        t0: float,
    ) -> Iterator[str | Answer]:
        try:
            if not isinstance(question, str):
                question = "" if question is None else str(question)
            history = [h for h in (history or []) if isinstance(h, dict)]
            q = gen.parser.parse(question, history)
            if self.llm is not None and history and q.refers_back and not q.followup:
                # the language model rewrites a follow-up the rules could not resolve into a full question
                from rag.llm import condense

                rewritten = condense(self.llm, question, history)
                if rewritten and rewritten != question:
                    q = gen.parser.parse(rewritten, history)
            answer = gen.finder.answer(q, filters) if q.intent == "similar" else gen.answerer.answer(q, filters)
        except StoreError as exc:  # a Chroma server that does not answer: not the question's fault
            log.error("vector store failed for %r: %s", question[:200] if isinstance(question, str) else question, exc)
            answer = Answer(STORE_UNREACHABLE, mode="fehler", intent="error", answerable=False)
        except Exception:
            log.error("ask failed for %r", question[:200] if isinstance(question, str) else question, exc_info=True)
            answer = Answer(INTERNAL_ERROR, mode="fehler", intent="error", answerable=False)
        if self.llm is not None and answer.mode != "fehler":
            yield from self._with_llm(gen, question, history or [], answer, t0)
            return
        yield from answer.text.splitlines(keepends=True)  # line by line, so that interfaces can stream
        yield _timed(answer, t0)

    def _with_llm(
        self, gen: Generation, question: str, history: list[dict[str, str]], answer: Answer, t0: float
    ) -> Iterator[str | Answer]:
        from rag.llm import generate_answer

        final = answer
        past = [e.name for e in gen.corpus.overview if not e.is_2021]
        for piece in generate_answer(self.llm, question, history, answer, gen.aliases, places=past):
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
        self.live.poll()
        with self.live.use() as gen:
            q = gen.parser.parse(question, history)
            if q.intent == "similar":  # comparable projects: the finder's ranking is the evidence
                return [Hit(gen.answerer.header[s.project], s.score) for s in gen.finder.similar(q.text, k, filters)]
            return gen.answerer.evidence(q, k=k, filters=filters)

    def llama_retriever(self, k: int = 5, filters: dict[str, Any] | None = None, mode: str = "hybrid") -> Any:
        """The hybrid retriever as a LlamaIndex ``BaseRetriever`` (``rag.index.llama.HybridRetriever``)."""
        from rag.index.llama import HybridRetriever

        return HybridRetriever(self.retriever, k=k, filters=filters, mode=mode)

    # -- comparable projects --------------------------------------------------------------------
    def similar(self, text: str, k: int = 5, filters: dict[str, Any] | None = None) -> list[Similar]:
        """Rank comparable 2021 projects for a description (or a project name), with the reason."""
        self.live.poll()
        with self.live.use() as gen:
            return gen.finder.similar(text, k=k, filters=filters)


def _fallback(config: Config, embedder: Embedder) -> Index | None:
    """The published index as it is (when it cannot be rebuilt), if it opens and fits the embedder."""
    try:
        index = open_index(config)
    except IndexError_:
        return None
    if index.manifest.get("embedder") != embedder.name:
        index.close()
        return None
    return index


def _timed(answer: Answer, t0: float) -> Answer:
    from dataclasses import replace

    return replace(answer, timings={**answer.timings, "total_ms": round((time.perf_counter() - t0) * 1000, 1)})


__all__ = ["INTERNAL_ERROR", "STORE_UNREACHABLE", "Assistant"]
