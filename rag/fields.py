"""Handlungsfelder (fields of action) of a project, assigned at index time from its own text.

Each field has a list of German domain words in ``rag/handlungsfelder.txt`` (data, not code). A project's
text is read as units: title, motto, its measures (``Project.measures``, so planned things count twice)
and the sentences of its paragraphs. A word of the text hits a field when one of its stems (``terms``)
equals a lexicon stem, or when it is a longer word (5+ letters) containing a lexicon word as a part
("Radverkehrsnetz" contains "Radverkehr"). For each field:

- ``density``: hits per 100 words of all units together (normalised by text length);
- ``evidence``: the hits lie in at least ``MIN_SENTENCES`` distinct sentences of the paragraphs, or one
  title/motto/measure is clearly about the field (at least ``STRONG_HITS`` hits, or ``STRONG_SHARE``
  of its words).

A field is assigned when ``density >= threshold`` and there is evidence; fields come back in ``FIELDS``
order. Nothing here knows a project name or a fact of the brochure.

Worked example: a project titled "Smarte Mobilität im Quartier" with the motto "Gemeinsam mobil" and
the text "Wir bauen Radverkehr und ÖPNV aus. Eine Mobilitätsplattform verbindet Sharing-Angebote. Die
Bürgerinnen gestalten mit." has 13 content words (stop words such as "wir", "und", "im" do not count).
Mobilität hits "Mobilität", "mobil", "Radverkehr", "ÖPNV" and "Mobilitätsplattform" (a compound
containing "Mobilität"): 5 hits = 38 per 100 words, in two sentences and the title, so it is assigned.
Wohnen und Quartier hits only "Quartier", but in the title (1 of its 3 content words, a strong mention),
density 7.7: assigned too. "Plattform" hits Daten und Plattformen once, in one sentence and in no
title/motto/measure: no evidence, not assigned.

    >>> p = Project("X", "Großstädte", "Kleine Großstadt", ("Bayern",), "Smarte Mobilität im Quartier",
    ...             "Gemeinsam mobil", "Wir bauen Radverkehr und ÖPNV aus. Eine Mobilitätsplattform verbindet "
    ...             "Sharing-Angebote. Die Bürgerinnen gestalten mit.", 1)
    >>> assign_fields(p)
    ('Mobilität', 'Wohnen und Quartier')
    >>> s = field_scores(p)["Mobilität"]
    >>> (s.hits, s.words, s.sentences, s.strong)
    (5, 13, 2, True)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rag.german import fold, terms, words
from rag.text import split_sentences
from rag.types import Corpus, Project

FIELDS: tuple[str, ...] = (
    "Mobilität",
    "Energie und Klima",
    "Gesundheit und Pflege",
    "Bildung",
    "Verwaltung und Bürgerservice",
    "Beteiligung",
    "Daten und Plattformen",
    "Handel und Innenstadt",
    "Tourismus",
    "Wohnen und Quartier",
    "Nahversorgung und ländlicher Raum",
    "Sicherheit",
)
LEXICON_FILE = "handlungsfelder.txt"
THRESHOLD = 0.9  # hits per 100 words
MIN_SENTENCES = 2
STRONG_HITS = 2
STRONG_SHARE = 0.2
MIN_COMPOUND = 5  # a lexicon word counts inside a longer word of at least this many letters


@dataclass(frozen=True)
class LexiconWord:
    stem: str  # matched against the stems of whole words
    part: str  # the word as written (folded): matched inside longer words; "" = never


def _lexicon_word(word: str) -> LexiconWord | None:
    found = terms(word, keep_stopwords=True)
    if not found:
        return None
    stem = found[0]  # a hyphenated word is matched as one word ("E-Governance" -> "egovernanc")
    # inside compounds the written word is looked for, not its stem: the stem of "Einsamkeit" ("einsam")
    # would hit "gemeinsam", the stem of "Wohnen" ("wohn") "Einwohner"
    part = fold(word).replace("-", "")
    return LexiconWord(stem, part if len(part) >= 4 else "")


@lru_cache(maxsize=4)
def load_lexicon(text: str | None = None) -> dict[str, tuple[LexiconWord, ...]]:
    """Field -> lexicon words, from ``rag/handlungsfelder.txt`` (or from ``text``)."""
    if text is None:
        text = (resources.files("rag") / LEXICON_FILE).read_text(encoding="utf-8")
    lexicon: dict[str, tuple[LexiconWord, ...]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        field, sep, rest = line.partition(":")
        field = field.strip()
        if not sep or field not in FIELDS:
            raise ValueError(f"Handlungsfeld-Lexikon: unbekannte Zeile „{line[:60]}“")
        entries = [w for w in (_lexicon_word(x) for x in rest.split()) if w is not None]
        lexicon[field] = tuple(dict.fromkeys(entries))
    missing = [f for f in FIELDS if f not in lexicon]
    if missing:
        raise ValueError(f"Handlungsfeld-Lexikon: keine Wörter für {', '.join(missing)}")
    return lexicon


@dataclass(frozen=True)
class FieldScore:
    hits: int  # words of the text that hit the field
    words: int  # content words of the text (title, motto, measures, paragraphs)
    sentences: int  # distinct paragraph sentences with a hit
    strong: bool  # a title, motto or measure clearly about the field

    @property
    def density(self) -> float:
        return 100.0 * self.hits / self.words if self.words else 0.0


def _unit_words(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Per content word of ``text``: the word folded without hyphens, and its stems (a hyphenated word
    gives the whole and its parts)."""
    out = []
    for w in words(text):
        stems = terms(w)
        if stems:
            out.append((fold(w).replace("-", ""), tuple(stems)))
    return out


class _Matcher:
    """All fields' lexicon words at once. A text word (folded, hyphens removed) hits a lexicon word when one
    of its stems is the lexicon word's stem, or when it is a longer word (``MIN_COMPOUND`` letters or more)
    that contains the lexicon word as written. Stems are looked up in a dictionary, parts with one regex per
    field, and the result is cached per text word, so that assigning fields costs milliseconds."""

    def __init__(self, lexicon: Mapping[str, tuple[LexiconWord, ...]]) -> None:
        self.by_stem: dict[str, set[str]] = {}
        self.parts: dict[str, re.Pattern[str]] = {}
        for field, words_ in lexicon.items():
            for lw in words_:
                self.by_stem.setdefault(lw.stem, set()).add(field)
            parts = sorted({lw.part for lw in words_ if lw.part}, key=len)
            if parts:
                self.parts[field] = re.compile("(?=(" + "|".join(re.escape(x) for x in parts) + "))")
        self._cache: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}

    def fields(self, word: str, stems: tuple[str, ...]) -> frozenset[str]:
        key = (word, stems)
        got = self._cache.get(key)
        if got is None:
            hit = {f for st in stems for f in self.by_stem.get(st, ())}
            if len(word) >= MIN_COMPOUND:
                for field, rx in self.parts.items():
                    if field not in hit and any(len(m.group(1)) < len(word) for m in rx.finditer(word)):
                        hit.add(field)
            got = frozenset(hit)
            self._cache[key] = got
        return got


@lru_cache(maxsize=4)
def _default_matcher() -> _Matcher:
    return _Matcher(load_lexicon())


def field_scores(
    project: Project, lexicon: Mapping[str, tuple[LexiconWord, ...]] | None = None
) -> dict[str, FieldScore]:
    """Hits, length and evidence of every field in one project's text."""
    matcher = _default_matcher() if lexicon is None else _Matcher(lexicon)
    heads = [_unit_words(t) for t in (project.title, project.motto, *project.measures) if t]
    sentences = [_unit_words(s) for para in project.paragraphs for s in split_sentences(para)]
    n_words = sum(len(u) for u in heads) + sum(len(u) for u in sentences)
    head_sets = [[matcher.fields(w, st) for w, st in u] for u in heads]
    body_sets = [[matcher.fields(w, st) for w, st in u] for u in sentences]
    scores = {}
    for field in FIELDS:
        head_hits = [sum(field in fs for fs in u) for u in head_sets]
        body_hits = [sum(field in fs for fs in u) for u in body_sets]
        strong = any(
            h >= STRONG_HITS or (h and h >= STRONG_SHARE * len(u)) for h, u in zip(head_hits, heads, strict=True)
        )
        scores[field] = FieldScore(sum(head_hits) + sum(body_hits), n_words, sum(1 for h in body_hits if h), strong)
    return scores


def assign_fields(
    project: Project, threshold: float = THRESHOLD, lexicon: Mapping[str, tuple[LexiconWord, ...]] | None = None
) -> tuple[str, ...]:
    """The project's Handlungsfelder, in ``FIELDS`` order (see the module docstring)."""
    scores = field_scores(project, lexicon)
    return tuple(
        f
        for f in FIELDS
        if scores[f].density >= threshold and (scores[f].sentences >= MIN_SENTENCES or scores[f].strong)
    )


def load_table(path: Any) -> dict[str, tuple[str, ...]]:
    """A hand-labelled table {"project": ["Field", …], "_doc": "…"} without its "_doc" key."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return {k: tuple(v) for k, v in data.items() if not k.startswith("_")}


def agreement(corpus: Corpus | Iterable[Project], table: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """Per-field precision/recall/F1 of the projects' ``fields`` against a hand table, plus macro figures.

    Returns {"fields": {field: {"tp", "fp", "fn", "precision", "recall", "f1", "support"}}, "macro":
    {"precision", "recall", "f1"}, "projects": {name: {"assigned", "labelled"}}}. A field nobody has
    and nobody got counts precision and recall 1.0; projects missing from the table are skipped.
    """
    projects = corpus.projects if isinstance(corpus, Corpus) else tuple(corpus)
    counts = {f: [0, 0, 0] for f in FIELDS}  # tp, fp, fn
    per_project: dict[str, dict[str, list[str]]] = {}
    for p in projects:
        if p.name not in table:
            continue
        gold = set(table[p.name])
        got = set(p.fields)
        per_project[p.name] = {"assigned": list(p.fields), "labelled": [f for f in FIELDS if f in gold]}
        for f in FIELDS:
            counts[f][0] += f in got and f in gold
            counts[f][1] += f in got and f not in gold
            counts[f][2] += f in gold and f not in got
    out: dict[str, dict[str, float]] = {}
    for f, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[f] = {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    macro = {k: sum(v[k] for v in out.values()) / len(out) for k in ("precision", "recall", "f1")}
    return {"fields": out, "macro": macro, "projects": per_project}


def agreement_markdown(result: Mapping[str, Any]) -> str:
    """``agreement`` output as a markdown table (per field, then macro)."""
    lines = [
        "| Handlungsfeld | Projekte (Hand) | TP | FP | FN | Precision | Recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f, r in result["fields"].items():
        lines.append(
            f"| {f} | {r['support']} | {r['tp']} | {r['fp']} | {r['fn']} | "
            f"{r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} |"
        )
    m = result["macro"]
    lines.append(f"| **Makro** | | | | | **{m['precision']:.2f}** | **{m['recall']:.2f}** | **{m['f1']:.2f}** |")
    return "\n".join(lines) + "\n"


def agreement_report(result: Mapping[str, Any]) -> str:
    """A markdown page: the per-field table and, per project, where assignment and hand labels differ."""
    lines = [
        "# Handlungsfelder: automatische Zuordnung gegen Handlabels",
        "",
        "Zuordnung: `rag.fields.assign_fields` (Lexikon `rag/handlungsfelder.txt`, "
        f"Schwelle {THRESHOLD} Treffer je 100 Wörter, Beleg in ≥ {MIN_SENTENCES} Sätzen oder stark in "
        "Titel/Motto/Maßnahme). Handlabels: `tests/data/handlungsfelder.json` (vor dem Klassifikator festgelegt).",
        "Erzeugt mit `python -m rag.fields`.",
        "",
        agreement_markdown(result),
        "## Abweichungen je Projekt",
        "",
        "| Projekt | nur automatisch (FP) | nur Hand (FN) |",
        "|---|---|---|",
    ]
    for name, r in result["projects"].items():
        extra = [f for f in r["assigned"] if f not in r["labelled"]]
        missing = [f for f in r["labelled"] if f not in r["assigned"]]
        if extra or missing:
            lines.append(f"| {name} | {', '.join(extra) or '–'} | {', '.join(missing) or '–'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m rag.fields [corpus_dir] [table.json] [out.md]``: agreement with the hand table."""
    import sys
    from pathlib import Path

    from rag.parse import load_corpus

    args = sys.argv[1:] if argv is None else argv
    corpus_dir = Path(args[0]) if len(args) > 0 else Path("corpus")
    table_path = Path(args[1]) if len(args) > 1 else Path("tests/data/handlungsfelder.json")
    out = Path(args[2]) if len(args) > 2 else Path("eval/results/handlungsfelder.md")
    result = agreement(load_corpus(corpus_dir), load_table(table_path))
    out.write_text(agreement_report(result), encoding="utf-8")
    print(agreement_markdown(result), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
