"""The statement around the asking sentence: what the asker says of itself before the question.

"Ich bin Stadtrat in einer kleinen Stadt in Thüringen. Welche Stadt erprobt …?": a personal preamble is background.
Where the asker lives selects nothing unless the asking sentence points back to it ("aus meinem Bundesland",
"in derselben Größenklasse"); its topics are background when the asking sentence names a topic of its own; and a
self-description followed by a question the records answer is that question, no request for comparable projects.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rag import cues
from rag.german import fold, terms
from rag.understand.entities import Entities
from rag.understand.query import Query
from rag.understand.reading import Reading
from rag.understand.text import (
    _purpose_lead_in,
    question_sentence,
)


class Preamble(Entities):
    """The asking sentence and the statement before it."""

    def _our_selection(self, statement: str, asked: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
        """The selection (categories, size classes, Länder) a question takes from the asker's statement about itself
        (both folded): its class when the question says "derselben Größenklasse" / "unserer Kategorie", its Land for
        "im gleichen Bundesland"; None when it points at neither or the statement names none. A category asked for
        by a size class is the class's category ("größere Mittelstadt" → Mittelstädte).

        >>> p._our_selection("wir sind eine grossere mittelstadt in hessen", "welche sind in derselben kategorie?")  # doctest: +SKIP
        (('Mittelstädte',), (), ())
        """
        by_class, by_land = re.search(cues.OUR_CLASS, asked), re.search(cues.OUR_LAND, asked)
        if not (by_class or by_land):
            return None
        told = self.entities(self._normalise(statement))
        categories, sizes = list(told["categories"]), list(told["sizes"])
        if by_class and "kategorie" in by_class.group(0) and sizes:
            class_of = {p.size_class: p.category for p in self.corpus.projects}
            categories, sizes = list(dict.fromkeys([*categories, *(class_of[x] for x in sizes if x in class_of)])), []
        ours = (
            tuple(categories) if by_class else (),
            tuple(sizes) if by_class else (),
            tuple(told["states"]) if by_land else (),
        )
        return ours if any(ours) else None

    def _split_question(self, r: Reading) -> None:
        """The asking sentence and the statement before it (the preamble), folded and normalised."""
        # "Ich bin Stadtrat in einer kleinen Stadt in Thüringen. … welche Stadt ein Plattenbauviertel erprobt?": where the
        # asker lives is no filter, unless the asking sentence points back to it ("aus meinem Bundesland")
        r.asked_part, r.preamble = question_sentence(r.text)
        r.told = r.preamble and "?" not in r.preamble  # a statement before the question, not an earlier question
        r.folded_asked, r.folded_preamble = fold(r.asked_part), fold(r.preamble)
        r.asked_normal = self._normalise(r.folded_asked)


    def _asked_entities(self, r: Reading) -> dict[str, list[str]]:
        """The entities of the asking sentence, read once when first needed."""
        if r.asked_ents is None:
            r.asked_ents = self.entities(r.asked_normal)
        return r.asked_ents


    def _preamble_selection(self, r: Reading) -> None:
        """A selection only the preamble names is no filter, unless the asking sentence names or points back to it."""
        if r.told and (r.categories or r.states or r.ents["sizes"] or r.ents["past"]) and not r.projects and not re.search(cues.SIMILAR, r.f):
            in_asked = self._asked_entities(r)
            # "Gibt es da …?" is an idiom, no pointer back to the preamble's place ("… – was gibt es da?" at the end
            # is one); nor is "dieses Problem", which points back to the preamble's topic
            unpointed = re.sub(cues.POINTS_TO_TOPIC, " ", re.sub(r"\bgibt(?:s| es) da\b(?!\s*(?:[.?!]|$))", " ", r.folded_asked))
            pointed = re.search(cues.BACK_TO_PREAMBLE, unpointed)
            # "Mich interessieren die Landkreise außerhalb von NRW. Welche sind das?": the statement says what is asked
            interest = re.search(cues.INTEREST, r.folded_preamble)
            # "… und will wissen, wer aus meinem Bundesland dabei ist": an indirect question that points at the place
            wants = re.search(rf"{cues.WANTS_TO_KNOW}(.*)", r.folded_preamble)
            interest = interest or (wants and re.search(cues.BACK_TO_PREAMBLE, wants.group(wants.lastindex or 0)))
            interest = interest or re.search(cues.INDIRECT_SELECTION, r.folded_preamble)
            if not (in_asked["categories"] or in_asked["states"] or in_asked["sizes"] or pointed or interest):
                r.categories, r.states, r.ents["sizes"] = [], [], []
                r.ents["excluded_states"], r.ents["excluded"] = [], []  # nor is what the statement leaves out
            elif (
                r.asked_part.rstrip().endswith("?")  # a question sentence of its own, no closing remark
                and not (pointed or interest or r.ents["excluded"] or r.ents["included"] or r.ents["excluded_sizes"])
                and not re.search(cues.NEGATION, r.folded_asked)
            ):
                # "Ich wohne in einer kleinen Stadt und hab gehört, dass nicht nur die großen Städte dabei sind.
                # Welche Kleinstädte …?": the asking sentence names its own class (or Land); the statement's say why
                own_classes = [c for c in r.categories if c in in_asked["categories"]]
                own_sizes = [x for x in r.ents["sizes"] if x in in_asked["sizes"]]
                if own_classes or own_sizes:
                    r.categories, r.ents["sizes"] = own_classes, own_sizes
                if in_asked["regional"]:  # "Ich wohne in Sachsen. Welche Projekte gibt es im Osten?": the whole region
                    r.states = list(in_asked["states"])
                elif own_states := [x for x in r.states if x in in_asked["states"]]:
                    r.states = own_states
            seeks = re.search(cues.ASKS_FOR_PROJECT, r.folded_asked) or re.search(cues.PROJECTS_AS_A_WHOLE, r.folded_asked)
            # "Gelsenkirchen ist ja 2021 Modellprojekt geworden. Welche anderen …?": a claim about the programme stays,
            # to be corrected
            claimed = any(
                self.entities(sentence)["past"] and re.search(rf"{cues.FUNDING_WORDS}|\b2021\b|\bdabei\b", sentence)
                for sentence in re.split(r"(?<=[.!?])\s+", r.folded_preamble)
            )
            if r.ents["past"] and not in_asked["past"] and not pointed and seeks and not claimed:
                # "Ich arbeite für eine Firma in München … Welche Projekte …?": where the asker works is no subject
                r.ents["past"] = []
        elif r.told and len(r.projects) >= 2 and (r.categories or r.ents["sizes"]) and not re.search(cues.SIMILAR, r.f):
            # "Würzburg und Linz beschreiben sich als interkommunale Kooperation. Mit wem kooperiert jede Stadt?":
            # a class the preamble says of named projects describes them; it selects nothing
            in_asked = self._asked_entities(r)
            if not (in_asked["categories"] or in_asked["sizes"]):
                r.categories, r.ents["sizes"] = [], []


    def _preamble_requests(self, r: Reading) -> Query | None:
        """The asking sentence read alone when it asks for the asker's own class or Land, or the records answer it; else None."""
        if r.told and not r.projects and (ours := self._our_selection(r.folded_preamble, r.folded_asked)):
            # "Wir sind eine größere Mittelstadt in NRW. Welche Projekte sind in derselben Größenklasse?": the question
            # asks for the asker's own class or Land, which only the statement names
            alone = self._parse(r.asked_part, r.history)
            if not alone.projects and not [t for t in alone.content_terms if t not in self.our_words]:
                kind = "count" if alone.intent == "count" else "list"
                # what the question names itself stays ("Gibt es in unserem Bundesland auch Landkreise?")
                categories_, sizes_, states_ = ours
                asks_class = bool(alone.categories or alone.size_classes)
                return replace(
                    alone, intent=kind, content_terms=(), narrowing=(), alternatives=(),
                    categories=alone.categories if asks_class else categories_,
                    size_classes=alone.size_classes if asks_class else sizes_,
                    states=alone.states or states_,
                )  # fmt: skip
        # … also after a lead-in that ends in a colon ("Wir sind eine Kommune in X: Welche Projekte gibt es in X?")
        after_colon = re.split(cues.LEAD_IN, r.text)[-1]
        # (also when the self-description alone made no request: "Wir sind eine Mittelstadt in Sachsen. Welche
        # Mittelstädte gibt es?")
        described = r.intent == "similar" or (bool(re.search(cues.SIMILAR, r.f)) and r.intent != "unanswerable")
        if described and (r.told or after_colon != r.text) and not re.search(cues.SIMILAR, fold(after_colon if not r.told else r.asked_part)):
            # "Wir sind eine Kleinstadt. Welche Kleinstädte stehen in der Übersicht?": the statement says who asks;
            # a question the records answer on its own is no request for comparable projects
            alone = self._parse(r.asked_part if r.told else after_colon, r.history)
            stands_for = re.search(cues.PRO_FORM, r.folded_asked)  # "Wer macht sowas?": the preamble is the topic
            stands_for = stands_for or re.search(cues.THE_REST, r.folded_asked)  # "… bitte nur die übrigen nennen"
            if not stands_for and (alone.structural or (alone.overview and alone.intent in ("list", "count"))):
                return alone
        return None


    def _preamble_topics(self, r: Reading) -> None:
        """The content terms only the preamble names: background, or no topic of a question that names its own selection."""
        # a preamble's words are background when the question sentence names a topic of its own
        asked, r.around = r.asked_part, r.preamble  # split once, above
        # "Für eine Vorlage an den Gemeinderat: Welche …?": a lead-in before a colon says what for, like a preamble
        if lead := _purpose_lead_in(asked):
            asked, r.around = asked[lead.end() :], f"{r.around} {lead.group(1)}".strip()
        r.asked_terms = set(terms(asked)) | {t for typed, right in r.fixes if typed in r.folded_asked for t in terms(right)}
        r.asked_terms |= {t for en, de in r.loans if en in r.folded_asked for t in terms(de)}
        asked_content = [t for t in r.content if t in r.asked_terms]
        if r.intent == "similar" and r.told and len(r.projects) >= 2 and re.search(cues.COMPARE, r.folded_asked):
            # "X und Y klingen ähnlich. Was ist der Unterschied zwischen den beiden?": a comparison of the two
            r.intent = "compare"
        describes = re.search(cues.DESCRIBED, r.folded_preamble) and not re.search(cues.PLANNED, r.folded_preamble)
        points_back = re.search(cues.POINTS_BACK, r.folded_asked)  # "Was machen die zwei da jeweils?": the topic, kept
        if r.intent == "compare" and len(r.projects) >= 2 and r.told and describes and not asked_content and not points_back:
            # "X und Y sind beide ländliche Kreise. Worin unterscheiden sich ihre Projekte?": the statement says what
            # they are, the question asks about their projects as a whole ("… wollen die Versorgung verbessern" would
            # name the topic)
            r.content, r.expansions = (), ()
        if (
            r.intent in ("list", "count")
            and r.told
            and r.content
            and not asked_content
            and not re.search(f"{cues.INTEREST}|{cues.SUCH_A_THING}", f"{r.folded_preamble} | {r.folded_asked}")
        ):
            # "Bin Rentner aus Niederbayern und lese gerade über Smart Cities. Welche Orte aus Bayern sind dabei?": the
            # statement says who asks; the question asks for a selection it names itself, with no topic of its own
            in_asked = self._asked_entities(r)
            if in_asked["categories"] or in_asked["states"] or in_asked["sizes"]:
                r.content, r.expansions = (), ()
        if r.intent == "similar" and r.told and not asked_content and not re.search(cues.SIMILAR, r.folded_asked):
            # "Ich bin Planerin in einer Großstadt und suche ähnlich große Städte. Welche Großstädte sind dabei?": the
            # statement says why; the question asks for a selection it names itself, with no topic of its own
            in_asked = self._asked_entities(r)
            if re.search(cues.LIST, r.folded_asked) and (in_asked["categories"] or in_asked["states"] or in_asked["sizes"]):
                r.intent = "list"
                r.categories = [c for c in r.categories if c in in_asked["categories"] or c not in r.ents["categories"]]
        if r.intent == "similar" and r.told and asked_content and not re.search(cues.SIMILAR, r.folded_asked) and re.search(
            cues.ASKS_FOR_PROJECT, r.folded_asked
        ):
            # "Wir sind eine Mittelstadt mit Plattenbauten. Gibt es ein Projekt, das eine Plattenbausiedlung erprobt?":
            # the statement says who asks, the question asks for a topic of its own – and where the asker is, is
            # no filter unless the question points back to it
            r.intent = "open"
            in_asked = self._asked_entities(r)
            # ("mit dieser Idee" points back to the statement's topic, not to its place)
            to_place = re.search(cues.BACK_TO_PREAMBLE, re.sub(cues.POINTS_TO_TOPIC, " ", r.folded_asked))
            if not (in_asked["categories"] or in_asked["states"] or in_asked["sizes"] or to_place):
                r.categories, r.states, r.ents["sizes"] = [], [], []
            elif re.search(r"\b(bundesland|land)\b", r.folded_asked) and not (in_asked["categories"] or in_asked["sizes"]):
                r.categories, r.ents["sizes"] = [], []  # "… in unserem Bundesland": the Land, not the asker's size
        # "Ich fahre gern mit Fähren. Hat ein Projekt mit sowas zu tun?": the question asks about the thing the statement
        # names, which is then no background ("solche Leute" points at the asker's people, who stay background)
        such = re.search(cues.SUCH_A_THING, r.folded_asked)
        r.background = tuple(t for t in r.content if t not in r.asked_terms) if r.around and asked_content and r.intent != "similar" and not such else ()
