"""Load test of ``rag serve``: 30 clients × 3 questions through the web app and 30 × 3 through the HTTP-API,
all at the same time, against the real assistant (index in ``RAG_DATA_DIR``, built first if needed).

Run ``python -m bench.load [--clients 30]``. It starts ``rag serve`` on a free port of 127.0.0.1 with the
default settings (rate limit included), then

* **web app** – every client holds one conversation over Gradio's queue (``/gradio_api/queue/join`` and the
  SSE stream ``/gradio_api/queue/data``, what the page itself does), in its own session;
* **API** – every client holds one conversation over ``/api/ask`` (even clients) or
  ``/v1/chat/completions`` (odd ones), sending its history along;
* **oversized** – meanwhile four requests with a 100 MB body, which must each get 413.

Each conversation's 2nd and 3rd question only make sense with its own history ("Und in welchem Bundesland
…?"), so an answer from another conversation's context shows as a wrong answer. Counted: errors (any
status other than 200, a failed queue event, an exception), crossed conversations (a chat that holds
another client's question, or a follow-up answer without the expected fact), latencies, and the server's
memory (RSS, ``/proc``) after a warm-up, at its peak and 10 s after the run.

Every simulated client connects from its own loopback address (127.0.0.10 …), as real users come from
their own addresses, so the per-client rate limit (``RAG_RATE_LIMIT``, 30 questions a minute) applies
as configured and is not hit by 3 questions each. (From one address, 180 questions would exceed it:
then run with ``RAG_RATE_LIMIT=0``.)

The figures are written to ``bench/results/load.md`` with the commit; the exit code is 1 if a target is
missed (0 errors, 0 crossed conversations, memory after the run within 20 % of the start).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.server_process import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "load.md"

# (questions, what the answer to each must contain); follow-ups resolve only through the conversation
CONVERSATIONS = [
    (
        ["Was ist das Motto von Guben?", "Und in welchem Bundesland liegt die Stadt?", "Was plant die Stadt?"],
        ["Guben", "Brandenburg", "Guben"],
    ),
    (
        ["Was ist das Motto von Einbeck?", "Und in welchem Bundesland liegt die Stadt?", "Was plant die Stadt?"],
        ["Einbeck", "Niedersachsen", "Einbeck"],
    ),
    (
        ["Was ist das Motto von Konstanz?", "Und in welchem Bundesland liegt die Stadt?", "Was plant die Stadt?"],
        ["Konstanz", "Baden-Württemberg", "Konstanz"],
    ),
    (
        ["Was plant Potsdam?", "Auf welcher Seite steht das?", "In welchem Bundesland liegt die Stadt?"],
        ["Potsdam", "17", "Brandenburg"],
    ),
    (
        ["Welche Großstädte wurden gefördert?", "Und welche davon liegen in Bayern?", "Was plant Regensburg?"],
        ["Bochum", "Regensburg", "Regensburg"],
    ),
]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"app": [], "api": []})
    errors: list[str] = field(default_factory=list)
    crossed: list[str] = field(default_factory=list)

    def time(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def cross(self, text: str) -> None:
        with self.lock:
            self.crossed.append(text)


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def client(url: str, source: str) -> httpx.Client:
    """An HTTP client from the loopback address ``source``."""
    return httpx.Client(
        base_url=url, transport=httpx.HTTPTransport(local_address=source), timeout=httpx.Timeout(300, connect=10)
    )


def text_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
    return str(content)


def ask_app(http: httpx.Client, fn_index: int, session: str, question: str) -> list[dict[str, Any]]:
    """One question through Gradio's queue, as the page asks it; the chat after the answer."""
    body = {"data": [question, "Alle", "Alle", None, None], "fn_index": fn_index, "session_hash": session}
    joined = http.post("/gradio_api/queue/join", json={**body, "event_data": None, "trigger_id": None})
    if joined.status_code != 200:
        raise RuntimeError(f"queue/join {joined.status_code}: {joined.text[:200]}")
    event = joined.json()["event_id"]
    with http.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        if stream.status_code != 200:
            raise RuntimeError(f"queue/data {stream.status_code}")
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("event_id") not in (None, event):
                continue
            if message.get("msg") == "process_completed":
                if not message.get("success"):
                    raise RuntimeError(f"Ereignis fehlgeschlagen: {str(message)[:200]}")
                return list(message["output"]["data"][0])
            if message.get("msg") in ("unexpected_error", "queue_full"):
                raise RuntimeError(str(message)[:200])
    raise RuntimeError("Stream ohne Ergebnis beendet")


def app_user(url: str, fn_index: int, i: int, tally: Tally) -> None:
    questions, expected = CONVERSATIONS[i % len(CONVERSATIONS)]
    others = {q for conv, _ in CONVERSATIONS for q in conv} - set(questions)  # only other conversations ask these
    session = f"last{i:03d}{os.getpid()}"
    try:
        with client(url, f"127.0.0.{10 + i}") as http:
            for n, question in enumerate(questions):
                t = time.perf_counter()
                chat = ask_app(http, fn_index, session, question)
                tally.time("app", time.perf_counter() - t)
                asked = [text_of(m) for m in chat if m.get("role") == "user"]
                answer = text_of(chat[-1]) if chat else ""
                if asked != questions[: n + 1] or others & set(asked) or expected[n] not in answer:
                    tally.cross(f"app {i} Frage {n + 1}: gefragt {asked}, Antwort {answer[:160]!r}")
    except Exception as exc:  # a failed request is a finding, not a crash of the benchmark
        tally.error(f"app {i}: {type(exc).__name__}: {exc}")


def api_user(url: str, i: int, tally: Tally) -> None:
    questions, expected = CONVERSATIONS[(i + 2) % len(CONVERSATIONS)]
    openai = i % 2 == 1
    history: list[dict[str, str]] = []
    try:
        with client(url, f"127.0.0.{100 + i}") as http:
            for n, question in enumerate(questions):
                t = time.perf_counter()
                if openai:
                    messages = [*history, {"role": "user", "content": question}]
                    r = http.post("/v1/chat/completions", json={"model": "smartcities-rag", "messages": messages})
                else:
                    r = http.post("/api/ask", json={"question": question, "history": history})
                tally.time("api", time.perf_counter() - t)
                if r.status_code != 200:
                    raise RuntimeError(f"HTTP {r.status_code}: {r.text[:200]}")
                answer = r.json()["choices"][0]["message"]["content"] if openai else r.json()["text"]
                history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
                if expected[n] not in answer:
                    tally.cross(f"api {i} Frage {n + 1}: Antwort {answer[:160]!r}")
    except Exception as exc:
        tally.error(f"api {i}: {type(exc).__name__}: {exc}")


def oversized(url: str, tally: Tally, refused: list[int]) -> None:
    """Four 100 MB request bodies during the run (the attack of issue 13): each must be refused with 413."""

    def megabytes(n: int) -> Any:
        chunk = b"x" * (1 << 20)
        for _ in range(n):
            yield chunk

    with client(url, "127.0.0.250") as http:
        for path, sized in (
            ("/gradio_api/queue/join", True),
            ("/api/ask", True),
            ("/api/ask", False),
            ("/v1/chat/completions", False),
        ):
            headers = {"content-type": "application/json"}
            if sized:
                headers["content-length"] = str(100 << 20)
            try:
                r = http.post(path, content=megabytes(100), headers=headers)
            except httpx.HTTPError as exc:
                tally.error(f"100 MB an {path}: {type(exc).__name__}: {exc}")
                continue
            if r.status_code == 413:
                refused.append(1)
            else:
                tally.error(f"100 MB an {path}: HTTP {r.status_code} statt 413")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))] if ordered else 0.0


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
        return head.stdout.strip() + (" (mit lokalen Änderungen)" if dirty.stdout.strip() else "")
    except OSError:
        return "unbekannt"


class Serve(ServerProcess):
    """``rag serve`` on a free port, until :meth:`close` (the test helper's process handling)."""

    def __init__(self) -> None:
        super().__init__(
            ["-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port", "{port}"],
            {"GRADIO_ANALYTICS_ENABLED": "False"},
            name="rag serve",
        )
        try:
            self.wait_ready(900)  # the first start may build the index
        except AssertionError as exc:
            raise SystemExit(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lasttest von `rag serve`: Web-App und API gleichzeitig.")
    parser.add_argument("--clients", type=int, default=30, help="Clients je Weg (Standard: 30, höchstens 80)")
    parser.add_argument("--settle", type=float, default=10.0, help="Sekunden nach dem Lauf bis zur Speichermessung")
    parser.add_argument("--no-write", action="store_true", help=f"{RESULTS.relative_to(ROOT)} nicht schreiben")
    args = parser.parse_args(argv)
    clients = max(1, min(80, args.clients))

    server = Serve()
    try:
        pid = server.proc.pid
        ask = server.fn_index("ask")
        tally = Tally()
        # warm-up: one conversation each way (deferred imports, caches), not counted
        app_user(server.url, ask, 90, Tally())
        api_user(server.url, 90, Tally())
        start = rss_mb(pid)
        peak = [start]
        running = threading.Event()
        running.set()

        def sample() -> None:
            while running.is_set():
                peak[0] = max(peak[0], rss_mb(pid))
                time.sleep(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        threads = [threading.Thread(target=app_user, args=(server.url, ask, i, tally)) for i in range(clients)]
        threads += [threading.Thread(target=api_user, args=(server.url, i, tally)) for i in range(clients)]
        refused: list[int] = []
        threads.append(threading.Thread(target=oversized, args=(server.url, tally, refused)))
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=900)
        wall = time.perf_counter() - t0
        stuck = sum(t.is_alive() for t in threads)
        running.clear()
        sampler.join(5)
        time.sleep(args.settle)
        end = rss_mb(pid)
        healthy = httpx.get(f"{server.url}/api/health", timeout=10).status_code == 200
    finally:
        server.close()

    if stuck:
        tally.error(f"{stuck} Clients nach 900 s noch nicht fertig")
    growth = (end - start) / start if start else 0.0
    ok = not tally.errors and not tally.crossed and abs(growth) <= 0.20 and healthy
    load = os.getloadavg()
    lines = [
        "# Lasttest `rag serve` (Web-App und HTTP-API gleichzeitig)",
        "",
        f"Commit {commit()}, {time.strftime('%Y-%m-%d %H:%M')}, `python -m bench.load --clients {clients}`; "
        f"{os.cpu_count()} CPU-Kerne, Last vorher/nachher (1 min) {load[0]:.1f}.",
        "",
        f"- **Web-App:** {clients} Clients × 3 Fragen über Gradios Warteschlange (`/gradio_api/queue/join` + "
        "SSE), je eine eigene Sitzung.",
        f"- **API:** {clients} Clients × 3 Fragen, abwechselnd `/api/ask` und `/v1/chat/completions`, Verlauf "
        "im Request.",
        "- Alle gleichzeitig; jeder Client von einer eigenen Loopback-Adresse (127.0.0.10 …), die "
        "Ratenbegrenzung mit Standardwerten (30 Fragen/Minute je Client) ist aktiv.",
        "- Dazu während des Laufs vier Anfragen mit 100 MB Körper (mit und ohne Content-Length), wie im "
        "Angriff aus Issue 13.",
        "",
        "| Messgröße | Wert |",
        "|---|---|",
        f"| Fragen | {len(tally.latencies['app'])} Web-App + {len(tally.latencies['api'])} API in {wall:.1f} s |",
        f"| 100-MB-Anfragen während des Laufs, mit 413 abgewiesen | {len(refused)} von 4 |",
        f"| Fehler | {len(tally.errors)} |",
        f"| vertauschte Gespräche / falsche Folgeantworten | {len(tally.crossed)} |",
    ]
    for kind, label in (("app", "Web-App"), ("api", "API")):
        values = tally.latencies[kind]
        if values:
            lines.append(
                f"| Latenz {label} (p50 / p95 / max) | {statistics.median(values):.2f} s / "
                f"{percentile(values, 0.95):.2f} s / {max(values):.2f} s |"
            )
    lines += [
        f"| RSS Server: Start (nach Aufwärmen) / Spitze / {args.settle:.0f} s nach dem Lauf | "
        f"{start:.0f} MB / {peak[0]:.0f} MB / {end:.0f} MB ({growth:+.1%}) |",
        f"| Server danach erreichbar | {'ja' if healthy else 'nein'} |",
        "",
        f"Ziele (0 Fehler, 0 vertauschte Gespräche, Speicher nach dem Lauf höchstens 20 % über dem Start): "
        f"**{'erreicht' if ok else 'verfehlt'}**.",
    ]
    for title, items in (("Fehler", tally.errors), ("Vertauscht/falsch", tally.crossed)):
        if items:
            lines += ["", f"{title} (erste 10):", ""] + [f"- {x}" for x in items[:10]]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
