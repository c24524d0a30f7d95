"""The thesaurus: synonym groups and an English→German glossary, read from ``rag/thesaurus.txt``.

Citizens rarely use the brochure's words ("Bürgerbeteiligung" vs. "Partizipation", "Sensoren" vs.
"LoRaWAN"). Each group lists words that mean (nearly) the same in this domain; a query term from a
group also searches the others with a lower weight. The file is data: extend it without touching code.

Example::

    >>> t = Thesaurus()
    >>> sorted(t.related("beteil"))[:3]
    ['burgerbeteil', 'cocreation', 'creation']
    >>> sorted(Thesaurus(("künstliche_Intelligenz KI",)).related("intelligenz"))
    ['ki']
    >>> english_to_german("Who designed the brochure?")
    'Who designed the brochure? gestaltet Gestaltung Broschüre'
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from rag.german import fold, terms

THESAURUS_FILE = "thesaurus.txt"


@lru_cache(maxsize=4)
def load_thesaurus(text: str | None = None) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(groups, english pairs) from the thesaurus file (or from ``text``)."""
    if text is None:
        text = (resources.files("rag") / THESAURUS_FILE).read_text(encoding="utf-8")
    groups: list[str] = []
    english: list[tuple[str, str]] = []
    part = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            part = line[1:-1]
        elif part == "gruppen":
            groups.append(line)
        elif part == "englisch" and "=" in line:
            en, _, de = line.partition("=")
            english.append((fold(en.strip()), de.strip()))
    return tuple(groups), tuple(english)


class Thesaurus:
    def __init__(self, groups: tuple[str, ...] | None = None) -> None:
        groups = load_thesaurus()[0] if groups is None else groups
        self._surface = groups
        self._member: dict[str, set[str]] = {}
        for g in groups:
            # an entry is a word or a phrase joined by "_" ("künstliche_Intelligenz"): the words of one phrase
            # are related to the group's other entries, not to each other ("Schwarmintelligenz" is no KI)
            entries = [set(self._terms(e.replace("_", " "))) for e in g.split()]
            for i, entry in enumerate(entries):
                others = set().union(*(e for j, e in enumerate(entries) if j != i))
                for t in entry:
                    self._member.setdefault(t, set()).update(others | {t})

    @staticmethod
    def _terms(entry: str) -> list[str]:
        """The terms an entry stands for: its words; of a hyphenated word the whole and its head (the last
        part, 5+ letters): "Co-Creation" -> cocreation, creation; "On-Demand-Verkehr" is no "Verkehr" in general.
        """
        out = []
        for word in entry.split():
            got = terms(word)
            if "-" in word and got:
                head = terms(word.rsplit("-", 1)[1])
                got = [got[0]] + [h for h in head if len(h) >= 5 and h != got[0]]
            out += [t for t in got if len(t) >= 2]
        return out

    def surface_words(self) -> set[str]:
        """The words of all groups as written (for typo correction)."""
        return {w for g in self._surface for w in re.findall(r"[^\W\d_]+", g.replace("_", " "))}

    @property
    def vocabulary(self) -> set[str]:
        return set(self._member)

    def related(self, term: str) -> set[str]:
        """Other terms of every group that contains ``term`` (stemmed, folded)."""
        return self._member.get(term, set()) - {term}


def english_pattern(en: str) -> str:
    """A glossary entry with its regular English plural: "ferry" finds "ferries", "boat" "boats".

    >>> bool(re.search(english_pattern("ferry"), "ferries or boats")), bool(re.search(english_pattern("boat"), "boats"))
    (True, True)
    """
    if re.search(r"[^aeiou]y$", en):
        return r"\b" + re.escape(en[:-1]) + r"(y|ies)\b"
    return r"\b" + re.escape(en) + r"(s|es)?\b"


@lru_cache(maxsize=1)
def _english_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(english_pattern(en)), de) for en, de in load_thesaurus()[1])


def english_to_german(text: str) -> str:
    """Append German equivalents of known English words (for lexical search of English questions)."""
    f = fold(text)
    extra = [de for rx, de in _english_patterns() if rx.search(f)]
    return f"{text} {' '.join(dict.fromkeys(extra))}" if extra else text
