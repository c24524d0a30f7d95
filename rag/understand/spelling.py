"""Typos: which words of a question are misspelt, and what they are corrected to.

A word the brochure, the thesaurus and the German lexicon do not know is corrected to a close known word of the
same first letter (``Spelling.corrections``): a question word with two letters swapped ("wleche"), a misspelt
Land ("Nordrhein-Westfahlen"), a corpus word one or two letters off, or a compound with a typo in one part
("fahradfahrer"). A compound of two known words ("Grundansatz") is no typo.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from rag import cues
from rag.german import STOPWORDS, fold, stem
from rag.understand.base import ParserBase


def compound_of_known(tok: str, known: Callable[[str], bool]) -> bool:
    """Is ``tok`` two ``known`` words of 4+ letters joined, with or without a linking s?

    >>> words = {"grund", "ansatz", "stadtteil", "buro"}.__contains__
    >>> compound_of_known("grundansatz", words), compound_of_known("stadtteilsburo", words)
    (True, True)
    >>> compound_of_known("grundsatz", words), compound_of_known("grundansats", words)
    (False, False)
    """
    for i in range(4, len(tok) - 3):
        head, tail = tok[:i], tok[i:]
        tails = [tail, tail[1:]] if tail.startswith("s") else [tail]
        if known(head) and any(len(t) >= 4 and known(t) for t in tails):
            return True
    return False


MEND_RATIO = 0.85  # how close a misspelt part of a compound must be to the word it is mended to


def one_edit_apart(a: str, b: str) -> bool:
    """One letter inserted, dropped or replaced (or two swapped)?

    >>> one_edit_apart("modelprojekte", "modellprojekte"), one_edit_apart("grundansatz", "grundsatz")
    (True, False)
    >>> one_edit_apart("regensbrug", "regensburg"), one_edit_apart("klimaschuz", "klimaschutz")
    (True, True)
    """
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :] or (a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :])


class Spelling(ParserBase):
    """Typo correction against the corpus vocabulary."""

    def corrections(self, folded: str) -> list[tuple[str, str]]:
        """(typed word, corpus word) for words that are unknown but one or two letters off a known word.

        Only words of 5+ letters are corrected, to a word of the same first letter and similar length.
        """
        out: list[tuple[str, str]] = []
        for tok in dict.fromkeys(re.findall(r"[a-z]{5,}", folded)):
            if tok in self._known_words or stem(tok) in self.frame_stems or len(out) >= 4:
                continue
            if tok in self.german_words:
                continue  # a real word the brochure does not use: "allein" is no typo of "allen"
            # two letters swapped in a question word ("wleche", "wieveile"): the question word
            swapped = [w for w in cues.QUESTION_WORDS if len(w) == len(tok) and w[0] == tok[0] and sorted(w) == sorted(tok)]
            if swapped and sum(a != b for a, b in zip(tok, swapped[0], strict=True)) == 2:
                out.append((tok, swapped[0]))
                continue
            # one letter off a name of 6+ letters ("anhald") is close enough, with the same first letter
            cutoff = 0.8 if len(tok) >= 6 else 0.88
            name = [
                w
                for w in difflib.get_close_matches(tok, self._name_words, n=1, cutoff=cutoff)
                if w[0] == tok[0] and not (tok.endswith("er") and w.startswith(tok[:-2]))  # "Bremer", "Berliner"
                and (len(tok) == len(w) or difflib.SequenceMatcher(None, tok, w).ratio() >= 0.88)
            ]
            if name:  # a misspelt Land (same first letter: "essen" is no "Hessen")
                out.append((tok, name[0]))
                continue
            pool = [w for n in range(len(tok) - 2, len(tok) + 3) for w in self._by_shape.get((tok[0], n), [])]
            if stem(tok) in self._known_stems:  # an inflection of a known word ("verteilen")
                continue
            best = difflib.get_close_matches(tok, pool, n=1, cutoff=0.88)
            close = best and (one_edit_apart(tok, best[0]) or one_edit_apart(fold(tok), best[0]))  # "grosstaedte"
            if best and not close and self._compound_of_known(tok):
                continue  # "Grundansatz" is no typo of "Grundsatz" (but "Modelprojekte" is one of "Modellprojekte")
            if best and best[0] != tok and best[0] not in STOPWORDS:  # "Diesel" is no typo of "diese"
                out.append((tok, best[0]))
            elif not best and (mended := self._compound_typo(tok)):
                out.append((tok, mended))  # "fahradfahrer" -> "fahrradfahrer"
        return out

    def _compound_typo(self, tok: str) -> str | None:
        """A compound with a typo in one of its parts: the other part a known word (4+ letters), the misspelt one
        (6+ letters) one edit off a known word of the same first letter and close as a whole (``MEND_RATIO``):
        "fahrad|fahrer" -> "fahrrad|fahrer", "digitalisirungs|strategie"; None when no split works or the word is a
        compound of known words."""
        def known(w: str) -> bool:
            return w in self._known_words or stem(w) in self._known_stems

        def mend(w: str) -> str | None:
            if len(w) < 6 or known(w) or w in self.german_words:
                return None
            pool = {c for n in (len(w) - 1, len(w), len(w) + 1) for c in self._by_shape.get((w[0], n), [])}
            # one edit and close as a whole: "saulen" (a word the lists lack) is no "saalen" (5 of 6 letters)
            close = {c: difflib.SequenceMatcher(None, w, c).ratio() for c in pool if one_edit_apart(w, c) and c not in STOPWORDS}
            fits = [c for c, r in close.items() if r >= MEND_RATIO]
            # the closest; a dropped letter is the commonest slip ("klimaschuz" -> "klimaschutz")
            return max(fits, key=lambda c: (close[c], len(c), c), default=None)

        if len(tok) < 9 or self._compound_of_known(tok):
            return None
        for i in range(4, len(tok) - 3):
            left, right = tok[:i], tok[i:]
            if len(right) >= 4 and known(right) and (fixed := mend(left)):
                return fixed + right
            if len(left) >= 4 and known(left) and (fixed := mend(right)):
                return left + fixed
        return None

    def _compound_of_known(self, tok: str) -> bool:
        """Is the word two known words of 4+ letters joined, with or without a linking s ("grundansatz" = "Grund" +
        "Ansätze", "stadtteilsbüro")? Then it is a compound the brochure does not use, not a typo."""
        return compound_of_known(tok, lambda w: w in self._known_words or w in self.german_words or stem(w) in self._known_stems)
