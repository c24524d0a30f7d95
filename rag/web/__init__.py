"""The Gradio web app: :mod:`rag.web.app` (the app and its handlers, ``rag serve``), :mod:`rag.web.render`
(pure rendering and input helpers) and :mod:`rag.web.feedback` (👍/👎 in a JSONL file).
"""
