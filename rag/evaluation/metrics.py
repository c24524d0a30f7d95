"""Pure metric functions for the benchmark: retrieval ranking, answer facts, lists, citations, abstention.

Everything here is independent of the rest of ``rag`` (own alias table, own text normalisation) so that
the harness judges the system from the outside. All functions are pure and cheap.

Worked example — a list question "Welche Kleinstädte wurden gefördert?" (gold: Guben, Linz am Rhein)::

    >>> ranked = unique_ranked(["Guben", "Guben", "", "Einbeck", "Linz am Rhein"])
    >>> ranked
    ['Guben', 'Einbeck', 'Linz am Rhein']
    >>> hit_at_k(ranked, ["Guben", "Linz am Rhein"], 1), recall_at_k(ranked, ["Guben", "Linz am Rhein"], 2)
    (1.0, 0.5)
    >>> answer = "Gefördert wurden Guben [1] und Linz [2] mit 19.000 Bürger*innen."
    >>> sorted(mentioned_projects(answer))
    ['Guben', 'Linz am Rhein']
    >>> list_prf(mentioned_projects(answer), ["Guben", "Linz am Rhein"])
    (1.0, 1.0, 1.0)
    >>> required_fact_recall([["19 000", "neunzehntausend"], ["Kleinstadt"]], answer)
    0.5
    >>> is_german(answer)
    True
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

# --------------------------------------------------------------------------------------------------
# Ranking metrics (binary relevance over ranked, de-duplicated keys: project names or section keys)
# --------------------------------------------------------------------------------------------------


def unique_ranked(items: Iterable[str]) -> list[str]:
    """Keep the first occurrence of each non-empty key, in rank order.

    >>> unique_ranked(["a", "", "b", "a", "c"])
    ['a', 'b', 'c']
    """
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def hit_at_k(ranked: Sequence[str], gold: Iterable[str], k: int) -> float:
    """1.0 if any gold key is among the first ``k`` ranked keys, else 0.0.

    >>> hit_at_k(["a", "b", "c"], {"c"}, 2), hit_at_k(["a", "b", "c"], {"c"}, 3)
    (0.0, 1.0)
    """
    g = set(gold)
    return 1.0 if any(r in g for r in ranked[:k]) else 0.0


def mrr(ranked: Sequence[str], gold: Iterable[str]) -> float:
    """Reciprocal rank of the first gold key (0.0 when none is ranked).

    >>> mrr(["a", "b", "c"], {"b", "c"})
    0.5
    >>> mrr(["a"], {"z"})
    0.0
    """
    g = set(gold)
    for i, r in enumerate(ranked, start=1):
        if r in g:
            return 1.0 / i
    return 0.0


def ndcg_at_k(ranked: Sequence[str], gold: Iterable[str], k: int = 5) -> float:
    """Binary-relevance nDCG@k: DCG = sum rel_i / log2(i + 1), normalised by the ideal ranking.

    >>> ndcg_at_k(["a", "b"], {"a"}, 5)
    1.0
    >>> round(ndcg_at_k(["x", "a"], {"a"}, 5), 4)   # 1/log2(3)
    0.6309
    """
    g = set(gold)
    if not g:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, r in enumerate(ranked[:k], start=1) if r in g)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(g), k) + 1))
    return dcg / ideal


def recall_at_k(ranked: Sequence[str], gold: Iterable[str], k: int) -> float:
    """Share of the gold keys found among the first ``k`` ranked keys (for multi-gold questions).

    >>> recall_at_k(["a", "b", "c"], ["a", "c", "d", "e"], 3)
    0.5
    """
    g = set(gold)
    if not g:
        return 0.0
    return len(g & set(ranked[:k])) / len(g)


# --------------------------------------------------------------------------------------------------
# Text normalisation and facts
# --------------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009\u200a]+")
_THOUSANDS = re.compile(r"(?<=\d)[.\u00a0\u202f\u2009\u2007' ](?=\d{3}(?!\d))")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                         "\u201e": '"', "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u00ad": None})  # fmt: skip


def normalize(text: str) -> str:
    """Case-fold, NFC, unify dashes/quotes, drop soft hyphens, collapse all spaces, join digit groups.

    Thousands separators ("142.000", "142 000", "142\u00a0000", "1.150.000") become plain digits,
    decimal commas stay ("1,5").

    >>> normalize("Rund  142.000\u00a0Einwohner – 1,5 Mio.")
    'rund 142000 einwohner - 1,5 mio.'
    >>> normalize("142 000") == normalize("142.000") == "142000"
    True
    """
    text = unicodedata.normalize("NFC", text).translate(_DASHES)
    text = _SPACES.sub(" ", text)
    text = _THOUSANDS.sub("", text)
    return text.casefold().strip()


def _fact_pattern(fact: str) -> re.Pattern[str] | None:
    f = normalize(fact)
    if not f:
        return None
    left = r"(?<!\d)" if f[0].isdigit() else ""
    right = r"(?!\d)" if f[-1].isdigit() else ""
    return re.compile(left + re.escape(f) + right)


def fact_present(fact: str, text: str) -> bool:
    """Case-insensitive substring test after :func:`normalize`; numbers must not continue into digits.

    >>> fact_present("142.000", "etwa 142 000 Einwohner"), fact_present("28", "seit 2028")
    (True, False)
    >>> fact_present("digitaler Zwilling", "Ein Digitaler  Zwilling der Stadt")
    True
    """
    pat = _fact_pattern(fact)
    return bool(pat and pat.search(normalize(text)))


def required_fact_recall(required: Sequence[Sequence[str] | str], text: str) -> float | None:
    """Share of required facts present; each fact is a list of alternatives (any one suffices).

    ``None`` when there is nothing to check.

    >>> required_fact_recall([["Brandenburg"], ["S. 31", "Seite 31"]], "Guben (Brandenburg), Seite 31")
    1.0
    >>> required_fact_recall([], "x") is None
    True
    """
    facts = [[f] if isinstance(f, str) else list(f) for f in required]
    facts = [f for f in facts if any(a.strip() for a in f)]
    if not facts:
        return None
    found = sum(1 for alts in facts if any(fact_present(a, text) for a in alts))
    return found / len(facts)


def forbidden_fact_rate(forbidden: Sequence[str], text: str) -> float | None:
    """Share of forbidden facts that do appear in the answer (lower is better); ``None`` if none given.

    >>> forbidden_fact_rate(["Einbeck", "Dresden"], "Guben und Einbeck")
    0.5
    """
    facts = [f for f in forbidden if f.strip()]
    if not facts:
        return None
    return sum(1 for f in facts if fact_present(f, text)) / len(facts)


# --------------------------------------------------------------------------------------------------
# Projects mentioned in an answer (own alias table, independent of rag's matching)
# --------------------------------------------------------------------------------------------------

PROJECT_ALIASES: dict[str, tuple[str, ...]] = {
    "Bochum": ("Bochum",),
    "Dresden": ("Dresden",),
    "Halle (Saale)": ("Halle (Saale)", "Halle/Saale", "Halle an der Saale", "Halle"),
    "Hannover": ("Hannover",),
    "Hildesheim": ("Hildesheim",),
    "Münster": ("Münster",),
    "Oberhausen": ("Oberhausen",),
    "Pforzheim": ("Pforzheim",),
    "Potsdam": ("Potsdam",),
    "Regensburg": ("Regensburg",),
    "Wuppertal": ("Wuppertal",),
    "Würzburg": ("Würzburg",),
    "Detmold": ("Detmold",),
    "Einbeck": ("Einbeck",),
    "Geestland": ("Geestland",),
    "Kempten (Allgäu)": ("Kempten (Allgäu)", "Kempten"),
    "Konstanz": ("Konstanz",),
    "Mühlhausen": ("Mühlhausen",),
    "Guben": ("Guben",),
    "Linz am Rhein": ("Linz am Rhein", "Linz"),
    "Landkreis Gießen": ("Landkreis Gießen", "Gießen"),
    "Landkreis Hameln-Pyrmont": ("Landkreis Hameln-Pyrmont", "Hameln-Pyrmont", "Hameln"),
    "Kreis Höxter": ("Kreis Höxter", "Höxter"),
    "Landkreis Kusel": ("Landkreis Kusel", "Kusel", "Kuseler Musikantenland"),
    "Gemeinde Ringelai und Ilzer Land": ("Gemeinde Ringelai und Ilzer Land", "Ringelai", "Ilzer Land"),
    "Landkreis Vorpommern-Greifswald": ("Landkreis Vorpommern-Greifswald", "Vorpommern-Greifswald"),
    "Kreis Schleswig-Flensburg": ("Kreis Schleswig-Flensburg", "Schleswig-Flensburg"),
    "Verband Region Rhein-Neckar": ("Verband Region Rhein-Neckar", "Region Rhein-Neckar", "Rhein-Neckar"),
}
CANONICAL_PROJECTS: tuple[str, ...] = tuple(PROJECT_ALIASES)

_UMLAUT_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUT_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_alias_regex: list[tuple[str, re.Pattern[str]]] = []


def _alias_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Compiled lazily (no work at import time): one word-bounded regex per canonical project."""
    if not _alias_regex:
        for name, aliases in PROJECT_ALIASES.items():
            variants: set[str] = set()
            for a in aliases:
                low = a.casefold()
                variants |= {low, low.translate(_UMLAUT_ASCII), low.translate(_UMLAUT_PLAIN)}
            alt = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
            _alias_regex.append((name, re.compile(rf"(?<![\w-])(?:{alt})(?![\w])")))
    return _alias_regex


def mentioned_projects(text: str) -> set[str]:
    """Canonical names of the 2021 projects named in ``text`` (by full name or alias, word-bounded).

    >>> sorted(mentioned_projects("Höxter, Hameln und die Region Rhein-Neckar; nicht die Stadthalle."))
    ['Kreis Höxter', 'Landkreis Hameln-Pyrmont', 'Verband Region Rhein-Neckar']
    >>> sorted(mentioned_projects("Kuseler Musikantenland und Giessen"))
    ['Landkreis Gießen', 'Landkreis Kusel']
    """
    t = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).casefold()
    return {name for name, pat in _alias_patterns() if pat.search(t)}


def list_prf(mentioned: Iterable[str], gold: Iterable[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the mentioned projects against the gold list.

    Empty mentioned and empty gold count as perfect; otherwise an empty side scores 0.

    >>> list_prf({"Guben", "Einbeck"}, {"Guben", "Linz am Rhein"})
    (0.5, 0.5, 0.5)
    >>> list_prf(set(), set())
    (1.0, 1.0, 1.0)
    """
    m, g = set(mentioned), set(gold)
    if not m and not g:
        return 1.0, 1.0, 1.0
    tp = len(m & g)
    p = tp / len(m) if m else 0.0
    r = tp / len(g) if g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# --------------------------------------------------------------------------------------------------
# Citations
# --------------------------------------------------------------------------------------------------

_CRITERION_KEY = re.compile(r"^k\d{1,2}$")


def _key_matches(cited: str, gold: str) -> bool:
    """A cited criterion ``k7`` satisfies gold ``bewertungskriterien`` and vice versa."""
    if cited == gold:
        return True
    return (bool(_CRITERION_KEY.match(cited)) and gold == "bewertungskriterien") or (
        cited == "bewertungskriterien" and bool(_CRITERION_KEY.match(gold))
    )


def align_to_gold(ranked: Iterable[str], gold: Iterable[str]) -> list[str]:
    """Map each ranked key onto the gold key it satisfies (``k7`` -> ``bewertungskriterien``), de-duplicated.

    >>> align_to_gold(["k7", "k3", "Guben"], ["bewertungskriterien"])
    ['bewertungskriterien', 'Guben']
    """
    g = list(gold)
    out = []
    for r in ranked:
        out.append(r if r in g else next((y for y in g if _key_matches(r, y)), r))
    return unique_ranked(out)


def citation_pr(cited: Iterable[str], gold: Iterable[str]) -> tuple[float | None, float | None]:
    """Precision (cited keys that are gold) and recall (gold keys cited); ``None`` where undefined.

    Keys are project names or section keys; criteria ``k1``…``k12`` match ``bewertungskriterien``.

    >>> citation_pr(["Guben", "Dresden"], ["Guben"])
    (0.5, 1.0)
    >>> citation_pr(["k7"], ["bewertungskriterien"])
    (1.0, 1.0)
    >>> citation_pr([], ["Guben"])
    (None, 0.0)
    """
    c = unique_ranked(cited)
    g = unique_ranked(gold)
    precision = sum(1 for x in c if any(_key_matches(x, y) for y in g)) / len(c) if c else None
    recall = sum(1 for y in g if any(_key_matches(x, y) for x in c)) / len(g) if g else None
    return precision, recall


# --------------------------------------------------------------------------------------------------
# Abstention, language, latency, aggregation
# --------------------------------------------------------------------------------------------------


def abstention_scores(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | None]:
    """From (should_abstain, did_abstain) pairs: precision, recall (abstention = positive), accuracy.

    >>> abstention_scores([(True, True), (True, False), (False, True), (False, False)])
    {'precision': 0.5, 'recall': 0.5, 'accuracy': 0.5}
    >>> abstention_scores([(False, False)])
    {'precision': None, 'recall': None, 'accuracy': 1.0}
    """
    tp = fp = fn = tn = 0
    for should, did in pairs:
        if should and did:
            tp += 1
        elif did:
            fp += 1
        elif should:
            fn += 1
        else:
            tn += 1
    n = tp + fp + fn + tn
    return {
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "accuracy": (tp + tn) / n if n else None,
    }


_GERMAN = frozenset(
    "der die das und ist nicht ein eine einer eines einen dem den des mit für auf im in zu zur zum von "
    "wird werden wurde wurden sind sich auch als bei aus nach über unter durch oder sowie dass es sie "
    "wir diese dieser dieses keine kein noch nur hat haben projekt projekte stadt kreis gefördert".split()
)
_ENGLISH = frozenset(
    "the and is are was were not a an of to in for on with by from this that these those it its "
    "which who what there their has have be been project projects city funded no only or".split()
)
_WORDS = re.compile(r"[^\W\d_]+")


def is_german(text: str) -> bool:
    """Stopword vote: German unless clearly more English than German function words.

    Short texts without any function words count as German (nothing English about them).

    >>> is_german("Die Stadt plant einen digitalen Zwilling."), is_german("The city is planning a twin.")
    (True, False)
    """
    words = [w.casefold() for w in _WORDS.findall(text)]
    de = sum(1 for w in words if w in _GERMAN)
    en = sum(1 for w in words if w in _ENGLISH)
    return de >= en


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolation percentile (like numpy's default); ``None`` for no values.

    >>> percentile([10, 20, 30, 40], 50), percentile([10, 20, 30, 40], 95)
    (25.0, 38.5)
    """
    if not values:
        return None
    xs = sorted(float(v) for v in values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean over defined values; ``None`` when nothing is defined.

    >>> mean([1.0, None, 0.0]), mean([None])
    (0.5, None)
    """
    xs = [float(v) for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None
