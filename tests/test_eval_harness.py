"""Harness plumbing on a tiny fake assistant and three questions (fast, no models)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rag.evaluation import harness
from rag.evaluation.report import markdown, write_report
from rag.types import Answer, Chunk, Hit, Source

QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "d1", "split": "dev", "type": "list_category",
        "question": "Welche Kleinstädte wurden gefördert?", "history": [],
        "gold_projects": ["Guben", "Linz am Rhein"], "gold_sections": [],
        "required_facts": [["Guben"], ["Linz"]], "forbidden_facts": ["Einbeck"],
        "answerable": True, "is_list": True, "notes": "",
    },
    {
        "id": "d2", "split": "dev", "type": "unanswerable",
        "question": "Wie hoch ist die Förderung für Berlin?", "history": [],
        "gold_projects": [], "gold_sections": [], "required_facts": [], "forbidden_facts": [],
        "answerable": False, "is_list": False, "notes": "",
    },
    {
        "id": "t1", "split": "test", "type": "section",
        "question": "Was besagt Kriterium K7?", "history": [{"role": "user", "content": "Hallo"}],
        "gold_projects": [], "gold_sections": ["k7"], "required_facts": [["Ressourcenbedarf"]],
        "forbidden_facts": [], "answerable": True, "is_list": False, "notes": "",
    },
]  # fmt: skip


def _chunk(project: str = "", section: str = "") -> Chunk:
    return Chunk(id=f"{project or section}-0", text="x", kind="passage", project=project, section=section)


class FakeRetriever:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def retrieve(self, question: str, k: int = 5, filters: Any = None, mode: str = "hybrid") -> list[Hit]:
        self.calls.append((mode, question))
        if "K7" in question:
            keys = [("", "k7"), ("", "bewertungskriterien")]
        elif mode == "bm25":
            keys = [("Einbeck", ""), ("Guben", ""), ("Guben", "")]
        else:
            keys = [("Guben", ""), ("Linz am Rhein", ""), ("Einbeck", "")]
        return [Hit(_chunk(p, s), 1.0 / (i + 1)) for i, (p, s) in enumerate(keys)][:k]


class FakeAssistant:
    mode_label = "ohne Sprachmodell (extraktiv)"

    def __init__(self) -> None:
        self.retriever = FakeRetriever()
        self.histories: list[Any] = []

    def ask(self, question: str, history: Any = None, filters: Any = None) -> Answer:
        self.histories.append(history)
        if "Berlin" in question:
            return Answer(text="Dazu steht nichts in der Broschüre.", answerable=False)
        if "K7" in question:
            src = Source(n=1, project="", page=6, category="", states=(), snippet="", score=1.0, section="k7")
            return Answer(text="K7: Berücksichtigung des Ressourcenbedarfs [1]", sources=(src,))
        srcs = tuple(
            Source(n=i, project=p, page=1, category="", states=(), snippet="", score=1.0)
            for i, p in enumerate(["Guben", "Linz am Rhein"], start=1)
        )
        return Answer(text="Gefördert wurden Guben [1] und Linz am Rhein [2].", sources=srcs, mode="strukturiert")


class FakeNaive:
    build_seconds = 0.5
    n_chunks = 3

    def retrieve_keys(self, question: str, k: int = 10) -> list[str]:
        return ["", "Einbeck", "Guben"]

    def ask(self, question: str, history: Any = None) -> Answer:
        src = Source(n=1, project="Einbeck", page=0, category="", states=(), snippet="", score=0.5)
        return Answer(text="In Einbeck leben 32.000 Einwohner. [1]", sources=(src,), mode="naiv")


def test_run_scores_fake_assistant() -> None:
    fake = FakeAssistant()
    report = harness.run(lambda: fake, QUESTIONS, "all", baselines=("bm25", "hybrid", "naive"),
                         naive=FakeNaive(), progress=False)  # fmt: skip
    assert report["meta"]["index_build_s"] is not None
    assert set(report["results"]) == {"dev", "test", "alle"}
    std = report["results"]["dev"]["standard"]["overall"]
    assert std["n"] == 2
    assert std["hit@3"] == 1.0 and std["recall@10"] == 1.0 and std["mrr"] == 1.0
    assert std["list_f1"] == 1.0 and std["fact_recall"] == 1.0 and std["forbidden_rate"] == 0.0
    assert std["citation_precision"] == 1.0
    assert std["abstention_accuracy"] == 1.0 and std["abstention_recall"] == 1.0
    assert std["german_share"] == 1.0 and std["latency_p95_ms"] is not None
    bm25 = report["results"]["dev"]["bm25"]["overall"]
    assert bm25["mrr"] == 0.5 and bm25["hit@1"] == 0.0 and bm25["recall@10"] == 0.5
    assert bm25["fact_recall"] is None and bm25["abstention_accuracy"] is None  # retrieval only
    naive = report["results"]["dev"]["naive"]["overall"]
    assert naive["mrr"] == 0.5 and naive["list_f1"] == 0.0 and naive["citation_precision"] == 0.0
    assert naive["abstention_accuracy"] == 0.5  # never abstains
    test_std = report["results"]["test"]["standard"]
    assert test_std["overall"]["hit@1"] == 1.0 and test_std["by_type"]["section"]["fact_recall"] == 1.0
    # the hybrid baseline shares the standard system's retrieval calls
    modes = [m for m, _ in fake.retriever.calls if m == "hybrid"]
    assert len(modes) == len(set(q for m, q in fake.retriever.calls if m == "hybrid"))
    assert fake.histories[-1] == [{"role": "user", "content": "Hallo"}]
    check = {c["metric"]: c for c in report["target_check"]}
    assert check["hit@3"]["ok"] is True and check["hit@3"]["split"] == "test"
    assert check["list_f1"]["ok"] is None  # no list question in the test split
    assert report["failures"]["dev"] == [] and "test" not in report["failures"]


def test_failures_and_errors_are_reported() -> None:
    class Broken(FakeAssistant):
        def ask(self, question: str, history: Any = None, filters: Any = None) -> Answer:
            raise RuntimeError("kaputt")

    report = harness.run(Broken(), QUESTIONS[:2], "dev", baselines=(), progress=False)
    o = report["results"]["dev"]["standard"]["overall"]
    assert o["errors"] == 2 and o["fact_recall"] == 0.0
    assert o["abstention_accuracy"] == 0.5  # an error is not an abstention
    assert report["failures"]["dev"][0]["problems"][0].startswith("Fehler: ask: RuntimeError")


def test_standard_system_uses_assistant_retrieve() -> None:
    class WithEvidence(FakeAssistant):
        def retrieve(self, question: str, history: Any = None, k: int = 10, filters: Any = None) -> list[Hit]:
            self.evidence_calls = [*getattr(self, "evidence_calls", []), (question, history)]
            return [Hit(_chunk("", "k7"), 1.0)] if history else [Hit(_chunk("Dresden"), 1.0)]

    fake = WithEvidence()
    report = harness.run(fake, QUESTIONS, "all", baselines=("hybrid",), progress=False)
    assert ("Was besagt Kriterium K7?", [{"role": "user", "content": "Hallo"}]) in fake.evidence_calls
    assert report["results"]["test"]["standard"]["overall"]["hit@1"] == 1.0
    assert report["results"]["dev"]["standard"]["overall"]["hit@3"] == 0.0  # Dresden is not gold
    assert report["results"]["dev"]["hybrid"]["overall"]["hit@3"] == 1.0


def test_limit_and_split() -> None:
    sel = harness.select(QUESTIONS, "dev", limit=1)
    assert list(sel) == ["dev"] and [q["id"] for q in sel["dev"]] == ["d1"]


def test_report_files_and_floors(tmp_path: Path) -> None:
    report = harness.run(FakeAssistant(), QUESTIONS, "all", baselines=("bm25", "dense"), progress=False)
    paths = write_report(report, tmp_path)
    assert [p.name for p in paths] == ["report.json", "report.md", "report.png"]
    assert all(p.stat().st_size > 0 for p in paths)
    data = json.loads((tmp_path / "report.json").read_text())
    assert "_records" not in data and data["results"]["test"]["standard"]["overall"]["n"] == 1
    md = markdown(data)
    assert "Ziel erreicht?" in md and "Systeme im Vergleich" in md and "nach Fragetyp" in md
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"_doc": "x", "split": "test", "system": "standard",
                                  "floors": {"hit@3": 0.9, "fact_recall": 0.5}, "ceilings": {"latency_p95_ms": 1e6}}))  # fmt: skip
    assert harness.check_floors(report, floors) == []
    floors.write_text(json.dumps({"split": "test", "floors": {"hit@3": 1.01}}))
    assert harness.check_floors(report, floors)[0].startswith("hit@3")
    floors.write_text(json.dumps({"split": "test", "ceilings": {"latency_p95_ms": -1}}))
    assert "Obergrenze" in harness.check_floors(report, floors)[0]
    floors.write_text(json.dumps({"split": "dev", "floors": {}}))
    assert harness.check_floors(harness.run(FakeAssistant(), QUESTIONS, "test", baselines=(), progress=False), floors)


def test_main_with_fake_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n", encoding="utf-8")
    monkeypatch.setattr(harness, "make_factory", lambda *a, **k: FakeAssistant)
    out = tmp_path / "out"
    rc = harness.main(["--questions", str(qfile), "--no-baselines", "--output", str(out), "--quiet",
                       "--check-floors"])  # fmt: skip
    # the fake's single test-split question misses floors of eval/floors.json: exit code 1, each one named
    missed = harness.check_floors(json.loads((out / "report.json").read_text()))
    err = capsys.readouterr().err
    assert missed and rc == 1 and "Untergrenzen verfehlt:" in err
    assert all(m in err for m in missed)
    assert harness.main(["--questions", str(qfile), "--no-baselines", "--output", str(tmp_path / "o2"), "--quiet"]) == 0
    assert (out / "report.md").exists() and (out / "report.png").exists() and (out / "report.json").exists()
    assert list((out / "runs").glob("details-*.jsonl"))
    assert harness.main(["--baselines", "bm25,quatsch", "--questions", str(qfile)]) == 2
    assert harness.main(["--questions", str(tmp_path / "fehlt.jsonl")]) == 2


def test_help_is_german(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        harness.main(["--help"])
    out = capsys.readouterr().out
    assert "rag eval" in out and "Vergleichssysteme" in out and "--check-floors" in out


@pytest.mark.slow
def test_main_on_real_assistant(tmp_path: Path) -> None:
    """End to end on the real default system: fresh index, 10 dev questions, no baselines."""
    if not harness.QUESTIONS_FILE.exists():
        pytest.skip("eval/questions.jsonl fehlt noch")
    out = tmp_path / "results"
    rc = harness.main(["--split", "dev", "--limit", "10", "--no-baselines", "--output", str(out), "--quiet"])
    assert rc == 0
    for name in ("report.json", "report.md", "report.png"):
        assert (out / name).stat().st_size > 0
    data = json.loads((out / "report.json").read_text())
    overall = data["results"]["dev"]["standard"]["overall"]
    assert overall["n"] == 10 and overall["errors"] == 0
    assert data["meta"]["index_build_s"] > 0
