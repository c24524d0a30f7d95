"""Feedback of the web app: 👍/👎 with an optional comment, appended to a JSONL file.

A record holds question, answer, sources, answer mode, filters, comment and time (UTC) – no IP address,
no headers, nothing about the person.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class FeedbackLog:
    """Append-only JSONL file; one lock per app (not a module global)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


def feedback_record(turn: dict[str, Any], rating: str, comment: str = "") -> dict[str, Any]:
    """What is stored: question, answer, sources, time (UTC) – nothing about the person."""
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "rating": rating,
        "question": turn.get("question", ""),
        "answer": turn.get("answer", ""),
        "sources": turn.get("sources", []),
        "mode": turn.get("mode", ""),
        "filters": turn.get("filters", {}),
        "comment": comment,
    }
