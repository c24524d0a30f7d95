"""A seeded random sample of the mutants mutmut generated, so that every module gets a kill-rate estimate in
about an hour instead of a full run of many hours on a 2-core machine.

Reads ``mutants/**/*.py.meta`` (written by the first ``mutmut run``), keeps the mutants that were not run yet,
and prints up to ``--per-module`` names per module, one per line, for ``mutmut run $(...)``. The same seed and
the same code give the same sample.

Example::

    $ python -m bench.mutation_sample --per-module 2 --seed 7
    rag.answer.citations.x_source_label__mutmut_3
    rag.answer.citations.x_cite__mutmut_11
    ...
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from bench.mutation_report import ROOT, module_of


def unchecked_by_module(mutants: Path) -> dict[str, list[str]]:
    """module -> names of its mutants that have no result yet (sorted, so the sample does not depend on file order)."""
    out: dict[str, list[str]] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        data = json.loads(meta.read_text())
        names = sorted(n for n, code in data.get("exit_code_by_key", {}).items() if code is None)
        if names:
            out[module_of(meta, mutants)] = names
    return out


def sample(by_module: dict[str, list[str]], per_module: int, seed: int) -> list[str]:
    """Up to ``per_module`` names from each module, drawn with one seeded generator per module.

    >>> sample({"m": ["a", "b", "c"], "n": ["d"]}, 2, seed=1) == sample({"n": ["d"], "m": ["a", "b", "c"]}, 2, seed=1)
    True
    >>> len(sample({"m": ["a", "b", "c"], "n": ["d"]}, 2, seed=1))
    3
    """
    picked: list[str] = []
    for module in sorted(by_module):
        names = by_module[module]
        rng = random.Random(f"{seed}:{module}")
        picked += sorted(rng.sample(names, min(per_module, len(names))))
    return picked


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", type=Path, default=ROOT / "mutants")
    ap.add_argument("--per-module", type=int, default=60)
    ap.add_argument("--seed", type=int, default=2021)
    args = ap.parse_args(argv)
    if not args.mutants.is_dir():
        print(f"{args.mutants} fehlt – zuerst `mutmut run` ausführen, das die Mutanten erzeugt.", file=sys.stderr)
        return 2
    names = sample(unchecked_by_module(args.mutants), args.per_module, args.seed)
    if not names:
        print("Keine ungeprüften Mutanten gefunden.", file=sys.stderr)
        return 1
    print("\n".join(names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
