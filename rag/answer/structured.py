"""Exact answers from the records: project lists and counts by category, Land and size class, the
Übersicht 2019–2021, and the Bewertungskriterien. Complete by construction; every number is counted
from the records, none is written in code.

Example::

    >>> ctx = Context(corpus, retriever)                                              # doctest: +SKIP
    >>> print(answer_list(ctx, parser.parse("Welche Kleinstädte wurden gefördert?"), {}).text)  # doctest: +SKIP
    2021 wurden 2 Kleinstädte und Landgemeinden als Modellprojekte Smart Cities gefördert:
    1. Guben – Größere Kleinstadt, Brandenburg (S. 31) [1]
    2. Linz am Rhein – Kleine Kleinstadt, Rheinland-Pfalz (S. 32) [2]
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rag.answer.base import Context, abstain, finish, leaving_out
from rag.answer.citations import Citations, join_names, quote
from rag.answer.lookup import measure_lines
from rag.german import fold
from rag.parse import BUNDESLAENDER
from rag.types import CATEGORIES, Answer, Project
from rag.understand import Query


def describe(q: Query, filters: dict[str, Any]) -> str:
    """ "Kleinstädte und Landgemeinden in Brandenburg", from the question's entities and the filters."""
    cats = list(q.categories) or ([filters["category"]] if filters.get("category") else [])
    if q.excluded_categories and len(cats) > 1:  # "ohne die Kreise": name what is left out, not the others
        cats = []
    sizes = [quote(sc) for sc in q.size_classes]  # "10 Projekte der Größenklasse „Kleinere Großstadt“"
    label = "Größenklassen" if len(sizes) > 1 else "Größenklasse"
    what = f"Projekte der {label} {join_names(sizes)}" if sizes else (join_names(cats) if cats else "")
    part = {
        "kreise": "Landkreise und Kreise (ohne die interkommunalen Kooperationen ihrer Kategorie)",  # "nur die Landkreise"
        "kooperationen": "interkommunale Kooperationen (ohne die Landkreise ihrer Kategorie)",  # "Welche Kooperationen …?"
    }.get(q.category_part)
    if part and not sizes:  # one part of its category, beside any other classes asked for
        what = join_names([part if c == CATEGORIES[3] else c for c in cats] if CATEGORIES[3] in cats else [part])
    if q.population and sizes:  # "unter 100.000 Einwohnern": the classes that bound stands for
        what = f"Projekte der {label} {join_names(sizes)} (die Größenklassen, in die Orte {q.population} fallen)"
    states = list(q.states) or ([filters["state"]] if filters.get("state") else [])
    where = f" in {join_names(states)}" if states else ""
    if q.excluded_states and len(states) > len(BUNDESLAENDER) // 2:  # "nicht in NRW": what is left out, not the others
        where = f" außerhalb von {join_names(list(q.excluded_states))}"
    elif q.excluded_states:  # "im Osten, ohne Berlin"
        where += f" (ohne {join_names(list(q.excluded_states))})"
    if q.excluded_categories and not cats and not sizes:
        where += f" (ohne {join_names(list(q.excluded_categories))})"
    if q.excluded_projects:  # "außer Guben"
        where += f" (außer {join_names(list(q.excluded_projects))})"
    if filters.get("multi_state"):
        where += " in mehreren Bundesländern"
    return (what or "Modellprojekte") + where


def record_line(ctx: Context, cites: Citations, p: Project) -> str:
    """ "Guben – Größere Kleinstadt, Brandenburg (S. 31) [n]": one project of a list, cited with its record."""
    return f"{p.name} – {p.size_class}, {', '.join(p.states)} (S. {p.page}) {cites.cite(ctx.header[p.name], 1.0)}"


LAENDER_WITH_ARTICLE = frozenset({"Saarland"})  # "im Saarland", not "in Saarland"
MAX_WITH_PLANS = 6  # a list that also asks what each project plans shows its first measures up to this length


def answer_list(ctx: Context, q: Query, filters: dict[str, Any]) -> Answer:
    filters = leaving_out(q, filters)  # "außer Guben", "nur die Landkreise": never listed, however it is called
    projects = ctx.select(q.categories, q.states, q.size_classes, filters)
    # "… und nimm Ringelai noch dazu": the selection plus the projects named to be added (not in it already)
    added = [p for p in ctx.corpus.projects if p.name in q.also_projects and p not in projects]
    projects += added
    cites = Citations([])
    what = describe(q, filters)
    total = len(ctx.corpus.projects)
    if q.among:  # "Welche davon liegen in Bayern?": among the projects the previous answer named
        chosen = [p for p in projects if p.name in q.among]
        if not chosen:
            return finish(q, f"Keines der {len(q.among)} zuvor genannten Projekte fällt unter „{what}“.", cites,
                          "strukturiert", [])  # fmt: skip
        lines = [f"- {record_line(ctx, cites, p)}{_asked_records(q, p)}" for p in chosen]
        head = f"Davon ({what}): {len(chosen)} von {len(q.among)} zuvor genannten Projekten:"
        if q.intent == "count" and not (q.categories or q.states or q.size_classes):  # "Wie viele sind das?"
            head = f"Das sind {len(chosen)} Projekte:" if len(chosen) != 1 else "Das ist 1 Projekt:"
        return finish(q, head + "\n\n" + "\n".join(lines), cites, "strukturiert", [p.name for p in chosen])
    if not projects:
        text = f"Unter den {total} Modellprojekten Smart Cities 2021 gibt es keine {what}."
        past = [e for e in ctx.corpus.overview if not e.is_2021 and any(fold(s) in fold(e.name) for s in q.states)]
        if past:
            c = ctx.section_chunks.get("uebersicht") or next(iter(ctx.overview_chunk.values()))
            text += (
                f" In der Übersicht 2019–2021 steht {join_names([e.name for e in past])} aus einer "
                f"früheren Staffel {cites.cite(c, 1.0)}."
            )
        return finish(q, text, cites, "strukturiert", [])
    if what == "Modellprojekte" and q.intent == "count":
        return _count_all(ctx, q, projects)
    lines = []
    plans = q.with_plans and len(projects) <= MAX_WITH_PLANS
    for i, p in enumerate(projects, start=1):
        line = f"{i}. {record_line(ctx, cites, p)}{_asked_records(q, p, plans)}"
        if plans and p.measures:  # "… und was planen sie?": the first measures of each
            line += "\n" + "\n".join(f"   {m}" for m in measure_lines(ctx, cites, p.name, list(p.measures)[:2]))
        lines.append(line)
    n = len(projects)
    head = f"2021 wurden {n} {what} als Modellprojekte Smart Cities gefördert:"
    if added:  # "… und nimm Ringelai dazu": the selection's own number, then what was added to it
        base, own = describe(replace(q, also_projects=()), filters), n - len(added)
        counted = f"wurde 1 Projekt ({base}) als Modellprojekt" if own == 1 else f"wurden {own} {base} als Modellprojekte"
        head = (
            f"2021 {counted} Smart Cities gefördert, dazu wie gewünscht "
            f"{join_names([p.name for p in added])} ({n} insgesamt):"
        )
    elif what == "Modellprojekte":
        head = f"2021 wurden insgesamt {n} Modellprojekte Smart Cities gefördert:"
    elif n == 1:
        head = f"2021 wurde 1 Projekt als Modellprojekt Smart Cities gefördert ({what}):"
    return finish(q, head + "\n\n" + "\n".join(lines) + _empty_states(ctx, q, projects, cites), cites, "strukturiert",
                  [p.name for p in projects])  # fmt: skip


def _empty_states(ctx: Context, q: Query, projects: list[Project], cites: Citations) -> str:
    """A note on the Länder asked for that have none of the listed projects ("in Sachsen und Berlin": Berlin has
    no 2021 project; it stands in the overview from an earlier round), else ""."""
    if len(q.states) < 2 or q.excluded_states:
        return ""
    empty = [s for s in q.states if s not in q.regional and not any(s in p.states for p in projects)]
    if not empty:
        return ""
    where = join_names([f"im {s}" if s in LAENDER_WITH_ARTICLE else f"in {s}" for s in empty])
    note = f"\n\nDarunter ist kein Projekt {where}."
    past = [e for e in ctx.corpus.overview if not e.is_2021 and any(fold(s) == fold(e.name) for s in empty)]
    if past:
        c = ctx.section_chunks.get("uebersicht") or next(iter(ctx.overview_chunk.values()))
        note += f" {join_names([e.name for e in past])} steht in der Übersicht 2019–2021 aus einer früheren Staffel {cites.cite(c, 1.0)}."
    return note


def _asked_records(q: Query, p: Project, title: bool = False) -> str:
    """The motto and title a list question asks for, after a project's record line."""
    out = f"; Motto {quote(p.motto)}" if "motto" in q.attributes else ""
    return out + (f"; Projekttitel {quote(p.title)}" if "title" in q.attributes or title else "")


def _count_all(ctx: Context, q: Query, projects: list[Project]) -> Answer:
    """ "How many projects in 2021?": the number, the Einleitung that states it, the split by category."""
    cites = Citations([])
    intro = ctx.first_section_chunk("einleitung", f" {len(projects)} ")
    m = f" {cites.cite(intro, 1.0)}" if intro else ""
    parts = [f"{sum(p.category == c for p in projects)} {c}" for c in CATEGORIES]
    text = (
        f"Ab dem Jahr 2021 werden {len(projects)} weitere Modellprojekte Smart Cities gefördert{m}: "
        + ", ".join(parts[:-1])
        + f" und {parts[-1]}."
    )
    return finish(q, text, cites, "strukturiert", [])


def in_laender(states: list[str]) -> str:
    """ "in Berlin, Bremen und im Saarland": Länder after "in", the one with an article as "im".

    >>> in_laender(["Berlin", "Saarland"]), in_laender(["Saarland"])
    ('in Berlin und im Saarland', 'im Saarland')
    """
    places = [f"im {st}" if st in LAENDER_WITH_ARTICLE else st for st in states]
    return ("" if places[0].startswith("im ") else "in ") + join_names(places)


def answer_count_states(ctx: Context, q: Query, filters: dict[str, Any]) -> Answer:
    """Projects per Land (all Länder: the states the question names only rank among them)."""
    projects = ctx.select(q.categories, (), q.size_classes, filters)
    states: dict[str, list[str]] = {}
    for p in projects:
        for st in p.states:
            states.setdefault(st, []).append(p.name)
    cites = Citations([])
    lines = [
        f"- {st}: " + ", ".join(f"{n} {cites.cite(ctx.header[n], 1.0)}" for n in names)
        for st, names in sorted(states.items())
    ]
    what = describe(replace(q, states=()), {**filters, "state": None})
    text = f"Die {len(projects)} {what} 2021 verteilen sich auf {len(states)} Bundesländer:\n\n" + "\n".join(lines)
    without = [st for st in BUNDESLAENDER if st not in states]
    if without and states:  # "… und welche Länder gehen leer aus?": the other Länder of Germany
        none = f"Keine {what} 2021 gibt es {in_laender(without)}."
        text = f"{none}\n\n{text}" if q.states_without else f"{text}\n\n{none}"
    if q.most_projects and states:  # "Welches Land hat die meisten Projekte?": the ranking from these counts
        most = max(len(v) for v in states.values())
        top = sorted(st for st, v in states.items() if len(v) == most)
        lead = f"Die meisten Projekte ({most}) hat {join_names(top)}."
        if q.states:
            asked = [f"{st}: {len(states.get(st, []))}" for st in q.states]
            lead = ("Ja. " if set(q.states) <= set(top) else "Nein. ") + lead + f" ({'; '.join(asked)})"
        text = lead + "\n\n" + text
    return finish(q, text, cites, "strukturiert", [p.name for p in projects])


def answer_overview_list(ctx: Context, q: Query) -> Answer:
    """Entries of the Übersicht 2019-2021 (earlier rounds, or all), by category."""
    cites = Citations([])
    blocks = []
    for cat in q.categories or CATEGORIES:
        entries = [e for e in ctx.corpus.overview if e.category == cat and not (q.earlier_rounds and e.is_2021)]
        chunk = ctx.overview_chunk.get(cat)
        m = f" {cites.cite(chunk, 1.0)}" if chunk else ""
        names = [e.name + (" (2021)" if e.is_2021 else "") for e in entries]
        blocks.append(f"{_heading(ctx, cat)} ({len(entries)}){m}: " + ", ".join(names))
    lead = (
        "Die Übersicht 2019–2021 nennt aus früheren Staffeln:" if q.earlier_rounds else "Die Übersicht 2019–2021 nennt:"
    )
    return finish(q, lead + "\n\n" + "\n\n".join(blocks), cites, "strukturiert", [])


def _heading(ctx: Context, category: str) -> str:
    """The overview's heading of a category as printed ("Mittlere Städte"), else the category."""
    return next((e.label for e in ctx.corpus.overview if e.category == category), category)


def answer_overview_count(ctx: Context, q: Query) -> Answer:
    cites = Citations([])
    entries = [e for e in ctx.corpus.overview if not q.categories or e.category in q.categories]
    parts = []
    for cat in list(q.categories) or list(CATEGORIES):
        n = sum(1 for e in entries if e.category == cat)
        chunk = ctx.overview_chunk.get(cat)
        parts.append(f"{_heading(ctx, cat)}: {n}" + (f" {cites.cite(chunk, 1.0)}" if chunk else ""))
    n2021 = sum(1 for e in entries if e.is_2021)
    text = (
        f"Die Übersicht Modellprojekte Smart Cities 2019–2021 nennt {len(entries)} Einträge "
        f"({'; '.join(parts)}). Davon gehören {n2021} zur Förderrunde 2021."
    )
    if q.earlier_rounds:
        text += (
            f" Aus den früheren Staffeln (2019 und 2020) stammen damit {len(entries) - n2021}; nach den beiden "
            "Staffeln getrennt führt die Übersicht sie nicht auf."
        )
    return finish(q, text, cites, "strukturiert", [])


def answer_criteria(ctx: Context, q: Query) -> Answer:
    """The Bewertungskriterien K1-K12 from the section records (all, by number, or by group)."""
    cites = Citations([])
    crit = [s for s in ctx.corpus.sections if re.fullmatch(r"k\d+", s.key)]
    groups = list(dict.fromkeys(s.group for s in crit))
    chosen = [s for s in crit if int(s.key[1:]) in q.criteria] or [s for s in crit if s.group == q.criteria_group]
    if chosen:
        lines = [f"{s.title} (Gruppe {quote(s.group)}) {cites.cite(ctx.section_chunks[s.key], 1.0)}" for s in chosen]
        return finish(q, "\n".join(lines), cites, "strukturiert", [])
    m = cites.cite(ctx.section_chunks["bewertungskriterien"], 1.0)
    text = f"Die Broschüre nennt {len(crit)} Bewertungskriterien in {len(groups)} Gruppen {m}:\n"
    for g in groups:
        text += f"\n{g}:\n" + "\n".join(f"- {s.title}" for s in crit if s.group == g) + "\n"
    return finish(q, text.rstrip(), cites, "strukturiert", [])


def size_order(size_class: str) -> float | None:
    """Rank of a size class by its words, larger is bigger; None for a class that is no size of one town
    (a Landkreis or a cooperation).

    >>> [size_order(s) for s in ("Große Großstadt", "Kleinere Großstadt", "Kleine Kleinstadt", "Landkreis")]
    [3.5, 3.0, 1.0, None]
    """
    words = fold(size_class)
    base = next((r for key, r in (("grossstadt", 3), ("mittelstadt", 2), ("kleinstadt", 1), ("landgemeinde", 0))
                 if key in words), None)  # fmt: skip
    if base is None:
        return None
    return base + (0.5 if re.search(r"\bgross(e|ere)?\b", words) else 0.0)


def answer_size_rank(ctx: Context, q: Query, filters: dict[str, Any]) -> Answer:
    """ "Welche davon ist die kleinste?": the projects of the smallest (largest) size class in the selection;
    "Ist Guben die kleinste Stadt?": yes or no, with the size classes. The ranking is by size class, as the
    brochure gives population figures for few projects only; the answer says so."""
    cites = Citations([])
    note = "Einwohnerzahlen nennt die Broschüre nicht für alle Projekte; sie ordnet sie aber Größenklassen zu."
    selection = q.categories or q.states or q.size_classes or filters
    if len(q.projects) < 2 and q.refers_back and not selection:
        return abstain(q, note + " Auf welche Projekte sich die Frage bezieht, kann ich nicht erkennen; bitte nennen Sie sie.")
    pool = [ctx.corpus.project(n) for n in q.projects] if len(q.projects) >= 2 else (
        ctx.select(q.categories, q.states, q.size_classes, filters))  # fmt: skip
    ranked = [(r, p) for p in pool if (r := size_order(p.size_class)) is not None]
    if not ranked:
        return finish(q, note + " Für die gefragten Projekte (Landkreise, Kooperationen) gibt es keine solche Stufung.",
                      cites, "strukturiert", [])  # fmt: skip
    target = min(r for r, _ in ranked) if q.size_rank == "smallest" else max(r for r, _ in ranked)
    best = [p for r, p in ranked if r == target]
    word = "am kleinsten" if q.size_rank == "smallest" else "am größten"
    if len(q.projects) == 2:  # "Ist X größer als Y?"
        word = "die kleinere" if q.size_rank == "smallest" else "die größere"
    lines = [f"- {record_line(ctx, cites, p)}" for p in (pool if len(q.projects) == 2 else best)]  # of two: both
    verb = "sind" if len(best) > 1 else "ist"
    lead = f"Nach der Größenklasse {verb} {join_names([p.name for p in best])} {word} ({quote(best[0].size_class)}):"
    if len(q.projects) == 2 and len(best) == 2:  # "Welche der beiden ist größer?" when both are of one class
        lead = f"Nach der Größenklasse sind beide gleich groß, beide sind {quote(best[0].size_class)}:"
    if len(q.projects) == 1:  # "Ist Guben die kleinste Stadt?"
        asked = ctx.corpus.project(q.projects[0])
        verdict = "Ja" if asked in best else "Nein"
        mark = cites.cite(ctx.header[asked.name], 1.0)
        lead = f"{verdict}: {asked.name} gehört zur Größenklasse {quote(asked.size_class)} {mark}. {lead}"
    skipped = [p.name for p in pool if size_order(p.size_class) is None and len(q.projects) != 1]
    tail = f"\n\nOhne Größenklasse einer Stadt (Landkreis oder Kooperation): {join_names(skipped)}." if skipped else ""
    return finish(q, f"{note} {lead}\n" + "\n".join(lines) + tail, cites, "strukturiert", [p.name for p in best])
