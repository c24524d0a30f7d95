"""Follow-up questions: everything that reads the conversation before the question.

The previous question and its list ("Lass Hannover weg.", "Nimm Guben noch dazu."), the projects the last answer
named ("die zweite davon", "die bayerische Gemeinde", "die andere, also nicht Linz"), an item of an enumerated
answer ("Was passiert beim dritten Schritt?"), and the entities of the most recent turn that has any.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rag import cues
from rag.german import fold, stem, terms
from rag.items import (
    GENERIC_ITEM_NOUNS,
    LAST,
    ORDINAL_PHRASE,
    at,
    item_position,
    label_series,
    nth_item,
    scheme_item,
    with_item,
)
from rag.types import CATEGORIES
from rag.understand.entities import Entities
from rag.understand.names import _all_but, in_selection
from rag.understand.query import Query
from rag.understand.reading import Reading
from rag.understand.text import (
    MAX_QUESTION_CHARS,
    last_turn,
)


class FollowUps(Entities):
    """What the conversation before the question says it refers to."""

    def _previous_question(self, history: list[dict[str, str]]) -> Query | None:
        """The last user question, read with the turns before it (so that a chain of follow-ups keeps the first one's
        attribute or topic); None without one."""
        at = max((i for i, t in enumerate(history) if t.get("role") == "user"), default=-1)
        asked_before = str(history[at].get("content") or "") if at >= 0 else ""
        return self._parse(asked_before[:MAX_QUESTION_CHARS], history[:at]) if asked_before else None

    def _previous_list(self, history: list[dict[str, str]], topics: bool = False) -> Query | None:
        """The previous user question when it asked for a list or count of a selection (a class, Land or size), or
        with ``topics`` also for the projects that do something ("Welche Projekte setzen auf KI?")."""
        previous = last_turn(history)
        if not previous or len(previous) > 300:
            return None
        before = self._parse(previous)
        topic = topics and before.asks_for_project and bool(before.content_terms) and not before.projects
        if before.parts or not (topic or (before.intent in ("list", "count") and (before.categories or before.states or before.size_classes))):
            return None
        return before

    def _adds_to_previous(
        self, text: str, folded: str, ents: dict[str, list[str]], history: list[dict[str, str]]
    ) -> Query | None:
        """A short message that adds to the previous list ("Und die aus Sachsen-Anhalt auch noch?", "Nimm Guben
        noch dazu.", "Zähl die Kleinstädte mit dazu."): the previous question with the addition, else None. A Land
        added to a list of Länder (or a class to a list of classes) widens that part of the selection; anything else
        ("Und Hessen zusätzlich?" after the Großstädte) is listed after the selection as it stands. A question of
        its own ("Was plant Guben noch dazu?", "Gibt es auch noch Kleinstädte?") adds nothing."""
        if len(text) > 120 or ents["excluded_projects"] or ents["past"]:
            return None
        instructed = re.search(cues.ADD_VERB, folded) and re.search(r"\b(dazu|mit|hinzu|rein|auch)\b", folded)  # "Nimm noch X dazu"
        elliptic = re.match(r"\W*und\b", folded) and not re.search(cues.OWN_QUESTION_WORD, folded)
        if not (instructed or (elliptic and re.search(cues.ADDS_TO_PREVIOUS, folded))):
            return None
        categories = [*ents["categories"], *(c for c in ents["included"] if c not in ents["categories"])]
        states, sizes, named = ents["states"], ents["sizes"], ents["projects"]
        if not (categories or states or sizes or named) or (named and (categories or states or sizes)):
            return None
        before = self._previous_list(history)
        if before is None:
            return None
        if states and not (categories or sizes) and before.states:  # "Und Sachsen-Anhalt auch noch?" after Länder
            return replace(before, states=tuple(dict.fromkeys((*before.states, *states))))
        if categories and not (states or sizes) and before.categories:  # "Zähl die Kleinstädte mit" after classes
            return replace(before, categories=tuple(dict.fromkeys((*before.categories, *categories))))
        if sizes and not (states or categories) and before.size_classes:
            return replace(before, size_classes=tuple(dict.fromkeys((*before.size_classes, *sizes))))
        added = named or [p.name for p in self.corpus.projects if in_selection(p, categories, states, sizes)]
        return replace(before, also_projects=tuple(dict.fromkeys((*before.also_projects, *added))))

    def _leaves_out_of_previous(
        self, text: str, ents: dict[str, list[str]], history: list[dict[str, str]], attributes: tuple[str, ...] = ()
    ) -> Query | None:
        """A message that only leaves something out ("Hildesheim bitte raus.", "Und ohne die aus NRW?"), after
        a list question: that question's selection without it, else None. An attribute the message asks for is
        asked of those that remain ("Und ohne Bochum – wie lauten die Mottos der übrigen?")."""
        leaves_out = ents["excluded_projects"] or ents["excluded_states"] or ents["excluded"]
        own = ents["projects"] or ents["states"] or ents["categories"] or ents["sizes"] or ents["past"]
        if not leaves_out or own or len(text) > 120:
            return None
        before = self._previous_list(history, topics=True)
        if before is None:
            return None
        states, categories = list(before.states), list(before.categories)
        return replace(
            before,
            states=tuple(_all_but(states, self.funded_states, ents["excluded_states"]) if ents["excluded_states"] else states),
            categories=tuple(_all_but(categories, list(CATEGORIES), ents["excluded"]) if ents["excluded"] else categories),
            excluded_states=tuple(dict.fromkeys((*before.excluded_states, *ents["excluded_states"]))),
            excluded_categories=tuple(dict.fromkeys((*before.excluded_categories, *ents["excluded"]))),
            excluded_projects=tuple(dict.fromkeys((*before.excluded_projects, *ents["excluded_projects"]))),
            attributes=tuple(dict.fromkeys((*before.attributes, *attributes))),
        )

    def _ordinal(self, f: str, history: list[dict[str, str]]) -> str | None:
        """The project an ordinal points to ("die erste davon", "das letzte Projekt", "the second one") in the
        most recent answer that lists several projects, in the order that answer names them."""
        m = re.search(cues.ORDINAL, f)
        # "die zweite davon", "das letzte Projekt"; else any ordinal after an article ("Was hat die zweite vor?")
        position = (
            (LAST if m.group(1) in ("letzte", "last") else cues.ORDINALS.index(m.group(1)) % 5 + 1)
            if m
            else item_position(f)
        )
        if position is None:
            return None
        for turn in reversed(history[-8:]):
            if turn.get("role") != "assistant":
                continue
            named = self.entities(str(turn.get("content") or "")[: MAX_QUESTION_CHARS * 4])["projects"]
            if len(named) >= 2:
                return at(named, position) or None
        return None

    def _previous_item(self, history: list[dict[str, str]], position: int, asked: str = "") -> tuple[str, str] | None:
        """(project, item) for the item at ``position`` of the most recent answer that enumerates something
        about one project; the item's own project when it names one ("3. Hannover – …"); ("", item) for a
        general list (the criteria); None when the answer was about several projects."""
        for turn in reversed(history[-8:]):
            content = str(turn.get("content") or "")[: MAX_QUESTION_CHARS * 4]
            if turn.get("role") != "assistant" or not (item := nth_item(content, position)):
                continue
            named = self.entities(fold(item))["projects"]
            if len(named) == 1:
                return named[0], item
            prev = self._from_history(history)
            if prev and len(prev["projects"]) == 1:
                return prev["projects"][0], item
            return ("", item) if not (prev and prev["projects"]) else None
        # no earlier answer enumerates anything: the numbered scheme of the one project talked about ("Was ist
        # #SNZ?" – "… #SNZ1 bis #SNZ7 …" – "Was macht Nr. 4?"), unless the question names something else ("das
        # zweite Fokusthema" of a scheme of steps, "die Nummer 1 beim Klimaschutz")
        prev = self._from_history(history)
        if prev and len(prev["projects"]) == 1 and asked:
            project = prev["projects"][0]
            said = " ".join(str(t.get("content") or "") for t in history[-4:])
            item = scheme_item(self.corpus.project(project).text, said, position)
            series = label_series(re.split(r"(?<=\d)\b", item, maxsplit=1)[0]) if item else ""
            if item and self._asks_for_item(asked, series, project):
                return project, item
        return None

    def _asks_for_item(self, asked: str, series: str, project: str) -> bool:
        """Does a question with an ordinal ask only for an item of the scheme ``series``: the noun after the
        ordinal is the series' own or a generic one ("Nummer", "Punkt", "Baustein"), and no other noun is named?"""
        phrase = ORDINAL_PHRASE.search(asked)
        noun = re.findall(r"\b[A-ZÄÖÜ][\w-]*$", phrase.group(0).strip()) if phrase else []  # as written: a noun
        said = stem(fold(noun[0])) if noun else ""
        own = {stem(fold(w)) for w in re.findall(r"[^\W\d_]+", series)}
        if said and said not in own | GENERIC_ITEM_NOUNS and not re.fullmatch(r"\w*(erst|zweit|dritt|viert|funft|sechst|siebt|letzt)\w*", said):
            return False  # "das zweite Fokusthema" is no "Schritt 2"
        rest = asked[: phrase.start()] + " " + asked[phrase.end() :] if phrase else asked
        named = set(re.findall(r"[a-z]+", fold(project)))
        others = [w for w in re.findall(r"\b[A-ZÄÖÜ][\w-]+", rest) if fold(w) not in self._small_words | named]
        return not others  # "Wer ist die Nummer 1 beim Klimaschutz?": a topic of its own

    def _picked_from_answer(
        self, f: str, history: list[dict[str, str]], categories: list[str], states: list[str], sizes: list[str]
    ) -> str:
        """The one project of the previous answer that "die bayerische Gemeinde" / "die Stadt in Sachsen" means: it
        fits the Land and class, and the noun when more fit ("Gemeinde", "Kreis" or "Stadt"); "" if none or many."""
        m = re.search(cues.DEFINITE_PLACE, f)
        if not m:
            return ""
        # the pointing phrase itself names the Land or class ("die bayerische Gemeinde", "die Stadt in Sachsen"), not
        # just "die Region" in a new list question ("Welche Projekte in Brandenburg stärken die Region?")
        after = re.match(r"\s+(in|aus) (dem |der )?[\w-]+", f[m.end() :])
        span = m.group(0) + (after.group(0) if after else "")
        if not any(self.entities(span)[k] for k in ("states", "categories", "sizes")):
            return ""
        fits = [p for p in map(self.corpus.project, self._last_answer_projects(history)) if in_selection(p, categories, states, sizes)]
        if len(fits) > 1:
            noun = m.group("noun")
            district = noun in ("kreis", "landkreis", "region")
            fits = [p for p in fits if fold(noun) in fold(p.name).split()] or [
                p for p in fits if (p.category == CATEGORIES[3]) == district
            ]
        return fits[0].name if len(fits) == 1 else ""

    @staticmethod
    def _elliptic(r: Reading) -> bool:
        """A question of at most three words that asks for no project ("Wie viele Einwohner?", "Und Drohnen?"):
        about what the conversation is about."""
        return len(r.f.split()) <= 3 and not re.search(r"\b(wer|welche\w*|which|who|was fur)\b", r.f)

    def _last_answer_projects(self, history: list[dict[str, str]]) -> list[str]:
        """The projects the assistant's most recent answer names, in the order it names them."""
        answer = last_turn(history, "assistant")
        return self.entities(answer[: MAX_QUESTION_CHARS * 4])["projects"]

    def _located_in(self, history: list[dict[str, str]], states: list[str]) -> list[str]:
        """Of the two or more projects the last answer names, those in ``states`` – if that leaves out some."""
        named = self._last_answer_projects(history)
        there = [p for p in named if set(self.corpus.project(p).states) & set(states)]
        return there if len(named) >= 2 and 0 < len(there) < len(named) else []

    def _pair_in_answers(self, history: list[dict[str, str]]) -> tuple[list[str], str]:
        """The projects "the other one" chooses from, and the one it is not: the two of the most recent answer; or,
        when that answer names one, an earlier answer's two that include it ("Die großen Großstädte sind Dresden und
        Hannover." – "Hannovers Motto …" – "und das von der anderen?" → Dresden and Hannover, not Hannover)."""
        answers = [str(t.get("content") or "")[: MAX_QUESTION_CHARS * 4] for t in history if t.get("role") == "assistant"]
        last = self.entities(answers[-1])["projects"] if answers else []
        if len(last) == 1:
            for earlier in reversed(answers[-4:-1]):
                pair = self.entities(earlier)["projects"]
                if len(pair) == 2 and last[0] in pair:
                    return pair, last[0]
        return last, ""

    def _last_two_named(self, history: list[dict[str, str]]) -> list[str]:
        """The projects of the most recent answers that each name one, until there are two, latest last; [] if fewer."""
        named: list[str] = []
        for turn in reversed(history[-8:]):
            if turn.get("role") != "assistant":
                continue
            found = self.entities(str(turn.get("content") or "")[: MAX_QUESTION_CHARS * 4])["projects"]
            if len(found) != 1:
                break
            if found[0] not in named:
                named.insert(0, found[0])
            if len(named) == 2:
                return named
        return []

    def _from_history(
        self, history: list[dict[str, str]], plural: bool = False, narrowing: bool = False
    ) -> dict[str, list[str]] | None:
        """Entities of the most recent turn that has any: the assistant's answer when it names a few
        projects (all of a listed answer when the question points back in the plural), else the user's.
        A narrowing question ("wie viele davon …") narrows the user's previous selection."""
        for turn in reversed(history[-8:]):
            content = str(turn.get("content") or "")
            if not content:
                continue
            ents = self.entities(content[: MAX_QUESTION_CHARS * 4])
            if turn.get("role") == "assistant":
                if not narrowing and 1 <= len(ents["projects"]) <= (12 if plural else 2):
                    return {"projects": ents["projects"], "categories": [], "states": []}
                continue
            if ents["projects"] or ents["categories"] or ents["states"]:
                return ents
        return None

    def _negated_project(self, f: str, project: str) -> bool:
        """Is the project named after "nicht" / "not" ("also nicht Linz")?"""
        return any(re.search(rf"\b(nicht|not|kein)\s+(?:\w+\s+)?{re.escape(a)}(?![\w-])", f) for a in self._names_of.get(project, []))

    def _changes_previous_list(self, r: Reading) -> Query | None:
        """A message that only leaves something out of the previous list or adds to it: that list so changed, else None."""
        if r.history and (narrowed := self._leaves_out_of_previous(r.text, r.ents, r.history, r.attributes)) is not None:
            # "Lass Hannover weg.", "Und ohne die aus NRW?" after a list: the previous question, with this left out
            return replace(narrowed, followup=True, refers_back=True, injection=r.injection, truncated=r.truncated)
        if r.history and (widened := self._adds_to_previous(r.text, r.f, r.ents, r.history)) is not None:
            # "Nimm die Mittelstädte aus Niedersachsen noch dazu." after a list: the previous selection and this
            return replace(widened, followup=True, refers_back=True, injection=r.injection, truncated=r.truncated)
        return None


    def _points_back(self, r: Reading) -> None:
        """Whether the question points back: the other one of a pair, a narrowing, an ordinal, a pronoun."""
        r.followup = False
        if (
            r.history
            and re.search(cues.OTHER_ONE, r.f)
            and all(self._negated_project(r.f, p) for p in r.projects)
        ):
            # "Und die andere, also nicht Linz?" after an answer about two projects: the one not named now (a project
            # named without "nicht" is the subject: "Was plant Kusel, was der andere Kreis nicht plant?")
            named, just = self._pair_in_answers(r.history)
            other = [n for n in named if n not in r.projects and n != just]
            if len(named) == 2 and len(other) == 1:
                r.projects, r.followup = other, True
        r.bare = not r.projects and not r.categories and not r.states and not r.ents["past"]
        narrows = re.search(cues.NARROWING, r.f)
        r.narrowing = bool(narrows)  # "welche davon …": combine with the previous question
        if narrows and (by_length := re.fullmatch(rf"(?:von|unter) (?:den|diesen) {cues.HOW_MANY_LISTED}", narrows.group(0))):
            # "welche von den zwölf …" points to the previous list only if it had twelve ("unter den 94 Bewerbungen")
            listed = len(self._last_answer_projects(r.history)) if r.history else 0
            r.narrowing = _number(by_length.group(1)) == listed
        if r.history and not r.narrowing and len(r.f.split()) <= 8 and re.search(cues.ONLY_THOSE, r.f):
            r.narrowing = len(self._last_answer_projects(r.history)) >= 2  # "Nur die Großstädte bitte." after a list
        r.refers_back = bool(re.search(cues.FOLLOWUP, re.sub(cues.NOT_BACK, " ", r.f)) or r.narrowing or re.search(cues.PRONOUN, r.text))
        r.short = len(r.f.split()) <= 4 and not r.content
        r.nth = self._ordinal(r.f, r.history) if r.history and r.bare else None


    def _item_asked(self, r: Reading) -> Query | None:
        """An item of an enumerated earlier answer asked for by its position, read in its own words; else None."""
        if r.history and r.bare and not r.nth and (position := item_position(r.f)) is not None:
            # "Was passiert beim dritten Projekt?" after an answer that lists one project's measures: that item
            found = self._previous_item(r.history, position, r.text)
            if found and not found[0]:  # an item of a general list (criteria, steps): asked about in its own words
                again = self._parse(with_item(r.text, found[1]))
                return replace(again, followup=True, refers_back=True, injection=r.injection, truncated=r.truncated)
            if found:  # the item's words are what is asked about; they name no entity ("Allgäu-Metropole")
                project, item = found
                again = self._parse(f"{with_item(r.text, item)} ({project})")
                own = set(terms(f"{project} {self.corpus.project(project).title}"))
                words = tuple(t for t in terms(item) if t not in own and t not in self.frame_stems)
                return replace(
                    again,
                    intent="open" if words else again.intent,
                    attributes=() if words else again.attributes,
                    content_terms=tuple(dict.fromkeys((*again.content_terms, *words))),
                    search_text=f"{again.retrieval_text} {item}",
                    followup=True,
                    refers_back=True,
                    injection=r.injection,
                    truncated=r.truncated,
                )
        return None


    def _same_as_previous(self, r: Reading) -> bool:
        """"Welche Projekte gibt es noch in dem Bundesland?", "… in der gleichen Klasse?" after an answer on one project:
        the projects of its Land (or its size class), without it when the question asks for the others."""
        if not r.history or r.projects or r.states or r.categories or r.ents["sizes"]:
            return False
        land = re.search(cues.THAT_LAND, r.f) or (re.search(r"\bdort\b", r.f) and re.search(cues.THE_OTHERS, r.f))
        said = land or re.search(cues.THAT_CLASS, r.f)
        if not said or not re.search(f"{cues.ASKS_FOR_PROJECT}|{cues.THE_OTHERS}|{cues.COUNT}", r.f):
            return False
        phrase = set(terms(said.group(0)))
        if set(r.content) - phrase:
            return False  # a topic of its own ("Wer macht dort noch etwas mit Energie?")
        prev = self._from_history(r.history, plural=False, narrowing=False)
        if not prev or len(prev["projects"]) != 1:
            return False
        r.content = tuple(t for t in r.content if t not in phrase)  # "Klasse" is no topic here
        project = self.corpus.project(prev["projects"][0])
        if land:
            r.states = list(project.states)
        else:
            r.ents["sizes"] = [project.size_class]
        if re.search(rf"{cues.THE_OTHERS}|\bnoch\b|\bausser\b", r.f):
            r.ents["excluded_projects"] = [project.name]
        r.followup = r.same_selection = True
        return True

    def _inherit_entities(self, r: Reading) -> None:
        """Projects, classes and Länder taken from the conversation when the question names none or narrows."""
        prev_entities = False
        r.among = []
        if self._same_as_previous(r):
            return
        # "davon nur die größeren?", "Und nur die kleineren?": a size class of the category asked about before
        half = re.search(cues.LARGER_OR_SMALLER, r.f) if not (r.projects or r.ents["sizes"]) else None
        if r.nth:  # "Was plant die zweite davon?": that project of the last listed answer
            r.projects, r.followup = [r.nth], True
        elif r.history and r.content and r.states and not r.projects and re.search(cues.THE_ONE_IN, r.f) and (
            located := self._located_in(r.history, r.states)
        ):
            # "Womit soll die im Norden angetrieben werden?" after an answer naming Linz and Schleswig-Flensburg: the
            # one of them in that part of the country, asked about; the Länder only point to it
            r.projects, r.states, r.followup = located, [], True
        elif r.history and r.narrowing and re.search(cues.ALL_OF_THEM, r.f) and (r.categories or r.states or r.ents["sizes"]):
            # "Welche von all denen sind Landkreise?" after several answers: among every project they named
            answers = [str(t.get("content") or "") for t in r.history if t.get("role") == "assistant"]
            r.among = list(dict.fromkeys(p for a in answers for p in self.entities(a[: MAX_QUESTION_CHARS * 4])["projects"]))
            prev_entities = r.followup = True
        elif r.history and (r.narrowing or (r.bare and (r.refers_back or r.short or r.attributes or half or self._elliptic(r)))) and not re.search(cues.PER_CLASS, r.f):
            # ("Und die anderen Kategorien, wie viele sind es da jeweils?" asks about the classes, not the projects before)
            plural = bool(re.search(r"\b(die beiden|beide|beiden|diese projekte|die projekte|sie|they|them|die)\b", r.f))
            prev = self._from_history(r.history, plural=plural, narrowing=r.narrowing or bool(half))
            two_projects = re.search(cues.BOTH, r.f) and not re.search(cues.BOTH_OF_OTHER, r.text)
            if prev and len(prev["projects"]) == 1 and two_projects:
                # "Welche der beiden ist größer?" after one answer on Regensburg and one on Würzburg: those two
                prev = {**prev, "projects": self._last_two_named(r.history) or prev["projects"]}
            prev_entities = bool(prev)
            if prev:
                r.projects = r.projects or prev["projects"]
                r.categories = r.categories or prev["categories"]
                r.states = r.states or prev["states"]
                r.followup = True

        inherited_only_projects = prev_entities and not (r.categories or r.states) and len(r.projects) >= 2
        if (
            r.history
            and r.bare
            and (not prev_entities or inherited_only_projects)
            and r.refers_back
            and not r.content
            and re.search(cues.COUNT, r.f)
            and not re.search(f"{cues.PER_CLASS}|jeweils", r.f)
        ):
            # "Wie viele sind das?" after a list found by topic: the projects it named
            named = self._last_answer_projects(r.history)
            if len(named) >= 2:
                r.among, r.projects, r.followup = named, [], True
        if r.narrowing and r.history and not prev_entities and (r.categories or r.states or r.ents["sizes"]) and not r.size_rank:
            # "Welche davon liegen in Bayern?" after a list found by topic: a selection among what was named
            r.among = self._last_answer_projects(r.history)
            r.followup = r.followup or len(r.among) >= 2
        if r.categories and not r.ents["sizes"] and not r.projects and half:
            # "Welche Mittelstädte …?" – "davon nur die größeren?": the larger size class of each category
            r.ents["sizes"] = self._size_half(r.categories, larger=half.group(1).startswith("gross"))
            r.content = tuple(t for t in r.content if t not in terms(half.group(0)))  # the comparative is no topic


    def _picked_from_previous(self, r: Reading) -> None:
        """The rest of a selection, the project just answered, one picked from the last answer, or the rest to compare with."""
        rest_of_selection = False
        if r.history and not r.projects and not r.narrowing and (r.categories or r.states or r.ents["sizes"]) and (
            besides := re.search(cues.THE_OTHER_PLACES, r.f)
        ):
            # "Welche Großstädte aus Bayern …?" – "und die anderen aus Bayern?": the selection without those just named
            pool = [p.name for p in self.corpus.projects if in_selection(p, r.categories, r.states, r.ents["sizes"])]
            named = [n for n in self._last_answer_projects(r.history) if n in pool]
            asked_else = [t for t in r.content if t not in terms(besides.group(0))]  # "mit anderen Kommunen teilen": a topic
            if named and len(named) < len(pool) and not asked_else:
                r.ents["excluded_projects"] = [*r.ents["excluded_projects"], *(n for n in named if n not in r.ents["excluded_projects"])]
                r.content = ()  # "weiteren" is no topic
                rest_of_selection = r.followup = True
        if r.history and r.states and not (r.projects or r.categories or r.ents["sizes"]) and re.search(cues.CLAIM_ABOUT_IT, r.f):
            # "Was plant Oberhausen?" – "Das liegt doch in Bayern, oder?": a claim about the project just answered
            prev = self._from_history(r.history)
            if prev and len(prev["projects"]) == 1:
                r.projects, r.attributes, r.followup = list(prev["projects"]), ("states",), True
        if r.history and not r.projects and not r.narrowing and not rest_of_selection and (r.categories or r.states or r.ents["sizes"]):
            # "Was hat die bayerische Gemeinde da vor?" after an answer that named several projects: the one of them
            # that the Land or class picks out, not every project of that Land
            one = self._picked_from_answer(r.f, r.history, r.categories, r.states, r.ents["sizes"])
            if one:
                r.projects, r.categories, r.states, r.ents["sizes"], r.followup = [one], [], [], [], True
        if r.size_rank and r.narrowing and r.history and not (r.categories or r.states):
            # "Welche davon ist die größte?" after a list found by topic: the projects that answer named
            named = self._last_answer_projects(r.history)
            if len(named) >= 2:
                r.projects, r.followup = named, True
        if len(r.projects) == 1 and (r.categories or r.states) and re.search(cues.COMPARE, r.fixed):
            # "Wie unterscheidet sich Guben von der anderen Kleinstadt?": compared with the rest of the selection
            others = [p.name for p in self.corpus.projects if p.name not in r.projects and in_selection(p, r.categories, r.states)]
            if 1 <= len(others) <= 4:
                r.projects, r.categories, r.states = [*r.projects, *others], [], []


    def _previous_topic(self, r: Reading) -> None:
        """The attribute or topic of the previous question that an elliptic follow-up or a pointer back carries over."""
        r.funded_before = False  # the previous question asked whether its place was funded in the round
        if r.history and r.projects and not (r.attributes or r.content) and len(r.f.split()) <= 6 and re.search(cues.ELLIPTIC, r.f):
            # "Wie lautet das Motto von Guben?" – "Und das von Linz?": the previous question's attribute and topic
            before = self._previous_question(r.history)
            if before is not None and (before.attributes or before.content_terms) and not before.parts:
                r.attributes, r.content, r.followup = before.attributes, before.content_terms, True
            elif before is not None and before.asks_funded:  # "Wurde Ulm 2021 gefördert?" – "Und Konstanz?"
                r.funded_before = r.followup = True
        r.carried = ""  # the words of an earlier question whose topic this one asks about
        if r.history and 1 <= len(r.projects) <= 2 and not r.attributes and (pointer := re.search(cues.POINTS_TO_PREVIOUS_TOPIC, r.f)):
            # "Welche Projekte planen einen digitalen Zwilling?" – "Was will Kempten damit machen?": what the named
            # project says about the thing asked about before, not its profile
            before = self._previous_question(r.history)
            if before is not None and before.content_terms and not before.projects and not before.attributes:
                pointer_words = set(terms(pointer.group(0)))
                asked_too = [t for t in r.content if t not in pointer_words and t not in before.content_terms]
                if len(asked_too) <= 1:  # "…, damit die Bürger die Energiewende erleben?" asks a topic of its own
                    r.content, r.followup, r.carried = (*before.content_terms, *asked_too), True, before.retrieval_text


_NUMBER_WORDS = {w: n for n, w in enumerate("zwei drei vier funf sechs sieben acht neun zehn elf zwolf".split(), start=2)}


def _number(word: str) -> int:
    """A small count as written, digits or a folded word ("12", "zwolf" -> 12); 0 when not known."""
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 0)
