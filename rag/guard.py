"""Input checks shared by the CLI and the app: what is a question we can work with?

Example::

    >>> check_question("   ")
    'Bitte geben Sie eine Frage ein.'
    >>> check_question("Welche Kleinstädte wurden gefördert?") is None
    True
    >>> check_question("a" * 5000)[:22]
    'Die Frage ist zu lang '
"""

from __future__ import annotations

import unicodedata

MAX_CHARS = 2000


def has_binary(text: str) -> bool:
    """NUL bytes, replacement characters or other control characters (besides whitespace)."""
    return any(
        ch == "\x00" or ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t") for ch in text
    )


def check_question(text: str, max_chars: int = MAX_CHARS) -> str | None:
    """A German error message when the question cannot be processed as given, else None."""
    if not text or not text.strip():
        return "Bitte geben Sie eine Frage ein."
    if has_binary(text):
        return "Die Frage enthält Steuerzeichen oder Binärdaten. Bitte geben Sie normalen Text ein."
    if len(text) > max_chars:
        return f"Die Frage ist zu lang ({len(text)} Zeichen, höchstens {max_chars}). Bitte kürzen Sie sie."
    if not any(ch.isalnum() for ch in text):
        return "Bitte geben Sie eine Frage in Worten ein."
    return None
