"""Latency benchmark of the default system: warm ``Assistant.ask`` over the evaluation set, cold ``rag ask``.

Run ``python -m bench.latency [--cold 3]``; the index in ``RAG_DATA_DIR`` is built first if needed.
Timings belong here, not in tests (they depend on the machine and its load, which is printed too).

Example::

    $ python -m bench.latency
    warm Assistant.ask (192 Fragen): p50 1 ms, p95 52 ms, max 87 ms
    kalter Prozess `rag ask`: 2.41 s, 2.38 s, 2.45 s (Median 2.41 s)
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


def warm(questions: list[dict]) -> list[float]:
    from rag import Assistant

    a = Assistant.load()
    a.ask("Welche Modellprojekte gibt es in Bayern?")
    out = []
    for q in questions:
        t = time.perf_counter()
        a.ask(q["question"], history=q.get("history") or None)
        out.append((time.perf_counter() - t) * 1000)
    return sorted(out)


def cold(runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rag.cli", "ask", "Welche Kleinstädte wurden 2021 gefördert?"],
            check=True, capture_output=True, cwd=ROOT,
        )  # fmt: skip
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Latenz des Standardsystems messen.")
    p.add_argument("--cold", type=int, default=3, help="Anzahl kalter `rag ask`-Läufe (Standard: 3)")
    args = p.parse_args(argv)
    questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines() if line]
    print(f"Systemlast (1/5/15 min): {os.getloadavg()}")
    lat = warm(questions)
    print(
        f"warm Assistant.ask ({len(lat)} Fragen): p50 {lat[len(lat) // 2]:.0f} ms, "
        f"p95 {lat[int(len(lat) * 0.95)]:.0f} ms, max {lat[-1]:.0f} ms"
    )
    if args.cold:
        c = cold(args.cold)
        print(
            "kalter Prozess `rag ask`: "
            + ", ".join(f"{x:.2f} s" for x in c)
            + f" (Median {statistics.median(c):.2f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
