"""Metadata filters as boolean row masks over the chunk list, computed once per (field, value).

Retrieval narrows both sides by ``category``, ``state``, ``field`` (Handlungsfeld), ``project`` (one name or
a list) and ``kind``/``section``/``document``. A linear Python loop over all chunks per query cost ~50 ms at
100k chunks; here each (field, value) mask is built once with one pass and then reused, and a query only
ANDs a few numpy arrays.

Example::

    >>> from rag.types import Chunk
    >>> f = ChunkFilter([Chunk("a", "x", "passage", project="P", states=("Bayern",)),
    ...                  Chunk("b", "y", "passage", project="Q", states=("Hessen",))])
    >>> f.indices({"state": "Bayern"}).tolist(), f.mask({}) is None
    ([0], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rag.types import Chunk

SCALAR_KEYS = ("category", "project", "kind", "section", "document")
MULTI_KEYS = {"state": "states", "field": "fields"}  # filter key -> the chunk's tuple attribute
KEYS = (*SCALAR_KEYS, *MULTI_KEYS)


class ChunkFilter:
    """Boolean masks over ``chunks`` for metadata filters (unknown keys and empty values are ignored)."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self._chunks = chunks
        self._n = len(chunks)
        self._groups: dict[str, dict[str, np.ndarray]] = {}

    def _value_mask(self, key: str, value: str) -> np.ndarray:
        groups = self._groups.get(key)
        if groups is None:  # one pass over the chunks builds the row lists of every value of this key
            rows: dict[str, list[int]] = {}
            if key in MULTI_KEYS:
                attr = MULTI_KEYS[key]
                for i, c in enumerate(self._chunks):
                    for v in getattr(c, attr):
                        rows.setdefault(v, []).append(i)
            else:
                for i, c in enumerate(self._chunks):
                    rows.setdefault(getattr(c, key), []).append(i)
            groups = {}
            for v, idx in rows.items():
                m = np.zeros(self._n, dtype=bool)
                m[idx] = True
                groups[v] = m
            self._groups[key] = groups
        found = groups.get(value)
        return found if found is not None else np.zeros(self._n, dtype=bool)

    def mask(self, filters: dict[str, Any], keys: Sequence[str] = KEYS) -> np.ndarray | None:
        """Rows that pass every filter among ``keys`` (``None``: no filter set). ``project`` may be a list."""
        out: np.ndarray | None = None
        for key in keys:
            value = filters.get(key)
            if not value:
                continue
            if isinstance(value, list | tuple | set | frozenset):
                m = np.zeros(self._n, dtype=bool)
                for v in value:
                    m |= self._value_mask(key, v)
            else:
                m = self._value_mask(key, value)
            out = m.copy() if out is None else (out & m)
        return out

    def indices(self, filters: dict[str, Any], keys: Sequence[str] = KEYS) -> np.ndarray | None:
        """Row numbers (ascending) that pass the filters, or ``None`` when no filter is set."""
        m = self.mask(filters, keys)
        return None if m is None else np.flatnonzero(m)
