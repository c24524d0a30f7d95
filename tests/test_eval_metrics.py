"""Hand-computed small cases for rag.evaluation.metrics (fast)."""

from __future__ import annotations

import doctest
import math

import pytest

from rag.evaluation import metrics as M


def test_doctests() -> None:
    result = doctest.testmod(M)
    assert result.failed == 0 and result.attempted > 20


def test_ranking_metrics_hand_computed() -> None:
    ranked = ["Dresden", "Guben", "Bochum", "Einbeck", "Konstanz", "Potsdam"]
    gold = ["Guben", "Konstanz", "Kreis Höxter"]
    assert M.hit_at_k(ranked, gold, 1) == 0.0
    assert M.hit_at_k(ranked, gold, 2) == 1.0
    assert M.mrr(ranked, gold) == 0.5
    assert M.recall_at_k(ranked, gold, 5) == pytest.approx(2 / 3)
    assert M.recall_at_k(ranked, gold, 1) == 0.0
    # DCG = 1/log2(3) + 1/log2(6); IDCG = 1 + 1/log2(3) + 1/log2(4)
    dcg = 1 / math.log2(3) + 1 / math.log2(6)
    idcg = 1 + 1 / math.log2(3) + 0.5
    assert M.ndcg_at_k(ranked, gold, 5) == pytest.approx(dcg / idcg)
    assert M.ndcg_at_k(["Guben"], ["Guben"], 5) == 1.0
    assert M.ndcg_at_k([], ["Guben"], 5) == 0.0
    assert M.mrr([], ["Guben"]) == 0.0


def test_align_criteria_to_gold() -> None:
    assert M.align_to_gold(["k3", "einleitung", "k4"], ["bewertungskriterien"]) == [
        "bewertungskriterien",
        "einleitung",
    ]
    assert M.align_to_gold(["bewertungskriterien"], ["k7"]) == ["k7"]
    assert M.align_to_gold(["k7"], ["k7", "bewertungskriterien"]) == ["k7"]


@pytest.mark.parametrize(
    ("fact", "text", "expected"),
    [
        ("142.000", "rund 142 000 Einwohner", True),
        ("142 000", "rund 142.000 Einwohner", True),
        ("142000", "rund 142\u00a0000 Einwohner", True),
        ("142.000", "rund 142\u202f000 Einwohner", True),
        ("19.000", "119.000 Menschen", False),
        ("28", "seit 2028", False),
        ("28", "28 Projekte", True),
        ("Smart City Charta", "die smart\u00a0city   charta", True),
        ("Gemeinsam aus der Krise", "„Gemeinsam aus der Krise“", True),
        ("Datenplattform", "eine Plattform", False),
        ("1,5", "1,5 Mio.", True),
    ],
)
def test_fact_present(fact: str, text: str, expected: bool) -> None:
    assert M.fact_present(fact, text) is expected


def test_required_and_forbidden_facts() -> None:
    text = "Der Kreis Höxter hat etwa 142.000 Einwohner auf 1.150 qkm."
    assert M.required_fact_recall([["142000"], ["1 150 qkm", "1150 km²"], ["Ostwestfalen"]], text) == pytest.approx(
        2 / 3
    )
    assert M.required_fact_recall(["142 000"], text) == 1.0  # a bare string is one fact
    assert M.required_fact_recall([[""]], text) is None
    assert M.forbidden_fact_rate(["Einbeck", "142.000", "Guben", "Dresden"], text) == 0.25
    assert M.forbidden_fact_rate([], text) is None


def test_mentioned_projects_aliases() -> None:
    text = (
        "Gefördert: Halle, Linz, Höxter, Gießen, Kusel, Hameln, Ringelai, Vorpommern-Greifswald, "
        "Schleswig-Flensburg, Rhein-Neckar und Kempten."
    )
    assert M.mentioned_projects(text) == {
        "Halle (Saale)",
        "Linz am Rhein",
        "Kreis Höxter",
        "Landkreis Gießen",
        "Landkreis Kusel",
        "Landkreis Hameln-Pyrmont",
        "Gemeinde Ringelai und Ilzer Land",
        "Landkreis Vorpommern-Greifswald",
        "Kreis Schleswig-Flensburg",
        "Verband Region Rhein-Neckar",
        "Kempten (Allgäu)",
    }
    assert M.mentioned_projects("Ilzer Land") == {"Gemeinde Ringelai und Ilzer Land"}
    assert M.mentioned_projects("Wuerzburg und Muenster") == {"Würzburg", "Münster"}
    # word boundaries: no match inside other words
    assert M.mentioned_projects("Stadthalle, Gubener Straße, Oberhausener, Sachsen-Anhalt") == set()
    assert len(M.CANONICAL_PROJECTS) == 28


def test_list_prf_hand_computed() -> None:
    p, r, f = M.list_prf({"Guben", "Einbeck", "Dresden"}, {"Guben", "Linz am Rhein"})
    assert (p, r) == (pytest.approx(1 / 3), 0.5)
    assert f == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))
    assert M.list_prf(set(), {"Guben"}) == (0.0, 0.0, 0.0)


def test_citations() -> None:
    assert M.citation_pr(["Guben", "Guben", "Dresden", "k2"], ["Guben", "bewertungskriterien"]) == (
        pytest.approx(2 / 3),
        1.0,
    )
    assert M.citation_pr(["Dresden"], ["Guben", "Bochum"]) == (0.0, 0.0)
    assert M.citation_pr([], []) == (None, None)


def test_abstention_hand_computed() -> None:
    pairs = [(True, True), (True, True), (True, False), (False, True), (False, False), (False, False)]
    s = M.abstention_scores(pairs)
    assert s == {"precision": pytest.approx(2 / 3), "recall": pytest.approx(2 / 3), "accuracy": pytest.approx(4 / 6)}
    assert M.abstention_scores([]) == {"precision": None, "recall": None, "accuracy": None}


def test_is_german() -> None:
    assert M.is_german("Im Kreis Höxter wird eine digitale Plattform für die Bürger aufgebaut.")
    assert not M.is_german("The district of Höxter is building a digital platform for the citizens.")
    assert M.is_german("Guben [1]")


def test_percentile_and_mean() -> None:
    assert M.percentile([5.0], 95) == 5.0
    assert M.percentile(list(range(1, 101)), 50) == pytest.approx(50.5)
    assert M.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert M.percentile([], 50) is None
    assert M.mean([]) is None
