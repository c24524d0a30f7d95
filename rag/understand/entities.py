"""The entities a question names: Bundesländer, categories and size classes, projects (also misspelt), places of
the 2019/2020 rounds, and regions; each either asked for, left out ("nicht in Bayern", "außer Guben", "die Kreise
lasst weg") or included ("einschließlich der Landkreise"). Also the project a question names only by a quote
from its text or by an epithet of its place ("die Händelstadt"), and the phrase a question quotes.
"""

from __future__ import annotations

import difflib
import re

from rag import cues
from rag.german import STOPWORDS, fold, terms
from rag.parse import BUNDESLAENDER
from rag.population import classes_relative, classes_within
from rag.types import CATEGORIES
from rag.understand.base import ParserBase
from rag.understand.text import _ENUMERATION_GAP, _negated


class Entities(ParserBase):
    """Entities of a question: what it names, leaves out and includes."""

    def _take(self, pattern: re.Pattern[str] | str, text: str) -> tuple[bool, str]:
        """Find a pattern and blank it out so that shorter patterns cannot match inside it."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        found = False

        def blank(m: re.Match[str]) -> str:
            nonlocal found
            found = True
            return " " * len(m.group(0))

        out = rx.sub(blank, text)
        return found, out

    def _fuzzy_projects(self, text: str) -> list[tuple[str, str]]:
        """(typo token, project) pairs for tokens close to a project name that are no corpus words."""
        out = []
        single = self._typo_targets
        for tok in re.findall(r"[a-z][a-z-]{5,}", text):
            if tok in self.vocabulary or tok in STOPWORDS or tok in self.german_words:
                continue  # a word of its own, not a misspelt name ("vorkommen" is no "Vorpommern")
            best = difflib.get_close_matches(tok, single.keys(), n=1, cutoff=0.84)
            if best and best[0][0] == tok[0]:
                out.append((tok, single[best[0]]))
        return out

    def _second_excepted(self, before: str) -> bool:
        """Does ``before`` end in "neben <a name> und ": a project named next is left out too? The name between
        is blanked (a project already found) or a place of the earlier rounds ("neben Bamberg und Regensburg");
        "neben Klimaschutz und Guben" leaves nothing out."""
        m = re.search(cues.EXCEPT_LIST, before)
        if not m:
            return False
        mid = re.sub(r"^((der|die|dem|den|das|the) )?((stadt|gemeinde|kreis|landkreis|city|town) )?", "", m.group("mid").strip())
        return not mid or any(rx.fullmatch(mid) for rx, _ in (*self._past_re, *self._alias_re))

    def _until_next_class(self, window: str) -> str:
        """The words after a class name up to the next class name that is not enumerated with it: "Großstädte und
        nimm die Mittelstädte gleich mit dazu" includes the Mittelstädte, not the Großstädte; "Kleinstädte/
        Landgemeinden gleich mit" both."""
        rx, pos = self._kind_rx["class"], 0
        while (k := rx.match(window, _ENUMERATION_GAP.match(window, pos).end())) and k.end() > pos:  # type: ignore[union-attr]
            pos = k.end()
        following = rx.search(window, pos)
        return window[: following.start()] if following else window

    def _left_out_after(self, folded: str, start: int, end: int, kind: str) -> bool:
        """Is the entity at ``start:end`` left out by the words right after it ("die Kreise lasst bitte weg",
        "Landkreise und Gemeindeverbünde zählen für mich nicht")? Only names of the same kind may stand between
        ("Bayern, die Kreise lasst weg" leaves out the Kreise, not Bayern), and no question may ask for it
        ("Welche Kreise zählen nicht …?")."""
        if re.search(r"\b(welche\w*|wie viele|which|how many)\s+$", folded[:start]):
            return False
        clause = re.split(r"[.?!;:]", folded[:start])[-1]
        if re.match(r"\W*(sind|ist|werden|wurden|waren|war|bleiben|bleibt|gelten|gilt|are|is|were)\b", clause):
            return False  # "Sind Landkreise ausgeschlossen?" asks whether they are
        rest = self._kind_rx[kind].sub(lambda m: " " * len(m.group(0)), folded[end : end + 120])
        return bool(re.match(cues.EXCLUDED_AFTER, rest[_ENUMERATION_GAP.match(rest).end() :]))  # type: ignore[union-attr]

    def entities(self, text: str) -> dict[str, list[str]]:
        folded = fold(text)
        found: dict[str, list[str]] = {
            "states": [],
            "projects": [],
            "categories": [],
            "sizes": [],
            "past": [],
            "excluded": [],
            "excluded_states": [],
            "excluded_projects": [],
            "excluded_sizes": [],
            "left_out_after": [],  # projects left out by the words after them ("Hannover kenne ich schon")
            "population": [],  # a population bound ("unter 100.000 Einwohnern"), read as the size classes within it
            "regional": [],  # Länder only implied by a region ("im Norden"): a filter, never a claim to correct
            "included": [],  # "Großstädte, einschließlich der Landkreise": added to the classes named, no filter alone
            "included_projects": [],  # "die Kleinstädte, und nimm Ringelai noch dazu": added to a selection
            "town_of_district": [],  # "die Stadt Greifswald": a town whose name only the Landkreis project carries
        }
        plain = folded  # the names unblanked, to see which of them the words after a name enumerate with it
        for state, state_rx in self._state_re:
            m = state_rx.search(folded)
            if m is None:
                continue  # (most names are absent: no substitution pass for them)
            hit, folded = self._take(state_rx, folded)
            if hit and m and (_negated(folded, m.start()) or self._left_out_after(plain, m.start(), m.end(), "state")):
                found["excluded_states"].append(state)  # "nicht in Bayern", "die aus Bayern kannst du weglassen"
            elif hit:
                found["states"].append(state)
        at: dict[str, int] = {}  # projects in the order the question names them
        for rx, project in self._alias_re:
            m = rx.search(folded)
            if m is None:
                continue
            hit, folded = self._take(rx, folded)
            if not (hit and m):
                continue
            # "Welche Kleinstädte außer Guben …?"; "Regensburg kenne ich schon"
            excepted = bool(re.search(cues.EXCEPT, folded[: m.start()]) or self._second_excepted(folded[: m.start()]))
            after = not excepted and self._left_out_after(plain, m.start(), m.end(), "project")
            if excepted or after:
                found["excluded_projects"].append(project)
                if after:
                    found["left_out_after"].append(project)
            elif project not in at:
                at[project] = m.start()
                kreis = project.split()[0] in ("Landkreis", "Kreis") and self.corpus.project(project).category == CATEGORIES[3]
                if kreis and re.search(r"\w*stadt\s+$", folded[: m.start()]):  # "die (Hanse)stadt Greifswald"
                    found["town_of_district"].append(f"{project}\t{m.group(0).strip()}")
                # "… und nimm Guben bitte noch dazu", "inklusive Linz": added to a selection, if the question has one
                if re.search(cues.INCLUDING, folded[: m.start()]) or re.search(cues.PROJECT_INCLUDED_AFTER, plain[m.end() : m.end() + 60]):
                    found["included_projects"].append(project)
        found["projects"] = sorted(at, key=lambda p: at[p])
        # "große und kleinere Großstädte": two size classes that share their noun, each with it
        def share(m: re.Match[str]) -> str:
            return f"{m.group(1)} {m.group(4)} {m.group(2)} {m.group(3)} {m.group(4)}"

        folded, plain = re.sub(cues.SIZES_SHARING_A_NOUN, share, folded), re.sub(cues.SIZES_SHARING_A_NOUN, share, plain)
        # "alles unterhalb der Großstädte": the classes below that kind of town, read before its name is a class
        classes, span, label = classes_relative(folded, self.size_bounds)
        if span and not found["projects"]:
            found["sizes"].extend(c for c in classes if c not in found["sizes"])
            found["population"] = [label]
            folded = folded[: span[0]] + " " * (span[1] - span[0]) + folded[span[1] :]
        for rx, sc in self.size_res:
            m = rx.search(folded)
            if m is None:
                continue
            hit, folded = self._take(rx, folded)
            if hit and m and (_negated(folded, m.start()) or self._left_out_after(plain, m.start(), m.end(), "class")):
                found["excluded_sizes"].append(sc)  # "nur die großen, nicht die kleineren Großstädte"
            elif hit:
                found["sizes"].append(sc)
        for cat, pat in cues.CATEGORY_PATTERNS.items():
            m = re.search(pat, folded)
            if m is None:
                continue
            hit, folded = self._take(pat, folded)
            if hit and m and (_negated(folded, m.start()) or self._left_out_after(plain, m.start(), m.end(), "class")):
                found["excluded"].append(cat)  # "weder Großstädte noch …", "keine Landkreise", "Kreise lasst weg"
            elif hit and m and (
                re.search(cues.INCLUDING, folded[: m.start()])
                or (
                    re.search(cues.INCLUDED_AFTER, self._until_next_class(folded[m.end() : m.end() + 60]))
                    and not re.search(r"\b(welche\w*|wie viele)\s+$", folded[: m.start()])  # "Welche Kreise zählen …?"
                )
            ):
                # "alle aus NRW, auch Kreise und so", "Kooperationen, die nur teilweise dort liegen, zählen auch":
                # included in the list, no filter
                found["included"].append(cat)
            elif hit:
                found["categories"].append(cat)
        classes, span, label = classes_within(folded, self.size_bounds)  # "Städte unter 100.000 Einwohnern"
        # … not of a named project ("Hat Einbeck mehr als 30.000 Einwohner?"), nor of Landkreise, which have no size
        # class: the text's numbers answer those
        if span and not found["projects"] and not set(found["categories"]) & {CATEGORIES[3]}:
            found["sizes"].extend(c for c in classes if c not in found["sizes"])
            found["population"] = [label]
            folded = folded[: span[0]] + " " * (span[1] - span[0]) + folded[span[1] :]
        for past_rx, name in self._past_re:
            m = past_rx.search(folded)
            if m is None:
                continue
            hit, folded = self._take(past_rx, folded)
            if hit and m and re.search(r"\b(ohne|ausser|ausgenommen)\s+$", folded[: m.start()]):
                continue  # "die neuen Bundesländer (ohne Berlin)": an earlier-round place left out is no subject
            if hit and name not in found["past"]:
                found["past"].append(name)
        for tok, p in self._fuzzy_projects(folded):
            folded = folded.replace(tok, " " * len(tok))
            if p not in found["projects"]:
                found["projects"].append(p)
        named = bool(found["states"])
        for pattern, region in cues.REGION_PATTERNS.items():  # "im Osten", "norddeutsch": the Länder of that part
            hit, folded = self._take(pattern, folded)
            if hit and not named:  # … unless the question names the Länder itself ("im Norden, also in SH")
                found["states"].extend(s for s in region if s not in found["states"])
                found["regional"].extend(s for s in region if s not in found["regional"])
        # a city-state named only as a place of the 2019/2020 rounds is not a Bundesland filter
        found["states"] = [s for s in found["states"] if s in BUNDESLAENDER]
        if found["excluded"] or found["excluded_states"] or found["excluded_projects"] or found["excluded_sizes"]:
            _, folded = self._take(cues.EXCLUDED_AFTER, folded)  # "lasst … weg" says what is left out, no topic
        found["rest"] = [folded]
        return found

    def _epithet_owner(self, text: str) -> str:
        """The project whose own text, and no other, calls a place by the name the question uses for it
        ("die Händelstadt", "die Fachwerkstadt", "die Leezenstadt"), else ""."""
        if self._epithets is None:
            counts: dict[str, set[str]] = {}
            for p in self.corpus.projects:
                for w in re.findall(cues.EPITHET, p.text):
                    counts.setdefault(fold(w), set()).add(p.name)
            classes = "|".join(cues.CATEGORY_PATTERNS.values())
            self._epithets = {w: next(iter(ps)) for w, ps in counts.items() if len(ps) == 1 and not re.search(classes, w)}
        # named with the definite article ("die Händelstadt"); "Welche Universitätsstädte …?" asks for a class
        named = re.findall(rf"\b(?:[Dd]ie|[Dd]er|[Tt]he)\s+({cues.EPITHET[2:]})", text)
        owners = {self._epithets[fold(w)] for w in named if fold(w) in self._epithets}
        return next(iter(owners)) if len(owners) == 1 else ""

    def _quoted_owner(self, text: str) -> str:
        """The one project whose text holds a quoted name of two or more words that is not its title or motto
        ("„Smarte Nahversorgungsräume der Zukunft“" -> the project that plans it), else ""."""
        quoted = self._phrase(text, None)
        wanted = fold(quoted)
        if len(quoted.split()) < 2 or len(wanted) < 12 or re.search(cues.MEANING_OF, fold(text)):
            return ""  # "Was bedeutet „digitale Daseinsvorsorge“?" asks for a meaning, not for a project
        # the words of the quote in any form: a phrase that other projects use inflected is no name of one
        words = set(terms(quoted))
        if not self._project_texts:  # each project's folded text and words, once
            self._project_texts = {p.name: (fold(p.text), frozenset(terms(p.text))) for p in self.corpus.projects}
        if sum(words <= self._project_texts[p.name][1] for p in self.corpus.projects) != 1:
            return ""
        owners = [p for p in self.corpus.projects if wanted in self._project_texts[p.name][0]]
        if len(owners) != 1 or wanted in fold(f"{owners[0].title} {owners[0].motto}"):
            return ""  # several, none, or a title or motto (answered by the reverse lookup)
        return owners[0].name

    def _named_phrase(self, text: str) -> str:
        """The words a question that asks for a project names as a motto or title without quotes, if they are (nearly)
        one of the brochure's mottos or titles ("Welches Projekt hat das Motto Land l(i)eben?"), else ""."""
        m = re.search(
            r"(?i)\b(?:Motto|Projekttitel|Titel|Slogan|Leitspruch)\s+([^?!.]{4,80}?)\s*[?!.]?\s*$",
            text,
        )
        if not m or len(m.group(1).split()) < 2 or not re.search(r"(?i)\b(welche[rsmn]?|wer|wem|which|who)\b", text):
            return ""
        wanted = fold(m.group(1))
        values = [fold(v) for p in self.corpus.projects for v in (p.motto, p.title) if len(v) >= 4]
        if any(wanted in v or difflib.SequenceMatcher(None, wanted, v).ratio() >= 0.8 for v in values):
            return m.group(1).strip()
        return ""

    @staticmethod
    def _phrase(text: str, history: list[dict[str, str]] | None) -> str:
        """Text the question quotes („…“, "…"), else the last turn it points back to."""
        m = re.search(r"[„\"“']([^„\"“”']{4,})[“”\"']", text)
        if m:
            return m.group(1).strip()
        for turn in reversed(history or []):
            content = str(turn.get("content") or "").strip()
            if content:
                return content[:300]
        return ""
