"""Okapi BM25 over German terms (folded, stemmed, compounds split), scored with ``bm25s``' sparse matrix.

The project's own tokenisation stays in charge: :func:`rag.german.terms`, the corpus-trained
:class:`~rag.german.Decompounder` and the thesaurus weights of :meth:`BM25.weighted_terms`. ``bm25s`` gets
the finished token lists (as ids) and precomputes every (term, document) score once
(``idf · tf·(k1+1) / (tf + k1·(1-b+b·len/avgdl))``: its ``atire`` term frequency with the ``lucene`` idf,
the same formula as before). A query then reads the columns of its terms, each scaled by the term's weight
(``bm25s`` itself cannot weight query terms), and sums them with one ``numpy.bincount``; top-k by
``argpartition``. ``postings`` and ``idf`` stay plain dictionaries for the answer layer.

Example::

    >>> bm = BM25(["Digitaler Zwilling der Stadt", "Radverkehr und Mobilität", "Zwillingsstadt Gubin"])
    >>> [i for i, _ in bm.search("digitale Zwillinge", k=2)]
    [0, 2]
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from rag.german import QUESTION_VERBS, Decompounder, terms
from rag.synonyms import english_to_german


class BM25:
    """``related`` (optional) maps a query term to related terms, searched with ``related_weight``."""

    def __init__(
        self,
        texts: Sequence[str],
        k1: float = 1.4,
        b: float = 0.75,
        related: Callable[[str], set[str]] | None = None,
        related_weight: float = 0.4,
        query_vocabulary: Iterable[str] = (),
    ) -> None:
        self.k1, self.b = k1, b
        self.related = related
        self.related_weight = related_weight
        raw = [terms(t) for t in texts]
        self.decompounder = Decompounder((t for doc in raw for t in doc), query_vocabulary)
        docs = [self.decompounder.expand(d) for d in raw]
        del raw
        self.lengths = [len(d) for d in docs]
        self.avgdl = (sum(self.lengths) / len(docs)) if docs else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, d in enumerate(docs):
            for term, tf in Counter(d).items():
                self.postings[term].append((i, tf))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        self._n = n
        self._vocab = {t: i for i, t in enumerate(self.postings)}
        self._matrix = self._score_matrix(docs)

    def _score_matrix(self, docs: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(data, indices, indptr) of the term × document score matrix (CSC over documents), via bm25s."""
        if not self._vocab or not self._n:
            return None
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import: keep rag.log quiet
        engine = bm25s.BM25(k1=self.k1, b=self.b, method="atire", idf_method="lucene", dtype="float64")
        vocab = self._vocab
        engine.index(
            ([[vocab[t] for t in d] for d in docs], dict(vocab)), create_empty_token=False, show_progress=False
        )
        s = engine.scores
        return np.asarray(s["data"]), np.asarray(s["indices"]), np.asarray(s["indptr"])

    def query_terms(self, text: str) -> list[str]:
        return self.decompounder.expand_query(terms(english_to_german(text)))

    def weighted_terms(self, text: str) -> dict[str, float]:
        """Query terms with weight 1, related terms (thesaurus) with ``related_weight``."""
        weights = {t: (0.25 if t in QUESTION_VERBS else 1.0) for t in self.query_terms(text)}
        if self.related:
            for term in list(weights):
                for rel in self.related(term):
                    weights.setdefault(rel, self.related_weight)
        return weights

    def search(self, text: str, k: int = 10, allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """The ``k`` best documents as (index, score), best first, ties by index; only documents with at
        least one query term (and, with ``allowed``, only those)."""
        if self._matrix is None or k <= 0:
            return []
        data, indices, indptr = self._matrix
        cols = [(self._vocab[t], w) for t, w in self.weighted_terms(text).items() if t in self._vocab]
        if not cols:
            return []
        docs = np.concatenate([indices[indptr[c] : indptr[c + 1]] for c, _ in cols])
        vals = np.concatenate([data[indptr[c] : indptr[c + 1]] * w for c, w in cols])
        scores = np.bincount(docs, weights=vals, minlength=self._n)
        hit = np.zeros(self._n, dtype=bool)
        hit[docs] = True
        if allowed is not None:
            mask = np.zeros(self._n, dtype=bool)
            allow = np.fromiter(allowed, dtype=np.int64)
            mask[allow[(allow >= 0) & (allow < self._n)]] = True
            hit &= mask
        cand = np.flatnonzero(hit)
        if len(cand) > k:  # everything tied with the k-th best stays in, so ties are broken by index as before
            kth = np.partition(scores[cand], len(cand) - k)[len(cand) - k]
            cand = cand[scores[cand] >= kth]
        order = np.lexsort((cand, -scores[cand]))[:k]
        return [(int(cand[i]), float(scores[cand[i]])) for i in order]
