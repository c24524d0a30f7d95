"""Fit the gates of topic answers (``rag.answer.topic``) and of comparable projects (``rag.similar.CLOSE``) on
evaluation questions whose failures have been read.

A topic answer names every project whose best sentence qualifies (share of the question's content
``MIN_LEXICAL`` or cosine ``MIN_COSINE``) and whose score, blended with ``PASSAGES`` of its passages' BM25
score (``topic.blended``), reaches at least ``RELATIVE`` of the best project, plus any project whose sentence
names ``STRONG_LEXICAL`` of the content directly. This script scores every project once per topic question
(``Evidence.rank_projects``, ``Evidence.passage_scores``) and tries a grid of the five constants; the objective
is the mean F1 of the named projects against ``gold_projects`` plus half the share of questions with at
least one right project (a topic question's required fact is usually "any one of these"). It also fits
on two halves of the splits and reports each fit on the other half, and how many unanswerable questions
that reach the topic strategy would get an answer.

Never pass the newest blind split: it is the evidence and must not be tuned on.

Example::

    $ python -m bench.calibrate_topic --previous 0.3 0.85 0.8 0.5 0.0
    | im Code (alle Splits) | (0.3, 0.85, 0.8, 0.5, 0.2) | …
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
GRID = list(
    itertools.product(
        (0.25, 0.3, 0.35, 0.4, 0.45),
        (0.84, 0.85, 0.86, 0.87, 0.875),
        (0.5, 0.6, 0.7, 0.8, 0.9),
        (0.5, 0.6, 1.1),
        (0.0, 0.1, 0.2, 0.3),
    )
)
NAMES = ("MIN_LEXICAL", "MIN_COSINE", "RELATIVE", "STRONG_LEXICAL", "PASSAGES")


def features(splits: list[str]) -> list[dict[str, Any]]:
    """Per topic question: gold projects and, per project, the best sentence's scores."""
    from rag import Assistant

    a = Assistant.load()
    ev = a.answerer.ctx.evidence
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
    out = []
    for r in rows:
        if r["split"] not in splits:
            continue
        negative = not r["answerable"]
        if not negative and (r["type"] not in ("topic", "compare") or not r["gold_projects"]):
            continue
        q = a.parser.parse(r["question"], r["history"])
        skip = q.projects or not q.asks_for_project or q.intent in ("list", "count", "unanswerable", "empty")
        if skip or q.about_brochure or q.about_programme or q.wants_criteria:
            continue  # another strategy answers it
        passages = ev.passage_scores(q, {})
        ranked = [
            {
                "p": s.hit.chunk.project or s.hit.chunk.document,
                "passages": passages.get(s.hit.chunk.project or s.hit.chunk.document, 0.0),
                "score": s.score,
                "lex": s.lexical,
                "cos": s.cosine,
                "direct": ev.names_directly(q, s.sentence),
            }
            for s in ev.rank_projects(q, {})
        ]
        out.append({"id": r["id"], "split": r["split"], "gold": r["gold_projects"], "negative": negative,
                    "off": ev.off_topic(q), "ranked": ranked})  # fmt: skip
    return out


def named(
    d: dict[str, Any], min_lex: float, min_cos: float, relative: float, strong: float, passages: float
) -> list[str]:
    """The projects ``answer_topic`` would name with these constants (none: it declines)."""
    ranked = [f for f in d["ranked"] if f["lex"] >= min_lex or f["cos"] >= min_cos]
    if not ranked or (d["off"] and ranked[0]["lex"] < 0.5):
        return []
    top = ranked[0]["score"]
    mixed = sorted(
        (((1 - passages) * f["score"] + passages * f["passages"] * top, i) for i, f in enumerate(ranked)), key=lambda x: -x[0]
    )
    best, first = mixed[0][0], ranked[mixed[0][1]]
    return [
        ranked[i]["p"]
        for v, i in mixed
        if (v >= relative * best and (ranked[i]["lex"] > 0 or first["lex"] == 0 or ranked[i] is first))
        or (ranked[i]["lex"] >= strong and ranked[i]["direct"])
    ]


def evaluate(data: list[dict[str, Any]], params: tuple[float, ...]) -> dict[str, Any]:
    f1 = hit = precision = recall = 0.0
    n = declined = negatives = answered_negatives = 0
    for d in data:
        got = named(d, *params)
        if d["negative"]:
            negatives += 1
            answered_negatives += bool(got)
            continue
        n += 1
        if not got:
            declined += 1
            continue
        tp = len(set(got) & set(d["gold"]))
        p, r = tp / len(got), tp / len(d["gold"])
        precision, recall, hit = precision + p, recall + r, hit + (tp > 0)
        f1 += 2 * p * r / (p + r) if tp else 0.0
    n = n or 1
    return {"n": n, "f1": f1 / n, "hit": hit / n, "precision": precision / n, "recall": recall / n,
            "declined": declined, "answered_negatives": answered_negatives,
            "negatives": f"{answered_negatives}/{negatives}"}  # fmt: skip


def best(data: list[dict[str, Any]]) -> tuple[tuple[float, ...], dict[str, Any]]:
    scored = [(p, evaluate(data, p)) for p in GRID]
    return max(scored, key=lambda x: (x[1]["f1"] + 0.5 * x[1]["hit"], -x[1]["answered_negatives"]))


def similar_rows(splits: list[str]) -> list[str]:
    """The share of the best score a comparable project needs to be named (``rag.similar.CLOSE``), on the
    comparable-project requests of the splits: mean F1, share with a right project, precision (at most 4 named)."""
    from rag import Assistant
    from rag.similar import CLOSE

    a = Assistant.load()
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
    data = []
    for r in rows:
        if r["split"] in splits and r["answerable"] and r["gold_projects"]:
            q = a.parser.parse(r["question"], r["history"])
            if q.intent == "similar":
                data.append((set(r["gold_projects"]), [(s.project, s.score) for s in a.finder.similar(q.text, 8, parsed=q)]))
    out = ["| Anteil am besten Treffer (vergleichbare Projekte) | F1 | mind. ein Treffer | Präzision | Anfragen |",
           "|---|---:|---:|---:|---:|"]  # fmt: skip
    for ratio in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        f1 = hit = precision = 0.0
        for gold, found in data:
            if not found:
                continue
            named = [p for p, s in found if s >= ratio * found[0][1]][:4]
            tp = len(set(named) & gold)
            p, r = tp / len(named), tp / len(gold)
            f1, hit, precision = f1 + (2 * p * r / (p + r) if tp else 0.0), hit + (tp > 0), precision + p
        n = len(data) or 1
        mark = " (im Code)" if ratio == CLOSE else ""
        out.append(f"| {ratio}{mark} | {f1 / n:.3f} | {hit / n:.3f} | {precision / n:.3f} | {len(data)} |")
    return out


def line(label: str, params: tuple[float, ...], m: dict[str, Any]) -> str:
    return (
        f"| {label} | {params} | {m['f1']:.3f} | {m['hit']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} "
        f"| {m['declined']} | {m['negatives']} | {m['n']} |"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Schwellen der Themenantworten auf gelesenen Splits anpassen.")
    p.add_argument("--splits", nargs="+", default=["dev", "test", *(f"blind{n}" for n in ("", *range(2, 14)))])
    p.add_argument("--previous", nargs=5, type=float, metavar="X", help="frühere Konstanten zum Vergleich")
    p.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "topic_calibration.md")
    args = p.parse_args(argv)
    from rag.answer import topic

    current = (topic.MIN_LEXICAL, topic.MIN_COSINE, topic.RELATIVE, topic.STRONG_LEXICAL, topic.PASSAGES)
    data = features(args.splits)
    a_splits, b_splits = set(args.splits[::2]), set(args.splits[1::2])
    rows = ["| Lauf | (MIN_LEXICAL, MIN_COSINE, RELATIVE, STRONG_LEXICAL, PASSAGES) | F1 | mind. ein Treffer | Präzision "
            "| Recall | abgelehnt | unbeantwortbare beantwortet | Fragen |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    rows.append(line("im Code (alle Splits)", current, evaluate(data, current)))
    if args.previous:
        rows.append(line("vorher (alle Splits)", tuple(args.previous), evaluate(data, tuple(args.previous))))
    fitted, m = best(data)
    rows.append(line("bestes Gitter (alle Splits)", fitted, m))
    for fit_on, check_on in ((a_splits, b_splits), (b_splits, a_splits)):
        part = [d for d in data if d["split"] in fit_on]
        other = [d for d in data if d["split"] in check_on]
        params, _ = best(part)
        rows.append(line(f"angepasst auf {'/'.join(sorted(fit_on))}, geprüft auf {'/'.join(sorted(check_on))}",
                         params, evaluate(other, params)))  # fmt: skip
        rows.append(line(f"  im Code (auf allen Splits angepasst), auf {'/'.join(sorted(check_on))}", current,
                         evaluate(other, current)))  # fmt: skip
        if args.previous:
            rows.append(line(f"  vorher, auf {'/'.join(sorted(check_on))}", tuple(args.previous),
                             evaluate(other, tuple(args.previous))))  # fmt: skip
    rows += ["", *similar_rows(args.splits)]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    text = (
        "# Schwellen der Themenantworten\n\n"
        f"Commit `{commit.strip() or '?'}`; Befehl: `python -m bench.calibrate_topic --splits {' '.join(args.splits)}"
        f"{' --previous ' + ' '.join(map(str, args.previous)) if args.previous else ''}`; "
        f"{len(data)} Fragen, die die Themenstrategie erreichen (davon {sum(d['negative'] for d in data)} "
        "unbeantwortbare). Ziel: mittleres F1 der genannten Projekte + ½ × Anteil mit mindestens einem richtigen "
        "Projekt.\n\n" + "\n".join(rows) + "\n"
    )
    print(text)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
