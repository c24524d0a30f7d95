"""Dependency-free language guess for questions and model answers: German, English or other.

The guess counts frequent function words per language (words that are rare in the other
languages) and adds German spelling signals (ä, ö, ü, ß). Text without any signal – a bare name,
a number, "OK" – gets ``default`` (German), so that short German questions such as "Guben?" are
never rejected as foreign.

Example::

    >>> language_of("Welche Projekte wurden in Bayern gefördert?")
    'de'
    >>> language_of("Which projects were funded in Bavaria?")
    'en'
    >>> language_of("Quels projets ont été financés ?")
    'other'
    >>> language_of("Gibt es irgendwo Sprechstunden per Video?")
    'de'
    >>> is_german("Guben [1]")
    True
    >>> is_german("The brochure does not say.")
    False
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Function words; words shared between the languages (in, an, so, was, also, man, will ...) are left out.
_STOPWORDS: dict[str, frozenset[str]] = {
    "de": frozenset(
        """der die das den dem des ein eine einer eines einem einen und oder aber nicht kein keine keinen
        ist sind war waren wird werden wurde wurden hat haben hatte sein seine ihre ihr ich wir sie er es
        mit von für auf aus bei nach über unter durch zum zur zu im vom am ans ins als wie welche welcher
        welches welchen wer wo wann warum wieso weshalb wieviel wieviele viele auch noch nur sehr schon
        dass daß sich dieser diese dieses diesem diesen jede jeder jedes alle allen gibt gab kann können
        soll sollen muss müssen darf ob wenn weil denn doch dort hier heute mehr insgesamt etwa rund
        broschüre projekt projekte stadt städte gemeinde förderung gefördert welchem bitte danke hallo
        ja nein gut genau nennt nenne zeige erkläre enthält""".split()
    ),
    "en": frozenset(
        """the a and or but not no is are were be been being has have had do does did would
        can could should must may might of to for on at by with from into about which what who whom whose
        where when why how many much this that these those there their they them it its he she we you
        i my your our all any some each every more most other than then only very just please
        thanks thank hello hi yes brochure project projects city cities town towns funded funding
        show tell list explain does""".split()
    ),
    "fr": frozenset("le la les des du un une est et ou pour dans qui que quels quelles sont avec sur pas été".split()),
    "es": frozenset("el los las del una es y para por con que qué cuáles cuál son está fueron ciudad".split()),
    "it": frozenset("il lo gli della delle di che per una sono è con quali quale città progetti".split()),
    "nl": frozenset("het een van niet dat voor zijn met welke wat hoe deze worden werd gemeente".split()),
    "pl": frozenset("jest są nie się na które który jakie czy oraz dla miasto".split()),
    "tr": frozenset("ve bir bu için ile hangi nedir mi mı şehir".split()),
}
_DE_CHARS = re.compile(r"[äöüÄÖÜß]")
# no re.IGNORECASE: under it the dotless "ı" matches every "i", and a German "Gibt es … per Video?" read as Spanish
_FOREIGN_CHARS = re.compile(r"[àâçèéêëîïôûùœæñ¿¡ąćęłńśźżğışåøÀÂÇÈÉÊËÎÏÔÛÙŒÆÑĄĆĘŁŃŚŹŻĞŞÅØ]")


def language_scores(text: str) -> dict[str, float]:
    """Evidence per language code (``de``, ``en``, ``fr`` ...), 0 when nothing points to it."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    scores = {lang: float(sum(w in stop for w in words)) for lang, stop in _STOPWORDS.items()}
    scores["de"] += 0.5 * min(len(_DE_CHARS.findall(text or "")), 6)
    foreign = len(_FOREIGN_CHARS.findall(text or ""))
    if foreign:
        # accents point away from German and English, but say little about which language it is
        for lang in ("fr", "es", "it", "pl", "tr"):
            if scores[lang]:
                scores[lang] += 0.5 * min(foreign, 6)
    return scores


def language_of(text: str, default: str = "de") -> str:
    """``"de"``, ``"en"`` or ``"other"``; ``default`` when the text carries no language signal.

    >>> language_of("Hello, how many cities?")
    'en'
    >>> language_of("Bochum")
    'de'
    """
    scores = language_scores(text)
    best = max(scores.values())
    if best <= 0:
        return default
    if scores["de"] >= best:  # German wins ties: answers quote English project titles
        return "de"
    if scores["en"] >= best:
        return "en"
    return "other"


def is_german(text: str, default: bool = True) -> bool:
    """True if ``text`` reads as German (``default`` for text without any signal, e.g. "Guben")."""
    if not (text or "").strip():
        return False
    return language_of(text, default="de" if default else "unknown") == "de"
