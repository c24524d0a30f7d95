"""Benchmark harness for the Smart-Cities assistant (``rag eval``).

- ``rag.evaluation.metrics``   pure metric functions (hit@k, MRR, nDCG, fact recall, list F1, citations,
  abstention)
- ``rag.evaluation.baselines`` a naive LlamaIndex pipeline (no metadata, no structure) for comparison
- ``rag.evaluation.harness``   runs the assistant and the baselines over ``eval/questions.jsonl``
- ``rag.evaluation.report``    writes ``report.json``, ``report.md`` and ``report.png``

The data (questions, floors) stays in the repository's ``eval/`` folder and is bundled with the package
(:func:`rag.resources.resource_dir`).

Example::

    $ .venv/bin/python -m rag.evaluation.harness --split test --limit 20
"""
