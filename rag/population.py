"""Population bounds in a question ("Städte unter 100.000 Einwohnern") as the size classes of the records.

The brochure sorts every town into a size class (Große Großstadt, Kleinere Mittelstadt …) but gives few
populations. The classes are the BBSR's Stadt- und Gemeindetypen, defined by population; their bounds are
data (``size_classes.txt``), so a bound in a question selects the classes that lie within it.

Example::

    >>> bounds = load_size_bounds()
    >>> classes_within("welche stadte unter 100.000 einwohner sind dabei", bounds)[0]
    ('Größere Mittelstadt', 'Kleinere Mittelstadt', 'Größere Kleinstadt', 'Kleine Kleinstadt', 'Landgemeinde')
    >>> classes_within("orte mit mehr als 50000 einwohnern", bounds)[0]
    ('Große Großstadt', 'Kleinere Großstadt', 'Größere Mittelstadt')
    >>> classes_within("zwischen 20.000 und 50.000 einwohnern", bounds)[::2]
    (('Kleinere Mittelstadt',), 'mit 20.000 bis 50.000 Einwohnern')
"""

from __future__ import annotations

import re
from importlib import resources

SIZE_CLASSES_FILE = "size_classes.txt"
_NUMBER = r"(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:\s*(tausend|tsd\.?))?"
_PEOPLE = r"\s*(einwohner\w*|ew\b|menschen|bewohner\w*|leute|inhabitants|residents|people)"
BELOW = r"unter|weniger als|bis zu|bis|hochstens|maximal|kleiner als|under|fewer than|less than|below"
ABOVE = r"uber|mehr als|mindestens|ab|grosser als|more than|over|above|at least"
BOUND = re.compile(rf"\b(?P<dir>{BELOW}|{ABOVE})\s+{_NUMBER}{_PEOPLE}")
RANGE = re.compile(rf"\b(zwischen|von|mit|between)\s+{_NUMBER}\s+(und|bis|and|to)\s+{_NUMBER}{_PEOPLE}")


# a bound given by a class instead of a number: "unterhalb der Großstädte", "größer als eine Kleinstadt"
# ("unter den Großstädten" is "among them", no bound)
RELATIVE = re.compile(
    r"\b(?P<dir>unterhalb|kleiner als|oberhalb|grosser als|smaller than|larger than|bigger than)\s+"
    r"(?:(?:der|den|die|dem|einer|eine|einem|einen|the|a)\s+)?(?P<kind>gross|mittel|klein)(?:stadt|stadte|stadten)\b"
)


def load_size_bounds(text: str | None = None) -> dict[str, tuple[int, float]]:
    """{size class: (lower, upper)} from the data file (or from ``text``); upper is exclusive."""
    if text is None:
        text = (resources.files("rag") / SIZE_CLASSES_FILE).read_text(encoding="utf-8")
    bounds: dict[str, tuple[int, float]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        name, _, rest = line.partition(":")
        low, high = rest.split()
        bounds[name.strip()] = (int(low), float("inf") if high == "-" else float(high))
    return bounds


def _number(digits: str, thousand: str | None) -> int:
    value = int(re.sub(r"[.\s]", "", digits))
    return value * 1000 if thousand else value


def _de(n: float) -> str:
    return f"{int(n):,}".replace(",", ".")


def classes_within(
    folded: str, bounds: dict[str, tuple[int, float]]
) -> tuple[tuple[str, ...], tuple[int, int] | None, str]:
    """The size classes that lie within the population bound the (folded) text names, the bound's span and the
    bound in German words; ``((), None, "")`` when it names none. A bound that cuts a class ("über 300.000")
    takes every class it overlaps: the brochure gives too few populations to tell which of its towns qualify."""
    m = RANGE.search(folded)
    low: float
    high: float
    if m:
        low, high = _number(m.group(2), m.group(3)), _number(m.group(5), m.group(6))
    else:
        m = BOUND.search(folded)
        if not m:
            return (), None, ""
        n = _number(m.group(2), m.group(3))
        below = re.fullmatch(BELOW, m.group("dir")) is not None
        low, high = (0, n) if below else (n, float("inf"))
    overlapping = tuple(c for c, (lo, hi) in bounds.items() if lo < high and hi > low)
    if high == float("inf"):
        label = f"ab {_de(low)} Einwohnern"
    elif low == 0:
        label = f"unter {_de(high)} Einwohnern"
    else:
        label = f"mit {_de(low)} bis {_de(high)} Einwohnern"
    return overlapping, m.span(), label


def classes_relative(
    folded: str, bounds: dict[str, tuple[int, float]]
) -> tuple[tuple[str, ...], tuple[int, int] | None, str]:
    """The size classes below or above a kind of town the (folded) text names ("unterhalb der Großstädte"), as
    :func:`classes_within` returns them; the kind's bounds are those of its classes in the data file.

    >>> classes_relative("alle projekte unterhalb der grossstadte", load_size_bounds())[0][:2]
    ('Größere Mittelstadt', 'Kleinere Mittelstadt')
    >>> classes_relative("welche sind grosser als eine kleinstadt", load_size_bounds())[::2]
    (('Große Großstadt', 'Kleinere Großstadt', 'Größere Mittelstadt', 'Kleinere Mittelstadt'), 'größer als Kleinstädte')
    """
    m = RELATIVE.search(folded)
    if not m:
        return (), None, ""
    kind = {"gross": "Großstadt", "mittel": "Mittelstadt", "klein": "Kleinstadt"}[m.group("kind")]
    own = [b for c, b in bounds.items() if c.endswith(kind)]
    if not own:
        return (), None, ""
    below = m.group("dir") in ("unterhalb", "kleiner als", "smaller than")
    edge: float
    if below:
        edge = min(lo for lo, _ in own)
        chosen = tuple(c for c, (_, hi) in bounds.items() if hi <= edge)
    else:
        edge = max(hi for _, hi in own)
        chosen = tuple(c for c, (lo, _) in bounds.items() if lo >= edge)
    label = f"{'kleiner' if below else 'größer'} als {kind[:-5]}städte"
    return chosen, m.span(), label
