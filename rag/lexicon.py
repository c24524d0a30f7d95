"""Which typed words are German words at all, beyond the brochure's own vocabulary.

The typo correction in ``rag.understand`` turns a word the brochure does not know into a close word it does
know ("Bewerbungn" -> "Bewerbungen"). A real word the brochure happens not to use must stay as typed:
"allein" is no typo of "allen", "vorkommen" none of "Vorpommern". This module reads the German word list
that ships with the ``pyspellchecker`` package (about 225,000 word forms, mostly verbs, adjectives and
function words; nouns are rare in it) and folds it like the question.

Example::

    >>> words = german_words()                      # doctest: +SKIP
    >>> "allein" in words, "vorkommen" in words, "bewerbungn" in words   # doctest: +SKIP
    (True, True, False)
"""

from __future__ import annotations

import gzip
import json
import logging
from functools import lru_cache
from importlib.resources import files

from rag.german import FOLD_TABLE, fold

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def german_words() -> frozenset[str]:
    """The folded German word forms of the word list; empty (with a warning) when it cannot be read, so that
    the assistant still answers, only with more typo corrections."""
    try:
        path = files("spellchecker") / "resources" / "de.json.gz"
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except Exception as e:  # missing package, unreadable or corrupt file: answer without the list
        log.warning("Deutsche Wortliste nicht lesbar (%s); Tippfehlerkorrektur ohne sie.", e)
        return frozenset()
    # fold() per word is slow for 225,000 words: lower-casing and the umlaut table suffice unless a vowel pair
    # remains that fold() may read as a typed umlaut ("Muenster")
    plain = set()
    for w in data:
        lw = w.lower().translate(FOLD_TABLE)
        plain.add(fold(lw) if "ae" in lw or "oe" in lw or "ue" in lw else lw)
    return frozenset(plain)
