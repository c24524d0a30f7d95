"""Records-only answers of ``rag.answer.structured`` added after the first mutation runs: the ranking by size
class ("Welche davon ist die kleinste?", "Ist X die kleinste Stadt?") and lists among the projects of the
previous answer. Hand-made records; ``Context.select`` is the real one. Written against surviving mutants
(issue #14)."""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace
from typing import Any

import pytest

from rag.answer.base import Context
from rag.answer.structured import answer_size_rank, size_order
from rag.types import CATEGORIES
from tests.mutant_fakes import chunk, project, query

GS, MS, KS, IK = CATEGORIES
NOTE = "Einwohnerzahlen nennt die Broschüre nicht für alle Projekte; sie ordnet sie aber Größenklassen zu."


@pytest.mark.parametrize(
    ("size_class", "rank"),
    [
        ("Große Großstadt", 3.5),
        ("Kleinere Großstadt", 3.0),
        ("Größere Mittelstadt", 2.5),
        ("Kleinere Mittelstadt", 2.0),
        ("Größere Kleinstadt", 1.5),
        ("Kleine Kleinstadt", 1.0),
        ("Größere Landgemeinde", 0.5),
        ("Landgemeinde", 0.0),
        ("Landkreis", None),
        ("Interkommunale Kooperationen/Landkreis", None),
    ],
)
def test_size_classes_rank_by_their_words(size_class: str, rank: float | None) -> None:
    assert size_order(size_class) == rank


def ranking_ctx() -> Any:
    ps = [
        project("Aa", category=GS, size_class="Große Großstadt", states=("Bayern",), page=10),
        project("Bb", category=GS, size_class="Kleinere Großstadt", states=("Hessen",), page=11),
        project("Cc", category=MS, size_class="Größere Mittelstadt", states=("Bayern",), page=12),
        project("Dd", category=KS, size_class="Kleine Kleinstadt", states=("Bayern",), page=13),
        project("Ee", category=KS, size_class="Kleine Kleinstadt", states=("Hessen",), page=14),
        project("Ff", category=IK, size_class="Landkreis", states=("Bayern",), page=15),
        project("Gg", category=IK, size_class="Interkommunale Kooperation", states=("Hessen",), page=16),
    ]
    corpus = SimpleNamespace(projects=ps, project=lambda n: next(p for p in ps if p.name == n))
    return SimpleNamespace(
        corpus=corpus,
        select=partial(Context.select, SimpleNamespace(corpus=corpus)),  # type: ignore[arg-type]
        header={p.name: chunk(f"{p.name}-h", p.name, kind="header", page=p.page) for p in ps},
    )


def rank(filters: dict[str, Any] | None = None, **kw: Any) -> Any:
    kw.setdefault("size_rank", "smallest")
    return answer_size_rank(ranking_ctx(), query(**kw), filters or {})


def line(name: str, size: str, state: str, page: int, n: int) -> str:
    return f"- {name} – {size}, {state} (S. {page}) [{n}]"


def test_the_smallest_of_a_selection_and_what_has_no_size_of_a_town() -> None:
    ans = rank(states=("Bayern",))
    assert ans.text == (
        f"{NOTE} Nach der Größenklasse ist Dd am kleinsten („Kleine Kleinstadt“):\n"
        + line("Dd", "Kleine Kleinstadt", "Bayern", 13, 1)
        + "\n\nOhne Größenklasse einer Stadt (Landkreis oder Kooperation): Ff."
    )
    assert (ans.projects, ans.mode, ans.answerable) == (("Dd",), "strukturiert", True)
    assert [(s.chunk_id, s.score) for s in ans.sources] == [("Dd-h", 1.0)]


def test_the_smallest_of_all_are_all_of_the_smallest_class() -> None:
    ans = rank()
    assert ans.text == (
        f"{NOTE} Nach der Größenklasse sind Dd und Ee am kleinsten („Kleine Kleinstadt“):\n"
        + line("Dd", "Kleine Kleinstadt", "Bayern", 13, 1)
        + "\n"
        + line("Ee", "Kleine Kleinstadt", "Hessen", 14, 2)
        + "\n\nOhne Größenklasse einer Stadt (Landkreis oder Kooperation): Ff und Gg."
    )


def test_the_largest_of_a_category_without_a_tail() -> None:
    ans = rank(size_rank="largest", categories=(GS,))
    assert ans.text == (
        f"{NOTE} Nach der Größenklasse ist Aa am größten („Große Großstadt“):\n"
        + line("Aa", "Große Großstadt", "Bayern", 10, 1)
    )


def test_the_filters_are_a_selection_too() -> None:
    ans = rank({"state": "Hessen"}, size_rank="largest", refers_back=True)
    assert ans.projects == ("Bb",) and ans.text.endswith("Gg.")


def test_two_named_projects_are_ranked_among_themselves() -> None:
    assert rank(projects=("Aa", "Dd")).projects == ("Dd",)
    assert rank(projects=("Aa", "Dd"), refers_back=True).projects == ("Dd",)
    assert rank(projects=("Aa", "Bb"), size_rank="largest", refers_back=True).projects == ("Aa",)


def test_davon_without_a_selection_to_point_to_is_asked_back() -> None:
    ans = rank(projects=("Aa",), refers_back=True)
    assert ans.text == (
        f"{NOTE} Auf welche Projekte sich die Frage bezieht, kann ich nicht erkennen; bitte nennen Sie sie. "
        "Dazu kann ich aus der Broschüre keine verlässliche Antwort geben."
    )
    assert ans.answerable is False
    assert not rank(refers_back=True).answerable


def test_only_landkreise_have_no_ranking() -> None:
    ans = rank(projects=("Ff", "Gg"), size_rank="largest")
    assert ans.text == f"{NOTE} Für die gefragten Projekte (Landkreise, Kooperationen) gibt es keine solche Stufung."
    assert (ans.projects, ans.sources, ans.mode, ans.answerable) == ((), (), "strukturiert", True)


def test_one_named_project_gets_a_yes_or_no() -> None:
    ans = rank(projects=("Dd",))
    assert ans.text == (
        f"{NOTE} Ja: Dd gehört zur Größenklasse „Kleine Kleinstadt“ [1]. "
        "Nach der Größenklasse sind Dd und Ee am kleinsten („Kleine Kleinstadt“):\n"
        + line("Dd", "Kleine Kleinstadt", "Bayern", 13, 1)
        + "\n"
        + line("Ee", "Kleine Kleinstadt", "Hessen", 14, 2)
    )  # the Landkreise are not listed when one project is asked about
    ans = rank(projects=("Bb",), size_rank="largest")
    assert ans.text.startswith(f"{NOTE} Nein: Bb gehört zur Größenklasse „Kleinere Großstadt“ [2]. Nach der ")
    assert [(s.chunk_id, s.score) for s in ans.sources] == [("Aa-h", 1.0), ("Bb-h", 1.0)]


def test_a_list_among_the_projects_named_before() -> None:
    from rag.answer.structured import answer_list

    ctx = ranking_ctx()
    ans = answer_list(ctx, query(intent="list", states=("Bayern",), among=("Aa", "Bb", "Dd")), {})
    assert ans.text == (
        "Davon (Modellprojekte in Bayern): 2 von 3 zuvor genannten Projekten:\n\n"
        + line("Aa", "Große Großstadt", "Bayern", 10, 1)
        + "\n"
        + line("Dd", "Kleine Kleinstadt", "Bayern", 13, 2)
    )
    assert (ans.projects, ans.mode) == (("Aa", "Dd"), "strukturiert")
    none = answer_list(ctx, query(intent="list", categories=(MS,), among=("Aa", "Bb")), {})
    assert none.text == "Keines der 2 zuvor genannten Projekte fällt unter „Mittelstädte“."
    assert (none.projects, none.sources, none.mode, none.answerable) == ((), (), "strukturiert", True)
