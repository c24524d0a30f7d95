"""A running Assistant and index rebuilds: reader leases, the swap to a newly published index, builds that
fail for want of disk space. Fast: the tiny ``HashEmbedder`` and the embedded store.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from rag.assistant import Assistant
from rag.config import Config
from rag.index import build as build_mod
from rag.index.build import IndexError_, build_index, current, open_index
from rag.index.lease import Lease, LeaseLost, removable, remove_unless_leased
from tests.conftest import CORPUS_DIR, ROOT
from tests.test_index import HashEmbedder

QUESTION = "Welche Kleinstädte wurden 2021 gefördert?"


@pytest.fixture()
def cfg(tmp_path: Path) -> Config:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    return Config(data_dir=tmp_path / "data", corpus_dir=corpus, embedder="test-hash")


def dirs(cfg: Config) -> set[str]:
    return {d.name for d in (cfg.data_dir / "indexes").iterdir()}


def answered(a: Assistant) -> bool:
    ans = a.ask(QUESTION)
    return ans.mode != "fehler" and "Guben" in ans.text and "Linz am Rhein" in ans.text


# -- leases ------------------------------------------------------------------------------------------------
def test_a_leased_index_survives_two_rebuilds_and_goes_with_the_next_after_release(cfg: Config) -> None:
    first, _ = build_index(cfg, HashEmbedder())
    reader = open_index(cfg)  # holds a lease on the first directory
    assert reader.lease is not None and reader.lease.held and not removable(first.path)
    second, _ = build_index(cfg, HashEmbedder(), force=True)
    second.close()
    third, _ = build_index(cfg, HashEmbedder(), force=True)
    third.close()
    assert first.dirname in dirs(cfg), "an index in use was deleted"
    assert reader.store.count() == len(reader.chunks)  # and still reads
    reader.close()
    first.close()
    fourth, _ = build_index(cfg, HashEmbedder(), force=True)
    assert dirs(cfg) == {third.dirname, fourth.dirname}  # unleased old ones go; the previous one stays
    fourth.close()


def test_a_lease_held_by_another_process_blocks_deletion_until_it_dies(cfg: Config) -> None:
    idx, _ = build_index(cfg, HashEmbedder())
    idx.close()
    code = (
        "import sys, time; from pathlib import Path; from rag.index.lease import Lease; "
        "l = Lease.acquire(Path(sys.argv[1])); print('ok', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(idx.path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ok"
        assert not remove_unless_leased(idx.path) and idx.path.is_dir()
    finally:
        proc.kill()  # SIGKILL: the kernel drops the lock, no stale lease remains
        proc.wait(10)
    assert remove_unless_leased(idx.path) and not idx.path.exists()


def test_a_lease_on_a_removed_directory_is_refused(cfg: Config) -> None:
    idx, _ = build_index(cfg, HashEmbedder())
    idx.close()
    assert remove_unless_leased(idx.path)
    with pytest.raises(LeaseLost):
        Lease.acquire(idx.path)


# -- the running Assistant ---------------------------------------------------------------------------------
def test_running_assistant_switches_to_a_new_index_and_releases_the_old(cfg: Config) -> None:
    a = Assistant.load(cfg, embedder=HashEmbedder())
    a.live.interval = 0.0
    old = a.index
    assert answered(a)
    (cfg.corpus_dir / "strategie.md").write_text("# Mobilität\n\nWir bauen Radwege.\n", encoding="utf-8")
    new, _ = build_index(cfg, HashEmbedder(), force=True)
    new.close()
    assert answered(a)  # noticed the pointer, loads in the background, answers on the old index meanwhile
    a.live.wait(60)
    assert a.index.dirname == new.dirname and a.index.key != old.key
    assert any(c.document == "strategie.md" for c in a.index.chunks)
    assert removable(old.path)  # the old generation had no users left: its lease is gone
    assert answered(a)
    newest, _ = build_index(cfg, HashEmbedder(), force=True)
    assert old.dirname not in dirs(cfg)  # so the next build could delete it
    newest.close()


def test_a_request_in_flight_finishes_on_its_index(cfg: Config) -> None:
    a = Assistant.load(cfg, embedder=HashEmbedder())
    old = a.index
    stream = a.ask_stream(QUESTION)
    first = next(stream)  # the request has started on the old index
    new, _ = build_index(cfg, HashEmbedder(), force=True)
    new.close()
    assert a.live.refresh() and a.index.dirname == new.dirname
    assert not removable(old.path)  # still leased: the request is not finished
    rest = [first, *stream]
    final = rest[-1]
    assert "Guben" in final.text and final.mode != "fehler"  # type: ignore[union-attr]
    assert removable(old.path)  # released with the request's end


def test_index_of_another_embedder_is_not_switched_to(cfg: Config) -> None:
    a = Assistant.load(cfg, embedder=HashEmbedder())
    before = a.index.dirname

    class Other(HashEmbedder):
        name = "test-other"

    other, _ = build_index(cfg, Other(), force=True)
    other.close()
    assert not a.live.refresh()
    assert a.index.dirname == before and answered(a)


# -- no disk space -----------------------------------------------------------------------------------------
def _no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_leaves_no_staging_directory(cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = build_index(cfg, HashEmbedder())
    first.close()
    before = current(cfg.data_dir)
    monkeypatch.setattr(build_mod.np, "save", _no_space)  # the sentence vectors: late in the build
    with pytest.raises(IndexError_, match="Platte voll") as err:
        build_index(cfg, HashEmbedder(), force=True)
    assert "No space left" in str(err.value)
    assert current(cfg.data_dir) == before
    assert dirs(cfg) == {first.dirname}, "a failed build left its staging directory"
    monkeypatch.setattr(build_mod.np, "save", np.save)
    idx = open_index(cfg)
    assert idx.store.count() == len(idx.chunks)
    idx.close()


def test_assistant_answers_from_the_old_index_when_it_cannot_rebuild(
    cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = build_index(cfg, HashEmbedder())
    first.close()
    (cfg.corpus_dir / "neu.md").write_text("# Neu\n\nEin neues Dokument.\n", encoding="utf-8")  # index now stale
    monkeypatch.setattr(build_mod.np, "save", _no_space)
    a = Assistant.load(cfg, embedder=HashEmbedder())
    assert a.index.dirname == first.dirname
    assert "kann nicht neu gebaut werden" in a.notice and "Platte voll" in a.notice
    assert answered(a)
    assert dirs(cfg) == {first.dirname}


def test_requests_do_not_wait_for_the_new_index_to_load(cfg: Config) -> None:
    """The new index loads in the background: a request answers while the loader is still blocked."""
    a = Assistant.load(cfg, embedder=HashEmbedder())
    a.live.interval = 0.0
    before = a.index.dirname
    new, _ = build_index(cfg, HashEmbedder(), force=True)
    new.close()
    gate = threading.Event()
    real_open = a.live._open

    def opener(config: Config):  # type: ignore[no-untyped-def]
        assert gate.wait(60)
        return real_open(config)

    a.live._open = opener
    assert answered(a) and answered(a)  # the loader started with the first and is still blocked
    assert a.index.dirname == before
    gate.set()
    a.live.wait(60)
    assert a.index.dirname == new.dirname and answered(a)
