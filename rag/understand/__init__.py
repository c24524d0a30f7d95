"""Understanding the question: the one place that reads the raw question text.

The question is normalised first (spelling variants, typo correction against the corpus vocabulary,
English→German terms from the thesaurus), then read into a frozen ``Query`` that carries everything the
answer layer needs: entities (categories with inflections, Bundesländer, project names with small typos,
places of the 2019/2020 rounds), attributes (Motto, Projekttitel, Bundesland, Größenklasse, Seite), the
intent with its alternatives, content terms with their thesaurus expansions, premise flags (a project put
into the wrong Land) and what kind of answer is wanted (a list of projects, one project, a number …).
Follow-ups inherit entities from the conversation, pronouns and place words included. Later stages never
fold or pattern-match the question text themselves. The patterns and word lists live in ``rag.cues``.

Example::

    >>> qp = QuestionParser(corpus)                                           # doctest: +SKIP
    >>> q = qp.parse("Welche Kleinstädte wurden 2021 gefördert?")               # doctest: +SKIP
    >>> q.intent, q.categories                                                 # doctest: +SKIP
    ('list', ('Kleinstädte und Landgemeinden',))
    >>> qp.parse("Und in welchem Bundesland liegt die Stadt?",
    ...          history=[{"role": "user", "content": "Was ist das Motto von Guben?"}]).projects  # doctest: +SKIP
    ('Guben',)

The package holds one concept per module: ``text`` (pure functions on the question text), ``names`` (name forms
and selections), ``query`` (the ``Query``), ``base`` (the tables built from the brochure), ``reading`` (the state
of one question while it is read), and the mixins of the parser: ``entities``, ``spelling`` (typos),
``selection`` (classes and selections), ``preamble`` (the statement before the asking sentence), ``content``
(content terms and search text), ``followup`` (what the conversation before says), ``intent`` and ``premises``
(wrong and unanswerable premises, declines); ``parser`` puts them together and reads a question phase by phase.
"""

from rag.understand.names import _alias_table, _all_but, _names_by_target, in_selection, name_forms
from rag.understand.parser import QuestionParser
from rag.understand.query import Query
from rag.understand.spelling import MEND_RATIO, compound_of_known, one_edit_apart
from rag.understand.text import (
    MAX_QUESTION_CHARS,
    ROLE_MARKER,
    _alternatives_of,
    _claims,
    _embedded_questions,
    _negated,
    _purpose_lead_in,
    _verb_stems,
    _without_markup,
    expand_suspended,
    last_turn,
    normalise,
    question_language,
    question_sentence,
)

__all__ = [
    "MAX_QUESTION_CHARS",
    "MEND_RATIO",
    "ROLE_MARKER",
    "Query",
    "QuestionParser",
    "_alias_table",
    "_all_but",
    "_alternatives_of",
    "_claims",
    "_embedded_questions",
    "_names_by_target",
    "_negated",
    "_purpose_lead_in",
    "_verb_stems",
    "_without_markup",
    "compound_of_known",
    "expand_suspended",
    "in_selection",
    "last_turn",
    "name_forms",
    "normalise",
    "one_edit_apart",
    "question_language",
    "question_sentence",
]
