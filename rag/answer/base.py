"""What every answer strategy shares: the ``Context`` (records, chunks, retriever, evidence) and the two
ways an answer ends — ``finish`` (with notices for injections, cut questions, English) and ``abstain``.

Example::

    >>> from rag.understand import Query
    >>> abstain(Query(text="Wer ist Bürgermeister?", intent="unanswerable"), "Die Broschüre nennt keine Personen.").answerable
    False
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from rag.answer.citations import Citations, join_names, quote
from rag.answer.evidence import Evidence, quotes
from rag.german import terms
from rag.retrieve import Retriever
from rag.types import Answer, Chunk, Corpus, Hit, Project, Source
from rag.understand import Query

TRUNCATED_NOTICE = "Hinweis: Die Frage war sehr lang und wurde gekürzt."
INJECTION_NOTICE = "Hinweis: Anweisungen in der Frage wurden ignoriert; beantwortet wird nur die Sachfrage."


@dataclass
class Context:
    """The records and indexes the strategies read (built once per Assistant)."""

    corpus: Corpus
    retriever: Retriever
    evidence: Evidence = field(init=False)
    header: dict[str, Chunk] = field(init=False)
    section_chunks: dict[str, Chunk] = field(init=False)
    overview_chunk: dict[str, Chunk] = field(init=False)

    def __post_init__(self) -> None:
        chunks = self.retriever.chunks
        self.evidence = Evidence(self.retriever, measure_chunks(self.corpus, chunks))
        self.header = {c.project: c for c in chunks if c.kind == "header"}
        self.section_chunks = {}
        for c in chunks:
            if c.kind in ("section", "overview"):
                self.section_chunks.setdefault(c.section, c)
        self.overview_chunk = {c.category: c for c in chunks if c.kind == "overview"}

    def select(
        self,
        categories: Iterable[str] = (),
        states: Iterable[str] = (),
        size_classes: Iterable[str] = (),
        filters: dict[str, Any] | None = None,
    ) -> list[Project]:
        """The projects of the given categories, Länder and size classes (all when none is given)."""
        # None: no constraint; an empty set (question and filter contradict each other): nothing fits
        cats: set[str] | None = set(categories) or None
        sts: set[str] | None = set(states) or None
        sizes = set(size_classes)
        filters = filters or {}
        if filters.get("category"):
            cats = cats & {filters["category"]} if cats is not None else {filters["category"]}
        if filters.get("state"):
            sts = sts & {filters["state"]} if sts is not None else {filters["state"]}
        left_out = set(filters.get("exclude") or ())  # "außer Guben"
        return [
            p
            for p in self.corpus.projects
            if p.name not in left_out
            and (cats is None or p.category in cats)
            and (sts is None or sts & set(p.states))
            and (not sizes or p.size_class in sizes)
            and (not filters.get("multi_state") or len(p.states) > 1)
        ]

    def first_section_chunk(self, key: str, containing: str = "") -> Chunk | None:
        """The first chunk of a general section (optionally the first whose text contains a string)."""
        return next(
            (c for c in self.retriever.chunks if c.section == key and (not containing or containing in c.text)), None
        )


def leaving_out(q: Query, filters: dict[str, Any]) -> dict[str, Any]:
    """The filters plus the projects the question leaves out ("außer Guben", "nur die Landkreise": their
    category's cooperations), each once; the filters themselves when it leaves none out."""
    if not (q.excluded_projects or q.part_left_out):
        return filters
    return {**filters, "exclude": list(dict.fromkeys((*filters.get("exclude", ()), *q.excluded_projects, *q.part_left_out)))}


def passage_hits(ctx: Context, project: str) -> list[Hit]:
    """Every passage of one project as a hit, for scoring all of its sentences (no retrieval rank)."""
    return [Hit(c, 0.0) for c in ctx.retriever.project_chunks(project) if c.kind == "passage"]


def measure_chunks(corpus: Corpus, chunks: list[Chunk]) -> dict[str, tuple[str, ...]]:
    """chunk id -> the measures of its project whose beginning stands in that chunk."""
    out: dict[str, list[str]] = {}
    for p in corpus.projects:
        passages = [c for c in chunks if c.project == p.name and c.kind == "passage"]
        for m in p.measures:
            head = " ".join(re.split(r" – |: ", m)[0].split())[:50]
            chunk = next((c for c in passages if head in " ".join(c.text.split())), None)
            if chunk is not None:
                out.setdefault(chunk.id, []).append(m)
    return {k: tuple(v) for k, v in out.items()}


def finish(q: Query, text: str, cites: Citations, mode: str, projects: Iterable[str], notice: str = "") -> Answer:
    notices = [notice] if notice else []
    if q.injection:
        notices.append(INJECTION_NOTICE)
    if q.truncated:
        notices.append(TRUNCATED_NOTICE)
    if q.english:
        notices.append("Antwort auf Deutsch, da die Broschüre deutsch ist.")
    return Answer(
        text=text,
        sources=tuple(cites.sources),
        mode=mode,
        intent=q.intent,
        answerable=True,
        projects=tuple(dict.fromkeys(projects)),
        notice=" ".join(notices),
    )


def topic_words(q: Query) -> str:
    """The question's own words for its topic, as one span when they stand together ("digitalen Zwilling").

    >>> topic_words(Query(text="Vergleiche X und Y beim digitalen Zwilling", intent="compare",
    ...                   content_terms=("digital", "zwilling")))
    'digitalen Zwilling'
    >>> topic_words(Query(text="X und Y rücken den digitalen Zwilling in den Fokus", intent="compare",
    ...                   content_terms=("ruck", "digital", "zwilling"), verbs=("ruck",)))
    'digitalen Zwilling'
    """
    asked = set(t for t in q.content_terms if t not in q.background) or set(q.content_terms)
    if asked <= set(q.verbs):  # "… planen einen digitalen Zwilling. Wofür wird er eingesetzt?": the preamble's topic
        asked = set(q.content_terms)
    asked = {t for t in asked if t not in q.verbs} or asked  # "rücken … in den Fokus" frames, "Zwilling" is the topic
    found = [m for m in re.finditer(r"[\wäöüÄÖÜß-]{3,}", q.text) if set(terms(m.group(0))) & asked]
    if not found:
        return "Thema der Frage"
    span = q.text[found[0].start() : found[-1].end()]
    if len(span.split()) <= len(found) + 2:
        return span
    return join_names(list(dict.fromkeys(m.group(0) for m in found))[:3])


def renumber(text: str, number: dict[int, int]) -> str:
    """ "[n]" -> "[number[n]]" throughout ``text``."""

    def sub(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f"[{number.get(n, n)}]"

    return re.sub(r"\[(\d+)\]", sub, text)


def merge(answers: list[Answer]) -> Answer:
    """One answer from the answers to the parts of a two-part question: texts in order, markers renumbered,
    a passage that both parts cite cited once.

    >>> a = Answer("A [1]", sources=(Source(1, "X", 1, "", (), "s", 1.0, chunk_id="x"),))
    >>> b = Answer("B [1] [2]", sources=(Source(1, "Y", 2, "", (), "t", 1.0, chunk_id="y"),
    ...                                  Source(2, "X", 1, "", (), "s", 1.0, chunk_id="x")))
    >>> m = merge([a, b]); m.text.split(), [s.n for s in m.sources]
    (['A', '[1]', 'B', '[2]', '[1]'], [1, 2])
    """
    sources: list[Source] = []
    texts: list[str] = []
    for i, a in enumerate(answers):
        quoted = re.findall(r"„(.{20,}?)“ \[", a.text)
        if texts and quoted and quoted[0] in "\n".join(texts):
            continue  # the part's best sentence already answers the part before: said once
        if i > 0 and a.text == answers[0].text and a.sources == answers[0].sources:
            continue  # both parts read as the same question: one answer
        number: dict[int, int] = {}
        for s in a.sources:
            same = next((x for x in sources if s.chunk_id and x.chunk_id == s.chunk_id), None)
            if same is None:
                same = replace(s, n=len(sources) + 1)
                sources.append(same)
            number[s.n] = same.n
        texts.append(renumber(a.text, number))
    first = answers[0]
    return replace(
        first,
        text="\n\n".join(texts),
        sources=tuple(sources),
        answerable=any(a.answerable for a in answers),
        projects=tuple(dict.fromkeys(p for a in answers for p in a.projects)),
        notice=" ".join(dict.fromkeys(a.notice for a in answers if a.notice)),
    )


def abstain(q: Query, reason: str) -> Answer:
    text = f"{reason} Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."
    notices = ["Hinweis: Anweisungen in der Frage wurden ignoriert."] if q.injection else []
    if q.truncated:
        notices.append(TRUNCATED_NOTICE)
    return Answer(text=text, mode="extraktiv", intent="unanswerable", answerable=False, notice=" ".join(notices))


# a sentence of the one project asked about that carries this share of the question's content in its own words is
# what the brochure says on the matter (as ``lookup.ABSENT_LEXICAL``; closeness in meaning alone is not enough here)
SAID_LEXICAL = 0.35


def abstain_with_context(ctx: Context, q: Query) -> Answer:
    """A decline, with what the brochure does say on the matter, quoted and cited: asked when or how far one named
    project has come, its sentence on it ("Ist das Gesundheitszentrum in Linz inzwischen gebaut?" – what Linz planned,
    as of 2021), else the general sections' sentence when there is one ("keine Fördersummen einzelner Projekte" + what the brochure
    says about the programme's money)."""
    plain = abstain(q, q.reason)
    if len(q.projects) == 1 and q.content_terms and (q.schedule or q.since_brochure):
        said = ctx.evidence.best_sentences(q, passage_hits(ctx, q.projects[0]), limit=1)
        if said and said[0].lexical >= SAID_LEXICAL and ctx.evidence.names_directly(q, said[0].sentence):
            cites = Citations([])
            c = said[0].hit.chunk
            mark = cites.cite(c, said[0].score, said[0].sentence)
            text = f"{plain.text}\n\nDie Broschüre (Stand 2021) sagt dazu über {q.projects[0]} (S. {c.page}): {quote(said[0].sentence)} {mark}"
            return replace(plain, text=text, sources=tuple(cites.sources))
    if not q.instead:
        return plain
    wanted = set(terms(q.instead))
    best, best_chunk, score = "", None, 0
    for hit in ctx.retriever.retrieve(q.instead, k=4, filters={"kind": "section"}):
        for sentence, _ in quotes(hit.chunk.text):
            got = len(wanted & set(terms(sentence)))
            if got > score and re.search(r"\d", sentence) and len(sentence.split()) >= 5:
                best, best_chunk, score = sentence, hit.chunk, got
    if best_chunk is None or score < 2:
        return plain
    cites = Citations([])
    mark = cites.cite(best_chunk, 1.0, best)
    text = f"{plain.text}\n\nZum Programm insgesamt heißt es: {quote(best)} {mark}"
    return replace(plain, text=text, sources=tuple(cites.sources))
