"""The ``rag`` command: German help, exit codes, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args], capture_output=True, text=True, env=e, cwd=ROOT, timeout=timeout
    )


def test_help_is_german(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "Aufruf: rag" in out and "Befehle" in out and "eine Frage stellen" in out


def test_unknown_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["ask", "--bogus", "Frage"])
    assert exc.value.code == 2
    assert "unbekannte Argumente" in capsys.readouterr().err


def test_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "Bitte geben Sie eine Frage ein"),
        ("   ", "Bitte geben Sie eine Frage ein"),
        ("x" * 10_000, "zu lang"),
        ("ab\x00cd", "Steuerzeichen"),
    ],
)
def test_bad_questions(question: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", question]) == 2
    assert message in capsys.readouterr().err


def test_projects_csv_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["projects", "--kategorie", "Kleinstädte", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Name,Kategorie") and len(out) == 3
    assert main(["projects", "--land", "NRW", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["Name"] for r in rows} == {"Bochum", "Münster", "Oberhausen", "Wuppertal", "Detmold", "Kreis Höxter"}


def test_unknown_state(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["projects", "--land", "Atlantis"])
    assert "unbekanntes Bundesland" in capsys.readouterr().err


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    r = run_cli("projects", env={"RAG_CORPUS_DIR": str(tmp_path), "RAG_DATA_DIR": str(tmp_path / "d")})
    assert r.returncode == 1 and "Broschüre nicht lesbar" in r.stderr and "Traceback" not in r.stderr


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "datei"
    f.write_text("x")
    r = run_cli("index", env={"RAG_DATA_DIR": str(f)})
    assert r.returncode == 1 and "nicht beschreibbar" in r.stderr and "Traceback" not in r.stderr


def test_unknown_embedder(tmp_path: Path) -> None:
    # a setting, checked by Config.from_env before anything runs: a usage error (2), like RAG_LLM_TIMEOUT
    r = run_cli("index", env={"RAG_DATA_DIR": str(tmp_path), "RAG_EMBEDDER": "gibtsnicht"})
    assert r.returncode == 2 and "Unbekanntes Embedding-Modell" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("variable", ["RAG_CHROMA_URL", "OLLAMA_HOST"])
def test_url_without_scheme_is_a_german_usage_error(variable: str, tmp_path: Path) -> None:
    r = run_cli("projects", env={"RAG_DATA_DIR": str(tmp_path), variable: "localhost:8000"})
    assert r.returncode == 2 and f"{variable} muss eine vollständige Adresse" in r.stderr
    assert "Traceback" not in r.stderr


def test_log_file_rotates_past_its_limit(tmp_path: Path) -> None:
    import logging

    from rag.cli import LOG_BACKUPS, LOG_MAX_BYTES, setup_logging

    assert (LOG_MAX_BYTES, LOG_BACKUPS) == (1_000_000, 3)
    handler = setup_logging(tmp_path, max_bytes=2_000, backups=2)
    try:
        log = logging.getLogger("rag.test")
        for i in range(200):  # ~ 100 bytes a line: 20 kB, ten times the limit
            log.info("Zeile %04d %s", i, "x" * 60)
        handler.flush()
        files = sorted(p.name for p in tmp_path.iterdir())
        assert files == ["rag.log", "rag.log.1", "rag.log.2"]  # older ones are dropped
        assert all((tmp_path / f).stat().st_size <= 2_000 for f in files)
        assert "Zeile 0199" in (tmp_path / "rag.log").read_text(encoding="utf-8")
        assert "Zeile 0000" not in "".join((tmp_path / f).read_text(encoding="utf-8") for f in files)
        # a library warning lands in the file too, not on the console
        logging.getLogger("chromadb.test").warning("Bibliothekswarnung")
        handler.flush()
        assert "Bibliothekswarnung" in (tmp_path / "rag.log").read_text(encoding="utf-8")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_log_file_failures_stay_off_the_console(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from rag.cli import setup_logging

    handler = setup_logging(tmp_path, max_bytes=100)
    try:

        def broken(record: logging.LogRecord) -> bool:
            raise OSError(28, "No space left on device")

        handler.shouldRollover = broken  # type: ignore[attr-defined,method-assign]
        logging.getLogger("rag.test").error("geht nicht")
        assert "Traceback" not in capsys.readouterr().err
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_unexpected_error_goes_to_the_log_not_the_console(tmp_path: Path) -> None:
    code = (
        "import sys; from rag.cli import _guarded, setup_logging; from pathlib import Path; "
        f"setup_logging(Path({str(tmp_path)!r})); sys.exit(_guarded(lambda: 1 / 0))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 1 and "unerwartetes Problem (ZeroDivisionError)" in r.stderr
    assert "Traceback" not in r.stderr
    assert "ZeroDivisionError" in (tmp_path / "rag.log").read_text(encoding="utf-8")


@pytest.mark.slow
def test_ask_end_to_end(data_dir: Path, assistant: object) -> None:
    # `assistant` makes sure the session index exists in data_dir; this process only opens it.
    r = run_cli("ask", "Welche Kleinstädte wurden 2021 gefördert?", env={"RAG_DATA_DIR": str(data_dir)})
    assert r.returncode == 0, r.stderr
    assert "Guben" in r.stdout and "Linz am Rhein" in r.stdout and "Quellen:" in r.stdout and "S. 31" in r.stdout
    r = run_cli("ask", "--json", "Was ist das Motto von Guben?", env={"RAG_DATA_DIR": str(data_dir)})
    d = json.loads(r.stdout)
    assert d["sources"][0]["project"] == "Guben" and d["mode"] == "strukturiert"


@pytest.mark.slow
def test_chat_keeps_history(data_dir: Path, assistant: object) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "rag.cli", "chat"],
        input="Was ist das Motto von Guben?\nUnd in welchem Bundesland befindet sich die Stadt?\nende\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "RAG_DATA_DIR": str(data_dir)},
    )
    assert r.returncode == 0 and "Guben liegt in Brandenburg" in r.stdout


@pytest.mark.slow
def test_corrupt_index_is_rebuilt_by_ask(tmp_path: Path, data_dir: Path, assistant: object) -> None:
    import shutil

    d = tmp_path / "data"
    shutil.copytree(data_dir, d)
    cur = json.loads((d / "current.json").read_text())
    (d / "indexes" / cur["dir"] / "manifest.json").write_text("kaputt")
    r = run_cli("ask", "Was ist das Motto von Guben?", env={"RAG_DATA_DIR": str(d)}, timeout=300)
    assert r.returncode == 0 and "Ein kleiner Schritt" in r.stdout and "Traceback" not in r.stderr


def test_bad_timeout_setting_is_a_german_usage_error() -> None:
    r = run_cli("projects", env={"RAG_LLM_TIMEOUT": "abc"})
    assert r.returncode == 2 and "RAG_LLM_TIMEOUT muss eine Zahl" in r.stderr and "Traceback" not in r.stderr


def test_empty_category_is_an_error_listing_the_valid_ones() -> None:
    r = run_cli("projects", "--kategorie", "")
    assert r.returncode == 2 and "möglich: Großstädte, Mittelstädte" in r.stderr


def test_handlungsfeld_filter_and_error() -> None:
    r = run_cli("projects", "--handlungsfeld", "Tourismus", "--format", "json")
    rows = json.loads(r.stdout)
    assert r.returncode == 0 and rows and all("Tourismus" in row["Handlungsfelder"] for row in rows)
    bad = run_cli("projects", "--handlungsfeld", "Raumfahrt")
    assert bad.returncode == 2 and "möglich: Mobilität" in bad.stderr


def test_broken_pipe_ends_quietly() -> None:
    r = subprocess.run(
        f"{sys.executable} -m rag.cli projects | head -1", shell=True, capture_output=True, text=True, cwd=ROOT
    )
    assert r.stdout.count("\n") == 1 and r.stderr == ""


def test_csv_cells_cannot_start_formulas(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from rag import parse

    real = parse.load_corpus

    def hostile(path):  # type: ignore[no-untyped-def]
        corpus = real(path)
        first = dataclasses.replace(corpus.projects[0], title="=HYPERLINK(\"http://x\")", motto="@SUM(A1)")
        return dataclasses.replace(corpus, projects=(first, *corpus.projects[1:]))

    monkeypatch.setattr(parse, "load_corpus", hostile)
    assert main(["projects", "--format", "csv"]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert "'=HYPERLINK" in line and "'@SUM" in line


def test_serve_explains_a_busy_or_invalid_port_in_german() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = run_cli("serve", "--port", str(port), timeout=60)
    assert r.returncode == 1 and f"Port {port} auf 127.0.0.1 ist belegt" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("serve", "--port", "99999", timeout=60)
    assert r.returncode == 1 and "Ungültiger Port 99999" in r.stderr


def test_serve_address_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from rag.web.app import ServeError, check_address

    with socket.socket() as s:  # a free port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert check_address("127.0.0.1", port) == []
    warnings = check_address("0.0.0.0", port)
    assert len(warnings) == 1 and "von anderen Rechnern erreichbar" in warnings[0]

    def no_such_host(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # never a DNS query from a test
    with pytest.raises(ServeError, match="ist ungültig oder nicht auflösbar"):
        check_address("kein-host", port)
