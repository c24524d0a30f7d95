"""Fit how comparable projects are ranked (``rag.similar``): the weights of the three signals, the bonus for a
Land the description names, the category tie-break and the share of the best score a named match needs.

For every comparable-project request of the read splits (and of practice files passed with ``--practice``)
the finder's signals are computed once (``SimilarFinder.signals``: dense, sparse and sentence score per
project, each scaled 0..1); then a grid of constants is tried. The objective is the mean F1 of the named
projects (at most 4, those within ``CLOSE`` of the best) plus half the share of requests with a right project
first and half the share with one among the first three. The fit is also made on every other request and
checked on the rest, both ways round.

Never pass the newest blind split: it is the evidence and must not be tuned on.

Example::

    $ python -m bench.calibrate_similar --practice /work/tune11/tune11.jsonl
    | im Code | (0.1, 0.5, 0.3, 0.1, 0.03, 0.75) | 0.684 | 0.864 | 0.972 | 0.972 | 0.787 | 176 |
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ["dev", "test", *(f"blind{n}" for n in ("", *range(2, 14)))]
# (dense, sparse, sentence, SAME_STATE, CATEGORY_TIEBREAK, CLOSE)
GRID = list(
    itertools.product(
        (0.0, 0.1, 0.2, 0.3, 0.4),
        (0.3, 0.4, 0.5, 0.6),
        (0.2, 0.3, 0.4),
        (0.0, 0.05, 0.1, 0.2),
        (0.0, 0.03, 0.1),
        (0.7, 0.75, 0.8, 0.85),
    )
)


def features(splits: list[str], practice: list[Path]) -> list[dict[str, Any]]:
    """Per comparable-project request: the gold projects and per candidate its signals and profile matches."""
    from rag import Assistant

    a = Assistant.load()
    finder = a.live.current.finder
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r["split"] in splits]
    for path in practice:
        rows += [dict(json.loads(line), split="practice") for line in path.open(encoding="utf-8") if line.strip()]
    out = []
    for r in rows:
        if not r["answerable"] or not r["gold_projects"]:
            continue
        q = a.parser.parse(r["question"], r["history"])
        if q.intent != "similar":
            continue
        _, signals = finder.signals(q)
        cands = {}
        for name, xs in signals.items():
            p = a.corpus.project(name)
            cands[name] = {"x": xs, "state": bool(set(p.states) & set(q.states)), "cat": p.category in q.categories}
        out.append({"id": r["id"], "split": r["split"], "gold": r["gold_projects"], "cands": cands})
    return out


def evaluate(data: list[dict[str, Any]], params: tuple[float, ...]) -> dict[str, float]:
    """Mean F1 and precision of the named projects, share with a right one named, first, among the first three."""
    wd, ws, wt, state, cat, close = params
    f1 = precision = named_hit = hit1 = hit3 = 0.0
    for d in data:
        score = {
            n: wd * c["x"][0] + ws * c["x"][1] + wt * c["x"][2] + state * c["state"] + cat * c["cat"]
            for n, c in d["cands"].items()
        }
        ranked = sorted(score, key=lambda n: (-score[n], n))
        if not ranked:
            continue
        gold = set(d["gold"])
        named = [n for n in ranked[:5] if score[n] >= close * score[ranked[0]]][:4]
        tp = len(set(named) & gold)
        p, r = tp / len(named), tp / len(gold)
        f1 += 2 * p * r / (p + r) if tp else 0.0
        precision, named_hit = precision + p, named_hit + (tp > 0)
        hit1, hit3 = hit1 + (ranked[0] in gold), hit3 + bool(set(ranked[:3]) & gold)
    n = len(data) or 1
    return {"f1": f1 / n, "hit1": hit1 / n, "hit3": hit3 / n, "named_hit": named_hit / n, "precision": precision / n}


def objective(m: dict[str, float]) -> float:
    return m["f1"] + 0.5 * m["hit1"] + 0.5 * m["hit3"]


def best(data: list[dict[str, Any]]) -> tuple[float, ...]:
    return max(GRID, key=lambda p: objective(evaluate(data, p)))


def line(label: str, params: tuple[float, ...], data: list[dict[str, Any]]) -> str:
    m = evaluate(data, params)
    return (
        f"| {label} | {params} | {m['f1']:.3f} | {m['hit1']:.3f} | {m['hit3']:.3f} | {m['named_hit']:.3f} "
        f"| {m['precision']:.3f} | {len(data)} |"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Gewichte der vergleichbaren Projekte auf gelesenen Splits anpassen.")
    p.add_argument("--splits", nargs="+", default=SPLITS)
    p.add_argument("--practice", nargs="*", type=Path, default=[], help="Übungsdateien (JSON Lines, gelesen)")
    p.add_argument("--previous", nargs=6, type=float, metavar="X", help="frühere Konstanten zum Vergleich")
    p.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "similar_calibration.md")
    args = p.parse_args(argv)
    from rag import similar

    current = (*similar.WEIGHTS, similar.SAME_STATE, similar.CATEGORY_TIEBREAK, similar.CLOSE)
    data = features(args.splits, args.practice)
    halves = (data[::2], data[1::2])
    rows = [
        "| Lauf | (dicht, BM25, Satz, SAME_STATE, CATEGORY_TIEBREAK, CLOSE) | F1 | Treffer zuerst | Treffer unter 3 "
        "| Treffer genannt | Präzision | Anfragen |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        line("im Code", current, data),
    ]
    if args.previous:
        rows.append(line("vorher", tuple(args.previous), data))
    rows.append(line("bestes Gitter", best(data), data))
    for i, (fit_on, check_on) in enumerate((halves, halves[::-1])):
        label = "gerade" if i == 0 else "ungerade"
        rows.append(line(f"angepasst auf den {label}n Anfragen, geprüft auf den anderen", best(fit_on), check_on))
        rows.append(line("  im Code, auf denselben anderen", current, check_on))
        if args.previous:
            rows.append(line("  vorher, auf denselben anderen", tuple(args.previous), check_on))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    practice = " --practice " + " ".join(str(x) for x in args.practice) if args.practice else ""
    previous = " --previous " + " ".join(map(str, args.previous)) if args.previous else ""
    text = (
        "# Gewichte der vergleichbaren Projekte\n\n"
        f"Commit `{commit.strip() or '?'}`; Befehl: `python -m bench.calibrate_similar{practice}{previous}`; "
        f"{len(data)} Anfragen nach vergleichbaren Projekten aus {', '.join(args.splits)}"
        f"{' und den Übungssätzen' if args.practice else ''}. Ziel: mittleres F1 der genannten Projekte (höchstens 4) "
        "+ ½ × Anteil mit einem richtigen Projekt zuerst + ½ × Anteil mit einem richtigen unter den ersten drei.\n\n"
        + "\n".join(rows)
        + "\n"
    )
    print(text)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
