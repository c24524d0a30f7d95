"""The embedded store on a read-only folder: opened from a private copy, and the copy never outlives a failure."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from rag.index import store as store_mod
from rag.index.store import StoreError, VectorStore


@pytest.fixture()
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary copies go to a folder of the test's own, so leftovers can be counted."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def _read_only_chroma(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "chroma"
    path.mkdir()
    (path / "chroma.sqlite3").write_bytes(b"")
    monkeypatch.setattr(store_mod, "_writable", lambda p: False)  # root writes anywhere: the check, not chmod
    return path


def test_a_store_that_cannot_open_leaves_no_temporary_copy(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chromadb

    path = _read_only_chroma(tmp_path, monkeypatch)

    def broken(**kwargs: object) -> None:
        assert str(private_tmp) in str(kwargs["path"])  # it really opened the copy
        raise RuntimeError("database disk image is malformed")

    monkeypatch.setattr(chromadb, "PersistentClient", broken)
    with pytest.raises(StoreError, match="lässt sich nicht öffnen"):
        VectorStore.local(path, "sc-test").count()
    assert list(private_tmp.iterdir()) == []


def test_a_copy_that_fails_half_way_is_removed(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _read_only_chroma(tmp_path, monkeypatch)

    def copy_then_fail(src: Path, dst: Path) -> None:
        Path(dst).mkdir(parents=True)
        (Path(dst) / "half").write_bytes(b"x")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_mod.shutil, "copytree", copy_then_fail)
    with pytest.raises(StoreError, match="schreibgeschützt und ließ sich nicht"):
        VectorStore.local(path, "sc-test").count()
    assert list(private_tmp.iterdir()) == []
