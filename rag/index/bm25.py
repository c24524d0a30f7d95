"""Okapi BM25 over German terms (folded, stemmed, compounds split), with an inverted index.

Example::

    >>> bm = BM25(["Digitaler Zwilling der Stadt", "Radverkehr und Mobilität", "Zwillingsstadt Gubin"])
    >>> [i for i, _ in bm.search("digitale Zwillinge", k=2)]
    [0, 2]
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

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
        self.lengths = [len(d) for d in docs]
        self.avgdl = (sum(self.lengths) / len(docs)) if docs else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, d in enumerate(docs):
            for term, tf in Counter(d).items():
                self.postings[term].append((i, tf))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}

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
        scores: dict[int, float] = defaultdict(float)
        allow = set(allowed) if allowed is not None else None
        for term, weight in self.weighted_terms(text).items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            idf *= weight
            for doc, tf in self.postings[term]:
                if allow is not None and doc not in allow:
                    continue
                norm = self.k1 * (1 - self.b + self.b * self.lengths[doc] / self.avgdl)
                scores[doc] += idf * tf * (self.k1 + 1) / (tf + norm)
        return sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]
