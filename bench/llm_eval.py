"""Measure generative answers and their validator on a real model (issue 11, part 3).

Two steps around ``rag eval --llm …`` (which records, per question, the model's unchecked text, the
final answer, its mode and notice, the numbered sources, time to the first piece and the piece count):

``select``  writes a question subset of dev and test (never blind): the first ``--per-type`` questions of
            every type in each split, in file order::

                python -m bench.llm_eval select --per-type 2 --out /tmp/llm-questions.jsonl
                RAG_LLM_URL=http://127.0.0.1:8012/v1 rag eval --llm openai:MODELL --questions /tmp/llm-questions.jsonl \\
                    --no-baselines --reuse-index --output /tmp/llm-run

``run``     the same as that ``rag eval`` call (the harness's own code: ``make_factory``,
            ``assistant_systems``, ``evaluate_system``), but writes each question's record as soon as it
            is scored, so that a slow model yields usable partial results::

                RAG_LLM_URL=http://127.0.0.1:8012/v1 python -m bench.llm_eval run --llm openai:MODELL \
                    --questions /tmp/llm-questions.jsonl --out /tmp/llm-run.jsonl

``report``  reads such a run (``details-*.jsonl``) and an extractive run of the same questions, checks
            the recorded model texts again with the *current* validator (same path as the product:
            ``generate_answer`` with a replayed model), and prints per-answer rows and summary tables:
            accepted or fallback (and why), fact recall and citation precision of accepted answers
            against the extractive answer, time to first piece, pieces per second; with hand judgements
            (``--judged``: JSONL ``{"id", "good": true|false, "note"}``) also how many good answers were
            rejected and how many bad ones accepted::

                python -m bench.llm_eval report --run /tmp/llm-run/runs/details-….jsonl \\
                    --extractive /tmp/ext-run/runs/details-….jsonl --judged eval/results/llm-judged.jsonl

Pieces are the streamed text pieces; llama.cpp's server sends one token per piece.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ("dev", "test")


def select(questions: Iterable[dict[str, Any]], per_type: int) -> list[dict[str, Any]]:
    """The first ``per_type`` questions of each type in dev and in test, in rounds: one of every type and
    split first, then the next, so that a run stopped early still covers all types.

    >>> qs = [{"id": i, "split": s, "type": t} for i, (s, t) in enumerate(
    ...     [("dev", "a"), ("dev", "a"), ("dev", "a"), ("test", "a"), ("blind", "a"), ("dev", "b")])]
    >>> [q["id"] for q in select(qs, 2)]
    [0, 3, 5, 1]
    """
    taken: Counter[tuple[str, str]] = Counter()
    chosen = []
    for q in questions:
        key = (str(q.get("split", "dev")), str(q.get("type", "?")))
        if key[0] in SPLITS and taken[key] < per_type:
            chosen.append((taken[key], len(chosen), q))
            taken[key] += 1
    return [q for _, _, q in sorted(chosen, key=lambda x: (x[0], x[1]))]


def run(llm: str, questions: list[dict[str, Any]], out: Path, data_dir: Path | None = None) -> None:
    """Score ``questions`` with the assistant and model ``llm``; append each record to ``out`` at once."""
    from rag.evaluation import harness

    assistant = harness.make_factory(None, llm, data_dir)()
    system = harness.assistant_systems(assistant, ())[0]
    done = {r["id"] for r in read_jsonl(out)} if out.exists() else set()

    class _Bar:
        def set_postfix_str(self, *a: Any, **k: Any) -> None: ...

        def update(self, n: int) -> None: ...

    for q in questions:
        if q["id"] in done:
            continue
        (rec,) = harness.evaluate_system(system, [q], str(q.get("split", "dev")), _Bar())
        with out.open("a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        print(f"{q['id']}: {rec.get('mode')} {(rec.get('notice') or '')[:80]}", flush=True)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cited_keys(text: str, sources: Sequence[Sequence[Any]]) -> list[str]:
    """Source keys (project/section) of the ``[n]`` the text cites.

    >>> cited_keys("A [2], B [1, 2].", [[1, "Guben"], [2, "Bochum"]])
    ['Bochum', 'Guben', 'Bochum']
    """
    from rag.llm.validate import citations

    by_n = {int(n): str(key) for n, key in sources if n is not None}
    return [by_n[n] for n in citations(text) if n in by_n]


def citation_precision(text: str, sources: Sequence[Sequence[Any]], gold: Sequence[str]) -> float | None:
    from rag.evaluation import metrics as M

    keys = cited_keys(text, sources)
    if not keys or not gold:
        return None
    return M.citation_pr(keys, gold)[0]


def _fmt(v: float | None, digits: int = 2) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.fmean(vals) if vals else None


def _short_reason(notice: str) -> str:
    m = re.search(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", notice)
    if "nicht belegen" in notice and m:
        return m.group(1)
    return re.sub(r"^Hinweis:\s*|\s*Hier die Antwort direkt aus der Broschüre\.$", "", notice)


def revalidate(assistant: Any, rows: list[dict[str, Any]], questions: dict[str, dict[str, Any]]) -> None:
    """Check each recorded model text again with the current code; sets ``now_*`` fields in ``rows``."""
    from rag.llm import FakeLLM, generate_answer
    from rag.llm.base import is_model_mode

    for r in rows:
        q = questions[r["id"]]
        history = list(q.get("history") or [])
        parsed = assistant.parser.parse(q["question"], history)
        extractive = (assistant.finder.answer(parsed, None) if parsed.intent == "similar"
                      else assistant.answerer.answer(parsed, None))  # fmt: skip
        if "model_text" not in r or not extractive.answerable or not extractive.sources:
            r["now_accepted"], r["now_reason"] = None, ""
            continue
        llm = FakeLLM([r["model_text"]], model=str(r.get("mode_model") or "replay"))
        final = None
        for piece in generate_answer(llm, q["question"], history, extractive, assistant._project_aliases,
                                     places=assistant._past_places):  # fmt: skip
            if not isinstance(piece, str):
                final = piece
        assert final is not None
        r["now_accepted"] = is_model_mode(final.mode)
        r["now_reason"] = _short_reason(final.notice)
        r["now_text"] = final.text
        if r["now_accepted"]:
            from rag.evaluation import metrics as M
            from rag.evaluation.harness import gold_keys

            sources = [[s.n, str(s.project or s.section or s.document or "")] for s in final.sources]
            r["now_fact_recall"] = M.required_fact_recall(q.get("required_facts", []), final.text)
            r["now_cit_prec"] = citation_precision(
                final.text, sources, gold_keys(q) if q.get("answerable", True) else []
            )


def rows_for(run: list[dict[str, Any]], extractive: dict[str, dict[str, Any]],
             questions: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    from rag.evaluation.harness import gold_keys
    from rag.llm.base import is_model_mode

    rows = []
    for rec in run:
        q = questions[rec["id"]]
        ext = extractive.get(rec["id"], {})
        timings = rec.get("timings") or {}
        called = "llm" in timings
        accepted = is_model_mode(str(rec.get("mode", "")))
        gold = gold_keys(q) if q.get("answerable", True) else []
        pieces = float(timings.get("llm_pieces", 0.0))
        gen_s = float(timings.get("llm", 0.0)) - float(timings.get("llm_first_piece", 0.0))
        row = {
            "id": rec["id"], "type": rec.get("type"), "split": rec.get("split"), "question": rec["question"],
            "called": called, "accepted": accepted if called else None,
            "reason": _short_reason(str(rec.get("notice", ""))) if called and not accepted else "",
            "fact_recall": rec.get("fact_recall"), "fact_recall_extractive": ext.get("fact_recall"),
            "cit_prec": citation_precision(str(rec.get("answer", "")), rec.get("sources") or [], gold)
            if accepted else None,
            "cit_prec_extractive": citation_precision(str(ext.get("answer", "")), ext.get("sources") or [], gold),
            "first_piece_s": timings.get("llm_first_piece"),
            "pieces_per_s": pieces / gen_s if called and pieces > 1 and gen_s > 0 else None,
            "model_text": rec.get("model_text", ""), "answer": rec.get("answer", ""),
        }  # fmt: skip
        if called:
            row["model_text"] = rec.get("model_text", "")
        else:
            row.pop("model_text")
        rows.append(row)
    return rows


def summary(rows: list[dict[str, Any]], judged: dict[str, dict[str, Any]], key: str = "accepted") -> list[str]:
    called = [r for r in rows if r["called"]]
    acc = [r for r in called if r[key]]
    out = [
        f"- Fragen: {len(rows)}, davon mit Modellaufruf: {len(called)}; angenommen: {len(acc)}, "
        f"Ersatzantwort: {len(called) - len(acc)}",
    ]
    reasons = Counter(re.sub(r"\d+", "N", r["reason" if key == "accepted" else "now_reason"] or "?")
                      for r in called if not r[key])  # fmt: skip
    if reasons:
        out.append("- Gründe der Ersatzantworten: " + "; ".join(f"{k} ({v})" for k, v in reasons.most_common()))
    if key == "now_accepted":
        out.append(
            f"- angenommene Antworten: Fakten-Recall {_fmt(_mean(r.get('now_fact_recall') for r in acc))} "
            f"(extraktiv auf denselben Fragen {_fmt(_mean(r['fact_recall_extractive'] for r in acc))}), "
            f"Zitat-Präzision {_fmt(_mean(r.get('now_cit_prec') for r in acc))} "
            f"(extraktiv {_fmt(_mean(r['cit_prec_extractive'] for r in acc))})"
        )
    if key == "accepted":
        out.append(
            f"- angenommene Antworten: Fakten-Recall {_fmt(_mean(r['fact_recall'] for r in acc))} "
            f"(extraktiv auf denselben Fragen {_fmt(_mean(r['fact_recall_extractive'] for r in acc))}), "
            f"Zitat-Präzision {_fmt(_mean(r['cit_prec'] for r in acc))} "
            f"(extraktiv {_fmt(_mean(r['cit_prec_extractive'] for r in acc))})"
        )
        firsts = [r["first_piece_s"] for r in called if r["first_piece_s"] is not None]
        rates = [r["pieces_per_s"] for r in called if r["pieces_per_s"] is not None]
        if firsts:
            out.append(f"- Zeit bis zum ersten Stück: Median {statistics.median(firsts):.1f} s, "
                       f"max {max(firsts):.1f} s; Stücke (≈ Tokens) je Sekunde: Median "
                       f"{statistics.median(rates) if rates else 0:.1f}")  # fmt: skip
    hand = [r for r in called if r["id"] in judged]
    if hand:
        good = [r for r in hand if judged[r["id"]]["good"]]
        bad = [r for r in hand if not judged[r["id"]]["good"]]
        good_rejected = [r for r in good if not r[key]]
        bad_accepted = [r for r in bad if r[key]]
        out.append(
            f"- von Hand beurteilt: {len(hand)} (gut {len(good)}, schlecht {len(bad)}); gute abgelehnt: "
            f"{len(good_rejected)}, schlechte angenommen: {len(bad_accepted)}"
            + (f" ({', '.join(r['id'] for r in bad_accepted)})" if bad_accepted else "")
        )
    return out


def table(rows: list[dict[str, Any]], judged: dict[str, dict[str, Any]]) -> list[str]:
    out = ["| id | Typ | angenommen (Lauf) | Grund | jetzt geprüft | Grund jetzt | Fakten-R. LLM / extr. | "
           "Zitat-P. LLM / extr. | 1. Stück s | Stücke/s | von Hand |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip

    def yn(v: bool | None) -> str:
        return "–" if v is None else ("ja" if v else "nein")

    for r in rows:
        j = judged.get(r["id"])
        hand = "–" if j is None else ("gut" if j["good"] else "schlecht") + (f": {j['note']}" if j.get("note") else "")
        out.append(
            f"| {r['id']} | {r['type']} | {yn(r['accepted'])} | {r['reason'][:60]} | {yn(r.get('now_accepted'))} | "
            f"{(r.get('now_reason') or '')[:60]} | {_fmt(r['fact_recall'])} / {_fmt(r['fact_recall_extractive'])} | "
            f"{_fmt(r['cit_prec'])} / {_fmt(r['cit_prec_extractive'])} | {_fmt(r['first_piece_s'], 1)} | "
            f"{_fmt(r['pieces_per_s'], 1)} | {hand.replace('|', '/')} |"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.llm_eval")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("select")
    s.add_argument("--per-type", type=int, default=2)
    s.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    s.add_argument("--out", type=Path, required=True)
    g = sub.add_parser("run")
    g.add_argument("--llm", required=True)
    g.add_argument("--questions", type=Path, required=True)
    g.add_argument("--out", type=Path, required=True)
    r = sub.add_parser("report")
    r.add_argument("--run", type=Path, required=True)
    r.add_argument("--extractive", type=Path, required=True)
    r.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    r.add_argument("--judged", type=Path, default=None)
    r.add_argument("--no-revalidate", action="store_true")
    r.add_argument("--dump", type=Path, default=None, help="rows as JSONL (model texts included)")
    args = p.parse_args(argv)

    from rag.evaluation.harness import load_questions

    questions = load_questions(args.questions)
    if args.cmd == "run":
        run(args.llm, questions, args.out)
        return 0
    if args.cmd == "select":
        chosen = select(questions, args.per_type)
        args.out.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in chosen), encoding="utf-8")
        print(f"{len(chosen)} Fragen nach {args.out}")
        return 0
    by_id = {q["id"]: q for q in questions}
    records = [x for x in read_jsonl(args.run) if x.get("system") == "standard"]
    ext = {x["id"]: x for x in read_jsonl(args.extractive) if x.get("system") == "standard"}
    judged = {j["id"]: j for j in read_jsonl(args.judged)} if args.judged else {}
    rows = rows_for(records, ext, by_id)
    lines = ["## Lauf (Validator zur Zeit des Laufs)", *summary(rows, judged)]
    if not args.no_revalidate:
        from rag import Assistant
        from rag.config import Config

        revalidate(Assistant.load(Config.from_env()), rows, by_id)
        lines += [
            "",
            "## Dieselben Modelltexte, geprüft mit dem aktuellen Validator",
            *summary(rows, judged, "now_accepted"),
        ]
    lines += ["", *table(rows, judged)]
    print("\n".join(lines))
    if args.dump:
        args.dump.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
