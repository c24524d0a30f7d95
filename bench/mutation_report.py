"""The mutation-testing report: killed / survived / equivalent / timeout per module, from mutmut's results.

Reads ``mutants/**/*.py.meta`` (written by ``mutmut run``, see ``make mutation``) and the reviewed list of
equivalent mutants ``bench/mutation_equivalent.txt`` (``<mutant name>  # <one-line reason>``), and writes a
Markdown table with the commit it was measured at.

Example::

    $ python -m bench.mutation_report --command "make mutation" --output bench/results/mutation.md
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "bench" / "mutation_equivalent.txt"
KILLED = {1, 3}
TIMEOUT = {36, 24, -24, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}


def equivalent_mutants(path: Path = EQUIVALENT) -> dict[str, str]:
    """mutant name -> reason, from the reviewed list (comments and blank lines ignored)."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition("#")
        out[name.strip()] = reason.strip()
    return out


def module_of(meta: Path, mutants: Path) -> str:
    rel = meta.relative_to(mutants).with_suffix("").with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def classify(code: int | None, name: str, equivalent: dict[str, str]) -> str:
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if code is None:
        return "not checked"
    if code in SURVIVED or code in NO_TESTS:
        return "equivalent" if name in equivalent else ("survived" if code in SURVIVED else "no tests")
    return "other"


def collect(mutants: Path, equivalent: dict[str, str]) -> tuple[dict[str, Counter[str]], list[str]]:
    per_module: dict[str, Counter[str]] = {}
    survivors: list[str] = []
    for meta in sorted(mutants.rglob("*.py.meta")):
        data = json.loads(meta.read_text())
        counts: Counter[str] = Counter()
        for name, code in data.get("exit_code_by_key", {}).items():
            status = classify(code, name, equivalent)
            counts[status] += 1
            if status in ("survived", "no tests"):
                survivors.append(name)
        if counts:
            per_module[module_of(meta, mutants)] = counts
    return per_module, survivors


def rate(c: Counter[str]) -> str:
    """Detected (killed or timed out) over all mutants that are not equivalent and were checked."""
    relevant = sum(c.values()) - c["equivalent"] - c["not checked"]
    return f"{(c['killed'] + c['timeout']) / relevant:.1%}" if relevant else "–"


def interval(c: Counter[str]) -> str:
    """95 % Wilson interval of the kill rate when only a sample was checked ("–" for a full run).

    >>> interval(Counter({"killed": 54, "survived": 6, "not checked": 300}))
    '80–95%'
    """
    relevant = sum(c.values()) - c["equivalent"] - c["not checked"]
    if not relevant or not c["not checked"]:
        return "–"
    p, z = (c["killed"] + c["timeout"]) / relevant, 1.96
    centre = (p + z * z / (2 * relevant)) / (1 + z * z / relevant)
    half = z * math.sqrt(p * (1 - p) / relevant + z * z / (4 * relevant * relevant)) / (1 + z * z / relevant)
    return f"{max(0.0, centre - half):.0%}–{min(1.0, centre + half):.0%}".replace("%–", "–")


def weighted(per_module: dict[str, Counter[str]]) -> str:
    """Kill rate of all modules when each was sampled: every module's sample rate weighted by its size.

    >>> weighted({"a": Counter({"killed": 1, "survived": 1, "not checked": 98}), "b": Counter({"killed": 10})})
    '54.5%'
    """
    num = den = 0.0
    for c in per_module.values():
        relevant = sum(c.values()) - c["equivalent"] - c["not checked"]
        if relevant:
            size = sum(c.values()) - c["equivalent"]
            num += size * (c["killed"] + c["timeout"]) / relevant
            den += size
    return f"{num / den:.1%}" if den else "–"


def render(
    per_module: dict[str, Counter[str]], survivors: list[str], command: str, commit: str, note: str = ""
) -> str:
    cols = ["killed", "timeout", "survived", "no tests", "equivalent", "not checked"]
    lines = [
        "# Mutation testing (mutmut) of the answer layer",
        "",
        f"Commit `{commit}`, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; command: `{command}`",
        "(mutmut 3, each mutant run against the fast unit tests that call the mutated function, see",
        "`[tool.mutmut]` in pyproject.toml; 2 workers under `nice -n 10` on a shared 2-core machine).",
        "Kill rate = (killed + timeout) / (all − equivalent − not checked). Equivalent mutants are listed with",
        "their reason in `bench/mutation_equivalent.txt`. A module whose mutants are all \"not checked\" was not run.",
        "",
        *([note, ""] if note else []),
        "| module | " + " | ".join(cols) + " | total | kill rate | 95 % interval (sample) |",
        "| --- | " + " | ".join("---:" for _ in cols) + " | ---: | ---: | ---: |",
    ]
    total: Counter[str] = Counter()
    for module, c in sorted(per_module.items()):
        total += c
        row = " | ".join(str(c[k]) for k in cols)
        lines.append(f"| `{module}` | {row} | {sum(c.values())} | {rate(c)} | {interval(c)} |")
    row = " | ".join(str(total[k]) for k in cols)
    if total["not checked"]:
        lines.append(f"| **all** (weighted by module size) | {row} | {sum(total.values())} | **{weighted(per_module)}** | – |")
    else:
        lines.append(f"| **all** | {row} | {sum(total.values())} | **{rate(total)}** | – |")
    lines += ["", f"## Surviving mutants not yet reviewed ({len(survivors)})", ""]
    lines += [f"- `{s}`" for s in survivors] or ["(none)"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", type=Path, default=ROOT / "mutants")
    ap.add_argument("--command", default="make mutation")
    ap.add_argument("--output", type=Path, default=None)
    ap.add_argument("--note", default="", help="a paragraph on how this run was made (Markdown)")
    args = ap.parse_args(argv)
    if not args.mutants.is_dir():
        print(f"{args.mutants} fehlt – zuerst `make mutation` ausführen.", file=sys.stderr)
        return 2
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
    ).stdout.strip()
    per_module, survivors = collect(args.mutants, equivalent_mutants())
    text = render(per_module, survivors, args.command, commit or "?", args.note)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
