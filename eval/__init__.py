"""Benchmark harness for the Smart-Cities assistant (``rag eval``).

- ``eval.metrics``   pure metric functions (hit@k, MRR, nDCG, fact recall, list F1, citations, abstention)
- ``eval.baselines`` a naive LlamaIndex pipeline (no metadata, no structure) for comparison
- ``eval.harness``   runs the assistant and the baselines over ``eval/questions.jsonl``
- ``eval.report``    writes ``report.json``, ``report.md`` and ``report.png``

Example::

    $ .venv/bin/python -m eval.harness --split test --limit 20
"""
