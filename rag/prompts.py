"""Prompt files in ``prompts/`` and the one function that fills them in: ``render``.

The files are bundled with the package (:func:`rag.resources.resource_dir`).

Format: ``string.Template`` – placeholders are ``$name`` or ``${name}``, a literal dollar sign is
``$$``. Rendering is strict: every placeholder needs a value, every value needs a placeholder,
otherwise ``PromptError``. Values are inserted verbatim (a ``$`` inside a value is not expanded).

=======================  ==========================================  ==============================
file                     purpose                                     variables
=======================  ==========================================  ==============================
``system.txt``           German system prompt (rules, citations)    –
``answer.txt``           question + numbered sources                 history, sources, question
``answer_structured.txt``  rephrase an exact answer from the records  history, facts, sources, question
``condense.txt``         rewrite a follow-up question                history, question
=======================  ==========================================  ==============================

Example::

    >>> "[1]" in render("system")
    True
    >>> "Guben" in render("condense", history="Nutzer: Was macht Guben?", question="Und wie viel Geld?")
    True
    >>> try:
    ...     render("condense", question="Wo?")
    ... except PromptError as exc:
    ...     print(exc)
    Prompt „condense“: Wert fehlt für $history
"""

from __future__ import annotations

import re
from string import Template

from rag.resources import resource_dir

PROMPT_DIR = resource_dir("prompts")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class PromptError(ValueError):
    """A prompt file is missing or malformed, or the variables do not match its placeholders."""


def _template(name: str) -> Template:
    if not _NAME.fullmatch(name or ""):
        raise PromptError(f"Ungültiger Prompt-Name: {name!r}")
    path = PROMPT_DIR / f"{name}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"Prompt „{name}“ nicht gefunden ({path})") from exc
    template = Template(text)
    if not template.is_valid():
        raise PromptError(f"Prompt „{name}“ enthält einen ungültigen Platzhalter (ein $ als $$ schreiben)")
    return template


def variables(name: str) -> set[str]:
    """The placeholder names of prompt ``name``."""
    return set(_template(name).get_identifiers())


def render(name: str, **values: str | int | float) -> str:
    """Fill prompt ``prompts/<name>.txt``; missing, unknown and unused variables are errors."""
    template = _template(name)
    wanted = set(template.get_identifiers())
    missing = sorted(wanted - values.keys())
    if missing:
        raise PromptError(f"Prompt „{name}“: Wert fehlt für " + ", ".join(f"${m}" for m in missing))
    extra = sorted(values.keys() - wanted)
    if extra:
        raise PromptError(f"Prompt „{name}“: unbekannte Variable " + ", ".join(f"${e}" for e in extra))
    for key, value in values.items():
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise PromptError(f"Prompt „{name}“: ${key} muss Text sein, nicht {type(value).__name__}")
    return template.substitute({k: str(v) for k, v in values.items()}).strip() + "\n"
