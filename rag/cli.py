"""The ``rag`` command line (German): index, ask, chat, similar, projects, serve, eval, doctor.

Exit codes: 0 ok, 1 the system cannot work (index, corpus, model, server), 2 bad input or usage,
130 interrupted. Errors are one German sentence on stderr; details go to ``<data>/rag.log`` (rotated at 1 MB, three
older files kept; never a traceback on the console).

Example::

    $ rag ask "Welche Kleinstädte wurden 2021 gefördert?"
    $ rag projects --kategorie Kleinstädte --format csv
    $ rag similar "ländlicher Landkreis, Nahversorgung, Dörfer" -k 3
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from rag.config import Config, ConfigError
from rag.guard import check_question
from rag.text import csv_safe
from rag.types import CATEGORIES, Answer

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    pass


class GermanFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="Aufruf: ")


class GermanParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", GermanFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumente"
        self._optionals.title = "Optionen"
        self.add_argument("-h", "--help", action="help", help="diese Hilfe anzeigen und beenden")

    def error(self, message: str) -> NoReturn:
        translations = {
            "unrecognized arguments": "unbekannte Argumente",
            "the following arguments are required": "diese Argumente fehlen",
            "invalid choice": "ungültige Auswahl",
            "expected one argument": "erwartet einen Wert",
            "argument": "Argument",
            "choose from": "möglich sind",
            "invalid int value": "keine ganze Zahl",
        }
        for en, de in translations.items():
            message = message.replace(en, de)
        self.print_usage(sys.stderr)
        print(f"Fehler: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _category(value: str) -> str:
    v = value.strip().lower()
    for cat in CATEGORIES if v else ():
        if cat.lower().startswith(v[:6]) or v in cat.lower():
            return cat
    raise argparse.ArgumentTypeError(f"unbekannte Kategorie „{value}“ (möglich: {', '.join(CATEGORIES)})")


def _field(value: str) -> str:
    from rag.fields import FIELDS
    from rag.german import fold

    v = fold(value).strip()
    for f in FIELDS:
        if v and (fold(f) == v or fold(f).startswith(v)):
            return f
    raise argparse.ArgumentTypeError(f"unbekanntes Handlungsfeld „{value}“ (möglich: {', '.join(FIELDS)})")


def _state(value: str) -> str:
    import re

    from rag.cues import STATE_PATTERNS
    from rag.german import fold

    for state, pattern in STATE_PATTERNS.items():
        if fold(value) == fold(state) or re.fullmatch(pattern, fold(value).strip()):
            return state
    raise argparse.ArgumentTypeError(f"unbekanntes Bundesland „{value}“")


def build_parser() -> GermanParser:
    p = GermanParser(
        prog="rag",
        description="Frage-Antwort-Assistent zur Broschüre „Modellprojekte Smart Cities 2021“.\n"
        "Antwortet auf Deutsch mit Quellenangaben (Projekt, Seite) – offline, ohne Sprachmodell.",
        epilog='Beispiele:\n  rag ask "Welche Kleinstädte wurden 2021 gefördert?"\n  rag chat\n'
        '  rag projects --land Bayern --format csv\n  rag similar "ländlicher Landkreis mit Nahversorgung"',
    )
    sub = p.add_subparsers(dest="command", title="Befehle", metavar="BEFEHL", parser_class=GermanParser, prog="rag")

    s = sub.add_parser("index", help="Index bauen (nur wenn sich etwas geändert hat)", description="Index bauen.")
    s.add_argument("--rebuild", action="store_true", help="Index vollständig neu bauen")

    def filters(sp: GermanParser) -> None:
        sp.add_argument("--kategorie", type=_category, help="nur diese Kategorie, z. B. Großstädte, Kleinstädte")
        sp.add_argument("--land", type=_state, help="nur dieses Bundesland, z. B. Bayern oder NRW")
        if sp.prog.endswith("projects"):
            sp.add_argument(
                "--handlungsfeld", type=_field, help="nur Projekte mit diesem Handlungsfeld, z. B. Mobilität"
            )

    def llm(sp: GermanParser) -> None:
        sp.add_argument(
            "--llm",
            metavar="ollama:MODELL|openai:MODELL",
            help="Antworten von einem Sprachmodell formulieren lassen (geprüft gegen die Quellen): ollama "
            "oder ein OpenAI-kompatibler Server unter RAG_LLM_URL (llama.cpp, vLLM)",
        )

    s = sub.add_parser("ask", help="eine Frage stellen", description="Eine Frage stellen.")
    s.add_argument("frage", help="die Frage (in Anführungszeichen)")
    s.add_argument("--json", action="store_true", help="Antwort als JSON ausgeben")
    filters(s)
    llm(s)

    s = sub.add_parser("chat", help="interaktives Gespräch (mit Verlauf)", description="Interaktives Gespräch.")
    filters(s)
    llm(s)

    s = sub.add_parser("similar", help="vergleichbare Projekte finden", description="Vergleichbare Projekte finden.")
    s.add_argument("text", help="Beschreibung Ihres Vorhabens oder ein Projektname")
    s.add_argument("-k", type=int, default=5, help="Anzahl der Ergebnisse (Standard: 5)")
    s.add_argument("--json", action="store_true", help="als JSON ausgeben")
    filters(s)

    s = sub.add_parser("projects", help="die 28 Projekte auflisten", description="Die 28 Projekte auflisten.")
    filters(s)
    s.add_argument("--format", choices=["table", "csv", "json"], default="table", help="Ausgabeformat")

    s = sub.add_parser("serve", help="Web-App starten", description="Die Gradio-Web-App starten.")
    s.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1)")
    s.add_argument("--port", type=int, default=7860, help="Port (Standard: 7860)")
    llm(s)

    sub.add_parser("eval", help="Evaluation ausführen (Optionen: rag eval --help)", add_help=False)
    sub.add_parser(
        "doctor", help="Umgebung prüfen (Index, Modelle, Sprachmodell-Server)", description="Umgebung prüfen."
    )
    return p


def _progress() -> Any:
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="Abschnitte", file=sys.stderr, leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


LOG_FILE = "rag.log"
LOG_MAX_BYTES = 1_000_000  # rag.log is rotated at 1 MB …
LOG_BACKUPS = 3  # … into rag.log.1 … rag.log.3 (at most 4 MB in all)


class _QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A log file that never prints to the console: a failure to write or rotate it is ignored."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def setup_logging(data_dir: Path, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS) -> logging.Handler:
    """Details (and third-party warnings) go to ``<data_dir>/rag.log``, rotated; nothing to the console.

    The handler sits on the root logger (level WARNING for libraries, INFO for ``rag``), so no library
    message falls through to Python's last-resort console handler. Calling it again replaces the handler.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "rag_log", False)]:
        root.removeHandler(old)
        old.close()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _QuietRotatingFileHandler(
            data_dir / LOG_FILE, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.rag_log = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.getLogger("rag").setLevel(logging.INFO)
    return handler


def _load(config: Config, llm: str | None = None, rebuild: bool = False) -> Any:
    from rag.assistant import Assistant

    llm_obj = None
    spec = llm if llm is not None else config.llm
    if spec:
        from rag.llm import llm_from_config

        llm_obj = llm_from_config(config, spec)
    assistant = Assistant.load(config, llm=llm_obj, progress=_progress(), rebuild=rebuild)
    if assistant.notice:
        print(assistant.notice, file=sys.stderr)
    return assistant


def _filters(args: argparse.Namespace) -> dict[str, str | None]:
    return {"category": getattr(args, "kategorie", None), "state": getattr(args, "land", None)}


def _safe(text: str) -> str:
    """Text for the terminal: no escape sequences or control characters (newline and tab stay)."""
    from rag.llm.sanitize import clean_display

    return clean_display(text)


def print_answer(ans: Answer, streamed: bool = False, llm: str = "") -> None:
    """The answer, its notice, (with a language model ``llm``) how it was made, and the sources."""
    from rag.llm.base import is_model_mode

    if not streamed:
        print(_safe(ans.text))
    if ans.notice:
        print(f"\n{_safe(ans.notice)}")
    if llm and is_model_mode(ans.mode):
        print(f"\n(Formuliert vom Sprachmodell {_safe(ans.mode)}; Quellenangaben, Namen und Zahlen sind geprüft.)")
    elif llm and ans.answerable and ans.sources:
        print(f"\n(Ersatzantwort direkt aus der Broschüre – die Antwort von {_safe(llm)} wurde nicht verwendet.)")
    if ans.sources:
        print("\nQuellen:")
        for s in ans.sources:
            snippet = " ".join(_safe(s.snippet).split())
            print(f"  {_safe(s.label())} – {snippet[:160]}{'…' if len(snippet) > 160 else ''}")


def _stream(assistant: Any, question: str, history: list[dict[str, str]], filters: dict[str, Any]) -> Answer:
    """Print the answer. Without a language model line by line as it arrives; with one only the final
    answer, after it passed validation (or the extractive fallback with the reason) – unchecked model
    text never reaches the terminal."""
    llm = getattr(assistant, "llm", None)
    llm_name = str(getattr(llm, "name", "Sprachmodell")) if llm is not None else ""
    waiting = bool(llm_name) and sys.stderr.isatty()
    if waiting:
        print("Das Sprachmodell formuliert die Antwort …", end="", file=sys.stderr, flush=True)
    final: Answer | None = None
    printed = False
    try:
        for piece in assistant.ask_stream(question, history, filters):
            if isinstance(piece, Answer):
                final = piece
            elif not llm_name:
                print(_safe(piece), end="", flush=True)
                printed = True
    finally:
        if waiting:
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)  # clear the waiting line
    assert final is not None
    if printed:
        print()
    print_answer(final, streamed=printed, llm=llm_name)
    return final


def cmd_index(config: Config, args: argparse.Namespace) -> int:
    from rag.embed import make_embedder
    from rag.index.build import build_index

    index, built = build_index(config, make_embedder(config.embedder), force=args.rebuild, progress=_progress())
    m = index.manifest
    if built:
        print(f"Index gebaut: {m['chunks']} Abschnitte, Modell {m['embedder']}, {m['build_seconds']} s ({index.path}).")
    else:
        print(f"Index ist aktuell: {m['chunks']} Abschnitte, Modell {m['embedder']} ({index.path}).")
    return EXIT_OK


def cmd_ask(config: Config, args: argparse.Namespace) -> int:
    problem = check_question(args.frage)
    if problem:
        print(f"Fehler: {problem}", file=sys.stderr)
        return EXIT_USAGE
    assistant = _load(config, args.llm)
    if args.json:
        ans = assistant.ask(args.frage, filters=_filters(args))
        print(json.dumps(ans.to_dict(), ensure_ascii=False, indent=2))
    else:
        ans = _stream(assistant, args.frage, [], _filters(args))
    return EXIT_FAIL if ans.mode == "fehler" and ans.intent == "error" else EXIT_OK


def cmd_chat(config: Config, args: argparse.Namespace) -> int:
    assistant = _load(config, args.llm)
    print(f"Smart-Cities-Assistent ({assistant.mode_label}). „neu“ beginnt ein neues Gespräch, „ende“ beendet.")
    history: list[dict[str, str]] = []
    while True:
        try:
            question = input("\nFrage> ")
        except EOFError:
            print()
            return EXIT_OK
        if question.strip().lower() in ("ende", "exit", "quit", "beenden", "tschüss"):
            return EXIT_OK
        if question.strip().lower() in ("neu", "reset"):
            history = []
            print("Neues Gespräch.")
            continue
        problem = check_question(question)
        if problem:
            print(problem)
            continue
        ans = _stream(assistant, question, history, _filters(args))
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": ans.text}]
        history = history[-12:]


def cmd_similar(config: Config, args: argparse.Namespace) -> int:
    problem = check_question(args.text)
    if problem:
        print(f"Fehler: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.k <= 28:
        print("Fehler: -k muss zwischen 1 und 28 liegen.", file=sys.stderr)
        return EXIT_USAGE
    assistant = _load(config, "")
    results = assistant.similar(args.text, k=args.k, filters=_filters(args))
    if args.json:
        from dataclasses import asdict

        print(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not results:
        print("Keine vergleichbaren Projekte gefunden.")
    for i, r in enumerate(results, start=1):
        print(f"{i}. {r.project} ({r.category}, {', '.join(r.states)}, S. {r.page}) – Ähnlichkeit {r.score:.3f}")
        print(f"   Warum: {r.reason}")
    return EXIT_OK


def cmd_projects(config: Config, args: argparse.Namespace) -> int:
    from rag.parse import load_corpus

    corpus = load_corpus(config.corpus_dir)
    rows = [
        {
            "Name": p.name,
            "Kategorie": p.category,
            "Größenklasse": p.size_class,
            "Bundesland": ", ".join(p.states),
            "Projekttitel": p.title,
            "Motto": p.motto,
            "Handlungsfelder": ", ".join(p.fields),
            "Seite": p.page,
        }
        for p in corpus.projects
        if (not args.kategorie or p.category == args.kategorie)
        and (not args.land or args.land in p.states)
        and (not args.handlungsfeld or args.handlungsfeld in p.fields)
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["Name"])
        writer.writeheader()
        writer.writerows([{k: csv_safe(v) for k, v in r.items()} for r in rows])
        print(buf.getvalue(), end="")
    else:
        if not rows:
            print("Keine Projekte für diese Auswahl.")
        for r in rows:
            print(f"{r['Name']:<34} {r['Größenklasse']:<40} {r['Bundesland']:<28} S. {r['Seite']}")
        print(f"\n{len(rows)} Projekte")
    return EXIT_OK


def cmd_serve(config: Config, args: argparse.Namespace) -> int:
    from rag.web.app import ServeError, serve

    try:
        serve(config, host=args.host, port=args.port, llm=args.llm)
    except ServeError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def cmd_eval(argv: list[str]) -> int:
    from rag.evaluation.harness import main as eval_main

    return int(eval_main(argv))


def cmd_doctor(config: Config, args: argparse.Namespace) -> int:
    from rag.index.build import current

    print(f"Datenverzeichnis: {config.data_dir}")
    print(f"Korpus:           {config.corpus_dir}")
    print(f"Embedding-Modell: {config.embedder}")
    cur = current(config.data_dir)
    print(f"Index:            {'vorhanden (' + cur[1] + ')' if cur else 'fehlt – `rag index` ausführen'}")
    print(f"Vektorspeicher:   {config.chroma_url or 'eingebettet (lokaler Ordner)'}")
    if config.chroma_url:
        from rag.index.remote import ChromaServer, StoreError

        seconds = min(config.chroma_timeout, 3.0)
        try:
            ChromaServer(config.chroma_url, seconds).heartbeat()
            print(f"Chroma-Server:    erreichbar ({config.chroma_url})")
        except StoreError as exc:
            print(f"Chroma-Server:    {exc}")
    try:
        from rag.llm import doctor_for

        print(doctor_for(config, min(config.llm_timeout, 3.0)))
    except ImportError:
        print("Sprachmodell: Modul nicht verfügbar.")
    return EXIT_OK


COMMANDS = {
    "index": cmd_index,
    "ask": cmd_ask,
    "chat": cmd_chat,
    "similar": cmd_similar,
    "projects": cmd_projects,
    "serve": cmd_serve,
    "doctor": cmd_doctor,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "eval":
        return _guarded(lambda: cmd_eval(argv[1:]))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(config.data_dir)
    return _guarded(lambda: COMMANDS[args.command](config, args))


def _guarded(run: Any) -> int:
    """Run a command; turn every failure into one German line and an exit code."""
    from rag.embed import EmbedderError
    from rag.index.build import IndexError_
    from rag.index.store import StoreError
    from rag.parse import CorpusError

    try:
        return int(run())
    except BrokenPipeError:  # `rag ask … | head -1`: the reader is gone, end quietly
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("\nAbgebrochen.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (IndexError_, StoreError, CorpusError, EmbedderError, ConfigError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:  # never a traceback for the user
        logging.getLogger("rag").error("command failed", exc_info=True)
        if type(exc).__name__.endswith("LLMError") or "LLMError" in {c.__name__ for c in type(exc).__mro__}:
            print(f"Fehler: {exc}", file=sys.stderr)
        else:
            print(f"Fehler: unerwartetes Problem ({type(exc).__name__}). Details stehen in rag.log.", file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":
    raise SystemExit(main())
