"""A project's measures: short, whole pieces of its own text that say what it plans.

Project pages list their plans in many shapes: a colon sentence followed by a bullet list, headings
each followed by a line or a paragraph, sentences that number items "(1) … (2) …", or plain prose.
``extract_measures`` reads the paragraphs of one project and keeps at most ``MAX_MEASURES`` pieces,
in the order of the text. The rules look only at text structure and at generic words:

1. an intro ending in ":" (or a sentence left open, "… wollen wir") followed by a list: its items.
   Short items are packed behind their intro; items that finish an open intro get the intro in front.
2. an intro ending in ":" followed by short lines or "Heading:" + line pairs: each line or pair.
3. a short heading followed by a paragraph: "Heading: first sentence(s)".
4. a paragraph that opens with a short label ("KlimaStadt - resilient: …"): its first sentences.
5. any other sentence, scored by how concrete it is: measure words (Maßnahme, Reallabor, Plattform,
   App …), verbs of doing (entwickeln, aufbauen, umsetzen …), names („…“, CamelCase, acronyms) and
   "(1) … (2) …" enumerations score; words describing the starting point (Herausforderung,
   Strukturwandel, Abwanderung …) cost. Sentences after an intro ending in ":" get a bonus.

The best-scoring candidates are kept. Each is at most ``MAX_CHARS`` long (cut at a word with " …").

Example::

    >>> extract_measures([
    ...     "Die Stadt schrumpft, die Herausforderungen sind groß.",
    ...     "Dazu planen wir:",
    ...     "- Aufbau einer urbanen Datenplattform für Verkehr und Energie,\\n- Reallabor Innenstadt mit offenen Werkstätten",
    ...     "Quartierslabore",
    ...     "In zwei Quartieren werden Lösungen für Mobilität erprobt. Danach wird skaliert.",
    ... ])  # doctest: +NORMALIZE_WHITESPACE
    ('Aufbau einer urbanen Datenplattform für Verkehr und Energie',
     'Reallabor Innenstadt mit offenen Werkstätten',
     'Quartierslabore: In zwei Quartieren werden Lösungen für Mobilität erprobt. Danach wird skaliert.')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

from rag.text import split_sentences

MAX_MEASURES = 8
GOOD_CHARS = 300  # a measure grows by whole sentences up to this length ...
MAX_CHARS = 400  # ... and is cut at a word beyond this
MIN_CHARS = 25
MIN_SCORE = 2.0

_SENTENCE_END = re.compile(r"[.!?][“”\"')]*$")
_LIST = ("- ", "• ", "✓", "☐")
_BULLET = re.compile(r"^(?:[-•]\s*)?(?:[✓☐]\s*)?(?:\d+[.)]\s+)?(?:\.\.\.|…)?\s*")
_TRAIL = re.compile(r"(?:\s*[,;]|\s+(?:und|sowie|oder))+\s*$")
_DASH_LINE = re.compile(r"^[–—]\s")
_INTRO_WORDS = re.compile(r"plan|wollen|folgend|maßnahm|projekt|schwerpunkt|handlungsfeld|aufgabe|quartier", re.I)
_MEASURE = re.compile(  # things a project builds or runs
    r"pilot|reallabor|labor|\blabs?\b|quartier|plattform|hub\b|hubs\b|dashboard|zwilling|zentrum|büro|werkst"
    r"|sensor|lorawan|portal|shuttle|cockpit|fund\b|datenbasis|infrastruktur|experimentier|station|modul|tool\b"
    r"|budget|lots|sprechstunde|fähre|praktik|ausstattung|logistik|drohne|campus|agentur|paten\b|festival"
    r"|handlungsfeld|zukunftsaufgabe|schwerpunkt|themenfeld|fokusthem|projekt \d",
    re.I,
)
_META = re.compile(r"maßnahme|projekt|strategie|konzept", re.I)  # words about measures, weaker
_APP = re.compile(r"(?:\b|-|[a-z])App\b")
_DOING = re.compile(
    r"entwickel|aufbau|aufgebaut|\beinricht|\beingerichtet|\bumsetz|umgesetzt|umzusetz|etablier|implementier"
    r"|erprob|pilotier|realisier|\beinführ|\beingeführt|ausbau|ausgebaut|bereitstell|bereitgestellt|getestet"
    r"|\btesten|geplant|planen wir|wir planen|eingesetzt|geschaffen|schafft|schaffen|ausgeweitet|verknüpft"
    r"|bündelt|gestalten wir|\bfördert\b|stärkt|ermöglich|\bsetz\w*\s+(?:\w+\s+)?auf\b",
    re.I,
)
_INTENT = re.compile(r"\b(?:wird|werden|soll|sollen|wollen|möchten)\b")
_PROBLEM = re.compile(  # the starting point, not the plan
    r"herausforderung|strukturwandel|abwanderung|demograph|demografi|überalter|leerstand|problem"
    r"|jahrhundert|gekennzeichnet|geprägt|schrumpf|mangel|disparit|sehnsucht",
    re.I,
)
_STATE = re.compile(
    r"bestehend|bereits|bisher|traditionell|liegt an|^als\s|\d{1,3}\.\d{3}\b|\b(?:hat|haben|hatte|war|waren|wurde)\b",
    re.I,
)
_ANAPHOR = re.compile(r"^(?:In ihr|Dies|Sie|Es|Ihre?)\b|^Diese[rsmn]? [a-zäöü]")  # leans on the sentence before
_CRISIS = re.compile(r"pandemie|corona|covid|krise", re.I)
_NAMES = (
    re.compile(r"[„\"“][^„\"“”]{2,60}[“”\"]"),  # „Haus des Wissens“
    re.compile(r"\b\w*[a-zäöüß][A-ZÄÖÜ]\w*"),  # IdeenSpeicher, cowaHOPE
    re.compile(r"\b[a-zäöü]+\.(?:[a-zäöü]{2,}|\d+)\b"),  # check.26, stadt.land.smart
    re.compile(r"#\w+"),
)
_WEAK_NAMES = (
    re.compile(r"(?<=[a-zäöüß,] )[A-ZÄÖÜ][\w-]+ [A-ZÄÖÜ][\w-]+"),  # two capitalised words mid-sentence
    re.compile(r"\b\w+-[A-ZÄÖÜ]\w+"),  # Guben-Gubin, Mobilitäts-App
    re.compile(r"\b[A-ZÄÖÜ]{2,}\d*\b"),  # acronyms
    re.compile(
        r"\b(?:[dD](?:er|ie|as|en|em|es)|[eE]ine?[mnrs]?)\s+[A-ZÄÖÜ]\w+(?:e|en|er|es|em)\s+[A-ZÄÖÜ]"
    ),  # die Smarte Regulation
)
# a sentence that ends by naming itself ("… von außerhalb (check.26).", "… (#SNZ3)."): one of the project's named parts
_LABELLED = re.compile(r"\((?:[a-zäöü]+\.(?:[a-zäöü]{2,}|\d+)|#\w+)\)[.!]?$")
_COUNTS = {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8}

Pos = tuple[int, int]


def extract_measures(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Up to ``MAX_MEASURES`` pieces of the text that name what the project plans, in text order."""
    paras: list[str] = []
    for p in (x.strip() for x in paragraphs):
        if paras and _DASH_LINE.match(p) and _is_line(paras[-1]):
            paras[-1] = f"{paras[-1]} {p}"  # "Projekt 1 Mach mit" + "– Mit Bürgerbeteiligung …"
        elif p:
            paras.append(p)
    cands: list[tuple[Pos, float, str]] = []
    consumed = [0] * len(paras)  # leading sentences of each paragraph already used by a rule
    bonus, i = range(0), 0
    while i < len(paras):
        p, nxt = paras[i], paras[i + 1] if i + 1 < len(paras) else ""
        last = (_sentences(p) or [p])[-1]
        intro = p.endswith(":") or (_is_list(nxt) and not _SENTENCE_END.search(p) and p.split()[-1][0].islower())
        if _is_list(p) or (intro and (_is_list(nxt) or (p.endswith(":") and _is_line(nxt)))):
            head = "" if _is_list(p) else p  # rules 1 and 2
            items, j = _collect(paras, i if not head else i + 1, lines=bool(head) and not _is_list(nxt))
            base = 4.0 + bool(_INTRO_WORDS.search(last)) if head else 1.0
            if _PROBLEM.search(last if head else ""):
                base = -99.0
            for k, text in enumerate(_list_measures(head, items)):
                cands.append(((i, k), base + max(0.0, _score(text)) / 2, text))
            consumed[i:j] = [99] * (j - i)
            i = j
            continue
        if _is_heading(p) and nxt and not _is_line(nxt) and not _is_list(nxt):  # rule 3
            lead, n = _lead(_sentences(nxt), len(p) + 2)
            text = f"{p.rstrip(':')}: {lead}"
            score = 2.0 + _score(lead)
            if p.endswith(":"):
                score = 4.0 + bool(_INTRO_WORDS.search(p)) + max(0.0, _score(lead)) / 2
            if p.endswith(":") or (_concrete(lead, False) and p.lower() not in nxt[: len(p) + 3].lower()):
                cands.append(((i, 0), score, text))
                consumed[i], consumed[i + 1] = 99, n
        elif p.endswith(":") and not _is_heading(p):
            count = next((v for w, v in _COUNTS.items() if re.search(rf"\b{w}\b", last, re.I)), 3)
            bonus = range(i + 1, i + 1 + count)
        i += 1
    for i, p in enumerate(paras):  # rules 4 and 5
        sentences = _sentences(p)[consumed[i] :]
        if not sentences or _is_line(p) or _is_heading(p):
            continue
        label = sentences[0].split(": ", 1)[0]
        if consumed[i] == 0 and len(label) <= 60 and len(label.split()) <= 7 and label[0] not in '„“"':
            lead, n = _lead(sentences)
            if ": " in sentences[0] and _concrete(lead, False):
                cands.append(((i, 0), 2.0 + _score(lead), lead))
                sentences = sentences[n:]
        for k, s in enumerate(sentences, start=len(_sentences(p)) - len(sentences)):
            if len(re.findall(r"\(\d\)", s)) >= 2:  # "(1) … (2) …"
                cands.append(((i, k), 4.0 + max(0.0, _score(s)) / 2, s))
            elif _SENTENCE_END.search(s) and ((i in bonus and k == 0) or _concrete(s)):
                cands.append(((i, k), 3.0 * (i in bonus and k == 0) + _score(s), s))
    ranked = sorted(cands, key=lambda c: -c[1])
    chosen: list[tuple[Pos, float, str]] = []
    for c in ranked:
        if len(chosen) >= MAX_MEASURES or (c[1] < MIN_SCORE and len(chosen) >= 3) or (c[1] < 0 and len(chosen) >= 2):
            break
        if len(c[2]) >= MIN_CHARS and not c[2].endswith(":") and not any(c[2] in o[2] or o[2] in c[2] for o in chosen):
            chosen.append(c)
    return tuple(_clip(text) for _, _, text in sorted(chosen))


def _collect(paras: list[str], j: int, lines: bool) -> tuple[list[str], int]:
    """Items from paragraph j on: list lines, or (``lines``) short lines and "Heading:" + line pairs."""
    items: list[str] = []
    while j < len(paras):
        q = paras[j]
        if _is_list(q) and not lines:
            items += [_TRAIL.sub("", _BULLET.sub("", x)).strip() for x in q.split("\n") if x.strip()]
        elif _is_line(q) and lines:
            nq = paras[j + 1] if j + 1 < len(paras) else ""
            pair = q.endswith(":") and _is_line(nq) and not nq.endswith(":")
            items.append(f"{q} {nq}" if pair else q)
            j += pair
        else:
            break
        j += 1
    return items, j


def _is_list(p: str) -> bool:
    return p.startswith(_LIST) or bool(re.match(r"\d+\.\s", p))


def _is_line(p: str) -> bool:
    """A short line that is not a sentence: a heading, a list-like title, a line of topics."""
    return bool(p) and "\n" not in p and len(p) <= 160 and not _SENTENCE_END.search(p) and not _is_list(p)


def _is_heading(p: str) -> bool:
    return _is_line(p) and len(p) <= 60 and not p.split()[-1][0].islower()


def _lead(sentences: list[str], used: int = 0) -> tuple[str, int]:
    """The first sentences, as many as fit in GOOD_CHARS (a short first one may take one more)."""
    text, n = sentences[0], 1
    for s in sentences[1:]:
        size = used + len(text) + len(s)
        if size < GOOD_CHARS or (len(text) < 120 and size < MAX_CHARS):
            text, n = f"{text} {s}", n + 1
        else:
            break
    return text, n


def _list_measures(intro: str, items: list[str]) -> list[str]:
    """Items of a list as measures: an open intro joined in front, short items packed behind the intro."""
    items = [x for x in items if x]
    if not items:
        return []
    if intro and not intro.endswith(":"):  # the items finish the intro's sentence
        whole = f"{intro} {', '.join(items)}"
        if len(whole) <= MAX_CHARS:
            return [whole]
        return [f"{intro} {x}" if len(intro) <= 60 else x for x in items]
    if median(len(x) for x in items) >= 50:
        return items
    sep = "; " if any("," in x or " - " in x for x in items) else ", "
    packs, buf = [], f"{intro.rstrip(':')}: " if intro else ""
    for x in items:
        if buf and not buf.endswith(": ") and len(buf) + len(x) > GOOD_CHARS:
            packs.append(buf)
            buf = ""
        buf += x if not buf or buf.endswith(": ") else sep + x
    return [*packs, buf]


def _score(s: str) -> float:
    """How concretely a piece of text names a measure (higher is better)."""
    measure = min(3, len(_MEASURE.findall(s)) + len(_APP.findall(s))) + 0.5 * min(2, len(_META.findall(s)))
    doing = min(2, len(_DOING.findall(s))) + 0.5 * bool(_INTENT.search(s))
    names = min(3, sum(len(r.findall(s)) for r in _NAMES))
    weak = min(2.0, 0.5 * sum(len(r.findall(s)) for r in _WEAK_NAMES))
    situation = 1.5 * min(3, len(_PROBLEM.findall(s))) + min(2, len(_STATE.findall(s)))
    situation += 0.5 * min(2, len(_CRISIS.findall(s)))
    length = -2 if len(s) < 50 else -1 if len(s) < 80 or len(s) > GOOD_CHARS else 0
    labelled = 1.5 * bool(_LABELLED.search(s))
    return measure + doing + names + weak + labelled - situation - bool(_ANAPHOR.match(s)) + length


def _concrete(s: str, by_names: bool = True) -> bool:
    """Names a measure word or a verb of doing (or, with ``by_names``, at least two names)."""
    if _MEASURE.search(s) or _META.search(s) or _DOING.search(s) or _APP.search(s) or _LABELLED.search(s):
        return True
    return by_names and sum(len(r.findall(s)) for r in _NAMES) >= 2


def _sentences(p: str) -> list[str]:
    """Sentences of a paragraph; splits after a day number ("am 20. Januar") or before one word are undone."""
    out: list[str] = []
    for s in split_sentences(p):
        if out and (re.search(r"\s\d{1,2}\.$", out[-1]) or " " not in s):  # "am 20. Januar", "Grün."
            out[-1] = f"{out[-1]} {s}"
        else:
            out.append(s)
    return out


def _clip(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    return text[: MAX_CHARS - 2].rsplit(" ", 1)[0].rstrip(",;:–- ") + " …"
