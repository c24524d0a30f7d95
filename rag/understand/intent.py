"""What kind of answer a question wants: its intent (list, count, lookup, open, compare, similar) and the
intents to fall back to, what a count counts when it is not projects ("Wie viele Bewerbungen …?"), the criteria
it names by number or by their group's words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag import cues
from rag.german import STOPWORDS, fold, terms
from rag.understand.entities import Entities
from rag.understand.reading import Reading
from rag.understand.text import (
    last_turn,
    question_language,
)


class Intents(Entities):
    """The intent of a question and what it counts or names of the criteria."""

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
        unquoted = re.sub(r"[„\"“][^„\"“”]{2,}[“”\"]", " ", f)  # a quoted motto is no self-description
        similar = [m.group(0) for m in re.finditer(cues.SIMILAR, unquoted)]
        self_only = all(re.search(cues.SIMILAR_SELF_ONLY, m) for m in similar)
        asks = re.search(cues.ASKS_FOR_PROJECT, f) or re.search(r"projekt|project|\bwer\b|\bwo\b", f)
        # "Wer will anzeigen, wie viel CO2 man verursacht?": a "wie viel" clause inside another question asks no count
        counts = bool(re.search(cues.COUNT, re.sub(cues.INDIRECT_COUNT, " ", f)))
        if similar and not counts and (asks or not self_only):
            return "similar"
        if len(projects) >= 2 and re.search(cues.COMPARE, f):
            return "compare"
        if counts:
            return "count"
        if projects and attributes:
            return "lookup"
        if (
            len(projects) >= 2
            and content
            and not (categories or states or sizes)
            and not re.search(f"{cues.COUNT}|{cues.WHICH_OF}|{cues.BESIDES}", f)
        ):
            return "compare"  # "Was machen Kempten und Konstanz im Bereich Energie?": each on the topic
        if projects and not content and not (categories or states or sizes):
            return "lookup"  # "Welche Maßnahmen plant X?": about the named project itself
        if re.search(cues.LIST, f) and (categories or states or sizes or not content):
            return "list"
        if projects and not content:
            return "lookup"
        if (categories or states or sizes) and not content:
            return "list"
        return "open"

    @staticmethod
    def _alternatives(intent: str, projects: list[str], content: tuple[str, ...]) -> tuple[str, ...]:
        """Intents the answer layer may fall back to when the first one finds no evidence."""
        if intent in ("list", "count") and content:
            return ("open",)
        if intent == "lookup" and content:
            return ("open",)
        if intent == "compare" and len(projects) < 2:
            return ("open",)
        return ()

    def _counted(self, text: str, projects: Sequence[str] = ()) -> str:
        """The noun a count question counts, folded ("bewerbungen"), or "" when it counts projects (also
        "wie viele davon", "wie viele in Bayern", a category or a Land).

        The first capitalised word after "wie viele" is taken as the noun; in English the first word. Asked
        of a named project, places are parts of it ("Wie viele Gemeinden hat der Landkreis Kusel?"), not
        projects — unless the question counts besides it ("Wie viele Städte außer Guben …?")."""
        m = re.search(cues.COUNT_WORDS, text)
        if not m:
            return ""
        within = bool(projects) and not re.search(cues.BESIDES, fold(text))
        english = question_language(text) == "en"
        window = re.findall(r"[\wÄÖÜäöüß-]+", m.group(3))[:5]
        if english:  # adjectives come first ("how many small towns"): the window names a category or not
            ents = self.entities(" ".join(window[:3]))
            if any(re.search(cues.PROJECT_NOUNS, fold(w)) for w in window[:3]) or any(
                ents[k] for k in ("states", "projects", "categories", "sizes", "past")
            ):
                return ""
        lower = not re.search(r"[A-ZÄÖÜ]", text)  # "wie viele bewerbungn gabs": no capitals to tell nouns by
        for i, word in enumerate(window):
            w = fold(word)
            read = self.entities(word) if lower else None  # in lower case a class word is no part of the project
            as_part = word[:1].isupper() or (read is not None and not any(read[k] for k in ("categories", "sizes", "projects")))
            if within and as_part and re.search(cues.PART_NOUNS, w):
                return w
            if re.search(cues.PROJECT_NOUNS, w):
                return ""
            ents = read if read is not None else self.entities(word)
            if any(ents[k] for k in ("states", "projects", "categories", "sizes", "past")):
                return ""
            if self.entities(" ".join(window[i : i + 2]))["sizes"]:
                return ""  # the adjective of a size class written as a name ("Wie viele Kleinere Großstädte …?")
            if lower and not english:  # only the word right after "wie viele" can be what is counted
                return w if i == 0 and w not in STOPWORDS else ""
            if word[:1].isupper() or (english and w not in STOPWORDS and w not in ("of", "the", "funded")):
                return w  # a German noun, or the first word of an English question
        return ""

    def _named_group(self, question: str) -> str:
        """The criteria group whose distinctive words the question uses ("Gruppe Einbezug der Akteure")."""
        asked = set(terms(question))
        best, score = "", 0
        for g in self.criteria_groups:
            words = {t for t in terms(g) if len(t) >= 5}
            overlap = len(asked & words)
            if overlap >= min(2, len(words)) and overlap > score:  # one shared word ("lokal") is not enough
                best, score = g, overlap
        return best

    @staticmethod
    def _criteria_numbers(f: str, history: list[dict[str, str]] | None, projects: list[str]) -> tuple[int, ...]:
        """The Bewertungskriterien a question names by number ("K7", "Kriterium 7"); after a question about the
        criteria also a short "Was heißt Nummer 11?" / "und Punkt 3?".

        >>> Intents._criteria_numbers("was bedeutet nummer 11", [{"role": "user", "content": "Welche Kriterien gab es?"}], [])
        (11,)
        >>> Intents._criteria_numbers("was bedeutet nummer 11", [{"role": "user", "content": "Welche Projekte gibt es?"}], [])
        ()
        """
        found = {int(a or b) for a, b in re.findall(cues.CRITERION_NUMBER, f)}
        previous = last_turn(history)
        if not found and previous and not projects and len(f) < 80 and re.search(cues.CRITERIA, fold(previous)):
            found = {int(n) for n in re.findall(r"\b(?:nummer|nr\.?|punkt|number|no\.?)\s*(\d{1,2})\b", f)}
        return tuple(sorted(n for n in found if 1 <= n <= 12))

    def _choose_intent(self, r: Reading) -> None:
        """The intent, after the round's motto and a selection by several Länder are read."""
        round_motto = re.search(cues.THE_ROUND, r.fixed) and not re.search(r"\bmottos\b|\bprojekt", r.fixed)
        if "motto" in r.attributes and not (r.projects or r.categories or r.states or r.ents["sizes"] or r.ents["past"]) and round_motto:
            # "Unter welchem Motto stand die Förderrunde?": the round's motto is its Leitthema, not the projects' mottos
            r.attributes = tuple(a for a in r.attributes if a != "motto")
            r.content = (*r.content, *terms("Leitthema"))
        multi = re.search(cues.MULTI_STATE, r.fixed)
        r.multi_state = bool(multi) and not r.projects and not r.states and not re.search(cues.COUNTS_LAENDER, r.fixed)
        if multi and r.multi_state:  # a selection by the records: its own words are no topic, the rest may be one
            said = set(terms(multi.group(0))) | set(terms(" ".join(re.findall(cues.MULTI_STATE_VERBS, r.fixed))))
            r.content = tuple(t for t in r.content if t not in said)
        r.intent = self._intent(r.fixed, r.projects, r.categories, r.states, r.attributes, r.ents["sizes"], r.content)
        if r.multi_state and not r.content and r.intent not in ("count", "unanswerable"):
            r.intent = "list"
        # the asking sentence has words of its own ("Welche Projekte nennen Einsamkeit …?"), not only a pointer back
        # to the preamble ("Ich frage mich, wie viele Einwohner X hat. Weißt du das?")
        r.own_question = bool(set(terms(r.asked_part)) & set(r.content)) or re.search(cues.ASKS_FOR_PROJECT, r.asked_normal)
        if r.intent == "count" and r.told and r.own_question and not re.search(cues.COUNT, r.asked_normal):
            # "Ich erlebe, wie viele Ältere vereinsamen. Welche Projekte …?": the count is the preamble's, not asked
            r.intent = self._intent(r.asked_normal, r.projects, r.categories, r.states, r.attributes, r.ents["sizes"], r.content)
