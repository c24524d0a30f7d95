"""The items an earlier answer enumerates, and which of them an ordinal follow-up points to.

"Was plant Würzburg?" is answered with a list of measures; "Was passiert beim dritten Projekt?" asks about
its third item. ``enumerated`` finds the items of a text — explicitly numbered ones first ("(1) …",
"Projekt 2 …"), then bullet lines, then a list after a colon — and ``item_position`` reads the position a
question asks for.

Example::

    >>> enumerated("Drei Aufgaben: (1) Strukturwandel, (2) Europastadt und (3) Gefahrenabwehr.")
    ['Strukturwandel', 'Europastadt', 'Gefahrenabwehr']
    >>> enumerated("Geplant sind:\\n- Hub [2]\\n- Projekt 1 Mach mit [2]\\n- Projekt 2 Quartiere [2]")
    ['Projekt 1 Mach mit', 'Projekt 2 Quartiere']
    >>> enumerated("Drei Gruppen: „Klima und Umwelt“, „Daten“ und „Bildung“.")
    ['Klima und Umwelt', 'Daten', 'Bildung']
    >>> item_position("was passiert bei der dritten konkret?"), item_position("the second one?")
    (3, 2)
"""

from __future__ import annotations

import re

LAST, MIDDLE = -1, -2  # positions that depend on the list's length: "der letzte", "beim mittleren" (of an odd number)
_WORDS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "funft": 5, "sechst": 6, "siebt": 7, "acht": 8, "neunt": 9,
    "zehnt": 10, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "letzt": LAST, "last": LAST, "mittler": MIDDLE, "middle": MIDDLE,
}  # fmt: skip
# an ordinal after an article or preposition ("bei der dritten", "das zweite Projekt", "the second"), or a
# number after a noun that counts ("Projekt 3", "Nummer 2", "Punkt 4")
# "im letzten Jahr", "beim ersten Mal", "im mittleren Teil", "die letzte Frage": a time or a part, no list position
_TIME_OR_PART = r"(?:jahr\w*|mal|male|tag\w*|teil\w*|woche\w*|monat\w*|frage\w*|zeit|runde\w*|staffel\w*)\b"
_ORDINAL = re.compile(
    r"\b(?:der|die|das|den|dem|des|beim|zum|zur|im|am|the)\s+(?:\w+\s+)?"
    r"(erst|zweit|dritt|viert|f[uü]nft|sechst|siebt|acht|neunt|zehnt|letzt|mittler)(e|en|er|es|em)\b(?!\s+" + _TIME_OR_PART + r")"
    r"(?:\s+[A-ZÄÖÜ][\w-]*)?"
    r"|\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|middle)\b(?!\s+(?:years?|times?|weeks?|months?|rounds?|part))"
    r"(?:\s+(?:one|item|point|project))?"
    r"|\b(?:projekt|nummer|nr|punkt|ma(?:ss|ß)nahme|teilprojekt|baustein)\.?\s*(\d{1,2})\b",
    re.I,
)
ORDINAL_PHRASE = _ORDINAL  # where a question names a position ("bei der dritten", "Nummer 4")
# nouns that name an item of any numbered scheme ("die Nummer 4", "der dritte Baustein"), as stems
GENERIC_ITEM_NOUNS = frozenset({"numm", "nr", "punkt", "baustein", "teil", "teilprojekt", "massnahm", "projekt", "modul", "element"})
_NUMBERED = re.compile(r"\((\d{1,2})\)\s*(.+?)(?=\s*(?:,|;|\bund\b|\band\b)?\s*\(\d{1,2}\)|[.;]\s|[.;]?$)", re.M)
_PROJECT_N = re.compile(r"^(?:Projekt|Teilprojekt|Maßnahme|Baustein)\s+(\d{1,2})\b")
_BULLET = re.compile(r"^\s*(?:[-•✓*]|\d{1,2}[.)])\s+(.+)$")
_MARKERS = re.compile(r"\s*\[\d+\]")


def item_position(folded: str) -> int | None:
    """The position (1-based) a folded question points to, or None."""
    m = _ORDINAL.search(folded)
    if not m:
        return None
    if m.group(4):
        return int(m.group(4)) or None  # "Punkt 0" points nowhere
    return _WORDS[(m.group(1) or m.group(3)).lower().replace("ü", "u")]


def with_item(question: str, item: str) -> str:
    """The question with its ordinal phrase replaced by the item it points to.

    >>> with_item("Und was ist mit dem dritten Punkt gemeint?", "Übertragbarkeit in andere Kommunen")
    'Und was ist mit Übertragbarkeit in andere Kommunen gemeint?'
    """
    return _ORDINAL.sub(item.replace("\\", ""), question, count=1)


def enumerated(text: str) -> list[str]:
    """The items ``text`` enumerates, in order, without citation markers ([n]); [] if it lists nothing."""
    text = _MARKERS.sub("", text)
    numbered = [m.group(2).strip(" ,") for m in _NUMBERED.finditer(text)]
    if len(numbered) >= 2:
        return numbered
    bullets = [m.group(1).strip() for line in text.splitlines() if (m := _BULLET.match(line))]
    counted = [b for b in bullets if _PROJECT_N.match(b)]
    if len(counted) >= 2:  # "Projekt 1 …", "Projekt 2 …" among other bullets: the numbered ones are the list
        return counted
    if len(bullets) >= 2:
        return bullets
    m = re.search(r":\s*([^:]+?)[.]?$", text.strip())  # "… drei Aufgaben: A, B und C."
    if m:
        quoted = re.findall(r"[„\"“]([^„\"“”]+)[“”\"]", m.group(1))
        if len(quoted) >= 2:  # „A und B“, „C“ und „D“: quoted items may contain "und" themselves
            return [x.strip() for x in quoted]
        items = [x.strip() for x in re.split(r",\s*|\s+(?:und|and|sowie|or|oder)\s+", m.group(1)) if x.strip()]
        if len(items) >= 2:
            return items
    return []


# "A1", "#SNZ4", or a noun and a number ("Projekt 2", "Zukunftsaufgabe 3", "Schritt 1")
_LABEL = re.compile(r"(?<![\w#/.-])(#[A-Z]{2,4}|[A-Z])(\d{1,2})(?![\w.])|\b([A-ZÄÖÜ][a-zäöüß]{3,}) (\d{1,2})\b(?![.,]\d)")


def labelled_items(text: str) -> list[str]:
    """The labels of a numbered scheme the text lists its measures by, in order: "A1" … "A5", "B1" … "B6";
    "#ABC1" …; "Projekt 1" …. Each series must run from 1 without gaps, and at least three labels in all
    ("CO2", "K3" alone are no list).

    >>> labelled_items("- A1 Raum - A2 Markt - B1 Börse - B2 Laden. CO2-neutral.")
    ['A1', 'A2', 'B1', 'B2']
    >>> labelled_items("Modul 1 Kiosk – Modul 2 Werkstatt – Modul 3 Garten"), labelled_items("K3 und A2")
    (['Modul 1', 'Modul 2', 'Modul 3'], [])
    >>> labelled_items("Schritt 1: planen. Schritt 2: testen. Schritt 3: ausrollen. Platz 3 im Wettbewerb.")
    ['Schritt 1', 'Schritt 2', 'Schritt 3']
    """
    found: dict[str, list[int]] = {}
    order: list[str] = []
    for m in _LABEL.finditer(text):
        prefix, number = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        label = f"{prefix} {number}" if m.group(3) else f"{prefix}{number}"
        if label not in order:
            order.append(label)
            found.setdefault(prefix, []).append(int(number))
    runs = {p for p, ns in found.items() if ns == list(range(1, len(ns) + 1))}
    labels = [x for x in order if label_series(x) in runs]
    return labels if len(labels) >= 3 else []


def scheme_item(text: str, said: str, position: int) -> str:
    """What ``text`` says under the label at ``position`` of the numbered scheme that ``said`` (the conversation so
    far) speaks of, or of the only scheme; "" if there is none or it is unclear which.

    >>> scheme_item("#SNZ1 Hub. #SNZ2 Markt. #SNZ3 Parken. #SNZ4 Lager für Waren.", "Was ist #SNZ?", 4)
    '#SNZ4 Lager für Waren.'
    >>> scheme_item("A1 x A2 y A3 z B1 u B2 v", "Was plant die Gemeinde?", 2)   # two schemes, neither named
    ''
    """
    labels = labelled_items(text)
    series = list(dict.fromkeys(label_series(x) for x in labels))
    named = [x for x in series if len(x) >= 3 and x.lower().lstrip("#") in said.lower()]
    chosen = named[0] if len(named) == 1 else series[0] if len(series) == 1 else ""
    if not chosen:
        return ""
    label = f"{chosen} {position}" if chosen[-1].islower() else f"{chosen}{position}"
    return label_text(text, label) if label in labels else ""


def label_text(text: str, label: str, limit: int = 300) -> str:
    r"""What ``text`` says under ``label``: the words after it up to the scheme's next label, or the sentence that
    names it inline.

    >>> label_text("Zukunftsaufgabe 1:\n\nLabor.\n\nZukunftsaufgabe 2:\n\nUrban Farming für alle.", "Zukunftsaufgabe 2")
    'Urban Farming für alle.'
    >>> label_text("Das Lager „Port“ (#SNZ4) verteilt Waren. Das Parken (#SNZ5) ist smart.", "#SNZ4")
    'Das Lager „Port“ (#SNZ4) verteilt Waren.'
    """
    m = re.search(rf"(?<![\w#]){re.escape(label)}(?!\d)", text)
    if not m:
        return ""
    after = text[m.end() :]
    if re.match(r"\s*[:–-]?\s*\n", after) or re.match(r"\s*:", after):  # a heading: what follows it
        nxt = re.search(rf"(?<![\w#]){re.escape(label_series(label))}\s?\d", after)
        return re.sub(r"\s+", " ", after[: nxt.start() if nxt else limit]).strip(" :–-")[:limit]
    start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    end = min((i for i in (text.find(". ", m.end()), text.find("\n", m.end())) if i >= 0), default=len(text))
    return re.sub(r"\s+", " ", text[start : end + 1]).strip()[:limit]


def label_series(label: str) -> str:
    """The series a label belongs to: "B3" -> "B", "Projekt 2" -> "Projekt"."""
    return re.sub(r"\s?\d+$", "", label)


def nth_item(text: str, position: int) -> str:
    """The item at ``position`` (1-based) of what ``text`` enumerates; "Projekt n …" by its own number."""
    items = enumerated(text)
    for item in items:
        m = _PROJECT_N.match(item)
        if m and int(m.group(1)) == position:
            return item
    return at(items, position)


def at(items: list[str], position: int) -> str:
    """The item at a 1-based ``position``, the last (``LAST``), or the middle one of an odd number (``MIDDLE``).

    >>> at(["a", "b", "c"], 2), at(["a", "b", "c"], LAST), at(["a", "b", "c"], MIDDLE), at(["a", "b"], MIDDLE)
    ('b', 'c', 'b', '')
    """
    if position == LAST:
        return items[-1] if items else ""
    if position == MIDDLE:
        return items[len(items) // 2] if len(items) % 2 else ""
    return items[position - 1] if 0 < position <= len(items) else ""
