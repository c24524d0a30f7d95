"""German text normalisation for lexical matching: case, umlauts/ß, stemming, compounds.

Everything lexical (BM25, name matching, sentence scoring) goes through ``fold`` and ``terms`` so that
"Kleinstädte", "kleinstaedte" and "Kleinstadt" meet.

Example::

    >>> fold("Größere Kleinstädte in Thüringen")
    'grossere kleinstadte in thuringen'
    >>> terms("Die Kleinstädte planen Datenplattformen")
    ['kleinstadt', 'plan', 'datenplattform']
    >>> Decompounder({"daten", "plattform"}).split("datenplattform")
    ['dat', 'plattform']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

MAX_WORD = 60
FOLD_TABLE = _FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "à": "a"})
# a typed umlaut ("Muenster", "Koeln"); never after a vowel or "q" ("neuen", "Frauen", "Quelle", "Michael": German has
# no "eü", "aü" or "qü") and never in the English "does"/"goes"
_DIGRAPH = re.compile(r"(?<=[a-z])(?<![aeiouq])(ae|oe|ue)(?=[a-z])|^(ae|oe|ue)")
_LETTERS = re.compile(r"[a-z]+")
_WORD = re.compile(r"[0-9a-zäöüß]+(?:[-.][0-9a-zäöüß]+)*", re.IGNORECASE)

_STOPWORDS_RAW = """
    a ab aber alle allem allen aller alles als also am an and andere anderen are auch auf aus bei beim
    bin bis bitte bzw da dabei damit dann das dass dem den denen der deren des dessen die dies diese
    diesem diesen dieser dieses do does doch dort du durch ein eine einem einen einer eines er es etwa
    euch for from für gibt gab haben hat hatte hier how i ich ihr ihre ihrem ihren ihrer im in ins is
    ist it ja je jede jedem jeden jeder jedes kann kannst kein keine man mehr mein meine mit muss nach
    nicht noch nun nur ob of oder on or sehr sein seine sich sie sind so soll sollen sowie the to über
    um und uns unser unsere unter viel vom von vor war waren was we welche welchem welchen welcher
    welches wenn wer werden what which who wie will wir wird wo wurde wurden zu zum zur zwischen können
    könnte gerne mal eigentlich denn sagen sag nenne nennen nenn zeige zeig liste list tell me please
    erste ersten erster erstes zweite zweiten zweiter zweites dritte dritten dritter drittes vierte vierten
    irgendein irgendeine irgendeinen irgendeinem irgendeiner irgendwelche irgendwas irgendwer tun
    drum darum dran weiter weiterhin woher wohin ursprünglich wozu wofür worauf womit wodurch weshalb warum wieso wann her hin gegen much did put now into ihres seines neben ausgenommen besides except don doesn didn isn aren wasn weren fünfte fünften letzte letzten letzter letztes danach anschließend verrat verrate verraten show give gib hallo hi hey moin servus danke dankeschön
    erzähl erzähle mir mich dich selbst selber nie niemals immer ständig dauernd jedesmal fürs aufs ans ums übers durchs vors überhaupt außer sondern weder total woanders irgendwie ziemlich wirklich etwas viele vielen vieler hoch hohe ohne ganz oben unten rum drauf halt mal so
    ander anderem anderer anderes anders bist dasselbe dazu dein deine deinem deinen deiner deines
    demselben denselben derer derselbe derselben desselben dieselbe dieselben dir einig einige einigem einigen
    einiger einiges einmal euer eure eurem euren eurer eures gewesen hab habe hatten hinter ihm ihn ihnen indem
    jene jenem jenen jener jenes jetzt keinem keinen keiner keines manche manchem manchen mancher manches meinem
    meinen meiner meines musste nichts seinem seinen seiner solche solchem solchen solcher solches sollte sonst
    unserem unseren unseres während warst weil werde wieder wirst wollte zwar ganze ganzen ganzer ganzes endlich
    per eben schon bloß gern nein usw sowas jemand jemanden niemand niemanden oft bisschen echt kaum grade
    gerade sogar trotzdem deshalb daher davon dafür darauf darüber hierzu hierfür daraus darin darunter daran dagegen
    dadurch worden geworden ended ultimately eventually actually roughly approximately listed named shown
    about above after again against all any as at be because been before being below between both but by can
    could doing down during each few further had has have having he here hers herself him himself his if its
    itself just more most my myself no nor not off once only other our ours out over overall own really same
    she should some such than that their theirs them themselves then there these they this those through too
    under until up very were when where whether while whom whose why with would you your yours one ones
    z.b z.t u.a u.ä o.ä d.h v.a s.o u.u i.d.r
    bezug bezüge bezüglich pro okay ok okey lg vg mfg weitere weiteren weiterer weiteres eins ne nen nem ner drin drinne weg praktisch künftig kuenftig zweien dreien vieren fünfen außerhalb innerhalb weiß weißt wisst
    """


# Verbs that frame a "who does X" question ("Wer setzt auf …", "Welche Projekte planen …"): searched with
# a low weight, they do not make a sentence relevant on their own.
QUESTION_VERBS = frozenset(
    """
    setz setzt plan plant woll will mocht beschaft kummert kumm befass nutz nutzt arbeit arbeitet engagiert
    engagi widm fokussiert konzentriert versuch tut mach macht vorhab beabsicht geht gehen hab hat gibt
    baut bau baun arbeit zusamm biet bietet entwickelt entwickl setzt kummern kummert darum gemacht gemach stammt stamm lief lauft
    umfasst umfass enthalt beinhaltet beinhalt
    """.split()
)


# Nouns that frame what kind of answer is wanted, not what it is about ("Welche drei Beispiele für Krisen nennt X
# in seinem Text?"): searched with the low weight of a question verb
QUESTION_NOUNS = frozenset(
    """
    beispiel aspekt punkt stichwort detail angab text konzept
    """.split()
)


_UMLAUT_WORD = re.compile(r"\b\w*[äöüÄÖÜ]\w*\b")


def umlaut_words(text: str) -> set[str]:
    """The words of ``text`` written with an umlaut, lower case.

    >>> sorted(umlaut_words("Gibt es Fähren oder Fahrräder? Oder Boote?"))
    ['fahrräder', 'fähren']
    """
    return {w.lower() for w in _UMLAUT_WORD.findall(text)}


def _fold_chars(word: str) -> str:
    return word.lower().translate(_FOLD)


STOPWORDS = frozenset(_fold_chars(w) for w in _STOPWORDS_RAW.split())  # folded, like the terms they filter


def clean_control(text: str) -> str:
    """Drop control and non-printable characters (keeps newlines and tabs as spaces)."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\t\r":
            out.append(" ")
        elif cat.startswith("C"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def fold(text: str) -> str:
    """Lower-case, map umlauts and ß to plain letters; also folds typed digraphs (ue -> u)."""
    text = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    return _LETTERS.sub(_fold_word, text)


def _fold_word(m: re.Match[str]) -> str:
    word = m.group(0)
    if word in ("does", "goes"):
        return word
    return _DIGRAPH.sub(lambda d: (d.group(1) or d.group(2))[0], word)


def words(text: str) -> list[str]:
    """Surface words (hyphenated words kept together)."""
    return _WORD.findall(text)


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one already-folded word (German snowball on umlaut-free text)."""
    return str(_stemmer().stemWord(word))


def terms(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Folded, stemmed content terms; hyphenated words also yield their parts."""
    out: list[str] = []
    for w in words(fold(text)):
        if len(w) > MAX_WORD:  # no German word is that long; junk would cost quadratic decompounding
            continue
        parts = [w] if "-" not in w else [w.replace("-", ""), *w.split("-")]
        for p in parts:
            p = p.strip(".")
            if not p or (not keep_stopwords and p in STOPWORDS) or (len(p) < 2 and not p.isdigit()):
                continue
            out.append(stem(p))
    return out


class Decompounder:
    """Splits German compounds into two known parts ("datenplattform" -> daten + plattform).

    ``vocabulary`` holds folded, stemmed terms from the corpus; a split needs both parts known and at
    least 4 letters long, optionally joined by a linking "s"/"n"/"en"/"es".
    """

    LINKS = ("", "s", "n", "en", "es", "e")

    def __init__(self, vocabulary: Iterable[str], query_vocabulary: Iterable[str] = ()) -> None:
        self.vocabulary = {v for v in vocabulary if len(v) >= 4}
        self.query_vocabulary = {v for v in query_vocabulary if len(v) >= 4}  # e.g. thesaurus words
        self._known = self.vocabulary | self.query_vocabulary

    def split(self, term: str) -> list[str]:
        """Best two-part split: both parts known, or a known tail (>= 5 letters) after a 4+ letter head."""
        if len(term) < 8:
            return []
        best: list[str] = []
        fallback: list[str] = []
        for i in range(4, len(term) - 3):
            head, tail = term[:i], term[i:]
            tail_stem = stem(tail)
            if tail_stem not in self.vocabulary and tail not in self.vocabulary:
                continue
            for link in self.LINKS:
                if link and not head.endswith(link):
                    continue
                h = head[: len(head) - len(link)] if link else head
                if len(h) >= 4 and (h in self.vocabulary or stem(h) in self.vocabulary):
                    cand = [stem(h), tail_stem]
                    if not best or len(cand[0]) > len(best[0]):
                        best = cand
                    break
            if not fallback and len(tail) >= 5:  # head has >= 4 letters by the loop bounds
                fallback = [stem(head), tail_stem]
        return best or fallback

    def expand(self, tokens: list[str]) -> list[str]:
        out = list(tokens)
        for t in tokens:
            out.extend(self.split(t))
        return out

    def expand_query(self, tokens: list[str]) -> list[str]:
        """Like ``expand``; an unknown query word also yields its longest known head and tail (>= 5
        letters), so "programmvolumen" still finds "Programm"."""
        out = self.expand(tokens)
        for t in tokens:
            if t in self.vocabulary or len(t) < 9 or self.split(t):
                continue
            head = next((t[:i] for i in range(len(t) - 4, 3, -1) if stem(t[:i]) in self._known), "")
            tail = next((t[i:] for i in range(1, len(t) - 4) if stem(t[i:]) in self._known), "")
            out.extend(stem(x) for x in (head, tail) if x)
        return out
