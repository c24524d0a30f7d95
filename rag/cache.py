"""On-disk caches of derived data, so that a fresh process does not redo pure-Python work on every start.

A cold ``rag ask`` used to parse the brochure (measures, Handlungsfelder), chunk it and stem and
decompound every chunk for BM25 before answering — about a second on two cores. The results depend only on
their inputs, so they are stored under ``<data dir>/cache/`` in files named by a fingerprint of exactly
those inputs:

- ``parsed-<hash>.json``: the ``Corpus`` and the chunks of :func:`rag.index.build.collect`. The hash
  covers every file of the corpus folder and every source/data file of the ``rag`` package (a changed
  parser invalidates it without a version number to bump).
- ``bm25-<hash>.npz``: the BM25 index (:meth:`rag.index.bm25.BM25.to_arrays`), hashed over the indexed
  texts, the query vocabulary, the BM25 parameters and the package sources.

Plain JSON and ``numpy.savez`` without pickle: a cache file cannot execute code. Any unreadable or
inconsistent file is ignored and rebuilt; a data directory that cannot be written only means no cache.
Writes are atomic (temporary file + ``os.replace``) and older files of the same kind are removed.

Example::

    >>> corpus, chunks = cached_collect(Config.from_env())        # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rag.types import Chunk, Corpus, OverviewEntry, Project, Section

log = logging.getLogger("rag")
CACHE_DIR = "cache"
_PACKAGE = Path(__file__).resolve().parent
T = TypeVar("T")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of every ``*.py`` and ``*.txt`` file of the ``rag`` package (names and contents)."""
    h = hashlib.sha256()
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".txt") and p.is_file()):
        h.update(str(path.relative_to(_PACKAGE)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of the corpus folder: every regular file's name and contents."""
    h = hashlib.sha256()
    for path in sorted(p for p in corpus_dir.iterdir() if p.is_file()):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(*parts: str | Iterable[str]) -> str:
    """A short hash over strings (and iterables of strings), with the package sources included."""
    h = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        for s in [part] if isinstance(part, str) else part:
            h.update(s.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
    return h.hexdigest()[:24]


def _tuples(d: dict[str, Any]) -> dict[str, Any]:
    """JSON lists back to the tuples of the frozen dataclasses (all their sequence fields are tuples)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}


def corpus_to_json(corpus: Corpus, chunks: list[Chunk]) -> dict[str, Any]:
    return {"corpus": asdict(corpus), "chunks": [asdict(c) for c in chunks]}


def corpus_from_json(data: dict[str, Any]) -> tuple[Corpus, list[Chunk]]:
    c = data["corpus"]
    corpus = Corpus(
        projects=tuple(Project(**_tuples(p)) for p in c["projects"]),
        sections=tuple(Section(**_tuples(s)) for s in c["sections"]),
        overview=tuple(OverviewEntry(**_tuples(o)) for o in c["overview"]),
        source=c["source"],
        year=c.get("year", ""),
    )
    return corpus, [Chunk(**_tuples(x)) for x in data["chunks"]]


def _write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file, then drop older files of the same kind; errors are only logged."""
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
        kind = path.name.split("-", 1)[0]
        for old in path.parent.glob(f"{kind}-*{path.suffix}"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("cache %s not written: %s", path.name, exc)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def cached_collect(config: Any, collect: Callable[[Any], tuple[Corpus, list[Chunk]]]) -> tuple[Corpus, list[Chunk]]:
    """``collect(config)``, read from ``parsed-<hash>.json`` when the corpus and the code are unchanged."""
    try:
        key = fingerprint(corpus_fingerprint(config.corpus_dir))
    except OSError:
        return collect(config)  # unreadable corpus folder: let the parser report it (German message)
    path = Path(config.data_dir) / CACHE_DIR / f"parsed-{key}.json"
    try:
        return corpus_from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.info("parse cache %s unusable (%s), reparsing", path.name, type(exc).__name__)
    corpus, chunks = collect(config)
    text = json.dumps(corpus_to_json(corpus, chunks), ensure_ascii=False)
    _write(path, lambda p: p.write_text(text, encoding="utf-8"))
    return corpus, chunks


def cached_arrays(
    data_dir: Path, kind: str, key: str, build: Callable[[], T], to_arrays: Callable[[T], dict[str, Any]],
    from_arrays: Callable[[dict[str, Any]], T],
) -> T:  # fmt: skip
    """An object stored as ``<kind>-<key>.npz`` (numpy arrays, no pickle), built when missing or unreadable."""
    import numpy as np

    path = Path(data_dir) / CACHE_DIR / f"{kind}-{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            return from_arrays({name: z[name] for name in z.files})
    except FileNotFoundError:
        pass
    except (OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        log.info("cache %s unusable (%s), rebuilding", path.name, type(exc).__name__)
    obj = build()
    arrays = to_arrays(obj)
    _write(path, lambda p: np.savez(p, **arrays))
    return obj
