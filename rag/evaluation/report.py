"""Write the evaluation report: ``report.json`` (everything), ``report.md`` (German tables), ``report.png``.

The Markdown has the target table ("Ziel erreicht?") for the default system on the test split, the systems
side by side per split, per-question-type tables and the questions that went wrong.

Example::

    >>> paths = write_report(harness.run(assistant, questions), Path("eval/results"))   # doctest: +SKIP
    >>> [p.name for p in paths]                                                          # doctest: +SKIP
    ['report.json', 'report.md', 'report.png']
    >>> fmt(0.91234, "hit@3"), fmt(212.4, "latency_p95_ms"), fmt(None, "mrr")
    ('0.912', '212', '–')
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

METRIC_LABELS: dict[str, str] = {
    "n": "Fragen",
    "hit@1": "Treffer@1",
    "hit@3": "Treffer@3",
    "hit@5": "Treffer@5",
    "mrr": "MRR",
    "ndcg@5": "nDCG@5",
    "recall@5": "Recall@5",
    "recall@10": "Recall@10",
    "fact_recall": "Fakten-Recall",
    "forbidden_rate": "Verbotene Fakten (Anteil, ↓)",
    "list_precision": "Listen-Präzision",
    "list_recall": "Listen-Recall",
    "list_f1": "Listen-F1",
    "citation_precision": "Zitat-Präzision",
    "citation_recall": "Zitat-Recall",
    "abstention_precision": "Enthaltung: Präzision",
    "abstention_recall": "Enthaltung: Recall",
    "abstention_accuracy": "Enthaltung: Genauigkeit",
    "wrongly_declined": "Beantwortbar, aber abgelehnt (Anteil, ↓)",
    "german_share": "Anteil deutscher Antworten",
    "latency_p50_ms": "Latenz p50 (ms, warm)",
    "latency_p95_ms": "Latenz p95 (ms, warm)",
    "errors": "Fehler (Ausnahmen)",
}
OVERVIEW_KEYS = tuple(k for k in METRIC_LABELS if k != "n")
TYPE_KEYS = ("hit@3", "mrr", "recall@10", "fact_recall", "list_f1", "citation_precision",
             "abstention_accuracy", "german_share", "latency_p95_ms")  # fmt: skip
PLOT_KEYS = ("hit@3", "mrr", "ndcg@5", "recall@10", "fact_recall", "list_f1", "citation_precision",
             "abstention_accuracy")  # fmt: skip
SPLIT_LABELS = {
    "dev": "Entwicklung (dev)",
    "test": "Test (test)",
    "blind": "Blind (blind)",
    "blind2": "Blind, zweite Runde (blind2)",
    "blind3": "Blind, dritte Runde (blind3)",
    "blind4": "Blind, vierte Runde (blind4)",
    "blind5": "Blind, fünfte Runde (blind5)",
    "blind6": "Blind, sechste Runde (blind6)",
    "blind7": "Blind, siebte Runde (blind7)",
    "blind8": "Blind, achte Runde (blind8)",
    "blind9": "Blind, neunte Runde (blind9)",
    "blind10": "Blind, zehnte Runde (blind10)",
    "blind11": "Blind, elfte Runde (blind11)",
    "blind12": "Blind, zwölfte Runde (blind12)",
    "blind13": "Blind, dreizehnte Runde (blind13)",
    "blind14": "Blind, vierzehnte Runde (blind14)",
    "blind15": "Blind, fünfzehnte Runde (blind15)",
    "blind16": "Blind, sechzehnte Runde (blind16)",
    "blind17": "Blind, siebzehnte Runde (blind17)",
    "blind18": "Blind, achtzehnte Runde (blind18)",
    "alle": "Alle Fragen",
}
MAX_FAILURES = 60


def fmt(v: Any, key: str = "") -> str:
    """Numbers for the tables: 3 decimals, latencies in whole ms, ``–`` for undefined."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if key in ("n", "errors") or key.startswith("n_"):
        return str(int(v))
    if key.startswith("latency"):
        return f"{v:.0f}"
    return f"{v:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _labels(report: dict[str, Any]) -> dict[str, str]:
    return {s["name"]: s["label"] for s in report.get("systems", [])}


def markdown(report: dict[str, Any]) -> str:
    """The German Markdown report."""
    meta = report.get("meta", {})
    labels = _labels(report)
    lines = ["# Evaluationsbericht: Modellprojekte Smart Cities 2021", ""]
    nq = ", ".join(f"{sp}: {n}" for sp, n in meta.get("n_questions", {}).items())
    naive = next((s for s in report.get("systems", []) if s["name"] == "naive"), None)
    facts = [
        ("Erstellt", meta.get("created", "")),
        ("Befehl", f"`{meta.get('command', '')}`" if meta.get("command") else ""),
        ("Commit", meta.get("git_commit", "")),
        ("Embedding-Modell", meta.get("embedder", "")),
        ("Antwortmodus", meta.get("mode_label") or meta.get("llm") or "extraktiv"),
        ("Fragen je Split", nq),
        ("Indexaufbau (kalt, inkl. Laden)" if meta.get("fresh_index", True) else "Laden des Index",
         f"{meta['index_build_s']:.1f} s" if meta.get("index_build_s") is not None else "–"),
    ]  # fmt: skip
    if meta.get("index_build_reported_s"):
        facts.append(("davon Indexbau laut Assistent", f"{meta['index_build_reported_s']:.1f} s"))
    if naive and naive.get("build_s") is not None:
        facts.append(("Naiver Index (LlamaIndex)", f"{naive['build_s']:.1f} s, {naive.get('chunks')} Abschnitte"))
    if meta.get("load_avg_start"):
        la = meta["load_avg_start"], meta.get("load_avg_end") or ["?"]
        facts.append(("Systemlast (1 min, Beginn/Ende)", f"{la[0][0]} / {la[1][0]} bei {os.cpu_count()} Kernen"))
    lines += [f"- **{k}:** {v}" for k, v in facts if v]
    lines.append("")

    check = report.get("target_check", [])
    if check:
        sp = check[0].get("split") or "test"
        lines += [f"## Zielwerte (Standardsystem, Split {sp})", ""]
        rows = []
        for c in check:
            ok = {True: "✅ ja", False: "❌ nein", None: "– (nicht gemessen)"}[c["ok"]]
            op = "≥" if c["op"] == ">=" else "<"
            target = f"{op} {fmt(c['target'], c['metric'])}" + (" ms" if c["metric"].startswith("latency") else "")
            rows.append([c["label"], target, fmt(c["measured"], c["metric"]), ok])
        lines += [*_table(["Kennzahl", "Ziel", "Gemessen", "Ziel erreicht?"], rows), ""]

    for sp, by_sys in report.get("results", {}).items():
        names = list(by_sys)
        lines += [f"## {SPLIT_LABELS.get(sp, sp)}: Systeme im Vergleich", ""]
        rows = []
        for key in ("n", *OVERVIEW_KEYS):
            vals = [by_sys[n]["overall"].get(key) for n in names]
            if all(v is None for v in vals):
                continue
            rows.append([METRIC_LABELS[key], *(fmt(v, key) for v in vals)])
        lines += [*_table(["Kennzahl", *(labels.get(n, n) for n in names)], rows), ""]

        for name in names:
            by_type = by_sys[name]["by_type"]
            if name not in ("standard", "naive"):
                continue
            lines += [f"### {labels.get(name, name)} nach Fragetyp ({sp})", ""]
            rows = [[t, fmt(res["n"], "n"), *(fmt(res.get(k), k) for k in TYPE_KEYS)] for t, res in by_type.items()]
            ov = by_sys[name]["overall"]
            rows.append(["**gesamt**", fmt(ov["n"], "n"), *(fmt(ov.get(k), k) for k in TYPE_KEYS)])
            lines += [*_table(["Typ", "n", *(METRIC_LABELS[k] for k in TYPE_KEYS)], rows), ""]

        types = sorted({t for n in names for t in by_sys[n]["by_type"]})
        lines += [f"### Retrieval nach Fragetyp: Treffer@3 / Recall@10 ({sp})", ""]
        rows = []
        for t in types:
            cells = []
            for n in names:
                res = by_sys[n]["by_type"].get(t, {})
                cells.append(f"{fmt(res.get('hit@3'))} / {fmt(res.get('recall@10'))}")
            rows.append([t, *cells])
        lines += [*_table(["Typ", *(labels.get(n, n) for n in names)], rows), ""]

    for sp, items in report.get("failures", {}).items():
        lines += [f"## Auffällige Fragen, Standardsystem ({sp}): {len(items)}", ""]
        for f in items[:MAX_FAILURES]:
            q = f["question"].replace("\n", " ")
            lines.append(f"- `{f['id']}` ({f['type']}) „{q[:90]}“ – " + "; ".join(f["problems"]))
        if len(items) > MAX_FAILURES:
            lines.append(f"- … und {len(items) - MAX_FAILURES} weitere (siehe report.json)")
        lines.append("")
    if "test" in report.get("results", {}):
        lines += ["Für den zurückgehaltenen Split test werden bewusst keine Einzelfragen ausgewiesen "
                  "(nur Kennzahlen; Einzelergebnisse liegen lokal unter runs/).", ""]  # fmt: skip

    lines += [
        "## Lesehilfe",
        "",
        "- **Treffer@k / MRR / nDCG@5 / Recall@k:** Rangfolge der eindeutigen Projekte bzw. Abschnitte der "
        "Top-10-Treffer gegen die Gold-Projekte/-Abschnitte (nur beantwortbare Fragen mit Gold). Standardsystem: "
        "die Belege, auf die sich die Antwort stützt (`Assistant.retrieve` mit Verlauf und erkannten Filtern); "
        "BM25/Dense/Hybrid: der Retriever im jeweiligen Modus mit der Frage allein.",
        "- **Fakten-Recall:** Anteil der Pflichtfakten in der Antwort (Groß-/Kleinschreibung, Leerzeichen und "
        "Tausenderpunkte normalisiert; je Fakt genügt eine Variante). **Verbotene Fakten:** Anteil, der "
        "trotzdem vorkommt.",
        "- **Listen-F1:** bei Listenfragen die im Antworttext genannten Projekte (Name oder Kurzname, eigene "
        "Alias-Tabelle in rag/evaluation/metrics.py) gegen die Gold-Liste.",
        "- **Zitat-Präzision/-Recall:** zitierte Projekte/Abschnitte (Answer.sources) gegen Gold.",
        "- **Enthaltung:** „enthalten“ = Antwort als nicht beantwortbar markiert; positiv = enthalten.",
        "- **Latenz:** Dauer von `ask()` je Frage nach einem Aufwärmaufruf (warm).",
        "- **Naiv (LlamaIndex):** Rohtext, SentenceSplitter(512) ohne Metadaten, VectorStoreIndex, Top-5, "
        "Antwort = Sätze des besten Abschnitts; enthält sich nie.",
        "",
    ]
    return "\n".join(lines)


def plot(report: dict[str, Any], path: Path) -> Path:
    """Grouped bars of the headline metrics per system, one panel per split."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = {sp: r for sp, r in report.get("results", {}).items() if sp != "alle"} or report.get("results", {})
    labels = _labels(report)
    n_panels = max(len(results), 1)
    fig, axes = plt.subplots(n_panels, 1, figsize=(12, 4.2 * n_panels), squeeze=False)
    for ax, (sp, by_sys) in zip(axes[:, 0], results.items(), strict=False):
        names = list(by_sys)
        width = 0.8 / max(len(names), 1)
        for i, name in enumerate(names):
            overall = by_sys[name]["overall"]
            vals = [overall.get(k) for k in PLOT_KEYS]
            xs = [j + (i - (len(names) - 1) / 2) * width for j in range(len(PLOT_KEYS))]
            ax.bar(xs, [v if v is not None else 0.0 for v in vals], width, label=labels.get(name, name),
                   hatch=None)  # fmt: skip
            for x, v in zip(xs, vals, strict=True):
                if v is None:
                    ax.text(x, 0.01, "–", ha="center", va="bottom", fontsize=7, color="grey")
        ax.set_xticks(range(len(PLOT_KEYS)), [METRIC_LABELS[k] for k in PLOT_KEYS], rotation=20, ha="right")
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("Wert (0–1)")
        ax.set_title(f"Kennzahlen je System – {SPLIT_LABELS.get(sp, sp)}")
        ax.grid(axis="y", alpha=0.3)
    handles, names_ = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names_, loc="upper center", ncol=min(len(names_), 5), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / (4.2 * n_panels)))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_report(report: dict[str, Any], output: Path) -> list[Path]:
    """Write report.json, report.md and report.png into ``output``; returns the three paths."""
    output.mkdir(parents=True, exist_ok=True)
    public = {k: v for k, v in report.items() if not k.startswith("_")}
    json_path = output / "report.json"
    json_path.write_text(json.dumps(public, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    md_path = output / "report.md"
    md_path.write_text(markdown(public), encoding="utf-8")
    png_path = plot(public, output / "report.png")
    return [json_path, md_path, png_path]
