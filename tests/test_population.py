"""Population bounds read as the size classes of the records (``rag.population``, ``size_classes.txt``)."""

from __future__ import annotations

import pytest

from rag.german import fold
from rag.population import classes_within, load_size_bounds


@pytest.fixture(scope="module")
def bounds() -> dict[str, tuple[int, float]]:
    return load_size_bounds()


@pytest.mark.parametrize(
    ("text", "classes", "label"),
    [
        ("Orte mit weniger als 20.000 Einwohnern", {"Größere Kleinstadt", "Kleine Kleinstadt", "Landgemeinde"},
         "unter 20.000 Einwohnern"),
        ("Städte über 100 Tausend Einwohner", {"Große Großstadt", "Kleinere Großstadt"}, "ab 100.000 Einwohnern"),
        ("towns with more than 50000 inhabitants", {"Große Großstadt", "Kleinere Großstadt", "Größere Mittelstadt"},
         "ab 50.000 Einwohnern"),
        ("Kommunen von 10.000 bis 50.000 Einwohnern", {"Kleinere Mittelstadt", "Größere Kleinstadt"},
         "mit 10.000 bis 50.000 Einwohnern"),
        # a bound inside a class takes the classes it overlaps
        ("Städte mit mehr als 300.000 Einwohnern", {"Große Großstadt", "Kleinere Großstadt"}, "ab 300.000 Einwohnern"),
    ],
)  # fmt: skip
def test_a_bound_selects_the_classes_within_it(bounds, text: str, classes: set[str], label: str) -> None:
    found, span, said = classes_within(fold(text), bounds)
    assert set(found) == classes and span is not None and said == label


@pytest.mark.parametrize("text", ["Einbeck hat 32.000 Einwohner", "Wie viele Einwohner hat Guben?", "unter 100 Projekten"])
def test_a_population_without_a_bound_selects_nothing(bounds, text: str) -> None:
    assert classes_within(fold(text), bounds) == ((), None, "")


def test_the_file_defines_every_size_class_of_the_records(bounds, corpus) -> None:
    in_records = {p.size_class for p in corpus.projects if "/" not in p.size_class}
    assert in_records <= set(bounds)
    for lo, hi in bounds.values():
        assert lo < hi
