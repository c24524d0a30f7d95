"""The frozen ``Query``: everything the answer layer needs to know about a question, read once from its text by
``rag.understand.QuestionParser``. Later stages read its fields; they never look at the question text again.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Query:
    """What the question asks — everything later stages need, read once from the raw text."""

    text: str  # cleaned question (cut to MAX_QUESTION_CHARS, instructions of an injection removed)
    intent: str  # list | count | lookup | open | compare | similar | unanswerable | empty
    projects: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    size_classes: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    past_entities: tuple[str, ...] = ()  # entries of the 2019/2020 rounds named in the question
    content_terms: tuple[str, ...] = ()  # stems beyond entities and framing words
    english: bool = False
    injection: bool = False
    truncated: bool = False
    followup: bool = False  # entities were taken from the conversation
    refers_back: bool = False  # the wording points back ("die Stadt", "dort", "davon")
    reason: str = ""  # why it is unanswerable (German), if so
    language: str = "de"  # "de" | "en" | "other"
    criteria: tuple[int, ...] = ()  # Bewertungskriterien named by number (K7)
    wants_criteria: bool = False  # the question is about the Bewertungskriterien
    notes: tuple[str, ...] = field(default_factory=tuple)
    # -- normalised forms --------------------------------------------------------------------------
    search_text: str = ""  # what retrieval searches: the text plus typo corrections and German terms
    corrections: tuple[tuple[str, str], ...] = ()  # (typed word, corpus word)
    expansions: tuple[str, ...] = ()  # thesaurus terms related to the content terms (stems)
    alternatives: tuple[str, ...] = ()  # other plausible intents, most likely first
    # -- what kind of answer is wanted ------------------------------------------------------------
    listing: bool = False  # "wer / welche / wo …": the answer names projects
    asks_for_project: bool = False  # the answer is a project, not a general section
    singular: bool = False  # "welche Stadt …": one project is expected
    town_of_district: tuple[str, ...] = ()  # ("Greifswald", "Landkreis Vorpommern-Greifswald"): the town asked for is no project
    exists_one: bool = False  # "Gibt es ein Projekt, das …?": one is expected, others only if they fit about as well
    wants_number: bool = False  # "wie viel / wie hoch …"
    counted: str = ""  # what a count question counts when it is not projects ("bewerbungen", "einwohner")
    counts_measures: bool = False  # "Wie viele Maßnahmen plant X?": the measures of one named project
    with_plans: bool = False  # a list that also asks what each project plans
    instead: str = ""  # a declined question: words for what the general sections say instead (programme money)
    about_brochure: bool = False  # publisher, design, date of the brochure (Impressum)
    about_programme: bool = False  # the brochure as a whole or the funding programme (Einleitung)
    overview: bool = False  # about the Übersicht 2019-2021 / earlier rounds
    earlier_rounds: bool = False  # explicitly the earlier rounds (2019/2020)
    states_count: bool = False  # "in wie vielen Bundesländern"
    states_without: bool = False  # "Welche Bundesländer haben kein Projekt?", "Which states have none?"
    most_projects: bool = False  # "Welches Bundesland hat die meisten Projekte?"
    criteria_group: str = ""  # a criteria group the question names by its words
    criteria_list: bool = False  # the criteria themselves are asked for ("Nach welchen Kriterien …?")
    excluded_states: tuple[str, ...] = ()  # "nicht in NRW"
    excluded_projects: tuple[str, ...] = ()  # "außer Guben": left out of every list of projects
    excluded_categories: tuple[str, ...] = ()  # "die Kreise lasst weg": ``categories`` holds the others
    # "nur die echten Landkreise" / "Welche interkommunalen Kooperationen …?": one part of the category that holds both
    # ("kreise" or "kooperationen"), and the category's other projects, left out
    category_part: str = ""
    part_left_out: tuple[str, ...] = ()
    regional: tuple[str, ...] = ()  # Länder only implied by a region ("im Osten"), among ``states``
    schedule: bool = False  # declined as a date or deadline ("Bis wann …?"): a target year in the text still answers
    asks_funded: bool = False  # "Wurde Konstanz 2021 gefördert?", "Ist Detmold dabei?": yes, said as such
    since_brochure: bool = False  # declined as how far it has come since 2021 ("Ist X inzwischen gebaut?"): the plan is quoted
    also_projects: tuple[str, ...] = ()  # "die Kleinstädte, und nimm Ringelai noch dazu": listed with the selection
    soft_refusal: bool = False  # unanswerable by its topic words only: a project sentence that carries it overrules
    nouns: tuple[str, ...] = ()  # stems of the capitalised words (German nouns): the themes of a description
    written_nouns: tuple[str, ...] = ()  # those capitalised words as written ("Erfurt"), to name them in an answer
    either: tuple[tuple[str, ...], ...] = ()  # content terms asked as alternatives ("A oder B")
    verbs: tuple[str, ...] = ()  # content terms that are verbs ("voranbringen"): they say how, the nouns say what
    phrase: str = ""  # quoted text, or the previous turn when the question points back ("genau das")
    quoted: bool = False  # the phrase is quoted in the question itself (not taken from the conversation)
    asks_meaning: bool = False  # "Was bedeutet …?", "Wofür steht …?", "Was steckt hinter dem Titel?"
    past_beside: bool = False  # an earlier-round place named side by side with a 2021 project ("Ulm und Guben")
    wrong_states: tuple[tuple[str, str], ...] = ()  # (project, Land named in the question) that do not match
    wrong_classes: tuple[tuple[str, str], ...] = ()  # (project, category or size class that only names it, wrongly)
    class_choice: bool = False  # "Als Stadt oder als Landkreis?": the class is asked as a choice, not yes or no
    asks_size: bool = False  # "Wie groß ist X?": the class and what the text says of the size
    background: tuple[str, ...] = ()  # content terms only of the sentences around the question sentence
    narrowing: tuple[str, ...] = ()  # content terms that may narrow a selection: not background, not the selection's
    size_rank: str = ""  # "smallest" | "largest": ranked by the size classes ("Welche davon ist die kleinste?")
    yes_no: bool = False  # the question sentence asks for a yes or no ("Baut Konstanz eine Seilbahn?", "…, oder?")
    why: bool = False  # it asks why, taking what follows as given ("Warum will Guben eine Drohne schicken?")
    umlaut_words: tuple[str, ...] = ()  # words typed with an umlaut, lower case ("fähren"): found in compounds so spelt
    parts: tuple[Query, ...] = ()  # a message that asks two things: each part read on its own, in order
    among: tuple[str, ...] = ()  # "Welche davon liegen in Bayern?": the projects the previous answer named
    population: str = ""  # a population bound the size classes stand for ("unter 100.000 Einwohnern")
    multi_state: bool = False  # "Welches Projekt erstreckt sich über mehrere Bundesländer?": those with 2+ Länder

    @property
    def structural(self) -> bool:
        """A list/count question that the records answer exactly (no topic beyond the filters)."""
        return (self.intent == "list" or self.counts_projects) and not self.content_terms

    @property
    def counts_projects(self) -> bool:
        """A count that the records answer: of projects (by category, Land, size), not of anything else."""
        return self.intent == "count" and not self.counted

    @property
    def retrieval_text(self) -> str:
        return self.search_text or self.text
