"""The mutation report's arithmetic and the seeded sample (bench/mutation_report.py, bench/mutation_sample.py)."""

from __future__ import annotations

import doctest
import json
from collections import Counter
from pathlib import Path

from bench import mutation_report, mutation_sample


def test_doctests() -> None:
    for module in (mutation_report, mutation_sample):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0


def _meta(root: Path, module: str, codes: dict[str, int | None]) -> None:
    path = root.joinpath(*module.split(".")).with_suffix(".py.meta")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"exit_code_by_key": codes}))


def test_sample_takes_only_unchecked_mutants_and_is_reproducible(tmp_path: Path) -> None:
    _meta(tmp_path, "rag.a", {f"rag.a.x_f__mutmut_{i}": (1 if i < 5 else None) for i in range(1, 21)})
    _meta(tmp_path, "rag.b", {"rag.b.x_g__mutmut_1": None, "rag.b.x_g__mutmut_2": 0})
    by_module = mutation_sample.unchecked_by_module(tmp_path)
    assert set(by_module) == {"rag.a", "rag.b"}
    assert len(by_module["rag.a"]) == 16 and by_module["rag.b"] == ["rag.b.x_g__mutmut_1"]
    first = mutation_sample.sample(by_module, 4, seed=3)
    assert first == mutation_sample.sample(by_module, 4, seed=3)
    assert len(first) == 5 and "rag.b.x_g__mutmut_1" in first
    assert all(int(n.rsplit("_", 1)[1]) >= 5 for n in first if n.startswith("rag.a"))
    assert first != mutation_sample.sample(by_module, 4, seed=4)


def test_sample_cli_fails_without_mutants(tmp_path: Path, capsys) -> None:
    assert mutation_sample.main(["--mutants", str(tmp_path / "missing")]) == 2
    assert "fehlt" in capsys.readouterr().err


def test_weighted_rate_and_interval_only_for_samples() -> None:
    full = Counter({"killed": 9, "survived": 1})
    sampled = Counter({"killed": 9, "survived": 1, "not checked": 90})
    assert mutation_report.interval(full) == "–"
    low, high = mutation_report.interval(sampled).rstrip("%").split("–")
    assert 50 < int(low) < 90 < int(high) <= 100
    text = mutation_report.render({"rag.a": sampled, "rag.b": full}, [], "make mutation", "abc")
    assert "weighted by module size" in text and "**90.0%**" in text
    assert "weighted" not in mutation_report.render({"rag.b": full}, [], "make mutation", "abc")
