"""Calibrate the evidence thresholds below which an open question is declined (``open.MIN_LEXICAL``).

For every question of a split that reaches the open strategy (no record answers it, no refusal by kind),
the best sentences' lexical coverage and cosine are computed; the lexical threshold (with the cosine
threshold ``open.MIN_COSINE`` fixed) that best separates answerable from unanswerable questions on ``dev``
is reported, with its accuracy on test for comparison.

    $ python -m rag.evaluation.calibrate            # fit on dev, check on test
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rag.answer.open import MIN_COSINE, candidates, search_filters, supported
from rag.resources import resource_dir


def strengths(assistant: Any, rows: list[dict[str, Any]]) -> list[tuple[float, bool]]:
    """(lexical coverage, answerable) for the rows whose question goes to the open strategy; a question whose
    best sentences pass the cosine threshold counts as fully covered, one without support as 0."""
    ctx = assistant.answerer.ctx
    out = []
    for r in rows:
        q = assistant.parser.parse(r["question"], r.get("history") or [])
        if q.intent in ("unanswerable", "empty", "lookup", "compare", "similar") or q.structural or q.past_entities:
            continue
        if q.asks_for_project or q.categories or q.states:
            continue  # topic and list strategies decide by their own thresholds
        f = search_filters(q, {})
        hits = candidates(ctx, q, f)
        best = ctx.evidence.best_sentences(q, hits, limit=4, min_share=0.55)
        score = 0.0
        if best and supported(ctx, q, hits):
            score = 1.0 if any(s.cosine >= MIN_COSINE for s in best) else max(s.lexical for s in best)
        out.append((score, bool(r.get("answerable", True))))
    return out


def accuracy(pairs: list[tuple[float, bool]], threshold: float) -> float:
    return sum((s >= threshold) == a for s, a in pairs) / len(pairs) if pairs else 0.0


def main(argv: list[str] | None = None) -> int:
    from rag.assistant import Assistant

    rows = [json.loads(x) for x in (resource_dir("eval") / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    assistant = Assistant.load()
    dev = strengths(assistant, [r for r in rows if r["split"] == "dev"])
    test = strengths(assistant, [r for r in rows if r["split"] == "test"])
    grid = [round(0.02 * i, 2) for i in range(31)]
    best = max(grid, key=lambda t: (accuracy(dev, t), -abs(t - 0.3)))
    print(f"open questions: dev {len(dev)} ({sum(not a for _, a in dev)} unanswerable), test {len(test)}")
    for t in grid[::3]:
        print(f"  threshold {t:.2f}: dev {accuracy(dev, t):.3f}  test {accuracy(test, t):.3f}")
    print(f"best on dev: {best:.2f} (dev {accuracy(dev, best):.3f}, test {accuracy(test, best):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
