"""German question answering over the brochure „Modellprojekte Smart Cities 2021“.

>>> from rag import Assistant          # doctest: +SKIP
>>> a = Assistant.load()               # doctest: +SKIP
>>> a.ask("Welche Kleinstädte wurden 2021 gefördert?").text  # doctest: +SKIP
"""

from __future__ import annotations

import logging as _logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rag.assistant import Assistant

__all__ = ["Assistant"]


def __getattr__(name: str) -> Any:
    # Lazy: `import rag` stays cheap; the models load only in Assistant.load().
    if name == "Assistant":
        from rag.assistant import Assistant

        return Assistant
    raise AttributeError(name)


# Library logging: no output unless the application configures handlers (never a traceback on stderr).
_logging.getLogger("rag").addHandler(_logging.NullHandler())
