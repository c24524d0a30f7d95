"""Premises of a question that the brochure contradicts or cannot answer: a class said of a project that does
not have it ("die Großstadt Einbeck"), an earlier-round place named side by side with a 2021 project or only as
part of a longer name ("die Leipzig Charta"), a place the brochure never names ("der Landkreis Görlitz"), and the
kinds of question it has no answer to (money per project, persons, schedules, rankings …).
"""

from __future__ import annotations

import difflib
import re

from rag import cues
from rag.german import STOPWORDS, fold, terms
from rag.understand.entities import Entities
from rag.understand.reading import Reading
from rag.understand.text import (
    _CASED_FOLD,
    _purpose_lead_in,
    question_language,
)


class Premises(Entities):
    """Wrong or unanswerable premises of a question."""

    def _wrong_classes(self, f: str, name: str, classes: list[str]) -> tuple[tuple[str, str], ...]:
        """(project, class) for each class the question says of the project that it does not have."""
        p = self.corpus.project(name)
        return tuple((p.name, c) for c in classes if c not in (p.category, p.size_class) and self._said_of(f, p.name, c))

    def _said_of(self, f: str, project: str, cls: str) -> bool:
        """Does the folded question say the class ``cls`` of the project: as its predicate ("… ist eine
        Kleinstadt", "als Landkreis") or right before its name ("die Großstadt Einbeck")? "Würzburg zusammen mit dem
        Landkreis" names a Landkreis, not Würzburg's class."""
        pat = cues.CATEGORY_PATTERNS.get(cls) or next((rx.pattern for rx, sc in self.size_res if sc == cls), "")
        if not pat:
            return False
        if re.search(rf"\b(ist|sei|seien|war|wird|wurde|als|zu den|zur|zum|eine?[mnrs]?)\s+(?:\w+\s+){{0,2}}(?:{pat})", f):
            return True
        return any(re.search(rf"(?:{pat})\s+(?:\w+\s+)?{re.escape(a)}(?![\w-])", f) for a in self._names_of.get(project, []))

    def _side_by_side(self, f: str, past: list[str], projects: list[str]) -> bool:
        """Are an earlier-round place and a 2021 project named as a pair ("Kassel und Bochum", "Bochum, Kassel") or
        compared ("Was unterscheidet Ulm von Würzburg?") – not one as the asker's workplace or a partner ("Arbeitet
        Bochum mit Gelsenkirchen zusammen?")?"""
        olds = [re.escape(a) for n in past for a in self._past_names_of.get(n, [])]
        news = [re.escape(a) for n in projects for a in self._names_of.get(n, [])]
        if not olds or not news:
            return False
        if re.search(cues.COMPARE, f):
            return True
        a, b = "|".join(olds), "|".join(news)
        join = r"\s*(?:,|\bund\b|\boder\b|\bsowie\b|&)\s*"
        return bool(re.search(rf"(?<![\w-])(?:{a}){join}(?:{b})(?![\w-])|(?<![\w-])(?:{b}){join}(?:{a})(?![\w-])", f))

    def _past_as_modifier(self, text: str, name: str) -> bool:
        """Is every mention of the earlier place ``name`` part of a longer name ("die Neue Leipzig Charta", "die
        Leipziger Erklärung"), a place name before a capitalised noun, not the place itself?"""
        aliases = self._past_names_of.get(name, [])
        cased = text.translate(_CASED_FOLD)  # folded, but capitals kept: they mark the noun after the name
        found = [
            m
            for a in aliases
            for m in re.finditer(
                rf"(?:\b(?P<article>der|die|das|den|dem|des|eine[mnrs]?)\s+(?:\w+\s+)?)?"
                rf"(?<![\w-])(?i:{re.escape(a)})(\w*)(?:\s+([A-Z]\w+))?",
                cased,
            )
        ]
        return bool(found) and all(
            (m.group(2) and m.group(2) != "s")  # "Leipziger", not "Leipzigs"
            or (
                m.group("article")  # "die Neue Leipzig Charta", not "Ist Kassel Teil …?"
                and m.group(3)
                and m.group(3).lower() not in STOPWORDS
                and not self.entities(m.group(3))["projects"]
            )
            for m in found
        )

    def _unknown_place(self, text: str, misspelt: set[str] | frozenset[str] = frozenset()) -> str:
        """A place written after a place noun that the brochure never names ("der Landkreis Görlitz", "die Gemeinde
        Musterhausen"), or ""; a project, a place of the overview or any word of the brochure is known ("die Stadt
        Heidelberg" is named in a project's text), and a ``misspelt`` word is one it knows ("Landkreis Kusle")."""
        for m in re.finditer(r"\b(?:Landkreis|Kreis|Stadt|Gemeinde|Kommune|Region)\s+([A-ZÄÖÜ][\wäöüß-]+)", text):
            name = m.group(1)
            ents = self.entities(fold(name))
            if ents["projects"] or ents["past"] or ents["states"] or fold(name) in misspelt:
                continue
            if difflib.get_close_matches(fold(name), [*self.aliases, *self.past], n=1, cutoff=0.75):
                continue  # a name of the brochure, misspelt ("Landkreis Kusle")
            if any(t in self._known_stems for t in terms(name)):
                continue
            return name
        return ""

    @staticmethod
    def _unanswerable(
        f: str, projects: list[str], corpus_years: set[str], round_year: str = "", asking: str | None = None
    ) -> str:
        """A German reason why the brochure cannot answer (money per project, persons, schedules …), or ""; a year is
        read only in the ``asking`` sentence when there is one ("Ich wohne seit 2012 in Linz. Für wie viele …?")."""
        if re.search(cues.LATER_ROUND, f):
            return "Die Broschüre beschreibt die Förderrunde 2021 (mit einer Übersicht 2019–2021); zu späteren Runden enthält sie keine Angaben."
        year = re.search(cues.FUNDING_YEAR, f if asking is None else asking)
        # … or places joining in a year after the round ("Kommen 2022 weitere Städte dazu?", not "Seit 2015 … dazu")
        joining = bool(year and round_year and year.group(1) > round_year and re.search(cues.JOINING, f))
        if year and year.group(1) not in corpus_years and (re.search(cues.FUNDING_WORDS, f) or joining):
            return (
                f"Die Broschüre beschreibt die Förderrunde 2021 (mit einer Übersicht 2019–2021); "
                f"zu {year.group(1)} enthält sie keine Angaben."
            )
        asks_amount = re.search(cues.MONEY_AMOUNT, f) or (re.search(cues.MONEY_RECEIVED, f) and not re.search(cues.YES_NO, f))
        per_group = bool(re.search(r"\bjede[sr]?\b|\beinzeln|pro projekt|per project|\bdie (landkreise|grossstadte|"
                                   r"mittelstadte|kleinstadte|kommunen|stadte|kreise)\b|\bam meisten\b|\bmeiste\b", f))
        # "Wie viel Geld bekommen die?" after a list, "… die Projekte in Bayern?", "Was kostet die App?": not the
        # programme's sum ("Wie viel bekommen die Modellprojekte insgesamt?")
        per_group = per_group or bool(
            re.search(r"\bdie (modell)?projekte\b|\b(bekommen|erhalten|kriegen|bekamen|erhielten) (die|sie|diese)\b|\bwas (kostet|kosten)\b", f)
            and not re.search(r"\b(insgesamt|zusammen|gesamt\w*|programm\w*|bund|bundes\w*)\b", f)
        )
        if re.search(cues.FUNDING_DETAILS, f):
            return "Die Broschüre nennt keine Förderquoten, Eigenanteile oder Fristen der Förderung."
        # "Welches Projekt bekommt die höchste Fördersumme?", "Wer kriegt am meisten Geld?": a ranking by money
        most = re.search(r"\bam meisten\b|\b(meiste|hochste|grosste|niedrigste|kleinste|wenigste)[nrs]?\b", f)
        which = re.search(r"\b(welche[rsmn]?|wer|which|who)\b", f)
        # … unless money is what the question sets aside ("Geld meine ich nicht, sondern Fläche")
        not_money = re.search(r"\b(geld|euro|budget\w*|forder\w*)\b[^.?!,]{0,25}\bnicht\b|\bnicht\b[^.?!]{0,20}\b(geld|euro|budget)\b", f)
        if re.search(cues.MONEY, f) and (asks_amount or most) and (projects or per_group or (most and which)) and not not_money:
            return "Die Broschüre nennt keine Fördersummen oder Budgets einzelner Projekte."
        if re.search(cues.REJECTED, f) and not projects:
            return "Die Broschüre nennt nur die ausgewählten Projekte, nicht die abgelehnten Bewerbungen."
        if re.search(cues.SCHEDULE, f):
            return "Die Broschüre nennt keine Laufzeiten, Start- oder Endtermine der einzelnen Projekte."
        if re.search(cues.VENDORS, f) and projects:
            return "Die Broschüre nennt keine Software, Hersteller oder Anbieter der Projekte."
        if re.search(cues.PEOPLE, f):
            return (
                "Die Broschüre nennt keine Personen (etwa Bürgermeister, Jurymitglieder oder Projektleitungen) "
                "und keine Telefonnummern."
            )
        if re.search(cues.OFF_TOPIC, f):
            return "Dazu enthält die Broschüre nichts; sie beschreibt die Modellprojekte Smart Cities 2021."
        if re.search(r"\b(die |den |der )?(meisten|wenigsten|grosste\w*|kleinste\w*) (einwohner|bewohner|menschen)\b", f):
            return "Die Broschüre nennt nicht für alle Projekte Einwohnerzahlen; eine Rangfolge lässt sich daraus nicht bilden."
        if re.search(cues.JURY_POINTS, f):
            return "Die Broschüre nennt keine Punktzahlen oder Bewertungen der Jury für einzelne Projekte."
        # "Was ist in Bochum das wichtigste Projekt?" asks for one project's flagship, not for a ranking of projects
        if re.search(cues.RANKING, f) and (len(projects) != 1 or re.search(r"rangliste|ranking|\bplatz\b|\bbesser\b", f)):
            return (
                "Die Broschüre stellt die Projekte vor, bewertet oder vergleicht sie aber nicht untereinander; "
                "eine Rangfolge nennt sie nicht."
            )
        if re.search(cues.OPINION, f):
            return (
                "Eine Bewertung der Projekte enthält die Broschüre nicht: Sie stellt ihre Pläne und Ziele vor, "
                "ohne sie zu beurteilen."
            )
        if re.search(cues.RESULTS, f):
            return (
                "Die Broschüre ist 2021 zum Start der Förderung erschienen und beschreibt Pläne und Ziele, "
                "keine erreichten Ergebnisse oder Wirkungen."
            )
        return ""

    def _declines(self, r: Reading) -> None:
        """Why the brochure cannot answer (a kind it has no answer to, a place it never names, no question), if so."""
        # a comparable-projects request describes the asker's own plans: never refused for its wording
        # … nor for who it is for: "Für eine Vorlage im Bürgermeisterbüro: Welche …?" asks no person's name
        purpose = _purpose_lead_in(r.f)
        # (… unless the question points back into it: "Zum Bürgermeister von X: Wie heißt er?")
        r.asked_f = r.f
        if purpose and re.search(cues.LIST, r.f[purpose.end() :]):
            first = re.split(r"[?.!]", r.f[purpose.end() :])[0]  # the asking sentence, not a request after it
            if not re.search(cues.POINTS_TO_PERSON, first):
                r.asked_f = r.f[purpose.end() :]
        elif r.told and re.search(cues.LIST, r.folded_asked) and not re.search(cues.POINTS_TO_PERSON, r.folded_asked):
            r.asked_f = r.folded_asked  # "Ich bin Bürgermeister …: Welche Kleinstädte …?" asks for no person
        r.reason = "" if r.intent == "similar" else self._unanswerable(
            r.asked_f, r.projects, self.corpus_years, self.corpus.year, r.folded_asked if r.told else None
        )
        unknown_place = "" if r.intent in ("similar", "compare") or r.projects or r.ents["past"] or r.states else self._unknown_place(
            r.asked_part, {typed for typed, _ in r.fixes}
        )
        if not r.reason and unknown_place:
            # "Was plant der Landkreis Görlitz?": a place the brochure never names, not the class of its noun
            r.reason = f"{unknown_place} kommt in der Broschüre nicht vor: weder unter den Modellprojekten 2021 noch in der Übersicht 2019–2021."
        # a topic the brochure is not about ("Fußball") is a refusal that the brochure's own text may overrule
        r.soft = bool(r.reason) and bool(re.search(cues.OFF_TOPIC, r.f))
        if r.reason:
            r.intent = "unanswerable"
        r.language = question_language(r.text)
        known = any(t in self._known_stems or t in self.thesaurus.vocabulary for t in terms(r.fixed)) or bool(
            re.search(f"{cues.ABOUT_BROCHURE}|{cues.CRITERIA}|{cues.OVERVIEW}|{cues.COUNT}", r.f)
        )
        function_words = any(w in STOPWORDS for w in re.findall(r"[a-z]+", r.f))
        entity = bool(r.projects or r.categories or r.states or r.ents["past"] or r.attributes or r.followup)
        if not (entity or known or function_words):
            r.intent, r.reason = "unanswerable", "Ich habe darin keine Frage zur Broschüre erkannt."
        elif not entity and len(re.findall(r"\w+", r.f)) == 1 and r.intent not in ("unanswerable", "count"):
            r.intent, r.reason = "unanswerable", "Bitte stellen Sie eine vollständige Frage zur Broschüre."
        if r.language == "other" and not (r.projects or r.categories or r.states or r.ents["past"]):
            r.intent, r.reason = "unanswerable", "Ich beantworte Fragen auf Deutsch (einfaches Englisch geht auch)."


    def _wrong_states(self, r: Reading) -> None:
        """(project, Land) pairs that the question puts together wrongly."""
        r.wrong = tuple(
            (p, st)
            for p in (r.projects if len(r.projects) == 1 else [])
            for st in r.states
            if st not in self.corpus.project(p).states and r.intent not in ("similar", "compare")
            and st not in r.ents["regional"]
        )
