"""Latency benchmark of the default system: warm ``Assistant.ask`` over the evaluation set, cold ``rag ask``.

Run ``python -m bench.latency [--cold 3]``; the index in ``RAG_DATA_DIR`` is built first if needed.
Timings belong here, not in tests (they depend on the machine and its load, which is printed too). The
warm-up asks a structured and an open question, so that deferred imports of the vector search are paid
before measuring. The output is also written to ``bench/results/latency.md`` with the commit.

Example::

    $ python -m bench.latency
    warm Assistant.ask (322 Fragen): p50 2 ms, p95 55 ms, max 120 ms
    kalter Prozess `rag ask` (Liste): … (Median 2.41 s)
    kalter Prozess `rag ask` (offene Frage): … (Median 2.9 s)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPEN_QUESTION = "Welche Projekte setzen Sensoren im Stadtgebiet ein?"


def warm(questions: list[dict]) -> list[float]:
    from rag import Assistant

    a = Assistant.load()
    a.ask("Welche Modellprojekte gibt es in Bayern?")
    a.ask(OPEN_QUESTION)  # touches the vector search: its deferred imports are paid here
    out = []
    for q in questions:
        t = time.perf_counter()
        a.ask(q["question"], history=q.get("history") or None)
        out.append((time.perf_counter() - t) * 1000)
    return sorted(out)


def cold(runs: int, question: str) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rag.cli", "ask", question],
            check=True, capture_output=True, cwd=ROOT,
        )  # fmt: skip
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Latenz des Standardsystems messen.")
    p.add_argument("--cold", type=int, default=3, help="Anzahl kalter `rag ask`-Läufe (Standard: 3)")
    args = p.parse_args(argv)
    questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines() if line]
    lines = [f"Systemlast (1/5/15 min): {tuple(round(x, 2) for x in os.getloadavg())}"]
    print(lines[-1])
    lat = warm(questions)
    lines.append(
        f"warm Assistant.ask ({len(lat)} Fragen): p50 {lat[len(lat) // 2]:.0f} ms, "
        f"p95 {lat[int(len(lat) * 0.95)]:.0f} ms, max {lat[-1]:.0f} ms"
    )
    print(lines[-1])
    if args.cold:
        for label, question in (("Liste", "Welche Kleinstädte wurden 2021 gefördert?"), ("offene Frage", OPEN_QUESTION)):
            c = cold(args.cold, question)
            lines.append(
                f"kalter Prozess `rag ask` ({label}): "
                + ", ".join(f"{x:.2f} s" for x in c)
                + f" (Median {statistics.median(c):.2f} s)"
            )
            print(lines[-1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    out = ROOT / "bench" / "results" / "latency.md"
    out.write_text(
        "# Latenz (python -m bench.latency)\n\n"
        f"Commit {commit.strip() or '?'}, 2 Kerne, keine GPU, Index bereits gebaut (RAG_DATA_DIR).\n\n"
        + "\n".join(f"- {x}" for x in lines)
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
