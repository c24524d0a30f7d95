"""Names of projects and selections of them: the forms a project's name is written in (``name_forms``), the
table of folded aliases ("Dresdner", "Hameln-Pyrmont") to project names (``_alias_table``), and whether a
project fits a selection of categories, Länder and size classes (``in_selection``, ``_all_but``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.german import fold
from rag.types import CATEGORIES, Corpus, Project


def _names_by_target(table: dict[str, str]) -> dict[str, list[str]]:
    """name form -> what it names, inverted: what it names -> its name forms (in table order)."""
    out: dict[str, list[str]] = {}
    for form, target in table.items():
        out.setdefault(target, []).append(form)
    return out


def name_forms(name: str) -> set[str]:
    """The forms a project's own and other texts write its name in.

    >>> sorted(name_forms("Landkreis Hameln-Pyrmont")), sorted(name_forms("Linz am Rhein"))
    (['Hameln-Pyrmont', 'Landkreis Hameln-Pyrmont'], ['Linz', 'Linz am Rhein', 'Rhein'])
    """
    forms = {name, re.sub(r"\s*\(.*\)", "", name)}
    core = re.sub(r"^(Landkreis|Kreis|Gemeinde|Verband Region)\s+", "", name)
    forms.add(core)
    forms.update(part for part in re.split(r"\s+und\s+|\s+am\s+", core) if len(part) > 3)
    return forms


def _alias_table(corpus: Corpus, derived: bool = True) -> dict[str, str]:
    """folded alias -> project name. Built from the names, with their genitive and place adjectives ("Dresdner");
    ambiguous aliases are dropped."""
    table: dict[str, str] = {}
    seen: dict[str, set[str]] = {}
    for p in corpus.projects:
        name = p.name
        forms = name_forms(name)
        core = re.sub(r"^(Landkreis|Kreis|Gemeinde|Verband Region)\s+", "", name)
        if "-" in core and p.category == CATEGORIES[3]:
            forms.update(x for x in core.split("-") if len(x) > 4)
        for f in forms:
            seen.setdefault(fold(f), set()).add(name)
        for f in {fold(f) for f in forms if derived and re.fullmatch(r"[A-Za-zÄÖÜäöüß]{4,}", f)}:
            # "Dresdens", "Bochumer", "Dresdner", "Münsteraner", "Mühlhäuser": genitive and place adjectives
            forms_of = {f + "s", f + "er", f + "aner"} | ({f[:-2] + "ner"} if f.endswith("en") else set())
            forms_of |= {f[:-2] + "er"} if f.endswith("sen") else set()
            for d in forms_of:
                seen.setdefault(d, set()).add(name)
    for alias, names in seen.items():
        if len(names) == 1:
            table[alias] = next(iter(names))
    return table


def in_selection(p: Project, categories: Iterable[str] = (), states: Iterable[str] = (), sizes: Iterable[str] = ()) -> bool:
    """Does project ``p`` fit a selection of categories, Länder and size classes (each empty: no constraint)?

    >>> from rag.types import Project
    >>> p = Project("X", "Mittelstädte", "Kleinere Mittelstadt", ("Hessen",), "", "", "", 1)
    >>> in_selection(p, ["Mittelstädte"], ["Hessen", "Bayern"]), in_selection(p, sizes=["Größere Mittelstadt"])
    (True, False)
    """
    categories, states, sizes = list(categories), set(states), list(sizes)
    return (
        (not categories or p.category in categories)
        and (not states or bool(states & set(p.states)))
        and (not sizes or p.size_class in sizes)
    )


def _all_but(chosen: list[str], pool: list[str], left_out: list[str]) -> list[str]:
    """The chosen names (all of the pool when none is chosen) without those left out: "nicht in Bayern" is every
    Land with projects but Bayern, "weder Großstädte noch Landkreise" the other categories.

    >>> _all_but([], ["A", "B", "C"], ["B"]), _all_but(["A", "B"], ["A", "B", "C"], ["B"])
    (['A', 'C'], ['A'])
    """
    return [x for x in (chosen or pool) if x not in left_out]
