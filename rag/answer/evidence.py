"""Evidence: which sentences of the brochure support an answer, and how strongly.

- ``quotable`` decides what may be quoted at all: whole sentences and list items, never a heading, never a
  generated header line, never a sentence ending in ":" without the list that follows it;
- ``Evidence.best_sentences`` ranks the sentences of some passages by lexical closeness (idf-weighted
  content terms, compounds split, thesaurus expansions) and semantic closeness (sentence embeddings);
- ``Evidence.rank_projects`` scores *every* project on *all* of its sentences, for "which projects do X";
- ``Evidence.lexical`` / ``known_share`` / ``off_topic`` are what declining is decided on (calibrated on dev).

Example::

    >>> quotable("Gesamtvorhaben"), quotable("Die Stadt plant eine Datenplattform für alle.")
    (False, True)
    >>> with_list_items("Drei Schritte:\\n1. Prüfung\\n2. Begutachtung\\nDanach Ende.", "Drei Schritte:")
    'Drei Schritte: 1. Prüfung 2. Begutachtung'
    >>> with_list_items("Zwei Orte:\\nAltstadt:\\nHandel und Welterbe\\nDorf B:\\nNahversorgung", "Zwei Orte:")
    'Zwei Orte: Altstadt: Handel und Welterbe Dorf B: Nahversorgung'
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rag.german import QUESTION_NOUNS, QUESTION_VERBS, fold, stem, terms, umlaut_words
from rag.retrieve import Retriever
from rag.text import split_sentences
from rag.types import Chunk, Hit
from rag.understand import Query
from rag.understand.spelling import one_edit_apart

_LIST_ITEM = re.compile(r"^(- |\d+\. |✓|☐|•)")
_HEADER_LINE = re.compile(r"Modellprojekt Smart Cities 20\d\d\.|^(Kategorie|Bundesland|Projekttitel|Motto):")
MIN_WORDS = 5
SEMANTIC_FLOOR = 0.80  # sentence cosine (multilingual-e5-small) below which similarity says little
SEMANTIC_TOP = 0.90  # … and above which a sentence is as close as it gets
VERB_WEIGHT = 0.4  # a verb of the question counts this much of a noun
MODIFIER_WEIGHT = 0.6  # … and an adjective or adverb beside its nouns this much
MIN_WEIGHT = 1.5  # the least total content weight a question's coverage is measured against
BACKGROUND_WEIGHT = 0.3  # a word only of the sentences around the question sentence counts this much
RELATED_CREDIT = 0.7  # a thesaurus relative (or its compound) of a question word counts this much of the word
MIN_DISTINCT = 0.1  # the least weight factor of a content word that (nearly) every project uses
GENERIC_DISTINCT = 0.35  # below this a word is one that about a third of the projects or more use


def with_list_items(text: str, sentence: str, most: int = 10) -> str:
    """A sentence that ends with a colon brings the list items that follow it in ``text``."""
    if not sentence.rstrip().endswith(":"):
        return sentence
    parts = split_sentences(text)
    if sentence not in parts:
        return sentence
    items: list[str] = []
    rest = parts[parts.index(sentence) + 1 :]
    i = 0
    while i < len(rest) and len(items) < most:
        p = rest[i]
        if _LIST_ITEM.match(p):
            items.append(p)
        elif p.endswith(":") and len(p.split()) <= 6 and i + 1 < len(rest) and not rest[i + 1].endswith(":"):
            items.append(f"{p} {rest[i + 1]}")  # "Plattenbausiedlung X:" and the line that describes it
            i += 1
        else:
            break
        i += 1
    return " ".join([sentence, *items])


MAX_LIST_CHARS = 700  # a numbered step is quoted with its lead-in and siblings only if the whole list is this short


def whole_list(text: str, sentence: str) -> str:
    """The lead-in and all items of the numbered list in ``text`` that ``sentence`` is a step of ("3. Auswahl durch
    die Jury." -> "… mehrstufige Auswahlverfahren: 1. … 2. … 3. …"), or "" (no numbered item, or a long list).

    >>> whole_list("Das Verfahren hat drei Stufen:\\n1. Formale Prüfung.\\n2. Zwei Gutachten.\\n3. Die Jury.\\nEnde.", "3. Die Jury.")
    'Das Verfahren hat drei Stufen: 1. Formale Prüfung. 2. Zwei Gutachten. 3. Die Jury.'
    """
    if not re.match(r"^\d+\. ", sentence):
        return ""
    parts = split_sentences(text)
    if sentence not in parts:
        return ""
    i = parts.index(sentence)
    while i > 0 and re.match(r"^\d+\. ", parts[i]):
        i -= 1
    whole = with_list_items(text, parts[i])
    return whole if sentence in whole and whole != sentence and len(whole) <= MAX_LIST_CHARS else ""


def headed_paragraph(text: str, sentence: str, asked: tuple[str, ...], most: int = 6) -> str:
    """The whole paragraph under a heading when ``sentence`` opens it and the question asks for the heading itself
    (every ``asked`` term is one of the heading's): "Was sind die Förderziele?" -> "Förderziele: … . … ." (up to
    ``most`` sentences), else "".

    >>> headed_paragraph("Ziele: Wir fördern A. Dazu B. Und C.\\n\\nNeu: D.", "Ziele: Wir fördern A.", ("ziel",))
    'Ziele: Wir fördern A. Dazu B. Und C.'
    >>> headed_paragraph("Ziele: Wir fördern A. Dazu B.", "Ziele: Wir fördern A.", ("ziel", "jury"))
    ''
    """
    m = re.match(r"([^.!?:\n]{3,80}): (?=[A-ZÄÖÜ„])", sentence)
    if not m or not asked or not text.startswith(sentence) or not set(asked) <= set(terms(m.group(1))):
        return ""
    paragraph = text.split("\n\n", 1)[0]
    parts = split_sentences(paragraph)
    whole = " ".join(parts[:most])
    return whole if whole != sentence and sentence in whole else ""


_POINTS_BACK = re.compile(r"^(\S+\s+){0,12}(dafür|dazu|hierfür|hierzu|dabei|dort|diese[rsmn]?|deren|damit)\b", re.I)


def continuation(text: str, sentence: str) -> str:
    """The sentence after ``sentence`` in ``text`` when it points back to it ("In … werden dafür …"), else "".

    >>> continuation("Es gibt drei Labore. In A, B und C werden dafür Sensoren erprobt. Ende.", "Es gibt drei Labore.")
    'In A, B und C werden dafür Sensoren erprobt.'
    """
    parts = split_sentences(text)
    last = max((i for i, p in enumerate(parts) if len(p) > 15 and p in sentence), default=None)
    if last is None or last + 1 >= len(parts):
        return ""
    nxt = parts[last + 1]
    return nxt if _POINTS_BACK.search(nxt) and quotable(nxt) and nxt not in sentence else ""


def quotable(sentence: str) -> bool:
    """A whole statement: not a heading, not a generated header line, not a bare lead-in to a list."""
    s = sentence.strip()
    if _HEADER_LINE.search(s) or s.endswith(":"):
        return False
    words = s.split()
    if _LIST_ITEM.match(s):
        return len(words) >= 5  # "- Partizipation & Teilhabe" is a label, not a statement
    if len(words) < MIN_WORDS:
        return False
    if not re.search(r"[.!?“\")]$", s) and len(words) < 12:  # a heading or a cut piece
        return False
    return bool(re.match(r"^[„\"“(]?[A-ZÄÖÜ0-9]", s))  # starts like a sentence, not in the middle of one


@lru_cache(maxsize=4096)
def quotes(text: str, strict: bool = True) -> tuple[tuple[str, str], ...]:
    """(unit, its first sentence) for the quotable units of a passage: sentences, colon sentences joined with
    their list, and a heading joined with the sentence that follows it ("Cluster Datensouveränität – Wir …").
    Not ``strict`` (general sections such as the Impressum): any line of a few words that is no bare lead-in."""
    out = []
    parts = split_sentences(text)
    for i, s in enumerate(parts):
        unit = with_list_items(text, s)
        if unit == s and i + 1 < len(parts) and _is_enumeration(parts[i + 1]) and re.search(r"[.:)]$", s):
            unit = f"{s} {parts[i + 1]}"  # "… umfasst 14 Akteure (siehe Liste)." and the names that follow
        # not strict: any line of a few words, but never a bare lead-in ("★ Interkommunale Kooperationen und Landkreise:")
        ok = quotable(s) if strict else len(s.split()) >= 2 and not _HEADER_LINE.search(s) and not s.rstrip().endswith(":")
        if (unit == s and ok) or len(unit) > len(s) + 10:
            out.append((unit, s))
        elif strict and _is_heading(s) and i + 1 < len(parts) and quotable(parts[i + 1]):
            nxt = parts[i + 1]
            if i + 2 < len(parts) and _is_enumeration(parts[i + 2]) and re.search(r"[.:)]$", nxt):
                nxt = f"{nxt} {parts[i + 2]}"  # the heading, the sentence and the names it announces
            out.append((f"{s.rstrip(' –-')} – {nxt}", s))
    return tuple(out)


def _is_enumeration(line: str) -> bool:
    """A bare list of names in one line ("Stadtwerke GmbH, Hochschule X, Verein Y, …"), no sentence."""
    return line.count(",") >= 6 and not re.search(r"[.!?]$", line.strip())


def _is_heading(line: str) -> bool:
    """A short line without a sentence end: a heading, a poster label ("Cluster Mobilität und Daten")."""
    words = line.split()
    return 2 <= len(words) <= 12 and not re.search(r"[.!?:]$", line) and not _HEADER_LINE.search(line)


def _written(umlauts: tuple[str, ...]) -> dict[str, str]:
    """Stem -> the word as typed with its umlaut ("fahr" -> "fähren")."""
    return {t: w for w in umlauts for t in terms(w)}


def _prefixed(ordered: list[str], prefix: str) -> list[str]:
    """The words of a sorted list that start with ``prefix``.

    >>> _prefixed(["fahr", "fahrrad", "fahrt", "fehl"], "fahr")
    ['fahr', 'fahrrad', 'fahrt']
    """
    start = bisect.bisect_left(ordered, prefix)
    end = start
    while end < len(ordered) and ordered[end].startswith(prefix):
        end += 1
    return ordered[start:end]


def best_two(scores: list[float]) -> float:
    """The best score plus a little of the second best: one strong passage counts, a second one a little, and
    a long text with many weak ones no more than a short one.

    >>> best_two([0.5]), round(best_two([0.2, 1.0, 0.5]), 2)
    (0.5, 1.15)
    """
    top = sorted(scores, reverse=True)
    return top[0] + (0.3 * top[1] if len(top) > 1 else 0.0)


def scaled(scores: dict[str, float], key: str) -> float:
    """Min-max scaled score of ``key`` among ``scores`` (0 when absent, 1 when all are equal).

    >>> scaled({"a": 1.0, "b": 3.0, "c": 2.5}, "c"), scaled({"a": 1.0}, "x")
    (0.75, 0.0)
    """
    if key not in scores:
        return 0.0
    lo, hi = min(scores.values()), max(scores.values())
    return 1.0 if hi == lo else (scores[key] - lo) / (hi - lo)


@dataclass(frozen=True)
class Scored:
    hit: Hit
    sentence: str
    score: float  # 0..1, lexical and semantic closeness combined
    lexical: float  # share of the question's content weight the sentence contains
    cosine: float


class Evidence:
    def __init__(self, retriever: Retriever, measures: dict[str, tuple[str, ...]] | None = None) -> None:
        """``measures``: chunk id -> the parsed measures that chunk holds (quotable units of their own)."""
        self.retriever = retriever
        self.measures = measures or {}
        self.bm = retriever.bm25
        self._terms: dict[str, frozenset[str]] = {}
        self._affix_cache: dict[str, set[str]] = {}
        self._sorted_vocab: list[str] | None = None
        self._umlaut_vocab: dict[str, str] | None = None
        self._umlaut_cache: dict[str, set[str]] = {}
        self._camel: dict[str, set[str]] | None = None
        self._sorted_reversed: list[str] = []
        self._projects_of: dict[str, int] | None = None
        # per question the strategies ask for its concepts several times (coverage, support, off-topic):
        # both depend only on the content terms, so they are computed once per distinct set of terms
        self._concept_cache: dict[
            tuple[tuple[str, ...], tuple[str, ...], bool, tuple[str, ...], tuple[str, ...], tuple[str, ...]],
            list[tuple[float, str, frozenset[str], frozenset[str]]],
        ] = {}
        self._unknown_cache: dict[tuple[str, ...], list[str]] = {}
        self._misspelt_cache: dict[str, set[str]] = {}
        self._by_length: dict[int, list[str]] | None = None
        self._n_projects = 1

    # -- the question's concepts ----------------------------------------------------------------------
    def concepts(self, q: Query) -> list[tuple[float, str, frozenset[str], frozenset[str]]]:
        """(weight, term, its compound parts, its thesaurus relatives) per content term the corpus can match.

        A content term that neither the corpus nor the thesaurus knows in any form cannot be matched by any
        sentence and is left out, so that it does not lower every sentence's score alike.
        """
        # within one named project (or a general section), how many projects use a word says nothing about
        # its sentences
        nouns = set(q.nouns) & set(q.content_terms)
        background = q.background
        asked = [t for t in q.content_terms if t not in background and t in self.bm.idf]
        one = len(q.projects) == 1  # within one named project how many projects use a word says nothing
        # (a message in lower case has no nouns to tell its verbs by: "gemeinden" looks like an infinitive)
        verbs = set(q.verbs) if q.nouns else set()
        if background and asked and all((self.distinctiveness(t) < GENERIC_DISTINCT and not one) or t in verbs for t in asked):
            # "Ich finde nie einen Parkplatz. Macht eine Stadt das digital einfacher?": the asking sentence has only
            # words most projects use, or only verbs ("X und Y planen einen digitalen Zwilling. Wofür wird er
            # eingesetzt?"); what it asks about is the preamble's topic
            background = ()
        # lower-case words beside the nouns of a German question are modifiers ("energiesparendes Funknetz")
        modifiers = tuple(t for t in q.content_terms if t not in nouns and t not in q.verbs) if nouns else ()
        # a word written with an umlaut, as typed ("Fähre"): its compounds in the brochure's spelling ("Schleifähre")
        umlauts = q.umlaut_words
        key = (
            q.content_terms,
            q.verbs,
            len(q.projects) == 1 or q.about_brochure or q.about_programme,
            background,
            modifiers,
            umlauts,
        )
        if key not in self._concept_cache:
            if len(self._concept_cache) > 4096:
                self._concept_cache.clear()
            self._concept_cache[key] = self._concepts(*key)
        return self._concept_cache[key]

    def _concepts(
        self,
        content_terms: tuple[str, ...],
        verbs: tuple[str, ...] = (),
        one_project: bool = False,
        background: tuple[str, ...] = (),
        modifiers: tuple[str, ...] = (),
        umlauts: tuple[str, ...] = (),
    ) -> list[tuple[float, str, frozenset[str], frozenset[str]]]:
        bm = self.bm
        out = []
        written = _written(umlauts)
        content = list(dict.fromkeys(content_terms))
        matched = list(content)  # the terms that became concepts; one the corpus cannot match becomes ""
        for i, t in enumerate(content):
            if _part_of_hyphenated(matched, i, background):
                continue  # a part of the hyphenated word just before it ("Online-Plattform" -> "onlin") …
            # … unless that word is unknown in every form: then its parts stand for it ("Handy-App" -> "App")
            parts = frozenset(x for x in bm.decompounder.split(t) if x != t) if t not in bm.idf else frozenset()
            unknown_parts: list[str] = []
            if not parts and t not in bm.idf:
                split = [x for x in bm.decompounder.expand_query([t]) if x != t]
                parts = frozenset(x for x in split if x in bm.idf)
                unknown_parts = [x for x in split if x not in bm.idf and not _overlaps(t, x, split)]
            related = set(bm.related(t) if bm.related else ())
            # a part the brochure does not use stands for its thesaurus relatives ("UNESCO-Kulturerbe":
            # the brochure says "Welterbe")
            if bm.related:
                for x in unknown_parts:
                    related |= bm.related(x)
            synonyms = bool(related)  # the thesaurus knows the word (a topic word, also as a verb: "aufstocken")
            # the relatives of a part that is a topic word, unless another such part is far more telling: a
            # "Fährverkehr" is about ferries, not about every project's "Verkehr" (and "Mobilität")
            relatives = {x: bm.related(x) for x in parts} if bm.related else {}
            topical = {x: self.distinctiveness(x) for x, r in relatives.items() if r}
            for x, d in topical.items():
                if d >= 0.5 * max(topical.values()):
                    related |= relatives[x]
            # a synonym's compounds count as the synonym ("Shuttle" -> "Dorfshuttle"); short stems are too
            # ambiguous for that ("Fähre" stems to "fahr", the head of "Fahrrad")
            related |= {y for x in related if len(x) >= 5 for y in self._affixed(x)}
            related = {x for x in related if x in bm.idf}
            related |= self._compounds(t, written)
            related |= self._base_adjective(t)  # "Klimaneutralität" -> "klimaneutral"
            related |= self._misspelt(t)  # "Ortsteile" -> the brochure's "Ortteilen"
            if t not in bm.idf and not parts and not related:
                related = self._verb_relatives(t)  # "warnt" -> "Warnung"
            if t not in bm.idf and not parts and not related:
                related = self._head_compounds(t)  # "Plattenbaugebiet" -> "Plattenbausiedlung"
            idfs = [bm.idf[x] for x in (t, *parts) if x in bm.idf]
            if not idfs and not related:
                matched[i] = ""
                continue
            # a word the corpus only knows through its relatives is as telling as its rarest relative
            weight = max(idfs) if idfs else max(bm.idf[x] for x in related)
            if t in QUESTION_VERBS or t in QUESTION_NOUNS:
                weight *= 0.25
            elif t in verbs and len(verbs) < len(content) and not synonyms:
                weight *= VERB_WEIGHT  # "voranbringen" says how, the noun says what
            elif t in modifiers and not synonyms:
                weight *= MODIFIER_WEIGHT  # "energiesparendes" says which kind, "Funknetz" says what
            if not one_project and t not in QUESTION_VERBS:
                weight *= self.distinctiveness(t)  # a word many projects use ("Partner") says little about which
            if t in background:
                weight *= BACKGROUND_WEIGHT  # "Ich bin Lehrerin …": the preamble says who asks, not what
            out.append((weight, t, parts, frozenset(related)))
        return out

    def _misspelt(self, t: str) -> set[str]:
        """Corpus terms one letter off a question term of 7+ letters that a single project uses: the brochure's
        own misspellings ("46 Ortteilen" for "Ortsteile")."""
        got = self._misspelt_cache.get(t)
        if got is None:
            if self._by_length is None:
                self._by_length = {}
                for x in self.bm.idf:
                    self._by_length.setdefault(len(x), []).append(x)
            self.project_share(t)  # counts the projects once
            one = 1.0 / self._n_projects + 1e-9
            got = set()
            if len(t) >= 7:
                for n in (len(t) - 1, len(t), len(t) + 1):
                    # a letter off inside the word: no other form or compound of it ("beschreibt", "E-Mobilität")
                    near = (
                        x
                        for x in self._by_length.get(n, ())
                        if x[:2] == t[:2] and x[-2:] == t[-2:] and x not in t and t not in x and one_edit_apart(x, t)
                    )
                    got |= {x for x in near if 0 < self.project_share(x) <= one}
            if len(self._misspelt_cache) < 50_000:
                self._misspelt_cache[t] = got
        return got

    def _compounds(self, t: str, written: dict[str, str]) -> set[str]:
        """Corpus compounds of a question term; of a short one written with an umlaut ("Fähre", stem "fahr") those
        spelt with it ("Schleifähre"), not "Fahrrad", if the brochure has any (a plural's umlaut, "Dörfer", has none:
        "Dorfshuttle" is one of its compounds; a stem of five letters finds its compounds anyway)."""
        if t in written and len(t) < 5 and (spelt := self._umlaut_compounds(written[t])):
            return spelt
        return self._affixed(t) | self._camel_compounds(t)

    def _camel_compounds(self, t: str) -> set[str]:
        """Corpus words written as names with an inner capital whose later part is ``t`` (3+ letters): "app" ->
        "WueApp"; the capital marks the join that a short tail alone could not ("Tor" in "Sektor"). A word of 5+
        letters finds the compounds it ends anyway (``_affixed``)."""
        if len(t) >= 5:
            return set()
        if self._camel is None:
            self._camel = {}
            for c in self.retriever.chunks:
                for w in set(re.findall(r"\b[A-ZÄÖÜ]?[a-zäöüß]+(?:[A-ZÄÖÜ][a-zäöüß]{2,})+\b", c.text)):
                    whole = stem(fold(w))
                    if whole not in self.bm.idf:
                        continue
                    for part in re.findall(r"[A-ZÄÖÜ][a-zäöüß]{2,}", w)[1 if w[0].isupper() else 0 :]:
                        self._camel.setdefault(stem(fold(part)), set()).add(whole)
        return {x for x in self._camel.get(t, set()) if x != t}

    def _head_compounds(self, t: str) -> set[str]:
        """An unknown compound whose tail is a corpus word or part and whose head (7+ letters) begins corpus compounds:
        those compounds, longest head first ("plattenbau|gebiet" -> "plattenbausiedlung")."""
        for i in range(len(t) - 4, 6, -1):  # a head of 7+ letters: "einge|ordnet" is a participle, no compound
            head, tail = t[:i], t[i:]
            known_tail = tail in self.bm.idf or (len(tail) >= 5 and bool(self._affixed(tail)))  # "gebiet": "Stadtgebiet"
            if known_tail and (got := {x for x in self._affixed(head) if x != t}):
                return got
        return set()

    def _umlaut_compounds(self, word: str) -> set[str]:
        """Corpus terms of the compounds that end in ``word`` as spelt with its umlaut, plural endings dropped
        ("fähren" -> "Schleifähre", "Dieselfähre"); the umlaut makes a short tail telling ("fahre" alone is not)."""
        if self._umlaut_vocab is None:
            words = {w for c in self.retriever.chunks for w in umlaut_words(c.text)}
            self._umlaut_vocab = {w: stem(fold(w)) for w in words}
        if word in self._umlaut_cache:
            return self._umlaut_cache[word]
        bases = {word[:-k] for k in (0, 1, 2)} if word.endswith("n") else {word}
        bases = {b for b in bases if re.search("[äöü]", b) and len(b) >= 5}  # "fähr" would find "ungefähr"
        got = {
            t
            for w, t in self._umlaut_vocab.items()
            if t in self.bm.idf and any(w.endswith(b) and len(w) >= len(b) + 3 for b in bases)
        }
        if len(self._umlaut_cache) < 10_000:
            self._umlaut_cache[word] = got
        return got

    def _base_adjective(self, t: str) -> set[str]:
        """The corpus adjective a noun of quality is derived from: "klimaneutralitat" -> "klimaneutral",
        "barrierefreiheit" -> "barrierefrei" (the base needs 5+ letters)."""
        for suffix in ("itat", "heit", "keit"):
            base = t[: -len(suffix)]
            if t.endswith(suffix) and len(base) >= 5 and base in self.bm.idf:
                return {base}
        return set()

    def _verb_relatives(self, t: str) -> set[str]:
        """Corpus words of an unknown finite verb's stem: "warnt" (the stemmer keeps the -t) -> "warnung"; the
        stem needs 4+ letters ("baut" -> "bau" is too short to tell)."""
        for suffix in ("est", "et", "st", "te", "t"):
            base = t[: -len(suffix)]
            if t.endswith(suffix) and len(base) >= 4:
                got = ({base} & set(self.bm.idf)) | self._affixed(base)
                if got:
                    return got
        return set()

    def distinctiveness(self, term: str) -> float:
        """0.1..1: an idf over projects, log(N / projects using ``term``) / log(N), so that a word one project
        uses counts fully and one that every project uses hardly at all.

        >>> round(math.log(28 / 7) / math.log(28), 2)  # a word 7 of 28 projects use
        0.42
        """
        share = self.project_share(term)
        n = self._n_projects
        if n < 2:
            return 1.0
        return max(MIN_DISTINCT, math.log(1 / max(share, 1 / n)) / math.log(n))

    def project_share(self, term: str) -> float:
        """The share of projects whose text contains ``term`` (compound parts included)."""
        if self._projects_of is None:
            chunks = self.retriever.chunks
            owners: dict[str, set[str]] = {}
            for t, postings in self.bm.postings.items():
                owners[t] = {chunks[i].project for i, _ in postings if chunks[i].project}
            self._projects_of = {t: len(p) for t, p in owners.items()}
            self._n_projects = len({c.project for c in chunks if c.project}) or 1
        return self._projects_of.get(term, 0) / self._n_projects

    def _affixed(self, t: str) -> set[str]:
        """Corpus terms that are compounds of ``t``: it is their head (4+ letters) or tail (5+ letters),
        e.g. "fahr" -> "dieselfahr" no (4 letters), "fahre" -> "dieselfahre"; "leer" -> "leerfahrt"; a tail needs
        a head of 4+ letters ("einsam" is no part of "gemeinsam")."""
        got = self._affix_cache.get(t)
        if got is None:
            got = set()
            if len(t) >= 4:
                if self._sorted_vocab is None:  # prefix searches on the words and on the reversed words
                    self._sorted_vocab = sorted(self.bm.idf)
                    self._sorted_reversed = sorted(x[::-1] for x in self.bm.idf)
                got = {x for x in _prefixed(self._sorted_vocab, t) if len(x) >= len(t) + 3}
                if len(t) >= 5:
                    got |= {r[::-1] for r in _prefixed(self._sorted_reversed, t[::-1]) if len(r) >= len(t) + 4}
            if len(self._affix_cache) < 50_000:
                self._affix_cache[t] = got
        return got

    def unknown(self, q: Query) -> list[str]:
        """Content terms that the corpus knows in no form (not as a word, part, compound or synonym):
        what the question asks about is not in the brochure ("Frankreich")."""
        key = q.content_terms
        if key not in self._unknown_cache:
            if len(self._unknown_cache) > 4096:
                self._unknown_cache.clear()
            known = {t for _, t, _, _ in self.concepts(q)}
            out = []
            for t in dict.fromkeys(key):
                # a word of the corpus is known even where it is no concept of its own: the parts of a hyphenated
                # word ("Unesco-Welterbe") are said by the whole
                if t in known or t in self.bm.idf or len(t) < 4:
                    continue
                parts = set(self.bm.decompounder.expand_query([t])) - {t}
                if not any(x in self.bm.idf for x in parts) and not self._affixed(t):
                    out.append(t)
            self._unknown_cache[key] = out
        return self._unknown_cache[key]

    def known_share(self, q: Query) -> float:
        """The share of the question's content nouns (all content words when it has none) that the brochure
        knows in some form; 1.0 without content."""
        content = set(q.content_terms) - set(q.background) or set(q.content_terms)  # the question sentence's
        nouns = content & set(q.nouns) or (content - set(q.verbs)) or content  # no capitals: all but the verbs
        return 1.0 - len(set(self.unknown(q)) & nouns) / len(nouns) if nouns else 1.0

    def off_topic(self, q: Query) -> bool:
        """At least half of the content nouns are unknown: "die Hauptstadt von Frankreich", "Quantencomputer"."""
        return self.known_share(q) <= 0.5

    def weights(self, q: Query) -> dict[str, float]:
        """Query term -> idf × weight, for questions without content terms (framing words count little)."""
        bm = self.bm
        own_names = {t for p in q.projects for t in terms(p)}
        qweights = {t: w for t, w in bm.weighted_terms(q.retrieval_text).items() if t not in own_names}
        return {t: bm.idf[t] * w for t, w in qweights.items() if t in bm.idf}

    def lexical(self, q: Query) -> Callable[[frozenset[str]], float]:
        """A function: the terms of a sentence -> 0..1, the share of the question's content it covers."""
        concepts = self.concepts(q)
        if concepts:
            # with words the brochure does not know, at least MIN_WEIGHT: when the only word left is one most
            # projects use ("Menschen mit Behinderung"), a sentence that merely contains it covers little
            # "Reallabore oder Experimentierräume": alternatives count as one concept, the better one covered
            group = {t: i for i, alts in enumerate(q.either) for t in alts}
            weight_of: dict[object, float] = {}
            for w, t, *_ in concepts:
                key = ("either", group[t]) if t in group else t
                weight_of[key] = max(weight_of.get(key, 0.0), w)
            total = sum(weight_of.values())
            if self.unknown(q):
                total = max(MIN_WEIGHT, total)
            # the words of the asking sentence are all unknown and only the preamble's are matched ("Bei uns stand
            # der Keller unter Wasser. Gibt es ein Projekt, das vor Überschwemmungen warnt?"): the preamble says
            # who asks, so a sentence that covers it covers little of what is asked
            damp = BACKGROUND_WEIGHT if q.background and all(t in q.background for _, t, *_ in concepts) else 1.0
            # a part alone stands for a compound only as far as it is distinctive: "Raum" is no "Raumfahrt"
            part_weight = {x: self.distinctiveness(x) for _, _, parts, _ in concepts for x in parts}
            # a part that is a topic word of its own ("Welterbe" in "Welterbestätten") counts at least as much as a
            # relative of the whole would
            topic_parts = {x for _, _, parts, _ in concepts for x in parts if self.bm.related and self.bm.related(x)}

            def covered(st: frozenset[str]) -> float:
                got: dict[object, float] = {}
                for w, t, parts, related in concepts:
                    if t in st:
                        credit = w
                    elif len(parts) >= 2 and parts <= st:
                        credit = 0.9 * w
                    elif len(parts) == 1 and parts <= st:  # one known part stands in half, more if distinctive
                        credit = 0.9 * w * max(0.5, part_weight[next(iter(parts))])
                    elif parts & st:
                        credit = 0.5 * w * sum(part_weight[x] for x in parts & st) / len(parts)
                        # … unless another part is unknown to the brochure: a "Weltraumbahnhof" is no station
                        if parts & st & topic_parts and all(x in self.bm.idf for x in parts):
                            credit = max(credit, RELATED_CREDIT * w)
                    elif related & st:
                        credit = RELATED_CREDIT * w
                    else:
                        continue
                    if t in group:  # any alternative, fully covered, covers the whole group …
                        key: object = ("either", group[t])
                        # … if it is at least half as telling as the best one ("Dürre" for "Hitze oder Dürre"),
                        # not a word every project uses ("digital" beside "Parkraumbewirtschaftung")
                        credit = credit / w * min(weight_of[key], 2 * w) if w else 0.0
                    else:
                        key = t
                    got[key] = max(got.get(key, 0.0), credit)
                return damp * min(1.0, sum(got.values()) / total)

            return covered
        if q.content_terms:  # content words the corpus knows in no form: no sentence covers them
            return lambda st: 0.0
        weights = self.weights(q)
        top = sum(w for w in weights.values() if w >= 0.5 * max(weights.values(), default=0)) or 1.0
        return lambda st: min(1.0, sum(w for t, w in weights.items() if t in st) / top)

    def names_directly(self, q: Query, sentence: str) -> bool:
        """Does the sentence hold a question word, all parts of it, a compound of it or a thesaurus synonym of it
        ("KI" for "künstliche Intelligenz") or its base adjective ("klimaneutral" for "Klimaneutralität") — not only a
        compound of a synonym ("Fehlerkultur" for "Welterbe")?"""
        st = self.sentence_terms(sentence)
        written = _written(q.umlaut_words)
        for _, t, parts, _ in self.concepts(q):
            synonyms = set(self.bm.related(t)) if self.bm.related else set()
            if t in st or (parts and parts <= st) or st & (synonyms | self._compounds(t, written) | self._base_adjective(t)):
                return True
        return False

    def sentence_terms(self, sentence: str) -> frozenset[str]:
        got = self._terms.get(sentence)
        if got is None:
            got = frozenset(self.bm.decompounder.expand(terms(sentence)))
            if len(self._terms) < 200_000:
                self._terms[sentence] = got
        return got

    def score(self, q: Query, hits: list[Hit]) -> list[Scored]:
        """Every quotable sentence of the hits, scored (best first)."""
        covered = self.lexical(q)
        sims = self.retriever.sentence_similarity(q.retrieval_text, list(dict.fromkeys(h.chunk.id for h in hits)))
        out = []
        for rank, h in enumerate(hits):
            units = quotes(h.chunk.text, strict=h.chunk.kind == "passage")
            extra = tuple((m, re.split(r" – |: ", m)[0]) for m in self.measures.get(h.chunk.id, ()))
            planned = {m for m, _ in extra}
            for unit, first in units + tuple(x for x in extra if all(x[0] != u for u, _ in units)):
                lexical = covered(self.sentence_terms(unit))
                if q.wants_number:  # "Wie viele …?": a sentence that states a number before one that does not
                    lexical = min(1.0, lexical * 1.5) if states_number(unit, q.content_terms) else 0.75 * lexical
                if len(unit) > 450 and not (q.listing and _is_enumeration(unit)):
                    lexical *= 0.8  # a long unit says much else, unless it is the list a "welche …" question asks for
                cos = max(sims.get((h.chunk.id, unit), 0.0), sims.get((h.chunk.id, first), 0.0))
                semantic = min(1.0, max(0.0, (cos - SEMANTIC_FLOOR) / (SEMANTIC_TOP - SEMANTIC_FLOOR)))
                w_sem = 0.5 if sims else 0.0
                prior = 0.05 / (1 + rank * 0.5)
                if q.projects and unit in planned:  # about a named project: its measures say what it plans
                    prior += 0.08
                out.append(Scored(h, unit, (1 - w_sem) * lexical + w_sem * semantic + prior, lexical, cos))
        if len(q.projects) == 1:
            out = _lists_for_items(out)
        out.sort(key=lambda x: -x.score)
        return out

    def best_sentences(
        self,
        q: Query,
        hits: list[Hit],
        limit: int = 4,
        per_chunk: int = 2,
        per_project: int = 3,
        min_share: float = 0.5,
    ) -> list[Scored]:
        """The best quotable sentences, at most ``per_chunk`` per passage and ``per_project`` per project,
        each reaching ``min_share`` of the best score."""
        scored = self.score(q, hits)
        if not scored:
            return []
        best = scored[0].score
        chosen: list[Scored] = []
        n_chunk: dict[str, int] = {}
        n_project: dict[str, int] = {}
        for sc in scored:
            if len(chosen) >= limit or sc.score < min_share * best:
                break
            key = sc.hit.chunk.project or sc.hit.chunk.id  # the per-project cap does not apply to sections
            if n_chunk.get(sc.hit.chunk.id, 0) >= per_chunk or n_project.get(key, 0) >= per_project:
                continue
            if any(_same_words(sc.sentence, c.sentence) for c in chosen):
                continue  # one statement in two forms (a sentence and its list items as a measure)
            n_chunk[sc.hit.chunk.id] = n_chunk.get(sc.hit.chunk.id, 0) + 1
            n_project[key] = n_project.get(key, 0) + 1
            chosen.append(sc)
        return chosen

    # -- every project, for "which projects do X" -------------------------------------------------
    def rank_projects(self, q: Query, filters: dict[str, Any] | None = None) -> list[Scored]:
        """The best sentence of every project (within the filters) and of every further document of the
        corpus (when nothing narrows by category or Land), best first."""
        f = {k: v for k, v in (filters or {}).items() if k in ("category", "state") and v}
        allowed = self.retriever.allowed_indices({**f, "kind": "passage"})
        chunks = [self.retriever.chunks[i] for i in allowed] if allowed is not None else []
        if not f:
            chunks += [c for c in self.retriever.chunks if c.kind == "document"]
        hits = [Hit(c, 0.0) for c in chunks if c.project or c.kind == "document"]
        best: dict[str, Scored] = {}
        for sc in self.score(q, hits):
            key = owner(sc.hit.chunk)
            if key not in best:
                best[key] = sc
        return sorted(best.values(), key=lambda s: -s.score)

    def passage_scores(self, q: Query, filters: dict[str, Any] | None = None, k: int = 80) -> dict[str, float]:
        """Per project (or further document) how well its passages match the question's words: BM25 of its best
        passage plus a little of the second (``best_two``), scaled 0..1 over those found among the best ``k``."""
        f = {key: v for key, v in (filters or {}).items() if key in ("category", "state") and v}
        per: dict[str, list[float]] = {}
        for i, s in self.bm.search(q.search_text or q.text, k, self.retriever.allowed_mask(f)):
            c = self.retriever.chunks[i]
            if c.kind in ("passage", "document") and owner(c):
                per.setdefault(owner(c), []).append(s)
        best = {name: best_two(v) for name, v in per.items()}
        return {name: scaled(best, name) for name in best}

    # -- how strong is the evidence ------------------------------------------------------------------
    def shares_content(self, q: Query, hits: list[Hit]) -> bool:
        """Does a top passage contain a distinctive content term (or a close synonym) of the question?"""
        if not q.content_terms:
            return True
        bm = self.bm
        # within one named project a word need not be rare in the whole brochure ("Kooperation" for "Partner")
        floor = 1.0 if len(q.projects) == 1 else 1.5
        qterms = {t for t in bm.decompounder.expand_query(list(q.content_terms)) if bm.idf.get(t, 0.0) >= floor}
        qterms |= {t for _, _, parts, related in self.concepts(q) for t in parts | related if bm.idf.get(t, 0.0) >= floor}
        return any(qterms & set(bm.decompounder.expand(terms(h.chunk.text))) for h in hits[:5])


def _part_of_hyphenated(content: list[str], i: int, background: tuple[str, ...] = ()) -> bool:
    """Is ``content[i]`` already said by a longer term just before it: a part of a hyphenated word
    ("onlineplattform", "onlin") or a word inside a compound the question also uses ("einwohn", "wohn")? A word of
    the asking sentence is never a part of the preamble's words ("Parkplatzsuche … smartes Parken").

    >>> _part_of_hyphenated(["smartcitylos", "smart", "city"], 2), _part_of_hyphenated(["einwohn", "wohn"], 1)
    (True, True)
    >>> _part_of_hyphenated(["parkplatzsuch", "park"], 1, background=("parkplatzsuch",))
    False
    """
    t = content[i]
    return any(
        len(u) > len(t) + 2 and t in u and not (u in background and t not in background)
        for u in content[max(0, i - 3) : i]
    )


def _overlaps(word: str, part: str, parts: list[str]) -> bool:
    """Does a longer part of ``word`` overlap ``part``, so that the two cannot both be its parts ("bauministerium"
    is no "baum" + "ministerium")?

    >>> _overlaps("bauministerium", "baum", ["baum", "ministerium"]), _overlaps("arztgesprach", "arzt", ["arzt"])
    (True, False)
    """
    return any(
        len(other) > len(part)
        and len(part) + len(other) > len(word)
        and ((word.startswith(part) and word.endswith(other)) or (word.endswith(part) and word.startswith(other)))
        for other in parts
    )


def has_quantity(sentence: str) -> bool:
    """Does the sentence state a number — not only a list item's ordinal or a year?

    >>> has_quantity("1. Formale Prüfung aller Bewerbungen."), has_quantity("Seit 2019 fördert der Bund …")
    (False, False)
    >>> has_quantity("Alle 94 eingereichten Bewerbungen durchliefen …"), has_quantity("rund 70.000 Menschen")
    (True, True)
    """
    text = re.sub(r"^\W*\d{1,2}[.)]\s", " ", sentence)
    text = re.sub(r"(?<![\d.,])(19|20)\d\d(?![\d.,]\d)", " ", text)
    return bool(re.search(r"(?<!\w)\d+([.,]\d+)?(?!\w)", text))


NUMBER_WORD = re.compile(
    r"\b(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|hundert|tausend)\b\W+((?:\w+\W+){0,2})(\w+)",
    re.IGNORECASE,
)


def counts_in_words(sentence: str, content_terms: tuple[str, ...]) -> bool:
    """Does the sentence count what the question asks about in words: a number word with a question word among
    the next three ("acht kreisangehörigen Kommunen" for "Aus wie vielen Kommunen …?"), not any number word
    ("zwei Hochschulen" says nothing about "Einwohner").

    >>> counts_in_words("… mit acht kreisangehörigen Kommunen als Region.", ("kommun",))
    True
    >>> counts_in_words("… durch zwei Hochschulen an der Einwohnerzahl", ("einwohn",))
    False
    """
    wanted = set(content_terms)
    for m in NUMBER_WORD.finditer(sentence):
        near = terms(f"{m.group(2)} {m.group(3)}")
        if any(t in wanted or any(t.startswith(w) for w in wanted if len(w) >= 4) for t in near):
            return True
    return False


def states_number(sentence: str, content_terms: tuple[str, ...]) -> bool:
    """A number in digits, or in words beside what the question counts: what a "Wie viele …?" answer quotes."""
    return has_quantity(sentence) or counts_in_words(sentence, content_terms)


def _lists_for_items(scored: list[Scored]) -> list[Scored]:
    """About one project, a list item that fits stands for its whole list ("In welchen Stadtteilen …?": the
    sentence that announces the three quarters with all three, not the one quarter whose words fit best). The
    list takes the item's score (a hair more, so that it comes first) and the item is dropped."""
    lists = [s for s in scored if ": " in s.sentence and len(s.sentence) > 80]
    out: list[Scored] = []
    raised: dict[int, Scored] = {}
    for s in scored:
        container = next(
            (
                c
                for c in lists
                if c is not s
                and c.hit.chunk.id == s.hit.chunk.id
                and len(s.sentence) >= 20
                and s.sentence in c.sentence
            ),
            None,
        )
        if container is None:
            out.append(s)
            continue
        best = raised.get(id(container), container)
        if s.score >= best.score:
            raised[id(container)] = Scored(
                best.hit, best.sentence, s.score + 1e-6, max(best.lexical, s.lexical), max(best.cosine, s.cosine)
            )
    return [raised.get(id(s), s) for s in out]


def _same_words(a: str, b: str) -> bool:
    """One text holds the other, punctuation and list dashes aside.

    >>> _same_words("Fokus: A, B und C", "Fokus: - A - B und C")
    True
    """
    x, y = (" ".join(re.findall(r"\w+", t.lower())) for t in (a, b))
    return x in y or y in x


def owner(chunk: Chunk) -> str:
    """Whom a passage speaks for in a list of answers: its project, or its document."""
    return chunk.project or chunk.document
