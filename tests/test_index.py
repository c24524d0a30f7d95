"""Index building: idempotent, atomic, recovers from corruption, refuses unwritable dirs, locks."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from rag.config import Config
from rag.index.build import IndexError_, _prepare_data_dir, build_index, build_lock, current, open_index
from tests.conftest import CORPUS_DIR


class HashEmbedder:
    """A tiny deterministic embedder (bag of hashed words) so index tests need no model."""

    name = "test-hash"

    def __init__(self, fail_after: int | None = None) -> None:
        self.calls = 0
        self.texts = 0
        self.fail_after = fail_after

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(64, np.float32)
        for w in text.lower().split():
            v[hash(w) % 64] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_documents(self, texts):  # type: ignore[no-untyped-def]
        self.calls += 1
        self.texts += len(texts)
        if self.fail_after is not None and self.calls > self.fail_after:
            raise KeyboardInterrupt("simulated crash mid-build")
        return np.vstack([self._vec(t) for t in texts])

    def embed_query(self, text):  # type: ignore[no-untyped-def]
        return self._vec(text)


@pytest.fixture()
def cfg(tmp_path: Path) -> Config:
    return Config(data_dir=tmp_path / "data", corpus_dir=CORPUS_DIR, embedder="test-hash")


def test_build_then_skip(cfg: Config) -> None:
    e = HashEmbedder()
    idx, built = build_index(cfg, e)
    assert built and idx.store.count() == len(idx.chunks) == idx.manifest["chunks"]
    calls = e.calls
    idx2, built2 = build_index(cfg, e)
    assert not built2 and e.calls == calls and idx2.key == idx.key


def test_rebuild_reuses_embedding_cache(cfg: Config) -> None:
    build_index(cfg, HashEmbedder())
    e = HashEmbedder()
    _, built = build_index(cfg, e, force=True)
    assert built and e.calls == 0  # every text was cached


def test_changed_document_changes_key_and_only_it_is_embedded(cfg: Config, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    cfg = cfg.with_(corpus_dir=corpus)
    first, _ = build_index(cfg, HashEmbedder())
    (corpus / "strategie.md").write_text("# Mobilität\n\nWir bauen Radwege und Mobilstationen.\n", encoding="utf-8")
    e = HashEmbedder()
    second, built = build_index(cfg, e)
    assert built and second.key != first.key
    assert e.texts == 2  # only the new document's chunk and its one sentence
    doc = [c for c in second.chunks if c.document == "strategie.md"]
    assert doc and doc[0].section == "Mobilität"


def test_crash_mid_build_keeps_previous_index(cfg: Config, tmp_path: Path) -> None:
    build_index(cfg, HashEmbedder())
    before = current(cfg.data_dir)
    corpus = tmp_path / "corpus2"
    shutil.copytree(CORPUS_DIR, corpus)
    (corpus / "neu.txt").write_text("Ein neues Dokument.\n\n" + "Viel Text. " * 300, encoding="utf-8")
    cfg2 = cfg.with_(corpus_dir=corpus)

    class Crashing(HashEmbedder):
        def embed_documents(self, texts):  # type: ignore[no-untyped-def]
            raise KeyboardInterrupt("simulated crash")

    with pytest.raises(KeyboardInterrupt):
        build_index(cfg2, Crashing(), force=True)
    assert current(cfg.data_dir) == before
    idx = open_index(cfg)  # the previous index is still usable
    assert idx.store.count() == len(idx.chunks)


def test_missing_index_message(cfg: Config) -> None:
    with pytest.raises(IndexError_, match="rag index"):
        open_index(cfg)


def test_corrupt_index_is_detected_and_rebuilt(cfg: Config) -> None:
    idx, _ = build_index(cfg, HashEmbedder())
    (idx.path / "chunks.jsonl").write_text("{kaputt", encoding="utf-8")
    with pytest.raises(IndexError_, match="beschädigt"):
        open_index(cfg)
    idx2, built = build_index(cfg, HashEmbedder())
    assert built and idx2.store.count() == len(idx2.chunks)


def test_deleted_index_dir_is_rebuilt(cfg: Config) -> None:
    idx, _ = build_index(cfg, HashEmbedder())
    shutil.rmtree(idx.path)
    idx2, built = build_index(cfg, HashEmbedder())
    assert built and idx2.store.count() == len(idx2.chunks)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_data_dir(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    with pytest.raises(IndexError_, match="nicht beschreibbar"):
        build_index(Config(data_dir=ro / "data", corpus_dir=CORPUS_DIR), HashEmbedder())


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "datei"
    f.write_text("x")
    with pytest.raises(IndexError_, match="nicht beschreibbar"):
        build_index(Config(data_dir=f, corpus_dir=CORPUS_DIR), HashEmbedder())


def test_builds_starting_together_do_not_trip_over_each_others_write_probe(tmp_path: Path) -> None:
    """Found by CI: two `rag index --rebuild` shared one probe file; one deleted it under the other."""
    data = tmp_path / "data"
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def prepare() -> None:
        start.wait()
        for _ in range(300):
            try:
                _prepare_data_dir(data)
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=prepare) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(p.name for p in data.iterdir()) == ["embcache", "indexes"]


def test_lock_blocks_a_second_builder(cfg: Config) -> None:
    cfg.data_dir.mkdir(parents=True)
    with build_lock(cfg.data_dir), pytest.raises(IndexError_, match="Sperre"), build_lock(cfg.data_dir, wait=0.3):
        pass


def test_pointer_file_is_json_with_existing_dir(cfg: Config) -> None:
    build_index(cfg, HashEmbedder())
    d = json.loads((cfg.data_dir / "current.json").read_text())
    assert (cfg.data_dir / "indexes" / d["dir"] / "manifest.json").exists()
    assert not list((cfg.data_dir / "indexes").glob("*.building"))


def test_filters_in_the_store(cfg: Config) -> None:
    idx, _ = build_index(cfg, HashEmbedder())
    q = HashEmbedder().embed_query("Digitalisierung Stadt")
    hits = idx.store.query(q, 50, {"state": "Bayern"})
    by_id = {c.id: c for c in idx.chunks}
    assert hits and all("Bayern" in by_id[i].states for i, _ in hits)
    hits = idx.store.query(q, 50, {"category": "Kleinstädte und Landgemeinden"})
    assert {by_id[i].project for i, _ in hits if by_id[i].kind != "overview"} == {"Guben", "Linz am Rhein"}


def test_unicode_line_separators_index_and_round_trip(tmp_path: Path) -> None:
    """U+2028, U+2029, NEL and form feed in a corpus document: the index builds, reopens and is not rebuilt."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS_DIR / "modellprojekte-smart-cities-2021.txt", corpus)
    text = "# Sonderzeichen\n\nErste Zeile\u2028zweite Zeile.\u2029\n\nNächster Absatz\x85mit NEL.\x0cSeitenwechsel.\n"
    (corpus / "sonderzeichen.md").write_text(text, encoding="utf-8")
    cfg = Config(data_dir=tmp_path / "data", corpus_dir=corpus, embedder="test-hash")
    idx, built = build_index(cfg, HashEmbedder())
    assert built
    doc = [c for c in idx.chunks if c.document == "sonderzeichen.md"]
    assert doc and not any(ch in c.text for c in doc for ch in "\u2028\u2029\x85\x0c")
    again = open_index(cfg)
    assert again.key == idx.key and [c.text for c in again.chunks] == [c.text for c in idx.chunks]
    _, rebuilt = build_index(cfg, HashEmbedder())
    assert not rebuilt


def test_a_list_stays_with_the_sentence_that_announces_it() -> None:
    from rag.chunk import MAX_CHARS, _group

    lead = "Wir haben drei Orte ausgewählt:"
    paras = ["Einleitung " * 60, lead, "Altstadt:", "Handel und Welterbe", "Dorf B:", "Nahversorgung", "Danach " * 120]
    groups = [g for g, _ in _group(paras, [1] * len(paras))]
    holder = next(g for g in groups if lead in g)
    assert holder.endswith("Dorf B:\n\nNahversorgung")  # the whole list, though the group is past its target size
    assert len(groups) == 2 and len(holder) <= 2 * MAX_CHARS
