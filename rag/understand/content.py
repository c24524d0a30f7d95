"""The content terms of a question: what it asks about beyond the entities and the words that frame it.

The words left when entities, question words and framing words are taken out, stemmed ("Nahversorgung" →
"nahversorg"); English words count through their German terms ("Digital Twin" → "digitaler Zwilling"). Words of
a named project's own name or motto, a ranking by size ("die kleinste"), or a plan as a whole ("Maßnahmen",
"Schwerpunkte") are no topic. Also the text retrieval searches with, the thesaurus expansions, the verbs, the
nouns as written, and what a count counts when it is not projects.
"""

from __future__ import annotations

import re

from rag import cues
from rag.german import QUESTION_VERBS, fold, stem, terms
from rag.understand.entities import Entities
from rag.understand.reading import Reading
from rag.understand.text import (
    _verb_stems,
)


class ContentTerms(Entities):
    """Content terms, search text, nouns and what is counted."""

    @property
    def _folded_corpus(self) -> str:
        """The brochure's text, folded, its words separated by single spaces (built on first use)."""
        if self._folded_text is None:
            texts = [p.text for p in self.corpus.projects] + [x.text for x in self.corpus.sections]
            self._folded_text = " " + " ".join(re.findall(r"[a-z]+(?:-[a-z]+)*", fold(" ".join(texts)))) + " "
        return self._folded_text

    def _written_apart(self, rest: str) -> str:
        """Two words written apart that the brochure or the thesaurus knows as one ("home office" -> "homeoffice"); the
        folded text otherwise as it is."""
        def known(word: str) -> bool:
            return word in self._known_words and word not in self._small_words and stem(word) not in self.frame_stems

        # (the words and what follows each: "… home office?" is "home" + "office" and "?")
        words = re.findall(r"([a-z]+|\S+?)(\W*?\s+|\W*$)", rest)
        out, i = [], 0
        while i < len(words):
            (a, gap), (b, end) = words[i], words[i + 1] if i + 1 < len(words) else ("", "")
            # … when the brochure does not use both words itself ("open data" stays as it is written there)
            joinable = gap.strip() == "" and a.isalpha() and b.isalpha() and min(len(a), len(b)) >= 3
            if joinable and not ({a, b} & self._small_words) and known(a + b) and f" {a} {b} " not in self._folded_corpus:
                out.append(a + b + end)
                i += 2
                continue
            out.append(a + gap)
            i += 1
        return "".join(out)

    def _content_terms(self, r: Reading) -> None:
        """The content terms: the words beyond entities and framing, with English words through their German terms."""
        rest = r.ents["rest"][0]
        if (lead := re.match(cues.DISCOURSE_LEAD_IN, rest)) and set(lead.group(1).replace(",", " ").split()) <= cues.DISCOURSE_WORDS:
            rest = rest[lead.end() :]  # "Kurze Frage: spielt Radfahren …?" asks about Radfahren only
        elif lead := re.match(cues.PURPOSE_LEAD_IN, rest):
            rest = rest[lead.end() :]  # "Für einen Artikel: …" says what the answer is for
        english_words = bool(re.search(cues.ENGLISH, r.f))
        # English words (whole questions, or loanwords such as "Digital Twin") count through their German
        # equivalents; an English word that is also a German word of the corpus ("App") stays as it is
        r.loans = [
            (m.group(0), de)
            for en, de, rx in self._glossary
            if (m := rx.search(rest))
            and (english_words or not set(en.split()) <= self.vocabulary)
        ]
        if r.loans:
            rest = f"{rest} {' '.join(de for _, de in r.loans)}"
        if re.search(cues.COUNT, r.fixed):  # "Wie viele wurden am Ende ausgewählt?": no topic "Ende" (but a story's
            rest = re.sub(cues.IN_THE_END, " ", rest)  # "Wer hat am Ende gewonnen?" quotes "Am Ende hat es …")
            rest = re.sub(r"\bverteil\w*", " ", rest)  # "Wie verteilen sich die Projekte auf …?" counts per class
        # "Wer ist in Sachsen dabei?" asks which projects a Land or class has, not who takes part in one project
        selects = bool(r.states or r.categories or r.ents["sizes"]) and not r.projects
        r.participants = bool(re.search(cues.PARTICIPANTS, r.fixed)) and not selects
        if r.participants:
            # what the brochure calls those who take part; "allein" only asks whether there are any
            rest = re.sub(
                r"\b(mit )?im boot\b|\b(alleine?|beteiligt|involviert|getragen|tragt|trager)\b", " ", rest
            ) + " Partner"
        if re.search(cues.SELECTION_PROCESS, r.fixed):
            rest += " Jury Auswahlverfahren"  # "Wer entscheidet …?": who selects is what such a text calls its jury
        if re.search(cues.POPULATION, r.fixed):  # "Leute" are what the brochure counts as Einwohner
            rest = re.sub(r"\b(leute|personen|people)\b", "einwohner", rest)
        for m in re.finditer(cues.ASKER_PLACE, r.text):  # "Ich wohne in NRW – …": where the asker lives is no topic
            if any(self.entities(m.group(3))[k] for k in ("states", "projects", "past")):
                rest = re.sub(rf"\b{fold(m.group(2))}\b", " ", rest)
        rest = re.sub(f"{cues.WANTS_TO_KNOW}|{cues.NOT_EARLIER}|{cues.POINTS_THAT_WAY}|{cues.ASKER_WORKPLACE}", " ", rest)
        rest = self._written_apart(rest)
        rest = re.sub(cues.NARROWING, " ", rest)  # "welche von den zwölf …": the previous list's length is no topic
        rest = re.sub(cues.THE_SIZE_OF_A_SET, r"\1", rest)  # "die zwölf Bewertungskriterien": the criteria
        if r.ents.get("included") or r.ents.get("included_projects"):  # "inklusive der Landkreise", "Kreise bitte mitzählen": the marker is no topic
            rest = re.sub(f"{cues.INCLUSION_WORDS}|{cues.INCLUSION_VERBS}", " ", rest)
        if re.search(cues.RURAL, r.fixed):
            rest += " ländlich"  # "Projekte auf dem Land": the countryside, which "Land" alone (a Bundesland) is not
        # a compound of frame words only ("Smart-City-Modellprojekten") frames the question as they do
        rest = re.sub(
            r"\b\w+(?:-\w+)+\b",
            lambda m: " " if set(terms(m.group(0).replace("-", " "))) <= self.frame_stems else m.group(0),
            rest,
        )
        # a year asked about one project ("Was war 2019 in Konstanz?") is what the question is about, unless it asks
        # about a funding round
        year = len(r.projects) == 1 and not re.search(cues.FUNDING_WORDS, r.f)
        rest_terms = [
            t for t in terms(rest) if t not in self.frame_stems and (not t.isdigit() or (year and re.fullmatch(r"(19|20)\d\d", t)))
        ]
        translated = {t for en, _ in r.loans for t in terms(en)} - {t for _, de in r.loans for t in terms(de)}
        rest_terms = [t for t in rest_terms if t not in translated]
        r.content = tuple(t for t in rest_terms if t not in cues.ATTRIBUTE_STEMS and t not in QUESTION_VERBS)
        if len(r.projects) == 1 and r.content:  # words of the project's own name, title or motto are no topic
            p = self.corpus.project(r.projects[0])
            own = set(terms(f"{p.name} {p.title} {p.motto}"))
            own |= {x for t in own for x in re.split(r"[_.]", t) if len(x) > 2}
            # … unless it is what the question asks for ("Welche Quartierslabore hat X?" with X's motto on them)
            asked_for = re.search(r"\b(?:welche[nrms]?|wie viele|which|what)\s+([a-z][\w-]+)", r.fixed)
            own -= set(terms(asked_for.group(1))) if asked_for else set()
            r.content = tuple(t for t in r.content if t not in own)


    def _narrow_content(self, r: Reading) -> None:
        """Content terms that only rank by size, ask for a plan as a whole or describe named projects are no topic."""
        r.size_rank = ""
        # "kleiner als eine Großstadt" is a bound (read as size classes above), not "the smallest"
        bounded = bool(r.ents["population"]) and not re.search(r"\bam (kleinsten|grossten)\b|\b(kleinste|grosste)", r.fixed)
        if (m := re.search(cues.SIZE_RANK, r.fixed)) and not re.search(cues.SIZE_RANK_ABOUT, r.fixed) and not bounded:
            ranked_terms = set(terms(m.group(0), keep_stopwords=True)) | {"einwohn", "bevolker", "stadt", "kommun"}
            if set(r.content) <= ranked_terms:
                r.size_rank = "smallest" if re.search(r"klein|small", m.group(0)) else "largest"
                r.content = ()
        if len(r.projects) >= 2 and set(r.content) <= self.plan_stems:
            r.content = ()  # "Vergleiche X und Y: Ausgangslage und Schwerpunkte" compares the projects as a whole
        elif len(r.projects) >= 2:
            # "X und Y wollen die Versorgung verbessern. Wie unterscheiden sich ihre Ideen?": the topic is the
            # Versorgung; "Ideen", "Ansätze", "Schwerpunkte" only ask for what each plans on it
            r.content = tuple(t for t in r.content if t not in self.plan_stems)
        if len(r.projects) == 1 and r.content and set(r.content) <= self.plan_stems:
            r.content = ()  # "Welche Maßnahmen will X umsetzen?": what X plans, its summary
        if (
            len(r.projects) >= 2
            and (r.categories or r.ents["sizes"] or r.states)
            and (r.content or not re.search(cues.CLASS_OF_NAMED, r.folded_asked))  # "Welches von X und Y ist …?" asks
            and not re.search(cues.BESIDES, r.f)
            and not re.search(cues.SIMILAR, r.f)
        ):
            records = [self.corpus.project(p) for p in r.projects]
            if all(
                (not (r.categories or r.ents["sizes"]) or p.category in r.categories or p.size_class in r.ents["sizes"])
                and (not r.states or set(p.states) & set(r.states))
                for p in records
            ):  # "Dresden und Hannover, die beiden großen Großstädte, …", "Welche Maßnahmen planen die Großstädte X und
                # Y?": the class and Land only describe them
                r.categories, r.ents["sizes"], r.states = [], [], []
        if r.class_asked and r.content and not re.search(cues.BESIDES, r.f):
            # "Was plant die Großstadt Bochum für Senioren?": a topic; the class only names the city – and a wrong
            # class is corrected before it ("Stimmt es, dass Dresden eine kleinere Großstadt ist und …?")
            r.wrong_class = self._wrong_classes(r.f, r.projects[0], [*r.categories, *r.ents["sizes"]])
            r.attributes, r.categories, r.ents["sizes"] = (), [], []
        # "Wie heißt die Plattform, mit der …": a content word makes "wie heißt" a content question
        if r.attributes == ("title",) and r.content and not re.search(cues.TITLE_WORDS, r.fixed):
            r.attributes = ()
        r.english = len(re.findall(cues.ENGLISH, r.f)) >= 2 and not re.search(r"\b(der|die|das|und|welche|wie|ist)\b", r.f)


    def _search_text(self, r: Reading) -> None:
        """The thesaurus expansions, the verb stems and the text that retrieval searches with."""
        r.expansions = tuple(sorted({x for t in r.content for x in self.thesaurus.related(t)} - set(r.content)))
        r.verb_stems = _verb_stems(r.text)  # … and the corpus words a misspelt verb was corrected to
        r.verb_stems |= {t for typed, right in r.fixes if set(terms(typed)) & r.verb_stems for t in terms(right)}
        r.search_text = r.text
        if r.fixes:
            r.search_text += " " + " ".join(right for _, right in r.fixes)
        if r.loans:
            r.search_text += " " + " ".join(dict.fromkeys(de for _, de in r.loans))
        if r.participants:  # retrieval searches with the brochure's words for them too ("Akteure & Stakeholder")
            r.search_text += " Partner Akteure"
        if r.carried:
            r.search_text += " " + r.carried


    def _nouns_and_counted(self, r: Reading) -> None:
        """The nouns as written and their stems, and what a count question counts when it is not projects."""
        # capitalised words are nouns, except the finite verb that opens a yes/no question ("Taucht X auf?")
        opening = {
            m.group(1)
            for m in re.finditer(r"(?:^|[.!?:]\s+)([A-ZÄÖÜ][a-zäöüß]+)\b[^.!?]*\?", r.text)
            if re.search(r"(t|en)$", m.group(1)) and not any(self.entities(m.group(1))[k] for k in ("projects", "states", "past"))
        }
        r.written = tuple(dict.fromkeys(w for w in re.findall(r"\b[A-ZÄÖÜ][\w-]+", r.text) if w not in opening))
        r.nouns = tuple(dict.fromkeys(t for w in r.written for t in terms(w)))
        # a message in lower case is read in its corrected form ("wiviele bewerbungn" -> "wie viele bewerbungen")
        r.counted = self._counted(r.text if re.search(r"[A-ZÄÖÜ]", r.text) else r.fixed, r.projects) if r.intent == "count" and not r.same_selection else ""
        r.measures = bool(r.counted and re.search(cues.MEASURE_NOUNS, r.counted.split()[0]))  # "Wie viele Maßnahmen …?"
        if r.counted and r.projects and (re.search(cues.PART_NOUNS, r.counted) or r.measures):
            # "Wie viele Gemeinden hat X?": a framing word elsewhere, here what X's text must name
            r.content += tuple(t for t in terms(r.counted) if t not in r.content)
