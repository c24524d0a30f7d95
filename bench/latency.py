"""Latency benchmark of the default system: warm ``Assistant.ask`` over the evaluation set, cold ``rag ask``.

Run ``python -m bench.latency [--cold 5] [--no-warm]``; the index in ``RAG_DATA_DIR`` is built first if
needed (and one untimed ``rag ask`` fills the caches in the data directory, see ``rag.cache``).
Timings belong here, not in tests (they depend on the machine and its load, which is printed too). The
warm-up asks a structured and an open question, so that deferred imports of the vector search are paid
before measuring. A cold run is a fresh ``python -m rag.cli ask`` process, timed from the outside; one
more fresh process per question splits that time into imports, ``Assistant.load`` and the answer and lists
which heavy libraries got imported. The output is also written to ``bench/results/latency.md`` with the
commit.

Example::

    $ python -m bench.latency --no-warm
    kalter Prozess `rag ask` (Liste): … (Median 0.9 s)
    kalter Prozess `rag ask` (offene Frage): … (Median 1.1 s)
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


LONG_QUESTION = (
    "Wir sind eine Kleinstadt mit vielen Pendlern und leeren Läden in der Innenstadt und wollen digitale Angebote "
    "für Handel und Verwaltung schaffen. Welche Projekte sind vergleichbar?"
)


def warm(questions: list[dict]) -> tuple[list[float], dict[str, float]]:
    """Sorted milliseconds of ``Assistant.ask`` over the questions, and the median milliseconds of embedding a
    short and a long question (each text new to the query cache)."""
    from rag import Assistant

    a = Assistant.load()
    a.ask("Welche Modellprojekte gibt es in Bayern?")
    a.ask(OPEN_QUESTION)  # touches the vector search: its deferred imports are paid here
    out = []
    for q in questions:
        t = time.perf_counter()
        a.ask(q["question"], history=q.get("history") or None)
        out.append((time.perf_counter() - t) * 1000)
    embed: dict[str, float] = {}
    for label, text in (("kurz", OPEN_QUESTION), ("lang", LONG_QUESTION)):
        times = []
        for i in range(20):
            t = time.perf_counter()
            a.retriever.embed_query(f"{text} ({i})")
            times.append((time.perf_counter() - t) * 1000)
        embed[f"{label} ({len(text)} Zeichen)"] = statistics.median(times)
    return sorted(out), embed


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


HEAVY = ("chromadb", "llama_index", "httpx", "gradio", "fastapi", "torch", "sentence_transformers", "scipy", "bm25s")
STAGES = """
import json, sys, time
t0 = time.perf_counter()
from rag.assistant import Assistant
t1 = time.perf_counter()
a = Assistant.load()
t2 = time.perf_counter()
a.ask(sys.argv[1])
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "ask": t3 - t2,
                  "heavy": sorted(m for m in sys.argv[2:] if m in sys.modules)}))
"""


def stages(question: str) -> dict:
    """One fresh process: seconds for importing ``rag.assistant``, ``Assistant.load`` and ``ask``."""
    r = subprocess.run(
        [sys.executable, "-c", STAGES, question, *HEAVY], check=True, capture_output=True, text=True, cwd=ROOT
    )  # fmt: skip
    return dict(json.loads(r.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Latenz des Standardsystems messen.")
    p.add_argument("--cold", type=int, default=5, help="Anzahl kalter `rag ask`-Läufe je Frage (Standard: 5)")
    p.add_argument("--no-warm", action="store_true", help="die warmen Messungen über den Fragenkatalog auslassen")
    args = p.parse_args(argv)
    questions = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines() if line]
    lines = [f"Systemlast (1/5/15 min): {tuple(round(x, 2) for x in os.getloadavg())}"]
    print(lines[-1])
    if not args.no_warm:
        lat, embed = warm(questions)
        lines.append(
            f"warm Assistant.ask ({len(lat)} Fragen): p50 {lat[len(lat) // 2]:.0f} ms, "
            f"p95 {lat[int(len(lat) * 0.95)]:.0f} ms, max {lat[-1]:.0f} ms"
        )
        print(lines[-1])
        lines.append("davon allein eine Frage einbetten (Median aus 20): " + ", ".join(
            f"{k} {v:.0f} ms" for k, v in embed.items()))  # fmt: skip
        print(lines[-1])
    if args.cold:
        cold(1, OPEN_QUESTION)  # untimed: builds the index and the caches of the data directory if missing
        for label, question in (
            ("Liste", "Welche Kleinstädte wurden 2021 gefördert?"),
            ("offene Frage", OPEN_QUESTION),
        ):
            c = cold(args.cold, question)
            lines.append(
                f"kalter Prozess `rag ask` ({label}): "
                + ", ".join(f"{x:.2f} s" for x in c)
                + f" (Median {statistics.median(c):.2f} s)"
            )
            print(lines[-1])
            st = stages(question)
            lines.append(
                f"  davon in einem weiteren kalten Prozess: Import {st['import']:.2f} s, Assistant.load "
                f"{st['load']:.2f} s, Antwort {st['ask']:.2f} s; schwere Bibliotheken geladen: "
                + (", ".join(st["heavy"]) or "keine")
            )
            print(lines[-1])
        lines.append(f"Systemlast danach (1/5/15 min): {tuple(round(x, 2) for x in os.getloadavg())}")
        print(lines[-1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    out = ROOT / "bench" / "results" / "latency.md"
    shown = " ".join(sys.argv[1:] if argv is None else argv)
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    notes = old[old.index("\n## ") :] if "\n## " in old else ""  # hand-written sections below are kept
    out.write_text(
        "# Latenz (python -m bench.latency)\n\n"
        f"Commit {commit.strip() or '?'}, 2 Kerne, keine GPU, Index bereits gebaut (RAG_DATA_DIR). "
        f"Befehl: `python -m bench.latency{' ' + shown if shown else ''}`.\n\n"
        + "\n".join(f"- {x}" for x in lines)
        + "\n"
        + notes,
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
