"""Selections by the records: one part of the category of Kreise and cooperations ("nur die echten Landkreise"),
the larger or smaller size class of a category ("davon nur die größeren"), and the selection a question takes from
the asker's statement about itself ("Wir sind eine größere Mittelstadt … in derselben Größenklasse?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag import cues
from rag.german import fold
from rag.types import CATEGORIES
from rag.understand.entities import Entities
from rag.understand.names import _all_but
from rag.understand.reading import Reading
from rag.understand.text import (
    _negated,
)


class Selections(Entities):
    """Selections of projects by category, size class and Land beyond the names a question uses."""

    def _category_part(self, f: str, categories: list[str], projects: list[str]) -> tuple[str, tuple[str, ...]]:
        """One part of the category of Kreise and cooperations, when the question asks for that part alone:
        ("kreise", the cooperations) for "Welche Landkreise sind dabei?", "nur echte Kreise, keine Verbände";
        ("kooperationen", the Kreise) for "Welche interkommunalen Kooperationen …?"; else ("", ()). Both named
        ("Landkreise und Zusammenschlüsse") ask for the whole category, as does its own name."""
        kreis_category = CATEGORIES[3]
        if categories != [kreis_category] or projects:
            return "", ()  # "Welche Großstädte und Landkreise …": no part of a category, but two of them

        def asked(pattern: str) -> bool:
            return any(
                not (_negated(f, m.start()) or self._left_out_after(f, m.start(), m.end(), "class"))
                for m in re.finditer(pattern, f)
            )

        kreise, cooperations = asked(cues.KREIS_WORDS), asked(cues.COOPERATION_WORDS)
        if kreise == cooperations:
            return "", ()
        members = [p for p in self.corpus.projects if p.category == kreis_category]
        is_kreis = {p.name: bool(re.match(r"(Land)?[Kk]reis\b", p.name)) for p in members}
        if kreise:
            return "kreise", tuple(n for n, k in is_kreis.items() if not k)
        return "kooperationen", tuple(n for n, k in is_kreis.items() if k)

    def _size_half(self, categories: Sequence[str], larger: bool) -> list[str]:
        """The larger (or smaller) size class of each category that has more than one, by the classes' population
        bounds: "die größeren" of the Mittelstädte are the "Größere Mittelstadt"."""
        out = []
        for category in categories:
            classes = sorted(
                {p.size_class for p in self.corpus.projects if p.category == category and p.size_class in self.size_bounds},
                key=lambda c: self.size_bounds[c][0],
            )
            if len(classes) >= 2:
                out.append(classes[-1] if larger else classes[0])
        return out

    def _settle_selection(self, r: Reading) -> None:
        """The projects, categories and Länder asked for, after what the question leaves out, includes or adds."""
        r.projects, r.categories, r.states = r.ents["projects"], r.ents["categories"], r.ents["states"]
        if r.ents["left_out_after"] and not r.projects and (r.attributes or not re.search(cues.LIST, r.f)):
            # "Hannover kenne ich schon gut. Wie heißt das Projekt dort?": no list to leave it out of; it is the subject
            r.projects = list(r.ents["left_out_after"])
            r.ents["excluded_projects"] = [x for x in r.ents["excluded_projects"] if x not in r.projects]
        if not r.projects and not r.ents["excluded_projects"] and not re.search(cues.BESIDES, r.f) and (owner := self._quoted_owner(r.text)):
            r.projects = [owner]  # "Was gehört zum Projekt „Smarte Nahversorgungsräume …“?": the project that names it
        if not r.projects and not r.ents["excluded_projects"] and not r.ents["past"] and (owner := self._epithet_owner(r.text)):
            r.projects = [owner]  # "Welches Motto hat die Händelstadt?": the project whose text calls its place so
        r.also = []
        if r.ents["included_projects"] and (r.categories or r.states or r.ents["sizes"]) and re.search(f"{cues.LIST}|{cues.COUNT}", r.f):
            r.also = [p for p in r.projects if p in r.ents["included_projects"]]  # the selection plus these
            r.projects = r.ents["projects"] = [p for p in r.projects if p not in r.also]
        if re.search(cues.THE_OTHERS, r.f) and r.ents["projects"] and (r.categories or r.states or r.ents["sizes"]):
            # "Dass Hannover dabei ist, weiß ich schon. Welche anderen aus Niedersachsen …?": all but the one named
            named = [p for p in r.ents["projects"] if p not in r.also]
            r.ents["excluded_projects"] = [*r.ents["excluded_projects"], *(p for p in named if p not in r.ents["excluded_projects"])]
            r.projects = r.ents["projects"] = [p for p in r.projects if p not in named]
        if r.categories and set(r.categories) <= {CATEGORIES[3]} and re.search(cues.TOWNS_AND_DISTRICTS, r.f):
            r.categories = []  # "Welche Städte und Kreise aus Niedersachsen …?": towns of any size and districts: all
        if r.categories and r.ents.get("included"):  # "Großstädte, einschließlich der Landkreise": both classes
            r.categories = [*r.categories, *(c for c in r.ents["included"] if c not in r.categories)]
        if r.ents["excluded"]:  # "weder Großstädte noch Landkreise": the other categories
            r.categories = _all_but(r.categories, list(CATEGORIES), r.ents["excluded"])
        if r.history and len(r.states) >= 2 and not r.projects and re.search(cues.THE_OTHER_PLACES, r.f):
            # "Und in den anderen ostdeutschen Ländern?" after the list of one of them: the region without it
            before = self._previous_list(r.history)
            if before is not None and before.states and set(before.states) < set(r.states):
                r.ents["excluded_states"] = [*r.ents["excluded_states"], *(x for x in before.states if x not in r.ents["excluded_states"])]
        if r.ents["excluded_states"]:  # "nicht in Bayern": the Länder that have projects, but these
            r.states = _all_but(r.states, self.funded_states, r.ents["excluded_states"])
        if r.ents["excluded_sizes"]:  # "nicht die kleineren Großstädte": the other size classes (of that category)
            class_of = {p.size_class: p.category for p in self.corpus.projects if "•" not in p.size_class}
            within = r.categories or [class_of[s] for s in r.ents["excluded_sizes"] if s in class_of]
            pool = r.ents["sizes"] or [s for s in sorted(class_of) if class_of[s] in within]
            r.ents["sizes"] = [s for s in pool if s not in r.ents["excluded_sizes"]]


    def _class_asked(self, r: Reading) -> None:
        """Whether the class of a named project is asked for, only names it (perhaps wrongly), or is a filter."""
        # "Gehört Kempten zu den Großstädten?": a yes/no question about the project's category
        yes_no = bool(re.search(r"^(liegt|liegen|ist|sind|gehort|gehoren|befindet|zahlt|zahlen|is|are|does)\b", r.f))
        claim = yes_no or bool(re.search(cues.YES_NO, r.asked_normal.strip()))
        r.class_asked = False  # "Gehört Guben zu den Kleinstädten?" asks the class; "die Großstadt Bochum" names it
        named_class = (
            len(r.ents["projects"]) == 1
            and (r.categories or r.ents["sizes"])
            and not re.search(cues.COMPARE, r.f)
            and not re.search(cues.SIMILAR, r.f)  # "Welche Landkreise planen Ähnliches wie Guben?" selects by class
        )
        asking = re.search(r"\b(welche\w*|was|wer|wo|wie|warum|wieso|which|what|who|where|how|why)\b", r.f)
        if named_class and not r.attributes and (claim or not asking):  # "Kempten Großstadt?" asks too
            r.attributes, r.class_asked = ("size_class",), True
        several_classed = (
            len(r.ents["projects"]) >= 2
            and (r.categories or r.ents["sizes"])
            # "Welcher der Landkreise X und Y ist in Rheinland-Pfalz?" asks for the Land; "X und Y liegen beide in
            # Bayern – welche ist eine Großstadt?" only says where they are
            and not (r.states and self.entities(self._normalise(fold(re.split(r"\s[–-]\s|:\s", r.asked_part)[-1])))["states"])
            and not r.attributes
            and not re.search(cues.SIMILAR, r.f)
            and not re.search(cues.BESIDES, r.f)
            and not r.ents["excluded"]
        )
        if several_classed and (claim or re.search(cues.CLASS_OF_NAMED, r.folded_asked)):
            # "Welches von X und Y ist ein Landkreis?": each named project's class answers it, no selection
            r.attributes, r.class_asked = ("size_class",), True
            r.categories, r.ents["sizes"], r.states = [], [], []
        r.wrong_class = ()
        if named_class and not r.class_asked and "size_class" not in r.attributes:
            # "Welche Projekte hat die Großstadt Einbeck?": the class only names the place; a wrong one is corrected
            r.wrong_class = self._wrong_classes(r.f, r.ents["projects"][0], [*r.categories, *r.ents["sizes"]])
            r.categories, r.ents["sizes"] = [], []
        elif len(r.ents["projects"]) == 1 and r.states and not r.attributes and yes_no:
            r.attributes = ("states",)  # "Liegt Kempten in Bayern?"
        # "wo liegt X" with a Bundesland in the question is not an attribute question
        if "states" in r.attributes and r.states and not r.projects:
            r.attributes = tuple(a for a in r.attributes if a != "states")
