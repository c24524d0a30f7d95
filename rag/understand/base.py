"""What the question parser builds from the brochure once: the tables every part of it reads.

Aliases of the 2021 projects and the places of the 2019/2020 rounds with their patterns, the Länder and size
classes, the vocabulary a typo is corrected against, the plan and frame words, the thesaurus and its English
glossary, the criteria groups and the years the brochure names. ``ParserBase`` holds them; the mixins of
``QuestionParser`` (entities, spelling, follow-ups, premises, selections, intents) read them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rag import cues
from rag.german import QUESTION_VERBS, STOPWORDS, fold, stem, terms
from rag.lexicon import german_words
from rag.parse import BUNDESLAENDER
from rag.population import load_size_bounds
from rag.synonyms import Thesaurus, english_pattern, load_thesaurus
from rag.types import Corpus
from rag.understand.names import _alias_table, _names_by_target
from rag.understand.query import Query
from rag.understand.text import expand_suspended, normalise


class ParserBase:
    """The brochure's tables, built once per corpus, and the normalisation that uses them."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.aliases = _alias_table(corpus)
        self._alias_re = [
            # a name may head a hyphenated word ("Rhein-Neckar-Verband", "Guben-Projekt")
            (re.compile(r"(?<![\w-])" + re.escape(a) + r"(?![\w-])|(?<![\w-])" + re.escape(a) + r"(?=-[a-z]{4,})"), p)
            for a, p in sorted(self.aliases.items(), key=lambda x: -len(x[0]))
        ]
        self.past = {fold(e.name): e.name for e in corpus.overview if not e.is_2021}
        for e in corpus.overview:
            if not e.is_2021:
                for part in re.split(r",\s*|\s+und\s+", re.sub(r"^(Städte|Gemeinden?|Landkreis|Kreis)\s+", "", e.name)):
                    if len(part) > 3:
                        self.past.setdefault(fold(part), e.name)
                    # "Freiburg i. Br.", "Kirchheim b. München", "Heidenheim an der Brenz": also by the place alone
                    place = re.sub(r"\s+(?:[a-z]{1,2}\.\s|an der\s|am\s).*$", "", part)
                    if place != part and len(place) > 3:
                        self.past.setdefault(fold(place), e.name)
        # every name form of a project and of an earlier-round place, by the name it stands for
        self._names_of = _names_by_target(self.aliases)
        self._past_names_of = _names_by_target(self.past)
        # a typo is matched against the names themselves, not their derived forms ("Dresdner")
        base = _alias_table(corpus, derived=False)
        self._typo_targets = {a: p for a, p in base.items() if " " not in a and len(a) >= 6}
        self._past_re = [
            (re.compile(r"(?<![\w-])" + re.escape(a) + r"(?![\w-])"), name)
            for a, name in sorted(self.past.items(), key=lambda x: -len(x[0]))
        ]
        # longest names first, so that "Sachsen-Anhalt" is taken before "Sachsen"
        self._state_re = [(s, re.compile(cues.STATE_PATTERNS[s])) for s in sorted(cues.STATE_PATTERNS, key=lambda s: -len(s))]
        size_classes = sorted({p.size_class for p in corpus.projects if "•" not in p.size_class})
        self.size_res = []
        for sc in size_classes:
            words_ = fold(sc).split()
            if len(words_) == 2 and "/" not in sc:
                adj, noun = words_
                self.size_res.append((re.compile(rf"\b{adj}(n|r|re|ren)?\s+{noun}(e|en)?\b"), sc))
        self.size_bounds = load_size_bounds()
        self.funded_states = sorted({s for p in corpus.projects for s in p.states})  # the Länder with a 2021 project
        self._kind_rx = {  # the names of one kind, to see through an enumeration of them ("A, B und C lasst weg")
            "state": re.compile("|".join(cues.STATE_PATTERNS.values())),
            "project": re.compile("|".join(rx.pattern for rx, _ in self._alias_re)),
            "class": re.compile("|".join([*cues.CATEGORY_PATTERNS.values(), *(rx.pattern for rx, _ in self.size_res)])),
        }
        vocab = {w for p in corpus.projects for w in re.findall(r"[a-z]+", fold(p.text))}
        vocab |= {w for s in corpus.sections for w in re.findall(r"[a-z]+", fold(s.text))}
        vocab |= {w for p in corpus.projects for w in re.findall(r"[a-z]+", fold(f"{p.title} {p.motto}"))}
        vocab |= set(cues.RECORD_WORDS)
        self.vocabulary = vocab
        self.frame_stems = {stem(fold(w)) for w in cues.FRAME_WORDS}
        self._project_texts: dict[str, tuple[str, frozenset[str]]] = {}  # filled on first use (a quoted name)
        self._folded_text: str | None = None  # the whole brochure folded, built on first use (``_folded_corpus``)
        self._epithets: dict[str, str] | None = None  # filled on first use: "händelstadt" -> "Halle (Saale)"
        self.plan_stems = {t for w in cues.PLAN_WORDS for t in terms(w)} | set(QUESTION_VERBS)
        self.our_words = set(terms(cues.OUR_WORDS)) | set(QUESTION_VERBS)
        # … and their compounds with a generic head ("Grundansatz", "Hauptziel", "Gesamtkonzept")
        self.plan_stems |= {f"{head}{t}" for head in ("grund", "haupt", "gesamt", "kern", "leit", "ober", "einzel") for t in set(self.plan_stems)}
        self.thesaurus = Thesaurus()
        self._glossary = [(en, de, re.compile(english_pattern(en))) for en, de in load_thesaurus()[1]]
        # words a typo may be corrected to: corpus words and thesaurus words, by first letter and length
        known = vocab | {w for g in self.thesaurus.surface_words() for w in [fold(g)]}
        self._by_shape: dict[tuple[str, int], list[str]] = {}
        for w in known:
            if len(w) >= 4 and w.isalpha():
                self._by_shape.setdefault((w[0], len(w)), []).append(w)
        english = {w for en, _ in load_thesaurus()[1] for w in en.split()}
        self._known_words = known | STOPWORDS | {fold(w) for w in cues.FRAME_WORDS} | cues.QUESTION_WORDS | english
        self._known_stems = {stem(w) for w in self._known_words}
        self._small_words = STOPWORDS | {fold(w) for w in cues.FRAME_WORDS} | cues.QUESTION_WORDS  # no topic of their own
        # names a typo is corrected to even when it shares a stem with them ("Niedersachen" -> "niedersachsen")
        # … and the name written as one word ("badenwürtemberg")
        self._name_words = {w for st in BUNDESLAENDER for w in re.findall(r"[a-z]{6,}", fold(st))} | {
            re.sub(r"[^a-z]", "", fold(st)) for st in BUNDESLAENDER if re.search(r"[- ]", st)
        }
        self.criteria_groups = tuple(dict.fromkeys(s.group for s in corpus.sections if s.group))
        self.corpus_years = set(
            re.findall(
                r"\b20\d\d\b", " ".join(p.text for p in corpus.projects) + " ".join(s.text for s in corpus.sections)
            )
        )

    def _normalise(self, folded: str) -> str:
        """``normalise``, and words cut by a hyphen completed by the corpus word after them."""
        return expand_suspended(normalise(folded), self._known_tail)

    def _known_tail(self, word: str) -> bool:
        return word not in STOPWORDS and stem(word) in self._known_stems

    @property
    def german_words(self) -> frozenset[str]:
        """German word forms beyond the brochure (``rag.lexicon``, read once on first use)."""
        return german_words()

    if TYPE_CHECKING:  # defined by QuestionParser and its mixins; declared here for the mixins that call them

        def _parse(self, question: str, history: list[dict[str, str]] | None = None) -> Query:  # parser
            raise NotImplementedError

        def _previous_list(self, history: list[dict[str, str]], topics: bool = False) -> Query | None:  # followup
            raise NotImplementedError

        def _wrong_classes(self, f: str, name: str, classes: list[str]) -> tuple[tuple[str, str], ...]:  # premises
            raise NotImplementedError

        def _size_half(self, categories: Sequence[str], larger: bool) -> list[str]:  # selection
            raise NotImplementedError

        def _counted(self, text: str, projects: Sequence[str] = ()) -> str:  # intent
            raise NotImplementedError
