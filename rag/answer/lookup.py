"""Lookups about named projects: an attribute (Motto, Projekttitel, Land, Größenklasse, Seite) exactly from
the record, or — "Was plant X?" — a summary from the brochure's structure: title, motto and the project's
own measures parsed at parse time.

Example::

    >>> print(answer_lookup(ctx, parser.parse("Was ist das Motto von Guben?")).text)   # doctest: +SKIP
    Das Motto von Guben lautet „Ein kleiner Schritt für Europa, ein SMARTER für Guben“ [1].
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from rag.answer.base import Context, finish, merge, passage_hits, topic_words
from rag.answer.citations import Citations, join_names, quote
from rag.answer.evidence import has_quantity, quotes
from rag.german import STOPWORDS, fold, stem
from rag.items import label_series, labelled_items
from rag.text import split_sentences
from rag.types import Answer, Chunk, Project
from rag.understand import Query

MAX_MEASURES = 8


def answer_lookup(ctx: Context, q: Query) -> Answer:
    cites = Citations([])
    lines = []
    for name in q.projects:
        p = ctx.corpus.project(name)
        m = cites.cite(ctx.header[name], 1.0)
        if verdict := _record_verdict(q, p):
            lines.append(verdict)
        if q.town_of_district and q.town_of_district[1] == name:  # "Macht die Stadt Greifswald mit?"
            lines.append(f"Die Stadt {q.town_of_district[0]} ist kein eigenes Modellprojekt; gefördert wird der {name} {m}.")
        if q.asks_funded:  # "Wurde Konstanz 2021 gefördert?": yes, said before what it plans
            lines.append(f"Ja, {name} gehört zu den {len(ctx.corpus.projects)} Modellprojekten der Förderrunde 2021 {m}.")
        for a in q.attributes or ("summary",):
            if a == "motto":
                lines.append(f"Das Motto von {name} lautet {quote(p.motto)} {m}.")
            elif a == "title":
                extra = " (so steht der Titel in der Broschüre)" if len(p.title) <= 3 else ""
                lines.append(f"Der Projekttitel von {name} lautet {quote(p.title)}{extra} {m}.")
            elif a == "states":
                verb = "liegt in" if len(p.states) == 1 else "erstreckt sich über die Bundesländer"
                verdict = ("Ja, " if set(q.states) & set(p.states) else "Nein, ") if q.states else ""
                lines.append(f"{verdict}{name} {verb} {join_names(list(p.states))} {m}.")
            elif a == "size_class":
                asked = [c for c in (*q.categories, *q.size_classes) if c not in (p.category, p.size_class)]
                verdict = "Nein, " if asked and not {p.category, p.size_class} & {*q.categories, *q.size_classes} else ""
                verdict = verdict or ("Ja, " if q.categories or q.size_classes else "")
                if q.class_choice:
                    verdict = ""  # "Als Stadt oder als Landkreis?": the answer is the class, not yes or no
                lines.append(
                    f"{verdict}{name} gehört zur Kategorie {quote(p.category)}, Größenklasse {quote(p.size_class)} {m}."
                )
                if q.asks_size and (size := _size_sentence(ctx, p)):
                    unit, c = size  # "Wie groß ist X?": the class, and what the project's own text says of its size
                    lines.append(f"Dazu die Broschüre: {quote(unit)} {cites.cite(c, 1.0, unit)}")
                entry = next((e for e in ctx.corpus.overview if e.project == name), None)
                if q.overview and entry and entry.category != p.category and entry.category in ctx.overview_chunk:
                    mo = cites.cite(ctx.overview_chunk[entry.category], 1.0)
                    lines.append(f"In der Übersicht 2019–2021 steht {name} unter {quote(entry.label)} {mo}.")
            elif a == "page":
                lines.append(f"{name} wird ab Seite {p.page} der Broschüre vorgestellt {m}.")
            else:
                lines.append(summary(ctx, p, cites))
            if a in ("motto", "title") and q.asks_meaning and (told := _uses_of(ctx, p, p.motto if a == "motto" else p.title)):
                # "Was steckt hinter dem Titel „26“?": where the project's own text uses the words
                lines.append("Dazu die Broschüre:\n" + "\n".join(f"- {quote(u)} {cites.cite(c, 1.0, u)}" for u, c in told))
    return finish(q, "\n\n".join(lines), cites, "strukturiert", q.projects)


RECORD_LABELS = {"motto": "das Motto", "title": "der Projekttitel"}


def _record_verdict(q: Query, p: Project) -> str:
    """ "Ist „Die co-kreative Stadt“ das Motto von Detmold?": whether the quoted words are the asked field, or the
    other one; "Unterscheiden sich Titel und Motto?" when both are asked and they are the same ("" otherwise).

    >>> p = Project(name="X", category="", size_class="", states=(), title="Die Stadt", motto="Vorwärts", text="", page=1)
    >>> _record_verdict(Query(text="", intent="lookup", attributes=("motto",), phrase="Die Stadt", quoted=True), p)
    'Nein – „Die Stadt“ ist der Projekttitel von X.'
    >>> _record_verdict(Query(text="", intent="lookup", attributes=("motto",), phrase="vorwärts", quoted=True), p)
    'Ja.'
    >>> _record_verdict(Query(text="", intent="lookup", attributes=("motto",), phrase="Die Stadt"), p)  # an earlier turn
    ''
    """
    def bare(text: str) -> str:  # compared without case, umlauts and a final full stop
        return fold(text).strip(" .")

    values = {"motto": bare(p.motto), "title": bare(p.title)}
    asked = [a for a in q.attributes if a in values]
    if not asked:
        return ""
    if len(asked) == 2 and values["motto"] == values["title"]:
        return f"Projekttitel und Motto von {p.name} sind gleich."
    said = bare(q.phrase) if q.quoted else ""  # a phrase taken from the previous answer is no claim to check
    if not said:  # a quoted value beside the asked field is there to be checked
        return ""
    if any(values[a] == said for a in asked):
        return "Ja."
    other = next((a for a in values if a not in asked and values[a] == said), "")
    return f"Nein – {quote(q.phrase)} ist {RECORD_LABELS[other]} von {p.name}." if other else "Nein."


SIZE_WORDS = re.compile(r"einwohner|bürger|menschen|bevölkerung|\bqkm\b|km²|quadratkilometer|gemeinden\b|dörfer", re.I)


def _size_sentence(ctx: Context, p: Project) -> tuple[str, Chunk] | None:
    """The first sentence of the project's text that states its size in numbers ("… mit etwa 142.000 Einwohnern
    auf rund 1.150 qkm …"), with its passage; None if the text gives none."""
    for c in ctx.retriever.project_chunks(p.name):
        if c.kind != "passage":
            continue
        for unit, _ in quotes(c.text):
            if SIZE_WORDS.search(unit) and has_quantity(unit):
                return unit, c
    return None


MAX_USES = 3
MAX_USE_SHARE = 0.25  # a word of a title or motto that more projects than this use says nothing about its meaning


def _uses_of(ctx: Context, p: Project, value: str) -> list[tuple[str, Chunk]]:
    """Up to ``MAX_USES`` sentences of the project's passages that use a title's or motto's own words (a number, also
    as a year: "26" in "check.26" and "bis 2026"; a word of 4+ letters that few projects use, as a whole token)."""
    # the value's own words: not the project's name ("Guben" in a motto), not words most projects use ("Stadt")
    own = set(re.findall(r"\w+", fold(p.name)))
    tokens = [
        t
        for t in re.findall(r"\w+", fold(value))
        if (t.isdigit() or (len(t) >= 4 and t not in STOPWORDS and ctx.evidence.project_share(stem(t)) <= MAX_USE_SHARE))
        and t not in own
    ]
    if not tokens:
        return []
    # a number also as a year ("26" in "bis 2026"), a word only as a whole token
    alternatives = [rf"(?:20)?{re.escape(t)}" if t.isdigit() else re.escape(t) for t in tokens]
    pattern = re.compile(r"(?<![\w])(" + "|".join(alternatives) + r")(?![\w])")
    out: list[tuple[str, Chunk]] = []
    for c in ctx.retriever.project_chunks(p.name):
        if c.kind != "passage":
            continue
        for unit, _ in quotes(c.text):
            if pattern.search(fold(unit)) and unit.strip() not in (p.title, p.motto) and len(out) < MAX_USES:
                out.append((unit, c))
    return out


ABSENT_LEXICAL = 0.35  # no sentence of the project carries this share of the question's content …
ABSENT_COSINE = 0.86  # … nor is this close: the brochure says nothing about it for this project


def answer_plans_instead(ctx: Context, q: Query) -> Answer:
    """About one project, but its text does not carry the question: what the project plans; a yes/no question
    ("Baut Konstanz eine Seilbahn?") is first told that the brochure names nothing of it there, when not even
    a weak sentence touches it – and a yes/no or why question whose topic another project carries is told which."""
    name = q.projects[0]
    plans = answer_lookup(ctx, replace(q, attributes=()))
    if not (q.content_terms and (q.yes_no or q.why)):  # only a question that takes its topic as given
        return plans
    hits = passage_hits(ctx, name)
    best = ctx.evidence.best_sentences(q, hits, limit=1)
    if best and (best[0].lexical >= ABSENT_LEXICAL or best[0].cosine >= ABSENT_COSINE):
        return plans  # the project's own text touches it
    if (other := elsewhere(ctx, q)) is not None:
        return merge([other, replace(plans, text=f"Was {name} laut Broschüre plant:\n\n{plans.text}")])
    if not q.yes_no:
        return plans
    lead = f"Zum Stichwort {quote(topic_words(q))} nennt die Broschüre bei {name} nichts. Was {name} laut Broschüre plant:"
    return replace(plans, text=f"{lead}\n\n{plans.text}")


ELSEWHERE_LEXICAL = 0.6  # another project's sentence must carry this share of the question in its own words


def elsewhere(ctx: Context, q: Query) -> Answer | None:
    """What a yes/no or why question ties to the wrong project ("Warum will Guben eine Drohne nach Tunesien
    schicken?", the project's own text touching nothing of it): when another project's sentence carries most of it
    in the question's own words, that project and sentence, said as such; None otherwise."""
    if not q.content_terms or len(q.projects) != 1:
        return None
    ranked = ctx.evidence.rank_projects(replace(q, projects=()))
    if not ranked or ranked[0].hit.chunk.project in ("", q.projects[0]):
        return None
    best = ranked[0]
    if best.lexical < ELSEWHERE_LEXICAL or not ctx.evidence.names_directly(q, best.sentence):
        return None
    cites = Citations([])
    c = best.hit.chunk
    text = (
        f"Zum Stichwort {quote(topic_words(q))} nennt die Broschüre bei {q.projects[0]} nichts – wohl aber bei "
        f"{c.project} (S. {c.page}): {quote(best.sentence)} {cites.cite(c, best.score, best.sentence)}"
    )
    return finish(q, text, cites, "extraktiv", [c.project])


def answer_measure_count(ctx: Context, q: Query) -> Answer | None:
    """ "Wie viele Maßnahmen plant X?" when no sentence states the number but X lists its measures by label
    (A1 … A5, B1 … B6; Projekt 1 …): the labels counted, with the lines that carry them; None without such a list."""
    if not q.counts_measures:
        return None
    name = q.projects[0]
    for c in ctx.retriever.project_chunks(name):
        labels = labelled_items(c.text) if c.kind == "passage" else []
        if not labels:
            continue
        cites = Citations([])
        mark = cites.cite(c, 1.0)
        series: dict[str, list[str]] = {}
        for label in labels:
            series.setdefault(label_series(label), []).append(label)
        ranges = join_names([f"{s[0]}–{s[-1]}" for s in series.values()])
        units = [u for line in c.text.splitlines() for u in split_sentences(line)]
        lines = [u.strip(" -•") for u in units if any(re.search(rf"(?<![\w#]){re.escape(lb)}\b", u) for lb in labels)]
        text = (
            f"Eine Gesamtzahl nennt die Broschüre nicht; sie führt für {name} {len(labels)} nummerierte Vorhaben auf "
            f"({ranges}) {mark}:\n\n" + "\n".join(f"- {x if len(x) <= 200 else x[:199] + '…'}" for x in dict.fromkeys(lines))
        )
        return finish(q, text, cites, "extraktiv", [name])
    return None


REVERSE_MIN = 0.6  # similarity of a quoted phrase to a motto or title when the question says which it is


def answer_reverse(ctx: Context, q: Query) -> Answer | None:
    """ "Welches Projekt hat das Motto „…“?": the project whose motto or title matches the quoted text."""
    if not q.phrase:
        return None
    # a quoted phrase without the word "Motto" or "Titel" ("Zu welchem Projekt gehört der Spruch „…“?") counts
    # only when it holds a whole motto or title
    named = bool({"motto", "title"} & set(q.attributes))
    if not named and (q.attributes or not q.quoted):
        return None  # "In welchem Land liegt „…“?" asks for another record; a previous turn is no quote
    wanted = fold(q.phrase)
    if named and q.listing and not q.singular and len(wanted) <= 30:
        # "Welche Projekte haben das Wort „gemeinsam“ im Motto?": every motto (or title) that contains it
        attrs = [a for a in ("motto", "title") if a in q.attributes]
        found = [
            (p, a)
            for p in ctx.corpus.projects
            for a in attrs
            if re.search(rf"(?<!\w){re.escape(wanted)}", fold(p.motto if a == "motto" else p.title))
        ]
        if found:
            cites = Citations([])
            field_name = {"motto": "Motto", "title": "Projekttitel"}
            lines = [
                f"- {p.name}: {field_name[a]} {quote(p.motto if a == 'motto' else p.title)} {cites.cite(ctx.header[p.name], 1.0)}"
                for p, a in found
            ]
            names = list(dict.fromkeys(p.name for p, _ in found))
            head = f"{quote(q.phrase)} steht bei {len(names)} Projekt{'en' if len(names) > 1 else ''}:"
            return finish(q, head + "\n" + "\n".join(lines), cites, "strukturiert", names)
    best, score, attr = None, 0.0, ""
    for p in ctx.corpus.projects:
        for a, value in (("motto", p.motto), ("title", p.title)):
            v = fold(value)
            if len(v) < 4:
                continue
            inside = re.search(rf"(?<!\w){re.escape(v)}(?!\w)", wanted)  # as whole words, not "digital…isieren"
            r = 1.0 if inside else difflib.SequenceMatcher(None, wanted, v).ratio()
            if not inside and len(wanted.split()) >= 2 and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", v):
                r = max(r, 0.95)  # "gemeinsam smart": the words of one motto, as written there
            if not named and not inside:
                r = 0.0  # without "Motto" or "Titel" only a whole title or motto counts, not a phrase like one
            if r > score:
                best, score, attr = p, r, a
    if best is None or score < REVERSE_MIN:
        return None
    cites = Citations([])
    m = cites.cite(ctx.header[best.name], 1.0)
    label = "das Motto" if attr == "motto" else "der Projekttitel"
    value = best.motto if attr == "motto" else best.title
    text = (
        f"{quote(value)} ist {label} von {best.name} ({best.size_class}, {', '.join(best.states)}, S. {best.page}) {m}."
    )
    return finish(q, text, cites, "strukturiert", [best.name])


def summary(ctx: Context, p: Project, cites: Citations) -> str:
    """Title, motto and the project's measures, each quoted with its passage."""
    m = cites.cite(ctx.header[p.name], 1.0)
    head = (
        f"**{p.name}** ({p.size_class}, {', '.join(p.states)}, S. {p.page}) {m}: Projekttitel "
        f"{quote(p.title)}, Motto {quote(p.motto)}."
        + (f" Handlungsfelder (vom Assistenten zugeordnet): {', '.join(p.fields)}." if p.fields else "")
    )
    passages = [c for c in ctx.retriever.project_chunks(p.name) if c.kind == "passage"]
    lines = measure_lines(ctx, cites, p.name, list(p.measures)[:MAX_MEASURES])
    if lines:
        return head + "\n\nGeplant sind laut Broschüre unter anderem:\n" + "\n".join(lines)
    for c in passages:  # no parsed measures: the first whole sentences of the description
        units = [u for u, _ in quotes(c.text)][:2]
        if units:
            return head + "\n\n" + quote(" ".join(units)) + " " + cites.cite(c, 1.0, " ".join(units))
    return head


def related_measures(ctx: Context, q: Query, name: str, exclude: str = "", most: int = 4) -> list[str]:
    """The project's parsed measures that carry some of the question's content, best first."""
    covered = ctx.evidence.lexical(q)
    scored = [(covered(ctx.evidence.sentence_terms(m)), m) for m in ctx.corpus.project(name).measures]
    return [m for score, m in sorted(scored, key=lambda x: -x[0]) if score > 0 and m not in exclude][:most]


def measure_lines(ctx: Context, cites: Citations, name: str, measures: list[str]) -> list[str]:
    """ "- measure [n]" lines, each cited with the passage it stands in."""
    passages = [c for c in ctx.retriever.project_chunks(name) if c.kind == "passage"]
    lines = []
    for m in measures:
        head = " ".join(re.split(r" – |: ", m)[0].split())[:50]
        chunk = next((c for c in passages if head in " ".join(c.text.split())), passages[0] if passages else None)
        lines.append(f"- {m}" + (f" {cites.cite(chunk, 1.0, m)}" if chunk else ""))
    return lines
