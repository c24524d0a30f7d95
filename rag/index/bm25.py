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
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, d in enumerate(docs):
            for term, tf in Counter(d).items():
                postings[term].append((i, tf))
        self._postings: dict[str, list[tuple[int, int]]] | None = dict(postings)
        n = len(docs)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        self._n = n
        self._vocab = {t: i for i, t in enumerate(postings)}
        self._matrix = self._score_matrix(docs)
        self._post_arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def postings(self) -> dict[str, list[tuple[int, int]]]:
        """term -> [(document, term frequency)], documents ascending (built on first use after ``from_arrays``)."""
        if self._postings is None:
            assert self._post_arrays is not None
            ptr, doc, tf = (a.tolist() for a in self._post_arrays)
            self._postings = {
                t: list(zip(doc[ptr[i] : ptr[i + 1]], tf[ptr[i] : ptr[i + 1]], strict=True))
                for t, i in self._vocab.items()
            }
        return self._postings

    @postings.setter
    def postings(self, value: dict[str, list[tuple[int, int]]]) -> None:
        self._postings = value

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Everything a query needs as numpy arrays (strings as unicode arrays), for ``numpy.savez``."""
        vocab = list(self._vocab)
        post = self.postings
        sizes = [len(post[t]) for t in vocab]
        out = {
            "params": np.array([self.k1, self.b, self.avgdl, self._n, self.related_weight], dtype=np.float64),
            "vocab": np.array(vocab, dtype=str),
            "idf": np.array([self.idf[t] for t in vocab], dtype=np.float64),
            "lengths": np.array(self.lengths, dtype=np.int64),
            "post_ptr": np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64),
            "post_doc": np.array([d for t in vocab for d, _ in post[t]], dtype=np.int64),
            "post_tf": np.array([f for t in vocab for _, f in post[t]], dtype=np.int64),
            "dec_vocab": np.array(sorted(self.decompounder.vocabulary), dtype=str),
            "dec_query_vocab": np.array(sorted(self.decompounder.query_vocabulary), dtype=str),
        }
        if self._matrix is not None:
            out.update(zip(("m_data", "m_indices", "m_indptr"), self._matrix, strict=True))
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], related: Callable[[str], set[str]] | None = None) -> BM25:
        """The index saved by :meth:`to_arrays` (``related`` is not stored: pass it again)."""
        self = cls.__new__(cls)
        k1, b, avgdl, n, related_weight = arrays["params"].tolist()
        self.k1, self.b, self.avgdl, self._n = k1, b, avgdl, int(n)
        self.related, self.related_weight = related, related_weight
        vocab = arrays["vocab"].tolist()
        self._vocab = {t: i for i, t in enumerate(vocab)}
        self.idf = dict(zip(vocab, arrays["idf"].tolist(), strict=True))
        self.lengths = arrays["lengths"].tolist()
        if len(self.lengths) != self._n or len(arrays["post_ptr"]) != len(vocab) + 1:
            raise ValueError("inconsistent BM25 arrays")
        self._postings = None
        self._post_arrays = (arrays["post_ptr"], arrays["post_doc"], arrays["post_tf"])
        self.decompounder = Decompounder(arrays["dec_vocab"].tolist(), arrays["dec_query_vocab"].tolist())
        self._matrix = (arrays["m_data"], arrays["m_indices"], arrays["m_indptr"]) if "m_data" in arrays else None
        return self

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

    def search(
        self, text: str, k: int = 10, allowed: Iterable[int] | np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` best documents as (index, score), best first, ties by index; only documents with at
        least one query term (and, with ``allowed`` – document numbers or a boolean mask – only those)."""
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
            if isinstance(allowed, np.ndarray) and allowed.dtype == bool and len(allowed) == self._n:
                hit &= allowed
            else:
                mask = np.zeros(self._n, dtype=bool)
                allow = np.asarray(allowed if isinstance(allowed, np.ndarray) else list(allowed), dtype=np.int64)
                mask[allow[(allow >= 0) & (allow < self._n)]] = True
                hit &= mask
        cand = np.flatnonzero(hit)
        if len(cand) > k:  # everything tied with the k-th best stays in, so ties are broken by index as before
            kth = np.partition(scores[cand], len(cand) - k)[len(cand) - k]
            cand = cand[scores[cand] >= kth]
        order = np.lexsort((cand, -scores[cand]))[:k]
        return [(int(cand[i]), float(scores[cand[i]])) for i in order]
