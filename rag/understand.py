"""Understanding the question: entities, attributes and intent, in German and simple English.

Recognises categories with inflections and synonyms, Bundesländer (names, adjectives, abbreviations),
project names (partial, small typos), entities of the 2019/2020 rounds, attributes (Motto, Projekttitel,
Bundesland, Größenklasse, Seite) and the intent. Follow-ups inherit entities from the conversation.

Example::

    >>> qp = QuestionParser(corpus)                                           # doctest: +SKIP
    >>> q = qp.parse("Welche Kleinstädte wurden 2021 gefördert?")               # doctest: +SKIP
    >>> q.intent, q.categories                                                 # doctest: +SKIP
    ('list', ('Kleinstädte und Landgemeinden',))
    >>> qp.parse("Und in welchem Bundesland liegt die Stadt?",
    ...          history=[{"role": "user", "content": "Was ist das Motto von Guben?"}]).projects  # doctest: +SKIP
    ('Guben',)
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from rag.german import QUESTION_VERBS, STOPWORDS, clean_control, fold, stem, terms
from rag.lang import language_of
from rag.parse import BUNDESLAENDER
from rag.synonyms import english_to_german
from rag.types import CATEGORIES, Corpus

MAX_QUESTION_CHARS = 2000

_CATEGORY_PATTERNS: dict[str, str] = {
    CATEGORIES[0]: r"gross-?stadt(e|en)?\b|\bgrosse(n|re|ren)? stadte?n?\b|\blarge cities\b|\bbig cities\b|"
    r"\blarge towns\b|\bmetropol\w*",
    CATEGORIES[
        1
    ]: r"mittel-?stadt(e|en)?\b|stadte? mittlerer grosse|\bmittlere(n)? stadte?n?\b|\bmittelgrosse(n)? stadte?n?\b|"
    r"medium.sized (cities|towns)|\bmid.sized",
    CATEGORIES[2]: r"klein-?stadt(e|en)?\b|\bkleine(n|re|ren)? stadte?n?\b|\bkleine(n)? gemeinden?\b|"
    r"landgemeinden?\b|\bsmall (towns?|cities|municipalities)\b",
    CATEGORIES[3]: r"\blandkreis(e|en)?\b|\bkreise(n)?\b|interkommunal\w*|\bkooperation(en)?\b|\bdistricts?\b|"
    r"\bcount(y|ies)\b|inter.?municipal\w*|\bzusammenschl\w+|\bgemeindeverb\w+",
}

_STATE_PATTERNS: dict[str, str] = {
    "Baden-Württemberg": r"baden[- ]?wurttemberg\w*|\bbw\b|\bbawu\b",
    "Bayern": r"\bbayern\b|\bbayerisch\w*|\bbavaria\w*",
    "Berlin": r"\bberlin\b",
    "Brandenburg": r"\bbrandenburg\w*",
    "Bremen": r"\bbremen\b|\bbremisch\w*",
    "Hamburg": r"\bhamburg\b",
    "Hessen": r"\bhessen\b|\bhessisch\w*|\bhesse\b",
    "Mecklenburg-Vorpommern": r"mecklenburg[- ]?vorpommern\w*|\bmecklenburg\w*|\bm-?v\b",
    "Niedersachsen": r"niedersachs\w*|lower saxony|\bnds\b",
    "Nordrhein-Westfalen": r"nordrhein[- ]?westfal\w*|\bnrw\b|north rhine.westphalia",
    "Rheinland-Pfalz": r"rheinland[- ]?pfalz\w*|\brlp\b|rhineland.palatinate",
    "Saarland": r"\bsaarland\w*",
    "Sachsen-Anhalt": r"sachsen[- ]?anhalt\w*|saxony.anhalt|\blsa\b",
    "Sachsen": r"(?<![a-z])sachsen\b|(?<![a-z])sachsisch\w*|\bsaxony\b",
    "Schleswig-Holstein": r"schleswig[- ]?holstein\w*|\bsh\b",
    "Thüringen": r"\bthuring\w*",
}
_ATTRIBUTE_PATTERNS: dict[str, str] = {
    "motto": r"\bmotto|leitspruch|slogan|wahlspruch|leitsatz",
    "title": r"projekttit\w*|\btitel\b|\btitle\b|heisst (das|ihr|sein|deren) (projekt|vorhaben)|projektname|"
    r"name des (projekts|vorhabens)|wie heisst",
    "states": r"bundeslande?r?\b|in welchem (land|bundesland)|welchem bundesland|\bstate\b|\bwo liegt|"
    r"\bwo befindet|\bwo ist\b|\bwhere\b|welches land",
    "size_class": r"grossenklasse|wie gross(?!.*(quadrat|km|flache|einwohner|hektar))|welche grosse|\bsize\b|kategorie|category|stadttyp|"
    r"was fur eine (stadt|kommune|gemeinde)|welche art von",
    "page": r"\bseiten?\b|\bpage\b|auf welcher|wo (steht|finde)",
}
_COUNT = r"wie ?viele|\banzahl\b|how many|number of|\bzahl der\b"
_LIST = r"\bwelche\w*\b|\bliste\w*|auflist|\bnenne\w*|\balle\b|\bzeig\w*|\bwhich\b|\blist\b|\bwer\b|\bwho\b|\bwas fur\b"
_COMPARE = r"vergleich(e|en|t)?\b|unterschied\w*|gemeinsamkeit\w*|versus|\bvs\.?\b|im gegensatz|\bcompare\b|difference"
_SIMILAR = (
    r"vergleichbar\w*|ahnlich\w*|ahnel\w*|wie wir\b|wie unser\w*|similar|comparable|passen zu uns|\bwir sind\b|"
    r"\bwir planen\b|unsere (stadt|gemeinde|kommune|region)|von wem (konnen|konnten) wir lernen|vorbild"
)
_INJECTION = (
    r"ignorier\w*|vergiss\w*|ignore (all|previous|the)|disregard|neue anweisung|system ?prompt|du bist (jetzt|nun)|"
    r"you are now|act as|tu so als|gib (dich|vor)|jailbreak|developer mode|antworte (nur|ab jetzt)|"
    r"from now on|sag(e)?,? dass|say that|behaupte"
)
_MONEY = (
    r"\beuro\b|\bgeld\w*|budget|fordersumme|fordermittel|fordergeld|\bkoste[tn]?\b|millionen|\bmio\b|zuschuss|"
    r"finanziert|how much money|funding amount|wie viel .*(erhalt|bekomm|bekam|kriegt)"
)
_FUNDING_DETAILS = (
    r"eigenanteil|forderquote|kofinanzier\w*|eigenmittel|foerderquote|co-?financ|antragsfrist|bewerbungsfrist"
)
_PEOPLE = (
    r"burgermeister\w*|oberburgermeister\w*|\blandrat\b|\blandratin\b|projektleit\w*|\bmayor\b|ansprechpartner\w*|"
    r"jurymitglied\w*|mitglieder der jury|wer (sitzt|sass|war|ist) in der jury|namen der (gutachter|jury)|"
    r"wer (sind|waren) die gutachter|\bminister(in)? (war|ist)|telefon\w*"
)
_REJECTED = r"abgelehnt|nicht ausgewahlt|nicht berucksichtigt|abgesagt|gescheitert\w*|rejected"
_SCHEDULE = (
    r"wann (endet|enden|beginnt|beginnen|startet|starten|lauft|laufen|ist .* fertig)|bis wann|laufzeit|"
    r"wie lange (lauft|dauert|wird)|\bhow long\b|\bwhen (does|will) .* (end|start)"
)
_VENDORS = r"\bsoftware\b|hersteller|anbieter|dienstleister|\bvendor|programmiersprache|betriebssystem"
_NARROWING = r"\b(davon|darunter|von diesen|von ihnen|unter diesen|of them|of these)\b"
_OFF_TOPIC = r"\bwetter\b|\bweather\b|fussball|bundesliga|\brezept\w*|aktienkurs|\bbörse\b|\bhoroskop"
_FUNDING_YEAR = r"\b(20(0\d|1[0-8]|2[2-9]|3\d))\b"
_FUNDING_WORDS = r"geford|forder|staffel|ausgewahlt|projekt|funded|selected|wettbewerb|runde|gibt es"
_FOLLOWUP = (
    r"^(und|und was|und wie|what about|and)\b|\b(die stadt|der stadt|das projekt|dem projekt|diese[rsmn]?|dort|"
    r"deren|dessen|ihr(e|en|em)?|sein(e|en|em)?|es|sie|they|it|its|their|there)\b"
)
_ENGLISH = r"\b(the|what|which|how|who|where|does|is|are|projects?|cities|funded|motto|title)\b"

# Attribute words ("Motto", "Seite", …): asking for an attribute is no topic of its own
_ATTRIBUTE_STEMS = frozenset(
    stem(w)
    for w in "motto projekttitel titel seite grossenklasse heisst lautet liegt grosse kategorie title page state size".split()
)

# Words that only frame a structural question ("Welche Projekte in Bayern wurden gefördert?")
_FRAME_WORDS = """
welche welcher welches welchen gibt gab gefordert forder forderung foerderung modellprojekt
modellprojekte projekt projekte projekten smart city cities 2021 wurden wurde werden sind ist liegen
liegt stammen kommen kommt aus gehoren gehort zahlen zahlt zaehlen nenne nennen liste listen
auflisten alle insgesamt jahr viele anzahl stadt stadte kommune kommunen gemeinde gemeinden
teilnehmer ausgewahlt dabei waren davon which what how many are were was funded projects project
selected list all name names there the in of kategorie bundesland bundeslander bewertungskriterien kriterien kriterium land lander macht
machen plant planen steht tut vorhaben geht worum eingestuft einstufung zugeordnet gelten gilt
kategorisiert klassifiziert gefuhrt gelistet
""".split()


@dataclass(frozen=True)
class Query:
    """What the question asks, as far as rules can tell."""

    text: str  # cleaned question (cut to MAX_QUESTION_CHARS)
    intent: str  # list | count | lookup | open | compare | similar | unanswerable | empty
    projects: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    size_classes: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    past_entities: tuple[str, ...] = ()  # entries of the 2019/2020 rounds named in the question
    content_terms: tuple[str, ...] = ()  # stems beyond entities and framing words
    english: bool = False
    injection: bool = False
    truncated: bool = False
    followup: bool = False  # entities were taken from the conversation
    refers_back: bool = False  # the wording points back ("die Stadt", "dort", "davon")
    reason: str = ""  # why it is unanswerable (German), if so
    language: str = "de"  # "de" | "en" | "other"
    criteria: tuple[int, ...] = ()  # Bewertungskriterien named by number (K7)
    wants_criteria: bool = False  # the question is about the Bewertungskriterien
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def structural(self) -> bool:
        """A list/count question that the records answer exactly (no topic beyond the filters)."""
        return self.intent in ("list", "count") and not self.content_terms


def _alias_table(corpus: Corpus) -> dict[str, str]:
    """folded alias -> project name. Built from the names; ambiguous aliases are dropped."""
    table: dict[str, str] = {}
    seen: dict[str, set[str]] = {}
    for p in corpus.projects:
        name = p.name
        forms = {name, re.sub(r"\s*\(.*\)", "", name)}
        core = re.sub(r"^(Landkreis|Kreis|Gemeinde|Verband Region)\s+", "", name)
        forms.add(core)
        forms.update(part for part in re.split(r"\s+und\s+|\s+am\s+", core) if len(part) > 3)
        if "-" in core and p.category == CATEGORIES[3]:
            forms.update(x for x in core.split("-") if len(x) > 4)
        for f in forms:
            seen.setdefault(fold(f), set()).add(name)
    for alias, names in seen.items():
        if len(names) == 1:
            table[alias] = next(iter(names))
    return table


def question_language(text: str) -> str:
    """ "de", "en" or "other"; text written mostly in non-Latin script is "other".

    >>> question_language("Welche Kleinstädte?"), question_language("哪些小城市获得了资助？")
    ('de', 'other')
    """
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if ch.isascii() or "À" <= ch <= "ž")
    if letters and latin / len(letters) < 0.5:
        return "other"
    return language_of(text)


class QuestionParser:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.aliases = _alias_table(corpus)
        self._alias_re = [
            (re.compile(r"(?<![\w-])" + re.escape(a) + r"(?![\w-])"), p)
            for a, p in sorted(self.aliases.items(), key=lambda x: -len(x[0]))
        ]
        self.past = {fold(e.name): e.name for e in corpus.overview if not e.is_2021}
        for e in corpus.overview:
            if not e.is_2021:
                for part in re.split(r",\s*|\s+und\s+", re.sub(r"^(Städte|Gemeinden?|Landkreis|Kreis)\s+", "", e.name)):
                    if len(part) > 3:
                        self.past.setdefault(fold(part), e.name)
        self._typo_targets = {a: p for a, p in self.aliases.items() if " " not in a and len(a) >= 6}
        self._past_re = [
            (re.compile(r"(?<![\w-])" + re.escape(a) + r"(?![\w-])"), name)
            for a, name in sorted(self.past.items(), key=lambda x: -len(x[0]))
        ]
        # longest names first, so that "Sachsen-Anhalt" is taken before "Sachsen"
        self._state_re = [(s, re.compile(_STATE_PATTERNS[s])) for s in sorted(_STATE_PATTERNS, key=lambda s: -len(s))]
        size_classes = sorted({p.size_class for p in corpus.projects if "•" not in p.size_class})
        self.size_res = []
        for sc in size_classes:
            words_ = fold(sc).split()
            if len(words_) == 2 and "/" not in sc:
                adj, noun = words_
                self.size_res.append((re.compile(rf"\b{adj}(n|r|re|ren)?\s+{noun}(e|en)?\b"), sc))
        vocab = {w for p in corpus.projects for w in re.findall(r"[a-z]+", fold(p.text))}
        vocab |= {w for s in corpus.sections for w in re.findall(r"[a-z]+", fold(s.text))}
        self.vocabulary = vocab
        self.frame_stems = {stem(fold(w)) for w in _FRAME_WORDS}
        self.corpus_years = set(
            re.findall(
                r"\b20\d\d\b", " ".join(p.text for p in corpus.projects) + " ".join(s.text for s in corpus.sections)
            )
        )

    # -- entities -------------------------------------------------------------------------------
    def _take(self, pattern: re.Pattern[str] | str, text: str) -> tuple[bool, str]:
        """Find a pattern and blank it out so that shorter patterns cannot match inside it."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        found = False

        def blank(m: re.Match[str]) -> str:
            nonlocal found
            found = True
            return " " * len(m.group(0))

        out = rx.sub(blank, text)
        return found, out

    def _fuzzy_projects(self, text: str) -> list[tuple[str, str]]:
        """(typo token, project) pairs for tokens close to a project name that are no corpus words."""
        out = []
        single = self._typo_targets
        for tok in re.findall(r"[a-z][a-z-]{5,}", text):
            if tok in self.vocabulary or tok in STOPWORDS:
                continue
            best = difflib.get_close_matches(tok, single.keys(), n=1, cutoff=0.84)
            if best and best[0][0] == tok[0]:
                out.append((tok, single[best[0]]))
        return out

    def entities(self, text: str) -> dict[str, list[str]]:
        folded = fold(text)
        found: dict[str, list[str]] = {"states": [], "projects": [], "categories": [], "sizes": [], "past": []}
        for state, state_rx in self._state_re:
            hit, folded = self._take(state_rx, folded)
            if hit:
                found["states"].append(state)
        for rx, project in self._alias_re:
            hit, folded = self._take(rx, folded)
            if hit and project not in found["projects"]:
                found["projects"].append(project)
        for rx, sc in self.size_res:
            hit, folded = self._take(rx, folded)
            if hit:
                found["sizes"].append(sc)
        for cat, pat in _CATEGORY_PATTERNS.items():
            hit, folded = self._take(pat, folded)
            if hit:
                found["categories"].append(cat)
        for past_rx, name in self._past_re:
            hit, folded = self._take(past_rx, folded)
            if hit and name not in found["past"]:
                found["past"].append(name)
        for tok, p in self._fuzzy_projects(folded):
            folded = folded.replace(tok, " " * len(tok))
            if p not in found["projects"]:
                found["projects"].append(p)
        # a city-state named only as a place of the 2019/2020 rounds is not a Bundesland filter
        found["states"] = [s for s in found["states"] if s in BUNDESLAENDER]
        found["rest"] = [folded]
        return found

    # -- the whole question ---------------------------------------------------------------------
    def parse(self, question: str, history: list[dict[str, str]] | None = None) -> Query:
        text = clean_control(question or "").strip()
        truncated = len(text) > MAX_QUESTION_CHARS
        text = text[:MAX_QUESTION_CHARS]
        if not re.search(r"\w", text):
            return Query(text=text, intent="empty")
        injection = bool(re.search(_INJECTION, fold(text)))
        if injection:
            # instructions inside the question are data, not commands: drop those sentences
            kept = [s for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if not re.search(_INJECTION, fold(s))]
            text = " ".join(kept).strip()
            if not re.search(r"\w", text):
                return Query(
                    text=text,
                    intent="unanswerable",
                    injection=True,
                    reason="Ihre Nachricht enthält keine Frage zur Broschüre.",
                )
        f = fold(text)
        ents = self.entities(text)
        attributes = tuple(a for a, pat in _ATTRIBUTE_PATTERNS.items() if re.search(pat, f))
        projects, categories, states = ents["projects"], ents["categories"], ents["states"]
        # "wo liegt X" with a Bundesland in the question is not an attribute question
        if "states" in attributes and states and not projects:
            attributes = tuple(a for a in attributes if a != "states")
        rest = ents["rest"][0]
        if re.search(_ENGLISH, f):  # German equivalents of English words count as content too
            rest = english_to_german(rest)
        rest_terms = [t for t in terms(rest) if t not in self.frame_stems and not t.isdigit()]
        content = tuple(t for t in rest_terms if t not in _ATTRIBUTE_STEMS and t not in QUESTION_VERBS)
        english = len(re.findall(_ENGLISH, f)) >= 2 and not re.search(r"\b(der|die|das|und|welche|wie|ist)\b", f)

        followup = False
        bare = not projects and not categories and not states and not ents["past"]
        narrowing = bool(re.search(_NARROWING, f))  # "welche davon …": combine with the previous question
        if history and (narrowing or (bare and (re.search(_FOLLOWUP, f) or len(f.split()) <= 6 or attributes))):
            prev = self._from_history(history)
            if prev:
                projects = projects or prev["projects"]
                categories = categories or prev["categories"]
                states = states or prev["states"]
                followup = True

        intent = self._intent(f, projects, categories, states, attributes, ents["sizes"], content)
        reason = self._unanswerable(f, projects, self.corpus_years)
        if reason:
            intent = "unanswerable"
        language = question_language(text)
        if language == "other" and not (projects or categories or states or ents["past"]):
            intent, reason = "unanswerable", "Ich beantworte Fragen auf Deutsch (einfaches Englisch geht auch)."
        return Query(
            text=text,
            refers_back=bool(re.search(_FOLLOWUP, f) or narrowing),
            language=language,
            intent=intent,
            projects=tuple(projects),
            categories=tuple(categories),
            size_classes=tuple(ents["sizes"]),
            states=tuple(states),
            attributes=attributes,
            past_entities=tuple(ents["past"]),
            content_terms=content,
            english=english,
            injection=injection,
            truncated=truncated,
            followup=followup,
            reason=reason,
            criteria=tuple(sorted({int(n) for n in re.findall(r"\bk ?(\d{1,2})\b", f) if 1 <= int(n) <= 12})),
            wants_criteria=bool(re.search(r"kriteri\w*|criteria|criterion", f)),
        )

    def _from_history(self, history: list[dict[str, str]]) -> dict[str, list[str]] | None:
        """Entities of the most recent user turn that has any (or of an assistant answer naming 1-2)."""
        for turn in reversed(history[-8:]):
            content = str(turn.get("content") or "")
            if not content:
                continue
            ents = self.entities(content[:MAX_QUESTION_CHARS])
            if turn.get("role") == "assistant":
                if 1 <= len(ents["projects"]) <= 2:
                    return {"projects": ents["projects"], "categories": [], "states": []}
                continue
            if ents["projects"] or ents["categories"] or ents["states"]:
                return ents
        return None

    @staticmethod
    def _intent(
        f: str,
        projects: list[str],
        categories: list[str],
        states: list[str],
        attributes: tuple[str, ...],
        sizes: list[str],
        content: tuple[str, ...],
    ) -> str:
        if re.search(_SIMILAR, f) and not re.search(_COUNT, f):
            return "similar"
        if len(projects) >= 2 and re.search(_COMPARE, f):
            return "compare"
        if re.search(_COUNT, f):
            return "count"
        if projects and attributes:
            return "lookup"
        if re.search(_LIST, f) and (categories or states or sizes or not content):
            return "list"
        if projects and not content:
            return "lookup"
        if (categories or states or sizes) and not content:
            return "list"
        return "open"

    @staticmethod
    def _unanswerable(f: str, projects: list[str], corpus_years: set[str]) -> str:
        year = re.search(_FUNDING_YEAR, f)
        if year and year.group(1) not in corpus_years and re.search(_FUNDING_WORDS, f):
            return (
                f"Die Broschüre beschreibt die Förderrunde 2021 (mit einer Übersicht 2019–2021); "
                f"zu {year.group(1)} enthält sie keine Angaben."
            )
        if re.search(_MONEY, f) and (projects or re.search(r"\bjede[sr]?\b|\beinzeln|pro projekt|per project", f)):
            return (
                "Die Broschüre nennt keine Fördersummen oder Budgets einzelner Projekte. Sie nennt nur das "
                "Programm insgesamt: Aufstockung um 500 Millionen Euro auf 820 Millionen Euro."
            )
        if re.search(_FUNDING_DETAILS, f):
            return "Die Broschüre nennt keine Förderquoten, Eigenanteile oder Fristen der Förderung."
        if re.search(_REJECTED, f) and not projects:
            return (
                "Die Broschüre nennt nur die ausgewählten Projekte (aus 94 Bewerbungen), nicht die "
                "abgelehnten Bewerbungen."
            )
        if re.search(_SCHEDULE, f):
            return "Die Broschüre nennt keine Laufzeiten, Start- oder Endtermine der einzelnen Projekte."
        if re.search(_VENDORS, f) and projects:
            return "Die Broschüre nennt keine Software, Hersteller oder Anbieter der Projekte."
        if re.search(_PEOPLE, f):
            return (
                "Die Broschüre nennt keine Personen (etwa Bürgermeister, Jurymitglieder oder Projektleitungen) "
                "und keine Telefonnummern."
            )
        if re.search(_OFF_TOPIC, f):
            return "Dazu enthält die Broschüre nichts; sie beschreibt die Modellprojekte Smart Cities 2021."
        return ""
