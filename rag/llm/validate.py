"""Checks a model answer against its sources before the user sees it as the final answer.

An answer passes if it is non-empty German text, cites at least one source, every ``[n]`` points
to a given source, every project or place it names is backed by the sources (or only denied in a
sentence about a name from the question), every number in it occurs in the sources or the exact
answer, and – for exact answers from the records – it still names every project of the list.
Measured on a real small model (eval/results/llm.md), it must also:
- not repeat the prompt (its ``<<<QUELLEN``/``FAKTEN>>>`` markers or headings) instead of answering;
- answer a question for projects with projects: name at least one, and every item of an enumeration
  must be a project (not a partner city or a topic from the passage);
- keep each sentence to its sources: most content words of a sentence (beyond the question's) occur
  in the passages it cites (or, without a citation, in any source);
- speak about the projects, not as them: no first person ("wir planen") copied from the brochure;
- read as text: no sentence or phrase repeated in a loop, no letters of non-Latin scripts.

Example::

    >>> from rag.types import Source
    >>> src = (Source(1, "Guben", 31, "Kleinstädte und Landgemeinden", ("Brandenburg",), "Guben baut eine Plattform.", 0.9),)
    >>> names = {"Guben": ["guben"], "Bochum": ["bochum"]}
    >>> validate("Guben setzt auf eine Plattform [1].", src, names).ok
    True
    >>> validate("Guben setzt auf ein Stadion [1].", src, names).problems
    ['ein Satz steht so nicht in Quelle [1]']
    >>> validate("Guben [1] und Bochum [7].", src, names).problems
    ['Quelle [7] gibt es nicht', 'Bochum steht in keiner Quelle']
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from rag.german import fold as _fold  # the same folding as the parser's alias table
from rag.lang import is_german
from rag.types import Source

# Places the model might name although they are not 2021 projects: the 2019/2020 model projects of the
# brochure's overview and large German cities. (A name that appears in a source is always allowed.)
OTHER_PLACES: tuple[str, ...] = (
    "Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig", "Dortmund",
    "Essen", "Bremen", "Nürnberg", "Duisburg", "Bonn", "Bielefeld", "Mannheim", "Karlsruhe", "Wiesbaden",
    "Augsburg", "Aachen", "Kiel", "Lübeck", "Rostock", "Freiburg", "Darmstadt", "Gelsenkirchen", "Gütersloh",
    "Jena", "Kassel", "Mönchengladbach", "Paderborn", "Solingen", "Ulm", "Wolfsburg", "Bamberg", "Cottbus",
    "Gera", "Iserlohn", "Kaiserslautern", "Lohmar", "Barleben", "Eichenzell", "Grevesmühlen", "Hagenow",
    "Haßfurt", "Kirchheim", "Süderbrarup", "Zwönitz", "Aalen", "Heidenheim", "Brandis", "Bad Belzig",
    "Wiesenburg", "Schwerte", "Bitburg", "Prüm", "Fuchstal", "Plön", "Rendsburg", "Eckernförde", "Hof",
    "Mayen-Koblenz", "Koblenz", "St. Wendel", "Wunsiedel", "Lemgo", "Kalletal", "Osnabrück", "Magdeburg",
    "Erfurt", "Mainz", "Saarbrücken", "Schwerin", "Chemnitz", "Braunschweig", "Oldenburg", "Heidelberg",
    "Göttingen", "Trier", "Wien", "Zürich", "Paris", "London", "Amsterdam",
)  # fmt: skip

# the Länder: an answer that places a project in a Land must find that Land in its sources
LAENDER: tuple[str, ...] = (
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen", "Mecklenburg-Vorpommern",
    "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland", "Sachsen", "Sachsen-Anhalt",
    "Schleswig-Holstein", "Thüringen",
)  # fmt: skip

_CITE = re.compile(r"\[(\s*\d+(?:\s*[,;–-]\s*\d+)*\s*)\]")
_NUMBER = re.compile(r"(?<![\w\[])\d{1,3}(?:[.\s ]\d{3})+(?![\d])|(?<![\w\[])\d+(?:,\d+)?(?![\d\]])")
_ENUM = re.compile(r"^\s*\d+[.)]\s|(?<=[:;,]\s)\d+[.)]\s|(?<=\S\s)\d{1,2}[.)]\s(?=[A-ZÄÖÜ])", re.MULTILINE)
_NEGATION = re.compile(r"\b(nicht|kein|keine|keinen|keiner|keines|weder|nirgends)\b", re.IGNORECASE)
_ABSTAIN = re.compile(
    r"(enthält|nennt|gibt)\s+(die broschüre|die quellen)[^.]*\b(keine|nichts)\b|keine angaben|nicht enthalten|"
    r"lässt sich (den quellen|der broschüre) nicht entnehmen",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
# the prompt's own markers and headings: an answer that contains them repeats the prompt
_ECHO = re.compile(r"<<<|>>>|\b(QUELLEN|FAKTEN|FRAGE)\b|Quellen aus der Broschüre:|Bisheriges Gespräch")
_FIRST_PERSON = re.compile(r"\b(wir|uns|unser|unsere|unserer|unseren|unserem|unseres)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[„“\"»«][^„“\"»«\n]{0,300}[“\"«»]")
_NON_LATIN = re.compile(r"[\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# a question that asks for projects: "welche (…) Projekte/Großstädte/Kreise", "wie viele Projekte", "wer …"
_ASKS_PROJECTS = re.compile(
    r"^\s*wer\b|\b(welche[nrms]?|wie ?viele|nenne\w*|liste\w*)\s+(?:\S+\s+){0,2}?"
    r"(projekt\w*|modellprojekt\w*|\w*stadt|\w*stadte|kommunen?|gemeinden?|\w*kreise?|regionen?|orte?)\b"
)
# the header of a source block as the prompt shows it: "[2] Guben (Brandenburg, …), Seite 31:"
_SOURCE_HEADER = re.compile(r"\[\d+\][^\n\[\]]{1,120}\), Seite \d+:")
_QUOTE_VALUE = re.compile(r"„([^“”\n]{2,200})[“”]")
_LIST_LINE = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+(.+)$", re.MULTILINE)
_INLINE_ITEM = re.compile(r"(?:^|[\s:;,(])\d+[.)]\s+([^\d\n]{2,80}?)(?=\s+\d+[.)]\s|[\[\n]|$)")
SUPPORT_MIN = 0.5  # share of a sentence's own content terms that must occur in its cited passages
SUPPORT_MIN_TERMS = 1  # sentences with fewer own content terms are not judged
_CLAUSE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ\[„\"])|\n+")  # sentences and lines, "32.000" stays whole
# words every answer may use without a source (answer scaffolding, the brochure's own vocabulary)
FREE_WORDS = (
    "Projekt Projekte Projekts Modellprojekt Modellprojekte Stadt Städte Kommune Kommunen Gemeinde Gemeinden "
    "Kreis Kreise Landkreis Landkreise Region Broschüre Smart City Cities plant planen geplant will wollen soll "
    "sollen möchte möchten setzt setzen Ziel Ziele Quelle Quellen genannt nennt nennen beschrieben beschreibt "
    "Beispiel Beispiele unter anderem Rahmen Programm Programms gefördert fördert Förderung Bund lautet heißt "
    "gibt Angaben enthält"
)
ALWAYS_OK_NUMBERS = {"2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026", "2027", "2028", "2029", "2030"}


@dataclass(frozen=True)
class Validation:
    ok: bool
    problems: list[str] = field(default_factory=list)  # German, short; the first goes into the notice
    cited: tuple[int, ...] = ()
    named: tuple[str, ...] = ()  # canonical project names found in the answer
    abstains: bool = False  # the answer says the brochure does not contain it


def citations(text: str) -> list[int]:
    """All numbers cited as ``[n]``, ``[n, m]`` or ``[n–m]``, in order of appearance.

    >>> citations("A [1], B [2, 3], C [4–5] und [1]")
    [1, 2, 3, 4, 5, 1]
    """
    found: list[int] = []
    for m in _CITE.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1).strip()):
            bounds = [int(x) for x in re.split(r"\s*[–-]\s*", part) if x]
            if len(bounds) == 2 and 0 < bounds[1] - bounds[0] < 50:
                found.extend(range(bounds[0], bounds[1] + 1))
            else:
                found.extend(bounds)
    return found


def _name_patterns(
    project_names: Mapping[str, Iterable[str]], places: Iterable[str]
) -> list[tuple[re.Pattern[str], str]]:
    forms: dict[str, str] = {}
    for name in [*places, *OTHER_PLACES, *LAENDER]:
        forms.setdefault(_fold(name), name)
    for name, aliases in project_names.items():  # projects last: they win over a place of the same name
        for form in [name, *aliases]:
            if form and len(form) >= 3:
                forms[_fold(form)] = name
    ordered = sorted(forms.items(), key=lambda kv: -len(kv[0]))
    # letters and digits glue, "_" and other punctuation separate ("REGENSBURG_NEXT" names Regensburg)
    return [(re.compile(r"(?<![^\W_])(?<!-)" + re.escape(f) + r"(?![^\W_])(?!-)"), canon) for f, canon in ordered]


def named_places(
    text: str, project_names: Mapping[str, Iterable[str]], places: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(canonical name, folded sentence) for every project or known place named in ``text``."""
    found: list[tuple[str, str]] = []
    patterns = _name_patterns(project_names, places)
    for sentence in _SENTENCE.findall(text):
        s = _fold(sentence)
        for pattern, canon in patterns:
            if pattern.search(s):
                found.append((canon, s))
                s = pattern.sub(" ", s)  # "Kreis Höxter" must not count again as "Höxter"
    return found


def _norm_number(raw: str) -> str:
    raw = raw.strip()
    if re.fullmatch(r"\d{1,3}(?:[.\s ]\d{3})+", raw):
        return re.sub(r"\D", "", raw)
    return raw


def numbers(text: str) -> set[str]:
    """Numbers in ``text`` (thousands separators removed), without list enumerators and citations.

    >>> sorted(numbers("1. Guben hat 12.000 Einwohner und 3,5 Mio. Euro [2]"))
    ['12000', '3,5']
    """
    text = _ENUM.sub(" ", _CITE.sub(" ", text))
    return {_norm_number(m.group(0)) for m in _NUMBER.finditer(text)}


def validate(
    text: str,
    sources: Collection[Source],
    project_names: Mapping[str, Iterable[str]],
    *,
    required_projects: Iterable[str] = (),
    allowed_projects: Iterable[str] = (),
    question: str = "",
    facts: str = "",
    places: Iterable[str] = (),
) -> Validation:
    """Check a model answer; ``required_projects`` must all be named (exact list answers)."""
    problems: list[str] = []
    body = (text or "").strip()
    if not re.search(r"[^\W\d_]{2,}", body):
        return Validation(False, ["die Antwort war leer"])
    abstains = bool(_ABSTAIN.search(body))
    if not is_german(body):
        problems.append("die Antwort war nicht auf Deutsch")
    known = {s.n for s in sources}
    cited = citations(body)
    for n in dict.fromkeys(cited):
        if n not in known:
            problems.append(f"Quelle [{n}] gibt es nicht")
    if sources and not cited and not abstains:
        problems.append("die Antwort nennt keine Quellen")
    source_text = _fold(" ".join(s.snippet + " " + " ".join(s.states) for s in sources) + " " + facts)
    allowed = {s.project for s in sources if s.project} | set(allowed_projects)
    q = _fold(question)
    named: list[str] = []
    for canon, sentence in named_places(body, project_names, places):
        named.append(canon)
        if canon in allowed or re.search(r"(?<![\w-])" + re.escape(_fold(canon)) + r"(?![\w-])", source_text):
            continue
        aliases = [canon, *project_names.get(canon, [])]
        in_question = any(re.search(r"(?<![\w-])" + re.escape(_fold(a)) + r"(?![\w-])", q) for a in aliases if a)
        if in_question and _NEGATION.search(sentence):
            continue  # "Berlin wird in der Broschüre nicht genannt." is fine
        if canon not in problems:
            problems.append(f"{canon} steht in keiner Quelle")
    named_set = set(named)
    required = list(dict.fromkeys(required_projects))
    quoted = _QUOTE_VALUE.findall(facts) if required and len(facts.strip().splitlines()) == 1 else []
    if len(quoted) == 1:  # a one-line exact answer with a title or motto: the answer must keep it
        flat = _flat(_CITE.sub("", body))
        for value in quoted:
            if _flat(value) and _flat(value) not in flat:
                problems.append(f"es fehlt „{value.strip()[:60]}“ aus der exakten Antwort")
                break
    missing = [p for p in required if p not in named_set]
    if missing:
        problems.append("es fehlen Projekte der vollständigen Liste: " + ", ".join(missing[:5]))
    grounded = numbers(" ".join(s.snippet for s in sources) + " " + facts + " " + question)
    grounded |= {str(s.page) for s in sources} | {str(s.n) for s in sources} | ALWAYS_OK_NUMBERS
    bad_numbers = sorted(numbers(body) - grounded)
    if bad_numbers:
        problems.append("die Zahl " + bad_numbers[0] + " steht in keiner Quelle")
    problems.extend(_form_problems(body))
    if not abstains and question and _says_nothing_new(body, question, project_names):
        problems.append("die Antwort wiederholt nur die Frage")
    if not abstains:
        problems.extend(_role_problems(body, q, named, project_names))
        problems.extend(_support_problems(body, sources, question, project_names, facts))
    problems = list(dict.fromkeys(problems))
    return Validation(not problems, problems, tuple(cited), tuple(dict.fromkeys(named)), abstains)


def _passages(sources: Collection[Source], facts: str = "") -> dict[int, str]:
    """Folded text per source number: its snippet, project, category and states, plus every line of the
    exact answer ``facts`` that cites it."""
    by_n = {s.n: _fold(s.snippet + " " + " ".join(x for x in (s.project, s.category, *s.states) if x))
            for s in sources}  # fmt: skip
    for line in facts.splitlines():
        for n in dict.fromkeys(citations(line)):
            if n in by_n:
                by_n[n] += " " + _fold(line)
    return by_n


def attribute(
    text: str,
    sources: Collection[Source],
    project_names: Mapping[str, Iterable[str]],
    facts: str = "",
) -> str:
    """An answer that cites nothing gets ``[n]`` after each line or sentence one source clearly holds.

    Small models often copy the right facts but drop the numbers. A line that names a project gets the
    first source of that project; otherwise the source holding most of its content words (at least
    ``SUPPORT_MIN`` of them, and more than any other source). Lines no source holds stay uncited; the
    support check of ``validate`` judges the result like any model answer. Answers with a citation are
    returned unchanged.

    >>> from rag.types import Source
    >>> src = (Source(1, "Guben", 31, "", ("Brandenburg",), "Guben baut eine Bürgerplattform.", 0.9),)
    >>> attribute("Guben baut eine Bürgerplattform.", src, {"Guben": ["guben"]})
    'Guben baut eine Bürgerplattform [1].'
    """
    from rag.german import terms

    if citations(text) or not sources:
        return text
    by_n = _passages(sources, facts)
    first_of: dict[str, int] = {}
    for s in sorted(sources, key=lambda x: x.n):
        first_of.setdefault(s.project, s.n)
    patterns = _name_patterns(project_names, ())

    def source_for(piece: str) -> int | None:
        folded = _fold(piece)
        for pattern, canon in patterns:
            if canon in first_of and pattern.search(folded):
                return first_of[canon]
        own = list(dict.fromkeys(terms(piece)))
        if len(own) < 2:
            return None
        scores = sorted(((sum(t in p for t in own) / len(own), n) for n, p in by_n.items()), reverse=True)
        best, n = scores[0]
        if best >= SUPPORT_MIN and (len(scores) == 1 or scores[1][0] < best):
            return n
        return None

    def cite(m: re.Match[str]) -> str:
        piece = m.group(0)
        n = source_for(piece)
        if n is None or not piece.strip():
            return piece
        core = piece.rstrip()
        tail = piece[len(core) :]
        if core[-1:] in ".!?":
            return f"{core[:-1]} [{n}]{core[-1]}{tail}"
        return f"{core} [{n}]{tail}"

    return re.sub(r"[^.!?\n]+[.!?]?", cite, text)


def _flat(text: str) -> str:
    """Folded letters and digits only: quotes, dots and spaces do not matter when comparing values."""
    return re.sub(r"[^0-9a-z]", "", _fold(text))


def _form_problems(body: str) -> list[str]:
    """Prompt echo, first person, loops, foreign scripts."""
    problems = []
    if _ECHO.search(body) or _SOURCE_HEADER.search(body):
        problems.append("die Antwort wiederholt den Auftrag statt zu antworten")
    if _FIRST_PERSON.search(_QUOTED.sub(" ", body)):
        problems.append("die Antwort übernimmt die Wir-Form der Broschüre")
    if _NON_LATIN.search(body):
        problems.append("die Antwort enthält fremde Schriftzeichen")
    sentences = [" ".join(_fold(x).split()) for x in _SENTENCE.findall(_CITE.sub(" ", body))]
    sentences = [x.strip(" .!?") for x in sentences if len(x.split()) >= 4]
    if len(sentences) != len(set(sentences)) or _repeats(_fold(body).split()):
        problems.append("die Antwort wiederholt sich")
    return problems


def _says_nothing_new(body: str, question: str, project_names: Mapping[str, Iterable[str]]) -> bool:
    """Whether the answer has no content word beyond the question's (e.g. the question repeated)."""
    from rag.german import terms

    return not set(terms(_CITE.sub(" ", body))) - set(terms(question))


def _repeats(tokens: list[str], n: int = 6, times: int = 3) -> bool:
    """Whether some run of ``n`` words occurs ``times`` times (a generation loop)."""
    seen: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - n + 1):
        gram = tuple(tokens[i : i + n])
        seen[gram] = seen.get(gram, 0) + 1
        if seen[gram] >= times:
            return True
    return False


def _role_problems(body: str, q: str, named: list[str], project_names: Mapping[str, Iterable[str]]) -> list[str]:
    """A question for projects is answered with projects: at least one, and only projects as list items."""
    if not q or not _ASKS_PROJECTS.search(q):
        return []
    projects = [n for n in named if n in project_names]
    if not projects:
        return ["die Antwort nennt kein Modellprojekt"]
    patterns = _name_patterns(project_names, ())
    items = [m.group(1) for m in _LIST_LINE.finditer(body)] or [m.group(1) for m in _INLINE_ITEM.finditer(body)]
    for item in items:
        head = _fold(re.split(r"[:–(\[]| - ", item, maxsplit=1)[0])
        if not any(pattern.search(head) and canon in project_names for pattern, canon in patterns):
            shown = " ".join(re.split(r"[:–(\[]| - ", item, maxsplit=1)[0].split()[:4]).strip(" ,.;")
            return [f"„{shown}“ ist kein Modellprojekt"]
    return []


def _support_problems(
    body: str,
    sources: Collection[Source],
    question: str,
    project_names: Mapping[str, Iterable[str]],
    facts: str = "",
) -> list[str]:
    """Every sentence keeps to its cited passages (most of its own content terms occur there).

    A passage is the source's snippet plus every line of the exact answer ``facts`` that cites it.
    """
    from rag.german import terms

    by_n = _passages(sources, facts)
    # the exact answer's own statements (lines without [n], e.g. "2021 wurden 3 … gefördert:") hold for all
    own_facts = numbers(" ".join(line for line in facts.splitlines() if not citations(line)))
    everything = " ".join(by_n.values())
    free = set(terms(question)) | set(terms(FREE_WORDS))
    for name, aliases in project_names.items():
        for form in (name, *aliases):
            free.update(terms(form))
    pending = ""  # a sentence without a citation is judged with the next cited one ("A. B [1].")
    for sentence in [*_CLAUSE_SPLIT.split(body), ""]:
        numbers_cited = [n for n in citations(sentence) if n in by_n]
        if not numbers_cited and sentence.strip():
            pending += " " + sentence
            continue
        text = pending + " " + sentence
        pending = ""
        passage = " ".join(by_n[n] for n in numbers_cited) if numbers_cited else everything
        if numbers_cited:  # a number must stand in the passage the sentence cites
            have = numbers(passage) | {str(n) for n in numbers_cited} | ALWAYS_OK_NUMBERS | own_facts
            missing = sorted(numbers(text) - have - numbers(question))
            if missing:
                return [f"die Zahl {missing[0]} steht nicht in Quelle [{numbers_cited[0]}]"]
        own = [t for t in dict.fromkeys(terms(_CITE.sub(" ", text))) if t not in free and not t.isdigit()]
        if len(own) < SUPPORT_MIN_TERMS:
            continue
        found = sum(1 for t in own if t in passage)
        if found / len(own) < SUPPORT_MIN:
            where = f"Quelle [{numbers_cited[0]}]" if numbers_cited else "den Quellen"
            return [f"ein Satz steht so nicht in {where}"]
    return []
