"""The index a running Assistant answers from, swapped for a newly published one between requests.

A :class:`Generation` bundles everything built on one index (retriever, parser, answerer, finder). The
:class:`LiveIndex` holds the current generation and, at most every ``interval`` seconds, looks at the
``current.json`` pointer (one ``stat``). When a build has published another index directory, a
background thread opens it and builds the new generation; requests meanwhile keep using the old one.
The swap is one assignment: requests that started on the old generation finish on it, and only when
the last of them is done is its index closed and its reader lease (:mod:`rag.index.lease`) released,
so that the next build may delete it.

A published index that cannot be used (broken, or built with another embedding model) is logged and
skipped; the running generation stays.

Example::

    >>> live = LiveIndex(config, embedder, Generation.build(config, corpus, index, embedder))   # doctest: +SKIP
    >>> live.poll()                       # cheap; starts loading in the background if needed   # doctest: +SKIP
    >>> with live.use() as gen:                                                           # doctest: +SKIP
    ...     gen.answerer.answer(gen.parser.parse("Welche Kleinstädte …?"))
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rag.answer import Answerer
from rag.config import Config
from rag.embed import Embedder
from rag.index.build import Index, IndexError_, current, open_index
from rag.index.exact import DenseSearch, ExactVectors
from rag.index.filters import ChunkFilter
from rag.index.store import StoreError
from rag.parse import load_corpus
from rag.retrieve import Retriever, cached_bm25
from rag.similar import SimilarFinder
from rag.synonyms import Thesaurus
from rag.types import Corpus
from rag.understand import QuestionParser

log = logging.getLogger("rag")

CHECK_INTERVAL = 1.0  # seconds between two looks at current.json
RETRY_AFTER = 30.0  # seconds before a published index that failed to open is tried again


@dataclass(eq=False)
class Generation:
    """Everything built on one index; in use by ``users`` requests, ``retired`` once a newer one took over."""

    corpus: Corpus
    index: Index
    retriever: Retriever
    parser: QuestionParser
    answerer: Answerer
    finder: SimilarFinder
    users: int = 0
    retired: bool = False
    aliases: dict[str, list[str]] = field(default_factory=dict)  # project -> aliases the parser knows

    @classmethod
    def build(
        cls, config: Config, corpus: Corpus, index: Index, embedder: Embedder, parser: QuestionParser | None = None
    ) -> Generation:
        chunk_filter = ChunkFilter(index.chunks)
        dense: DenseSearch = index.store
        if index.chunk_vectors is not None and not config.chroma_url:
            # exact search over the index's kept chunk vectors; Chroma opens only when needed (rag.index.exact)
            dense = ExactVectors(index.chunks, index.chunk_vectors, chunk_filter, ann=index.store)
        retriever = Retriever(
            index.chunks,
            dense,
            embedder,
            sentences=index.sentences,
            sentence_vectors=index.sentence_vectors,
            bm25=cached_bm25(index.chunks, Thesaurus(), config.data_dir),
            chunk_filter=chunk_filter,
        )
        parser = parser or QuestionParser(corpus)
        answerer = Answerer(corpus, retriever)
        finder = SimilarFinder(answerer.ctx, parser, embedder, dense)
        aliases = {p.name: sorted(a for a, n in parser.aliases.items() if n == p.name) for p in corpus.projects}
        return cls(corpus, index, retriever, parser, answerer, finder, aliases=aliases)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.index.close()


def _stamp(path: os.PathLike[str]) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class LiveIndex:
    """The current :class:`Generation`, replaced when a build publishes a new index (see module docs)."""

    def __init__(
        self,
        config: Config,
        embedder: Embedder,
        generation: Generation,
        *,
        interval: float = CHECK_INTERVAL,
        opener: Callable[[Config], Index] = open_index,
    ) -> None:
        self.config = config
        self.embedder = embedder
        self.interval = interval
        self._open = opener
        self._current = generation
        self._lock = threading.Lock()
        self._pointer = config.data_dir / "current.json"
        self._stamp = _stamp(self._pointer)
        self._next_check = time.monotonic() + interval
        self._loader: threading.Thread | None = None
        self._skipped: dict[str, float] = {}  # published directory -> when to try it again
        self.swaps = 0

    @property
    def interval(self) -> float:
        return self._interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        """A new check interval applies from now (the next check is at most ``seconds`` away)."""
        self._interval = seconds
        self._next_check = min(getattr(self, "_next_check", float("inf")), time.monotonic() + seconds)

    @property
    def current(self) -> Generation:
        return self._current

    @contextlib.contextmanager
    def use(self) -> Iterator[Generation]:
        """The current generation, kept open until the ``with`` block (the request) ends."""
        with self._lock:
            gen = self._current
            gen.users += 1
        try:
            yield gen
        finally:
            with self._lock:
                gen.users -= 1
                done = gen.retired and gen.users == 0
            if done:
                gen.close()

    # -- noticing a new index ----------------------------------------------------------------------------
    def poll(self) -> None:
        """Start loading a newly published index in the background (cheap; at most every ``interval`` s)."""
        now = time.monotonic()
        if now < self._next_check:
            return
        self._next_check = now + self.interval
        stamp = _stamp(self._pointer)
        if stamp == self._stamp:
            return
        cur = current(self.config.data_dir)
        if cur is None or cur[1] == self._current.index.dirname:
            self._stamp = stamp
            return
        if self._skipped.get(cur[1], 0.0) > now:
            return  # failed before: tried again after RETRY_AFTER
        with self._lock:
            if self._loader is not None and self._loader.is_alive():
                return
            self._loader = threading.Thread(target=self._load, args=(stamp,), name="index-reload", daemon=True)
            self._loader.start()

    def refresh(self) -> bool:
        """Load a newly published index now (in this thread). True if the generation changed."""
        before = self._current
        self._load(_stamp(self._pointer))
        return self._current is not before

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background load to finish (for tests and orderly shutdown)."""
        loader = self._loader
        if loader is not None:
            loader.join(timeout)

    def _load(self, stamp: tuple[int, int, int] | None) -> None:
        try:
            index = self._open(self.config)
        except (IndexError_, StoreError) as exc:
            log.warning("new index not usable, staying on %s: %s", self._current.index.dirname, exc)
            cur = current(self.config.data_dir)
            if cur:
                self._skipped[cur[1]] = time.monotonic() + RETRY_AFTER
            return
        except Exception:
            log.error("loading the new index failed, staying on %s", self._current.index.dirname, exc_info=True)
            return
        old = self._current
        if index.dirname == old.index.dirname:
            index.close()
            self._stamp = stamp
            return
        if index.manifest.get("embedder") != self.embedder.name:
            log.warning(
                "index %s was built with %s, this process embeds with %s: not switching",
                index.dirname,
                index.manifest.get("embedder"),
                self.embedder.name,
            )
            self._skipped[index.dirname] = float("inf")
            index.close()
            return
        try:
            if index.key == old.index.key:  # same content: keep corpus and parser
                new = Generation.build(self.config, old.corpus, index, self.embedder, old.parser)
            else:
                new = Generation.build(self.config, load_corpus(self.config.corpus_dir), index, self.embedder)
        except Exception:
            log.error("building on index %s failed, staying on %s", index.dirname, old.index.dirname, exc_info=True)
            index.close()
            return
        self._swap(new)
        self._stamp = stamp
        log.info("switched to index %s (was %s)", index.dirname, old.index.dirname)

    def _swap(self, new: Generation) -> None:
        with self._lock:
            old = self._current
            self._current = new
            old.retired = True
            done = old.users == 0
            self.swaps += 1
        if done:
            old.close()
