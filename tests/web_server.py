"""A web server for tests: ``python -m tests.web_server PORT [SECONDS] [QUEUE]`` serves the fake assistant of
test_app.py through :func:`rag.web.app.run_server` (web app, API and shield, as ``rag serve`` does) on
127.0.0.1, starting in seconds (no index). ``SECONDS`` makes every answer take that long; ``QUEUE`` is the
queue size. Settings come from the environment (``RAG_RATE_LIMIT`` …, ``RAG_DATA_DIR`` for feedback)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import Any

from rag.config import Config
from rag.types import Answer
from rag.web.app import QUEUE_SIZE, run_server
from tests.test_app import FakeAssistant


class SlowAssistant(FakeAssistant):
    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def ask(self, question: str, history: Any = None, filters: Any = None) -> Answer:
        result = None
        for piece in self.ask_stream(question, history, filters):
            if isinstance(piece, Answer):
                result = piece
        assert result is not None
        return result

    def ask_stream(self, question: str, history: Any = None, filters: Any = None) -> Iterator[Any]:
        time.sleep(self.seconds)
        yield from super().ask_stream(question, history, filters)


def main() -> None:
    port = int(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    queue = int(sys.argv[3]) if len(sys.argv) > 3 else QUEUE_SIZE
    run_server(SlowAssistant(seconds), Config.from_env(), host="127.0.0.1", port=port, queue_size=queue)


if __name__ == "__main__":
    main()
