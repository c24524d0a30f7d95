"""The state of one question while ``QuestionParser._parse_clean`` reads it, phase by phase.

Each phase (read the entities, settle the selection, split off the preamble, find the content terms, resolve
follow-ups, choose the intent, check premises and declines, build the ``Query``) reads what earlier phases left in
a ``Reading`` and leaves what later ones need. The fields are named as the local variables they replace; a field
that a phase changes is changed for every phase after it, exactly as a local variable was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Reading:
    """What has been read of one question so far (mutable; private to the parser)."""

    # -- the question and the conversation --------------------------------------------------------------------------
    text: str
    history: list[dict[str, str]] | None
    injection: bool
    truncated: bool
    # -- entities ------------------------------------------------------------------------------------------------------
    f: str = ""  # the folded, normalised text
    ents: dict[str, list[str]] = field(default_factory=dict)  # ``Entities.entities`` of it, changed as phases settle them
    fixes: list[tuple[str, str]] = field(default_factory=list)  # (typed word, corrected word)
    fixed: str = ""  # ``f`` with the typos corrected
    attributes: tuple[str, ...] = ()
    projects: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # projects added to a selection ("und nimm Guben noch dazu")
    # -- the asking sentence and the statement before it --------------------------------------------------------------
    asked_part: str = ""
    preamble: str = ""
    told: str | bool = ""  # a statement before the question, not an earlier question
    folded_asked: str = ""
    folded_preamble: str = ""
    asked_normal: str = ""
    asked_ents: dict[str, list[str]] | None = None  # the asking sentence's entities, read once when first needed
    # -- classes -------------------------------------------------------------------------------------------------------
    class_asked: bool = False
    wrong_class: tuple[tuple[str, str], ...] = ()
    # -- content terms ---------------------------------------------------------------------------------------------------
    content: tuple[str, ...] = ()
    loans: list[tuple[str, str]] = field(default_factory=list)  # (English words as written, German terms)
    participants: bool = False
    size_rank: str = ""
    english: bool = False
    # -- follow-ups ------------------------------------------------------------------------------------------------------
    followup: bool = False
    bare: bool = False
    narrowing: bool = False
    refers_back: bool = False
    short: bool = False
    nth: str | None = None
    among: list[str] = field(default_factory=list)
    funded_before: bool = False
    carried: str = ""
    # -- intent, declines and the rest ----------------------------------------------------------------------------------
    intent: str = ""
    multi_state: bool = False
    own_question: bool | re.Match[str] | None = False
    asked_f: str = ""
    reason: str = ""
    soft: bool = False
    language: str = ""
    expansions: tuple[str, ...] = ()
    verb_stems: set[str] = field(default_factory=set)
    same_selection: bool = False  # "… in derselben Größenklasse?": the class or Land of the project talked about
    search_text: str = ""
    around: str = ""
    asked_terms: set[str] = field(default_factory=set)
    background: tuple[str, ...] = ()
    wrong: tuple[tuple[str, str], ...] = ()
    written: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    counted: str = ""
    measures: bool = False
