"""Proof by installation: build the wheel, install it into a fresh venv outside the checkout and use it.

The fresh venv gets the wheel only (``--no-deps``); the dependencies already installed in the checkout's
venv (torch, chromadb, gradio, …) are made visible to it with a ``.pth`` file, so nothing is downloaded.
Every command runs with the working directory in a temporary folder outside the checkout, so prompts,
corpus and evaluation data must come from the installed package.
"""

from __future__ import annotations

import json
import os
import site
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@dataclass
class Installed:
    venv: Path
    bin: Path
    site_packages: Path
    work: Path  # working directory outside the checkout
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 600, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            list(args), cwd=self.work, env=env or self.env, capture_output=True, text=True, timeout=timeout
        )

    def rag(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        r = self.run(str(self.bin / "rag"), *args, timeout=timeout)
        assert r.returncode == 0, f"rag {' '.join(args)}: {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
        return r


def _checkout_site_packages() -> list[str]:
    """The site-packages of the interpreter running the tests (the checkout's venv)."""
    paths = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()]
    out: list[str] = []
    for p in paths:
        if Path(p).is_dir() and str(Path(p).resolve()) not in {str(Path(o).resolve()) for o in out}:
            out.append(p)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _outside_checkout(path: Path) -> bool:
    return not path.resolve().is_relative_to(ROOT.resolve())


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("install")
    assert _outside_checkout(base), base
    pip_env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1", "PIP_NO_INPUT": "1"}

    wheels = base / "wheels"
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True, env=pip_env, timeout=600,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    (wheel,) = wheels.glob("smartcities_rag-*.whl")

    venv = base / "venv"
    r = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    bin_dir = venv / "bin"
    python = bin_dir / "python"
    r = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", str(wheel)],
        capture_output=True, text=True, env=pip_env, timeout=600,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    site_packages = Path(purelib)
    # the dependencies: the checkout venv's site-packages, after the new venv's own (its .pth files, such as
    # the editable install of the checkout, are not processed for directories named in a .pth file)
    (site_packages / "zz_checkout_venv.pth").write_text("\n".join(_checkout_site_packages()) + "\n")

    work = base / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        RAG_DATA_DIR=str(base / "data"),
        RAG_LLM="",
        GRADIO_ANALYTICS_ENABLED="False",
        ANONYMIZED_TELEMETRY="False",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        OMP_WAIT_POLICY="PASSIVE",
        XDG_DATA_HOME=str(base / "xdg-data"),
    )
    yield Installed(venv, bin_dir, site_packages, work, env)


def test_package_and_its_data_come_from_the_venv(installed: Installed) -> None:
    code = (
        "import json, rag, rag.web.app, rag.evaluation.harness as h\n"
        "from rag.resources import checkout_root, resource_dir\n"
        "from rag.prompts import PROMPT_DIR\n"
        "from rag.config import Config\n"
        "print(json.dumps({'rag': rag.__file__, 'web': rag.web.app.__file__, 'checkout': str(checkout_root()),\n"
        "    'dirs': [str(resource_dir(n)) for n in ('prompts', 'corpus', 'eval')], 'prompts': str(PROMPT_DIR),\n"
        "    'questions': str(h.QUESTIONS_FILE), 'floors': h.FLOORS_FILE.is_file(),\n"
        "    'corpus': str(Config.from_env().corpus_dir), 'data': str(Config.from_env().data_dir)}))\n"
    )
    r = installed.run(str(installed.bin / "python"), "-c", code)
    assert r.returncode == 0, r.stderr[-3000:]
    info = json.loads(r.stdout)
    site_packages = installed.site_packages.resolve()
    paths = [info[key] for key in ("rag", "web", "prompts", "questions", "corpus")] + info["dirs"]
    for value in paths:
        path = Path(value).resolve()
        assert path.is_relative_to(site_packages), f"{path} liegt nicht im venv"
        assert _outside_checkout(path), f"{path} liegt im Checkout"
    assert info["checkout"] == "None" and info["floors"] is True
    assert Path(info["data"]) == Path(installed.env["RAG_DATA_DIR"])
    # without RAG_DATA_DIR: the user's data directory (platformdirs, here below XDG_DATA_HOME)
    env = {k: v for k, v in installed.env.items() if k != "RAG_DATA_DIR"}
    r = installed.run(
        str(installed.bin / "python"), "-c", "from rag.config import Config; print(Config.from_env().data_dir)", env=env
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert Path(r.stdout.strip()) == Path(env["XDG_DATA_HOME"]) / "smartcities-rag"


def test_index_ask_projects(installed: Installed) -> None:
    r = installed.rag("index")
    assert "Index" in r.stdout
    assert (Path(installed.env["RAG_DATA_DIR"])).is_dir()
    r = installed.rag("ask", "--json", "Welche Kleinstädte wurden 2021 gefördert?")
    answer = json.loads(r.stdout)
    assert "Guben" in answer["text"] and "Linz am Rhein" in answer["text"]
    r = installed.rag("projects")
    assert "28 Projekte" in r.stdout


def test_eval_with_bundled_questions(installed: Installed) -> None:
    out = installed.work.parent / "eval-out"
    installed.rag("index")  # no-op when test_index_ask_projects ran first
    installed.rag("eval", "--limit", "10", "--no-baselines", "--reuse-index", "--quiet", "--output", str(out))
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["meta"]["n_questions"] == {"dev": 10, "test": 10, "blind": 10, "blind2": 10, "blind3": 10, "blind4": 10, "blind5": 10, "blind6": 10, "blind7": 10, "blind8": 10, "blind9": 10, "blind10": 10, "blind11": 10, "blind12": 10, "blind13": 10, "blind14": 10, "blind15": 10, "blind16": 10, "blind17": 10, "blind18": 10}
    assert Path(data["meta"]["questions_file"]).resolve().is_relative_to(installed.site_packages.resolve())
    assert data["results"]["dev"]["standard"]["overall"]["errors"] == 0
    for name in ("report.md", "report.png"):
        assert (out / name).stat().st_size > 0


def test_serve_answers_http(installed: Installed) -> None:
    installed.rag("index")
    port = _free_port()
    log = installed.work.parent / "serve.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [str(installed.bin / "rag"), "serve", "--port", str(port)],
            cwd=installed.work, env=installed.env, stdout=fh, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        status = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    status = resp.status
                    if status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        assert status == 200, f"keine Antwort von rag serve (rc={proc.poll()}):\n{log.read_text()[-3000:]}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
