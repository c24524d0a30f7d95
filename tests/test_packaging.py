"""The wheel lists its packages by hand (pyproject ``[tool.setuptools] packages``): every package under ``rag/``
must be in that list, or an installed copy fails with ``ModuleNotFoundError`` while the checkout works
(``tests/test_install.py`` shows it, but only in the slow suite)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_under_rag_is_in_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "rag").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= listed, sorted(found - listed)
