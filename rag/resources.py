"""Where the bundled data lives: the folders ``prompts``, ``corpus`` and ``eval`` of the repository.

In a wheel they are the packages ``rag._data.prompts``, ``rag._data.corpus`` and ``rag._data.eval``
(mapped in ``pyproject.toml``) and are found with :mod:`importlib.resources`. In a source checkout (also an
editable install, where that mapping is not importable) they are the folders at the repository root.

Example::

    >>> resource_dir("prompts").joinpath("system.txt").is_file()
    True
"""

from __future__ import annotations

import importlib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

RESOURCES = ("prompts", "corpus", "eval")
APP_NAME = "smartcities-rag"
_CHECKOUT = Path(__file__).resolve().parent.parent


def checkout_root() -> Path | None:
    """The repository root when ``rag`` is imported from a source checkout, else ``None``."""
    if (_CHECKOUT / "pyproject.toml").is_file() and all((_CHECKOUT / name).is_dir() for name in RESOURCES):
        return _CHECKOUT
    return None


def _as_path(files: Traversable) -> Path | None:
    if isinstance(files, Path):
        return files
    for child in files.iterdir():  # a namespace package (no __init__.py): its children are real paths
        if isinstance(child, Path):
            return child.parent
    return None


def resource_dir(name: str) -> Path:
    """The directory of the bundled resource ``name`` ("prompts", "corpus" or "eval")."""
    if name not in RESOURCES:
        raise ValueError(f"unknown resource {name!r} (known: {', '.join(RESOURCES)})")
    package = f"rag._data.{name}"
    try:
        importlib.import_module(package)
    except ImportError:
        pass
    else:
        path = _as_path(resources.files(package))
        if path is not None and path.is_dir():
            return path
    root = checkout_root()
    if root is None:
        raise FileNotFoundError(f"Die Paketdaten „{name}“ fehlen; bitte das Paket neu installieren.")
    return root / name


def default_data_dir() -> Path:
    """``<checkout>/data`` in a source checkout, else the user's data directory (``platformdirs``)."""
    root = checkout_root()
    if root is not None:
        return root / "data"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))
