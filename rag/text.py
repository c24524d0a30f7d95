"""Repairs for text extracted from a PDF: markdown residue, hyphenation breaks, split paragraphs.

Example::

    >>> clean_inline("Projekttitel: **Geestl@nd** [meer.zukunft.seen.](https://x.de)")
    'Projekttitel: Geestl@nd meer.zukunft.seen.'
    >>> join_paragraphs(["zentrales kommunales Datenmanage-", "ment für die Nutzung"])
    ['zentrales kommunales Datenmanagement für die Nutzung']
    >>> fix_inline_hyphens("im Stadt- raum und Stadt- und Gemeindezentren")
    'im Stadtraum und Stadt- und Gemeindezentren'
"""

from __future__ import annotations

import re

_ABBREV = re.compile(r"(?:\b|\.)(?:[a-zäöü]|bspw|bzw|ca|vgl|inkl|ggf|usw|evtl|dt|dän|Nr|St|Dr|Mio|Mrd|ff)\.$", re.I)
_BOLD = re.compile(r"\*\*(.*?)\*\*")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)")
_ANGLE_URL = re.compile(r"<(https?://[^>]+)>")
_INLINE_HYPHEN = re.compile(r"(\w)- (?!(?:und|oder|bzw|sowie|als|noch|wie|zum|zur|zu|bis|im|in|auf|für|an|von|vom|mit)\b)([a-zäöüß])")
_CONJUNCTIONS = ("und ", "oder ", "bzw", "sowie ")
_END = (".", "!", "?", ":", "“", '"', "”", ")", ";")


def clean_inline(text: str) -> str:
    """Strip markdown bold, turn links into their text and <url> into url, collapse spaces."""
    text = _BOLD.sub(r"\1", text)
    text = text.replace("**", "")
    text = _LINK.sub(r"\1", text)
    text = _ANGLE_URL.sub(r"\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def fix_inline_hyphens(text: str) -> str:
    """Join words broken inside a line ("Stadt- raum"), keep "Stadt- und Gemeindezentren"."""
    return _INLINE_HYPHEN.sub(r"\1\2", text)


def _is_list_item(p: str) -> bool:
    return p.startswith(("- ", "• ", "✓", "☐")) or bool(re.match(r"^\d+\.\s", p))


def join_paragraphs(paragraphs: list[str], keep_headings: bool = False) -> list[str]:
    """Re-join paragraphs that a page or column break split.

    A paragraph ending in a hyphen continues into the next one that starts in lower case (the hyphen
    is dropped: "Datenmanage-" + "ment"). A long paragraph without closing punctuation continues into
    the next one (short lines without punctuation are headings and stay on their own). A label — a short
    capitalised line of at most five words ending in ":" ("Ländlicher Ortsteil Bollstedt:") — always starts a
    paragraph of its own; with ``keep_headings`` any short capitalised line ending in ":" does.
    """
    out: list[str] = []
    for p in paragraphs:
        p = p.strip()
        if not p:
            continue
        if out:
            prev = out[-1]
            starts_lower = p[0].islower()
            if prev.endswith("-") and not prev.endswith(" -") and starts_lower and not p.startswith(_CONJUNCTIONS):
                out[-1] = prev[:-1] + p
                continue
            if (
                not prev.endswith(_END)
                and not _is_list_item(p)
                and not _is_list_item(prev)
                and (starts_lower or len(prev) > 120)
                and not (not starts_lower and len(p) <= 60 and p.endswith(":") and (keep_headings or len(p.split()) <= 5))
            ):
                out[-1] = prev + " " + p
                continue
        out.append(p)
    return out


_ORDINAL_END = re.compile(r"\b(?:de[rsmn]|die|das|am|im|zum|zur|mittlerweile|bereits|schon|ihre[rsmn]?) \d{1,2}\.$")


def split_sentences(text: str) -> list[str]:
    """Sentences and list items; keeps abbreviations such as "z.B." and ordinals such as "des 8." inside a
    sentence.

    >>> split_sentences("Wir nutzen z.B. LoRaWAN. Das ist gut!\\n- Punkt eins")
    ['Wir nutzen z.B. LoRaWAN.', 'Das ist gut!', '- Punkt eins']
    >>> split_sentences("Heute beginnt der mittlerweile 8. Summer of Co-Creation.")
    ['Heute beginnt der mittlerweile 8. Summer of Co-Creation.']
    >>> split_sentences("Mit „Bochum. Zukunftsfähig. Bürgernah.“ wirbt die Stadt. Gut.")
    ['Mit „Bochum. Zukunftsfähig. Bürgernah.“ wirbt die Stadt.', 'Gut.']
    >>> split_sentences("Wir fokussieren auf Tourismus (1. Betrifft alle, 2. Wertschöpfung). Gut.")
    ['Wir fokussieren auf Tourismus (1. Betrifft alle, 2. Wertschöpfung).', 'Gut.']
    """
    out: list[str] = []
    for block in re.split(r"\n+", text):
        parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"“(0-9])", block.strip())
        buf = ""
        for part in parts:
            buf = f"{buf} {part}".strip() if buf else part
            # "1." starts a list item; "des mittlerweile 8. Summer …" is an ordinal, not a sentence end
            quoting = buf.count("„") > buf.count("“")  # „Bochum. Zukunftsfähig. Bürgernah.“ is one quote
            # "… Tourismus (1. Betrifft jeden, 2. …)." is one sentence with a numbered aside
            aside = buf.count("(") > buf.count(")") and re.search(r"\(\d{1,2}\.(\s|$)", buf) is not None
            if not _ABBREV.search(buf) and not re.fullmatch(r"\d+\.", buf) and not _ORDINAL_END.search(buf) and not quoting and not aside:
                out.append(buf)
                buf = ""
        if buf:
            out.append(buf)
    return [s for s in out if len(s) > 2]


def csv_safe(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula: text starting with =, +, -, @, tab or CR
    gets a leading apostrophe. Numbers stay numbers.

    >>> csv_safe("=HYPERLINK(\\"http://x\\")"), csv_safe("-5"), csv_safe(31), csv_safe("Guben")
    ('\\'=HYPERLINK("http://x")', "'-5", 31, 'Guben')
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")


def unify_line_breaks(text: str) -> str:
    r"""Every Unicode line or paragraph separator (CR, U+2028, U+2029, NEL, form feed …) as "\n".

    >>> unify_line_breaks("a\u2028b\r\nc\x0cd")
    'a\nb\nc\nd'
    """
    return _LINE_BREAKS.sub("\n", text)
