"""Split the evaluation questions into dev and test by template, so that no twin crosses the split.

Questions written in template runs differ only by a name, a number or a word. Each question is *masked*
(project names, Länder, categories, places of the overview and numbers replaced by placeholders, folded,
function words dropped); questions of one type whose masked word sets overlap strongly (Jaccard ≥ 0.6)
belong to one group, and whole groups go to dev or test — about 40 % dev, stratified by type, in a fixed
order so that the split is reproducible. The ``blind`` split is never touched.

Example::

    >>> mask("Was ist das Motto von Guben?", ["Guben"])
    'motto <name>'
    >>> mask("Wie viele Großstädte gibt es in Bayern?", [], ["Bayern"], ["Großstädte"])
    '<kategorie> <land>'

Run ``python -m rag.evaluation.split`` to rewrite the ``split`` field of eval/questions.jsonl.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from rag.german import fold

DEV_SHARE = 0.4
SIMILAR = 0.6
STOPWORDS_FILE = "split_stopwords.txt"


@functools.cache
def function_words() -> frozenset[str]:
    """The words the mask drops: a frozen list of its own (``split_stopwords.txt``), so that changing the
    answer layer's stopwords never moves a question between dev and test."""
    text = (resources.files("rag.evaluation") / STOPWORDS_FILE).read_text(encoding="utf-8")
    words = " ".join(line for line in text.splitlines() if not line.startswith("#")).split()
    return frozenset(words) | {"welche", "welcher", "welches", "welchen", "wurde", "wurden", "werden", "gibt", "es"}


def mask(
    question: str,
    names: Iterable[str] = (),
    states: Iterable[str] = (),
    categories: Iterable[str] = (),
) -> str:
    """The question with entities and numbers replaced by placeholders, folded, function words dropped."""
    text = fold(question)
    for placeholder, values in (("<name>", names), ("<land>", states), ("<kategorie>", categories)):
        for v in sorted({fold(x) for x in values if x}, key=len, reverse=True):
            text = re.sub(rf"(?<![\w-]){re.escape(v)}\w*", f" {placeholder} ", text)
    text = re.sub(r"\d+", " <zahl> ", text)
    words = [w for w in re.findall(r"<\w+>|[a-z]+", text) if w not in function_words()]
    return " ".join(words)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def groups(rows: Sequence[dict[str, Any]], masks: Sequence[str]) -> list[list[int]]:
    """Indices of ``rows`` grouped: same type and similar masked wording (union-find)."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sets = [set(m.split()) for m in masks]
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if rows[i].get("type") == rows[j].get("type") and _jaccard(sets[i], sets[j]) >= SIMILAR:
                parent[find(i)] = find(j)
    out: dict[int, list[int]] = {}
    for i in range(len(rows)):
        out.setdefault(find(i), []).append(i)
    return list(out.values())


def assign(rows: list[dict[str, Any]], entities: dict[str, list[str]]) -> list[dict[str, Any]]:
    """New ``split`` values for all non-blind rows (the ``blind…`` rows unchanged)."""
    idx = [i for i, r in enumerate(rows) if not str(r.get("split")).startswith("blind")]
    sub = [rows[i] for i in idx]
    masks = [mask(r["question"], entities["names"], entities["states"], entities["categories"]) for r in sub]
    by_type: dict[str, list[list[int]]] = {}
    for g in groups(sub, masks):
        by_type.setdefault(str(sub[g[0]].get("type")), []).append(g)
    out = [dict(r) for r in rows]
    for _type, gs in sorted(by_type.items()):
        # a fixed pseudo-random order of the groups (by a hash of their ids), then fill dev to its share
        gs.sort(key=lambda g: hashlib.sha256(",".join(sub[i]["id"] for i in g).encode()).hexdigest())
        total = sum(len(g) for g in gs)
        dev = 0
        for g in gs:
            split = "dev" if dev + len(g) <= round(DEV_SHARE * total) or dev == 0 else "test"
            dev += len(g) if split == "dev" else 0
            for i in g:
                out[idx[i]]["split"] = split
    return out


def corpus_entities() -> dict[str, list[str]]:
    from rag.config import Config
    from rag.parse import BUNDESLAENDER, load_corpus
    from rag.types import CATEGORIES

    corpus = load_corpus(Config.from_env().corpus_dir)
    names = [p.name for p in corpus.projects] + [e.name for e in corpus.overview]
    names += [re.sub(r"^(Landkreis|Kreis|Gemeinde|Verband Region)\s+|\s*\(.*\)", "", n) for n in names]
    categories = [*CATEGORIES, "Großstadt", "Mittelstadt", "Kleinstadt", "Landkreis", "Kreis", "Landgemeinde"]
    categories += sorted({p.size_class for p in corpus.projects})
    return {"names": names, "states": list(BUNDESLAENDER), "categories": categories}


def main(argv: list[str] | None = None) -> int:
    from rag.resources import resource_dir

    path = Path(argv[0]) if argv else resource_dir("eval") / "questions.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    new = assign(rows, corpus_entities())
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in new), encoding="utf-8")
    counts: dict[str, int] = {}
    for r in new:
        counts[r["split"]] = counts.get(r["split"], 0) + 1
    print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
