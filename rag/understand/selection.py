"""Selections by the records: one part of the category of Kreise and cooperations ("nur die echten Landkreise"),
the larger or smaller size class of a category ("davon nur die größeren"), and the selection a question takes from
the asker's statement about itself ("Wir sind eine größere Mittelstadt … in derselben Größenklasse?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag import cues
from rag.types import CATEGORIES
from rag.understand.entities import Entities
from rag.understand.text import _negated


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
