"""Model text made safe to show: no terminal control sequences, no links that are not in the sources.

``clean_display`` removes ANSI/VT escape sequences (CSI such as colours and cursor moves, OSC such as
window titles and terminal hyperlinks, DCS/APC/PM/SOS strings, their 8-bit forms), all other control
characters except newline and tab (a carriage return could overwrite a printed line), and invisible
Unicode direction overrides. ``strip_links`` removes every http(s) URL – bare, in ``<…>`` or as a
Markdown link ``[text](url)`` (the text stays) – that does not occur verbatim in the sources.
``preview`` is for text that is not checked yet: both, with no link allowed at all.

Example::

    >>> clean_display("Guben\\x1b[31m baut\\x1b[0m\\r eine \\x1b]0;pwned\\x07Plattform [1].")
    'Guben baut eine Plattform [1].'
    >>> strip_links("Mehr unter https://guben.de/x und https://evil.example/a.", allowed="siehe https://guben.de/x")
    'Mehr unter https://guben.de/x und.'
    >>> strip_links("Siehe [hier](https://evil.example) [1].")
    'Siehe hier [1].'
"""

from __future__ import annotations

import re

_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC … (BEL or ST): titles, hyperlinks, clipboard
    r"|\x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, PM, APC, SOS strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI: colours, cursor, erase
    r"|\x1b[ -/]*[0-~]?"  # any other escape sequence (or a lone ESC)
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC
    r"|[\x90\x98\x9e\x9f][^\x9c]*\x9c?"  # 8-bit DCS, SOS, PM, APC
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_URL = r"https?://[^\s<>\"'`\])}]+"
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*<?(" + _URL + r")>?(?:\s+\"[^\"]*\")?\s*\)", re.IGNORECASE)
_ANGLE = re.compile(r"<(" + _URL + r")>", re.IGNORECASE)
_BARE = re.compile(_URL, re.IGNORECASE)
_TRAILING = ".,;:!?"


def clean_display(text: str) -> str:
    """``text`` without escape sequences and control characters (newline and tab stay)."""
    return _CONTROL.sub("", _ESCAPES.sub("", text or ""))


def _url_core(url: str) -> str:
    return url.rstrip(_TRAILING)


def strip_links(text: str, allowed: str = "") -> str:
    """Remove the http(s) links of ``text`` that do not occur in ``allowed`` (e.g. the sources' text)."""
    if "://" not in (text or ""):
        return text or ""

    def ok(url: str) -> bool:
        core = _url_core(url)
        return bool(core) and bool(allowed) and core.lower() in allowed.lower()

    def md(m: re.Match[str]) -> str:
        return m.group(0) if ok(m.group(2)) else m.group(1)

    def angle(m: re.Match[str]) -> str:
        return m.group(0) if ok(m.group(1)) else ""

    def bare(m: re.Match[str]) -> str:
        url = m.group(0)
        core = _url_core(url)
        return url if ok(url) else url[len(core) :]  # keep the sentence's full stop

    text = _MD_LINK.sub(md, text)
    text = _ANGLE.sub(angle, text)
    text = _BARE.sub(bare, text)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text) if text else text
    text = re.sub(r"\(\s*\)", "", text)
    return re.sub(r"[ \t]{2,}", " ", text)


def preview(text: str) -> str:
    """Not yet checked model text for display while it streams: cleaned, without any link."""
    return strip_links(clean_display(text))
