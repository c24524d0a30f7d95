"""Startet die Web-App: ``python app.py [--host H] [--port P] [--llm ollama:MODELL]`` – wie ``rag serve``.

Die App selbst liegt im Paket: :mod:`rag.web.app`.
"""

from rag.web.app import main

if __name__ == "__main__":
    main()
