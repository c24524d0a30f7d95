"""Load: 20 simulated users on the web app at once, then 20 on the web app and the HTTP-API together
(127.0.0.1, bounded in count and time).

Each user holds a two-turn conversation whose follow-up only makes sense with that user's own history
(on /api/ask the client sends it along); no errors, no mixed-up conversations, and the p95 latency is
printed (not asserted: it depends on the machine, see bench/).
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from rag.web import app as webapp
from rag.web.shield import Policy
from tests.test_app import Server, free_port, text_of

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

USERS = 20
# (first question, follow-up, what the follow-up answer must contain) – each resolvable only via history
CONVERSATIONS = [
    ("Was ist das Motto von Guben?", "Und in welchem Bundesland befindet sich die Stadt?", "Brandenburg"),
    ("Was ist das Motto von Einbeck?", "Und in welchem Bundesland befindet sich die Stadt?", "Niedersachsen"),
    ("Was ist das Motto von Konstanz?", "Und in welchem Bundesland befindet sich die Stadt?", "Baden-Württemberg"),
    ("Was plant Potsdam?", "Auf welcher Seite steht das?", "17"),
    ("Welche Großstädte wurden gefördert?", "Und welche davon liegen in Bayern?", "Regensburg"),
]


class ApiServer(Server):
    """The web app with the HTTP-API on the same port, as `rag serve` starts it."""

    def __init__(self, assistant: Any, feedback: Any) -> None:
        self.assistant = assistant
        self.feedback = feedback
        self.demo = webapp.build_app(assistant, feedback_path=feedback)
        self.port = free_port()
        # all simulated users share 127.0.0.1: without a rate limit (bench/load.py gives each its own address)
        policy = Policy.for_address("127.0.0.1", questions_per_minute=0)
        webapp.launch(
            self.demo,
            host="127.0.0.1",
            port=self.port,
            prevent_thread_lock=True,
            quiet=True,
            api=assistant,
            policy=policy,
        )
        self.url = f"http://127.0.0.1:{self.port}/"


@pytest.fixture(scope="module")
def server(assistant: Any, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    s = ApiServer(assistant, tmp_path_factory.mktemp("load") / "feedback.jsonl")
    yield s
    s.close()


def test_twenty_concurrent_users(server: Server) -> None:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def user(i: int) -> None:
        first, follow, expected = CONVERSATIONS[i % len(CONVERSATIONS)]
        try:
            client = server.client()
            for question in (first, follow):
                t = time.perf_counter()
                chat, _ = client.predict(question, "Alle", "Alle", api_name="/ask")
                with lock:
                    latencies.append(time.perf_counter() - t)
            answer = text_of(chat[-1])
            others = [c[0] for c in CONVERSATIONS if c[0] != first]
            mixed = any(o in json.dumps(chat, ensure_ascii=False) for o in others)
            if len(chat) != 4 or expected not in answer or mixed or "Traceback" in answer:
                with lock:
                    failures.append(f"user {i}: {len(chat)} messages, expected {expected!r}: {answer[:200]!r}")
        except Exception as exc:  # a failed request is a finding, not a crash of the test
            with lock:
                failures.append(f"user {i}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "users still waiting after 300 s"
    assert failures == []
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"\n{USERS} Nutzer, {len(latencies)} Anfragen in {time.perf_counter() - t0:.1f} s: "
        f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )


def test_web_and_api_users_at_once(server: Server) -> None:
    """10 users of the web app and 10 clients of /api/ask at the same time, each with its own history."""
    latencies: dict[str, list[float]] = {"ui": [], "api": []}
    failures: list[str] = []
    lock = threading.Lock()

    def ui_user(i: int) -> None:
        first, follow, expected = CONVERSATIONS[i % len(CONVERSATIONS)]
        try:
            client = server.client()
            for question in (first, follow):
                t = time.perf_counter()
                chat, _ = client.predict(question, "Alle", "Alle", api_name="/ask")
                with lock:
                    latencies["ui"].append(time.perf_counter() - t)
            answer = text_of(chat[-1])
            if len(chat) != 4 or expected not in answer:
                with lock:
                    failures.append(f"ui {i}: expected {expected!r}: {answer[:200]!r}")
        except Exception as exc:
            with lock:
                failures.append(f"ui {i}: {type(exc).__name__}: {exc}")

    def api_user(i: int) -> None:
        first, follow, expected = CONVERSATIONS[(i + 2) % len(CONVERSATIONS)]
        try:
            with httpx.Client(base_url=server.url.rstrip("/"), timeout=httpx.Timeout(240.0, connect=5.0)) as http:
                history: list[dict[str, str]] = []
                for question in (first, follow):
                    t = time.perf_counter()
                    r = http.post("/api/ask", json={"question": question, "history": history})
                    with lock:
                        latencies["api"].append(time.perf_counter() - t)
                    r.raise_for_status()
                    history += [
                        {"role": "user", "content": question},
                        {"role": "assistant", "content": r.json()["text"]},
                    ]
            answer = history[-1]["content"]
            if expected not in answer or "Traceback" in answer:
                with lock:
                    failures.append(f"api {i}: expected {expected!r}: {answer[:200]!r}")
        except Exception as exc:
            with lock:
                failures.append(f"api {i}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=ui_user, args=(i,)) for i in range(USERS // 2)]
    threads += [threading.Thread(target=api_user, args=(i,)) for i in range(USERS // 2)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "users still waiting after 300 s"
    assert failures == []
    for kind, values in latencies.items():
        values.sort()
        assert len(values) == USERS  # 10 users, two questions each
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"\n{kind}: {len(values)} Anfragen in {time.perf_counter() - t0:.1f} s: "
            f"p50 {values[len(values) // 2] * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        )
