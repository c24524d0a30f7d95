"""Question cues: the regular expressions and word lists by which ``rag.understand`` recognises what a
question asks — entities (categories, Länder, regions), intents (count, list, compare …), answer shapes
(singular, a number, the Impressum …) and the kinds of question the brochure cannot answer.

Data, not logic: the parser (``rag.understand.QuestionParser``) is the only reader. All patterns run on
folded text (lower case, umlauts folded: "Großstädte" -> "grossstadte").

Example::

    >>> import re
    >>> bool(re.search(COUNT, "wieviele grossstadte gibt es?")), bool(re.search(COMPARE, "was unterscheidet a und b?"))
    (True, True)
"""

from __future__ import annotations

from rag.german import fold, stem
from rag.types import CATEGORIES

CATEGORY_PATTERNS: dict[str, str] = {
    CATEGORIES[0]: r"gross-?stadt(e|en)?\b|\bgrosse(n|re|ren)? stadte?n?\b|\blarge cities\b|\bbig cities\b|"
    r"\blarge towns\b|\bmetropol\w*",
    CATEGORIES[
        1
    ]: r"mittel-?stadt(e|en)?\b|stadte? mittlerer grosse|\bmittlere(n)? stadte?n?\b|\bmittelgrosse(n)? stadte?n?\b|"
    r"medium.sized (cities|towns)|\bmid.sized",
    CATEGORIES[2]: r"klein-?stadt(e|en)?\b|\b(klein)?stadtchen\b|\bkleine(n|re|ren)? (stadte?n?|orte?n?|ortschaften)\b|\bkleine(n)? gemeinden?\b|"
    r"landgemeinden?\b|\bsmall (towns?|cities|municipalities)\b",
    CATEGORIES[3]: r"\blandkreis(e|en)?\b|\bkreise(n)?\b|interkommunal\w*|\bkooperationen\b|(?<!die )(?<!der )(?<!eine )\bkooperation\b|\bdistricts?\b|"
    r"\bcount(y|ies)\b|inter.?municipal\w*|\b(kommunale[n]? )?(gemeinde)?zusammenschl\w+|\bgemeindeverb\w+|\bregionalverb(a|ä)nde?n?\b|\b(kommunale[n]? )?verbunde\b|\bkommunalen verbunden\b",
}

# the words of that category for kinds of cooperation rather than a Kreis ("Welche Landkreise und Zusammenschlüsse …")
COOPERATION_WORDS = (
    r"interkommunal\w*|\bkooperation\w*|zusammenschl\w+|\bgemeindeverb\w+|\bkommunalverb\w+|\bregionalverb\w+|"
    r"\bverb(a|ä)nde?n?\b|\bverbund\w*|\bverbunde\w*|inter.?municipal\w*|\bcooperation\w*|\bgemeinden\b|\bgemeinde\b"
)
# a Kreis as such: "Landkreise", "Kreise", "echte Kreise", "districts", "counties"
KREIS_WORDS = r"\b(land)?kreis(e|en)?\b|\bdistricts?\b|\bcount(y|ies)\b"

STATE_PATTERNS: dict[str, str] = {
    "Baden-Württemberg": r"baden[- ]?wurttemberg\w*|\bbw\b|\bba-?wu\b",
    "Bayern": r"\bbayern\b|\bbayerisch\w*|\bbavaria\w*",
    "Berlin": r"\bberlin\b",
    "Brandenburg": r"\bbrandenburg\w*",
    "Bremen": r"\bbremen\b|\bbremisch\w*",
    "Hamburg": r"\bhamburg\b",
    "Hessen": r"\bhessen\b|\bhessisch\w*|\bhesse\b",
    "Mecklenburg-Vorpommern": r"mecklenburg[- ]?vorpommern\w*|mecklenburg[- ]western[- ]pomerania|\bmecklenburg\w*|\bm-?v\b|\bmeck[- ]?pom+\w*",
    "Niedersachsen": r"niedersachs\w*|lower saxony|\bnds\b",
    "Nordrhein-Westfalen": r"nordrhein[- ]?westfal\w*|\bnrw\b|north rhine.westphalia",
    "Rheinland-Pfalz": r"rheinland[- ]?pfalz\w*|\brlp\b|rhineland.palatinate",
    "Saarland": r"\bsaarland\w*",
    "Sachsen-Anhalt": r"sachsen[- ]?anhalt\w*|saxony.anhalt|\blsa\b",
    "Sachsen": r"(?<![a-z])sachsen\b|(?<![a-z])sachsisch\w*|\bsaxony\b",
    "Schleswig-Holstein": r"schleswig[- ]?holstein\w*|\bsh\b",
    "Thüringen": r"\bthuring\w*",
}
# Parts of Germany by their usual names -> Länder (geography, not facts of the brochure)
REGION_PATTERNS: dict[str, tuple[str, ...]] = {
    r"\b(im|in den|aus dem|aus den) osten\b|ostdeutsch\w*|\bneu?e?n (bundes)?lander\w*|\beast(ern)? germany|\beast of germany": (
        "Berlin",
        "Brandenburg",
        "Mecklenburg-Vorpommern",
        "Sachsen",
        "Sachsen-Anhalt",
        "Thüringen",
    ),
    r"\b(im|in den|aus dem|ganz im) norden\b|norddeutsch\w*|\bnorthern germany|\bnorth of germany": (
        "Bremen",
        "Hamburg",
        "Mecklenburg-Vorpommern",
        "Niedersachsen",
        "Schleswig-Holstein",
    ),
    r"\b(im|in den|aus dem|ganz im) suden\b|suddeutsch\w*|\bsouthern germany|\bsouth of germany": ("Baden-Württemberg", "Bayern"),
    r"\b(im|in den|aus dem|ganz im) westen\b|westdeutsch\w*|\bwestern germany|\bwest of germany": (
        "Nordrhein-Westfalen",
        "Rheinland-Pfalz",
        "Saarland",
    ),
}

ATTRIBUTE_PATTERNS: dict[str, str] = {
    "motto": r"\bmotto|leitspruch|slogan|wahlspruch|leitsatz",
    "title": r"projekttit\w*|\btitel\b|\btitle\b|heisst (das|ihr|sein|deren) (projekt|vorhaben)|projektname|"
    r"name des (projekts|vorhabens)|wie heisst(?! (das|der|ihr|sein|deren|dessen) (motto|leitspruch|slogan|wahlspruch|leitsatz))|"
    r"wie heissen (die|deren|ihre) (projekte|vorhaben)\b|"  # "Wie heißt das Motto …?" asks for the motto only
    r"\bwhat('s| is| are| was)\b[^?.!]{0,60}\b(called|named)\b",  # "What is it called?", "What is X's project called?"
    "states": r"bundeslande?r?n?\b|in welchem (land|bundesland)|welchem bundesland|\bstate\b|"
    r"\bwo (genau |denn |eigentlich )?liegt|"
    # "In welches Land geht die Drohne?", "Welches Land bekommt sie?": a destination abroad, not where a project lies
    r"\bwo befindet|\bwo ist\b|\bwhere\b|"
    r"welches land\b(?! (geht|gehen|soll|sollen|wird|werden|bekommt|bekommen|erhalt|erhalten|kriegt|kriegen|reist|fliegt)\b)",
    "size_class": r"grossenklasse|stadtgrosse|gemeindegrosse|wie gross(?!.*(quadrat|km|flache|einwohner|hektar))|welche grosse|\bsize\b|kategorie|category|stadttyp|"
    r"was fur eine (stadt|kommune|gemeinde)|welche art von|was fur eine art|gleich gross|von der grosse\b|der grosse nach|"
    r"\b(eine|ein) (stadt|gemeinde) oder (ein |eine )?((land)?kreis|kooperation|verbund)|"
    # "Wird X als Stadt oder als Kreis eingeordnet / gezählt / geführt?"
    r"\bals (stadt|grossstadt|mittelstadt|kleinstadt|gemeinde|kreis|landkreis|kooperation) (\w+ ){0,3}(eingeordnet|eingestuft|"
    r"gezahlt|gefuhrt|gelistet|zugeordnet)\b|\b(eingeordnet|eingestuft|gezahlt|gefuhrt) als\b|"
    # "Sind X und Y gleich eingestuft?", "Wie ist Z eingeordnet?"
    r"\b(gleich|genauso|unterschiedlich|anders|verschieden|ahnlich) (eingestuft|eingeordnet|kategorisiert|klassifiziert)\b|"
    r"\bwie (ist|sind|wird|werden|wurde|wurden)\b.{0,40}\b(eingestuft|eingeordnet|kategorisiert|klassifiziert)\b|\beinstufung\b",
    # "auf der anderen Seite (der Grenze)", "auf polnischer Seite", "von Seiten der Stadt" are no page
    "page": r"(?<!anderen )(?<!der )(?<!sche )(?<!schen )(?<!scher )(?<!beiden )(?<!beide )(?<!von )\bseiten?\b(?! der grenze)"
    r"|\bpage\b|auf welcher (seite|page)|wo (steht|finde)",
}
COUNT = (
    r"wie ?viel(e|en)?\b(?! (geld|euro|budget|mittel)\b)|\banzahl\b|how many|number of|\bzahl der\b|\bwie viel (projekte|modellprojekte|stadte|kommunen|landkreise|kreise|bewerbungen)|"
    # "Wie verteilen sich die Projekte auf die Kategorien / Länder?": the counts per class or Land
    r"\bwie verteil\w* sich\b[^?]*\b(kategorien|grossenklassen|bundeslander|lander)\b"
)
# "…, wie viel(e) …" after another question word: an indirect question inside it, not a count of its own
INDIRECT_COUNT = r"^(?=\W*(wer|welche\w*|wo)\b)[^?]*?,\s*wie ?viel\w*\b"
LIST = (
    r"\bwelche\w*\b|\bliste\w*|auflist|aufzahl\w*|\bnenne\w*|\balle\b|\bzeig\w*|\bwhich\b|\blist\b|\bwer\b|\bwho\b|\bwas fur\b|"
    r"\bwas\b[^?]*\balles\b[^?]*\b(dabei|gefordert|vertreten|ausgewahlt)\b"  # "Was ist alles aus Bayern dabei?"
)
COMPARE = (
    r"vergleich(e|en|t)?\b|unterschied\w*|unterscheid\w*|gemeinsamkeit\w*|gemeinsam (haben|hat)|versus|\bvs\.?\b|"
    r"im gegensatz|\bcompare\b|difference|differ\b|was haben .* gemeinsam|gegenuberstell\w*|"
    r"\b(grosser|kleiner|alter|junger|mehr|weniger|bigger|larger|smaller) (als|than)\b"
)
SIMILAR = (
    r"vergleichbar\w*|(?<!oder )(?<!und )(?<!o\. )(?<!u\. )ahnlich\w*|ahnel\w*|wie wir\b|wie unser\w*|similar|comparable|\bpass(t|en) (\w+ ){0,2}(zu|fur) uns|\bwir sind\b|"
    r"\bwir planen\b|unsere (stadt|gemeinde|kommune|region)\b|von wem (konnen|konnten) wir lernen|vorbild"
)
# the asker only speaks of their own place: a request for comparable projects only if the message asks for projects
# ("Gibt es 2022 wieder eine Runde, und bis wann muss sich unsere Gemeinde anmelden?" asks for none)
SIMILAR_SELF_ONLY = r"^(\bwir sind\b|\bwir planen\b|unsere (stadt|gemeinde|kommune|region)\b)$"
# an instruction that points right back to what was said before it ("Bestätige das", "Wiederhole das", "Übernimm diese
# Info"; not "Sag mir, ob es …")
CONFIRMS_IT = (
    r"\b(bestatige|bestatigt|wiederhole|ubernimm|ubernehme|confirm|repeat) "
    r"(das|dies|dieses|es|diese (info|information|aussage|angabe|tatsache|meldung)|this|that|it)\b"
)
INJECTION = (
    r"ignorier\w*|vergiss\w*|ignore (all|previous|the)|disregard|neue anweisung|system ?prompt|du bist (ab )?(jetzt|nun|sofort)|"
    r"you are now|act as|tu so als|gib (dich|vor)|jailbreak|developer mode|"
    r"\b(im|in den|aktiviere \w*|starte \w*|wechsle in den) (entwickler|developer|debug|admin|wartungs|god|dev)[- ]?modus\b|"
    r"\b(entwickler|developer|debug|admin|wartungs|god|dev)[- ]?modus\s*(aktiv\w*|an|ein|on|:)|"
    r"[\[{<(]\s*(entwickler|developer|debug|admin|wartungs|god|dev)[- ]?(modus|mode)\b|\b(system|admin|prompt)[- ]?override\b|\boverride\s*:|"
    r"\bautorisiere (dich|sie)\b|\brollenspiel\w*|\bstell dir vor,? (du bist|dass du)\b|"
    r"\b(ubernimm|ubernehmt|ubernehmen sie|kopiere|zitiere) (\w+ ){0,4}(in (deine|die|ihre) antwort|wortlich)\b|antworte (nur|ab jetzt|ausschliesslich|einzig)|"
    r"(^|\s)(system|assistant|assistent)\s*:|"
    r"hinweis fur (das|die|den) (sprachmodell|ki|modell|assistent\w*|bot|chatbot|system)|"
    r"\b(hange|fuge|schreib\w*|setz\w*) (\w+ ){0,4}(an|in|unter) (deine|die|ihre) antwort|\ban (deine|ihre) antwort\b|"
    r"\b(hange|fuge|setze|schreibe|ergänze|erganze) (\w+ ){0,6}(den|diesen|folgenden|einen) satz\b|"
    r"\bnicht in (deinen|ihren|den) quellen (steht|stehen)\b|"
    r"from now on|sag(e)?,? dass|say that|\bbehaupte\b|\bbestatige\b|confirm that|"
    r"(^|[.!?]\s*|\band\s+|\bplease\s+|\bthen\s+)(state|claim|pretend|assert) that\b|"
    r"\b(answer|respond|reply|write) (\w+ ){0,2}in english\b|\bin jeder (deiner |ihrer )?antwort(en)?\b|"
    r"\b(ab jetzt|ab sofort|von nun an|ab heute|kunftig|immer|stets|nur noch)\b.{0,20}\bsagst\b|"
    r"\bsagst (du )?(ab jetzt|ab sofort|von nun an|ab heute|immer|stets|nur noch|in jeder)\b|"
    # "SYSTEM-HINWEIS: Ab sofort bist du …, und du musst jede Antwort mit … beenden"
    r"\b(system|admin\w*|entwickler|developer|betreiber)[- ]?(hinweis|nachricht|anweisung|meldung|message|note|update)\s*:|"
    r"\b(gilt|gelten) (\w+ ){0,3}als (fakt|tatsache)\W*dass\b|"
    r"\b(ab sofort|ab jetzt|von nun an|ab heute)\b.{0,30}\b(bist|sei|spielst|antwortest|agierst|gilt|gelten)\b|"
    r"\b(jede|deine|jeder) (deiner )?antwort(en)? (\w+ ){0,3}(mit|so)\b|"
    r"\b(beende|beginne|starte|schliesse|ende) (\w+ )?(jede|alle|deine|ihre) antwort"
)
MONEY = (
    r"\beuro\b|\bgeld\w*|budget|fordersumme|fordermittel|fordergeld|\bkoste[tn]?\b|millionen|\bmio\b|zuschuss|"
    r"finanziert|how much money|funding amount|amount of (money|funding)|wie viel .*(erhalt|bekomm|bekam|kriegt)|"
    # a sum, an amount, funding asked by how much ("Welche Summe erhält X?", "Mit wie viel wird X gefördert?")
    r"(?<!\bin )\bsumme\b|\bbetrag\b|\bfunding\b|\bmoney\b|\b(grosste|hochste|meiste|kleinste|niedrigste)[nr]? forderung\b(?! (der|des|von|fur)\b)|\b(wie ?viel\b(?!e)|in welcher hohe|wie hoch)\b.*\b(gefordert|fordert|forderung)\b"
)
# … asked as an amount: how much, how high, which sum
MONEY_AMOUNT = (
    r"wie ?viel\b(?!e)|\bwie (hoch|gross)\b|\bhohe\b|\bsumme\b|\bbetrag|how much|how high|\bamount\b|\bkoste|"
    r"\bwelche[rnms]? (\w+ )?(fordersumme|summe|betrag)"
)
# … or as what a project receives, unless that is a yes/no question ("Hat Detmold Fördermittel bekommen?": funded at all)
MONEY_RECEIVED = r"\berhalt|\bbekomm|\bbekam|kriegt"
# For some declines the general sections still say something related: the words to look it up by
INSTEAD = {
    "Die Broschüre nennt keine Fördersummen oder Budgets einzelner Projekte.": "Programm Millionen Euro Aufstockung",
    "Die Broschüre nennt nur die ausgewählten Projekte, nicht die abgelehnten Bewerbungen.": "eingereichten Bewerbungen",
}
FUNDING_DETAILS = (
    r"eigenanteil|forderquote|kofinanzier\w*|eigenmittel|foerderquote|co-?financ|antragsfrist|bewerbungsfrist|"
    r"\bdazu(zu)?zahlen\b|\bzuzahl\w*|\bown (share|contribution)"
)
PEOPLE = (
    r"burgermeister\w*|oberburgermeister\w*|\blandrat\b|\blandratin\b|projektleit\w*|\bmayor\b|ansprechpartner\w*|\bwie hei(ss|ß)t (der|die) (verantwortliche|zustandige)\w*|"
    # a contact person asked for by name, not helpers as a role ("speziell geschulte Ansprechpersonen einsetzen")
    r"\b(wer|wie hei(ss|ß)t|namen?|gibt es|mit welche[rm]|an welche)\b[^.?!]{0,40}\b(ansprechperson|kontaktperson)\w*|"
    r"jurymitglied\w*|mitglieder der jury|namen der (gutachter|jury)|"
    # "Wer saß eigentlich in der Jury?": the members of a body, by name
    r"\bwer (\w+ ){0,3}(in|im) (der |dem )?(jury|gremium|auswahlgremium|auswahlkommission|expertengremium|beirat)\b|"
    r"\bwho (was|were|sat) (on|in) the (jury|panel)\b|"
    r"wer (sind|waren) die gutachter|\bminister(in)? (war|ist)|telefonnummer\w*|rufnummer\w*|phone number|\bwer (leitet|koordiniert|verantwortet)\b|"
    r"wer ist (dort |da )?(verantwortlich|zustandig)|kontaktperson\w*|\bkontaktdaten|e-?mail-?adresse|"
    r"contact person|who (leads|runs|is responsible|is in charge)|\bhead of\b|"
    # "… und wie erreiche ich die Person?": how to reach someone
    r"\b(erreiche|erreichen|erreicht|kontaktiere\w*|anrufen|anschreiben)\b[^.?!]{0,30}\b(die|diese|der|dieser) (person|personen|leitung|leiterin|leiter)\b|"
    r"\b(die|diese) (person|personen|leitung|leiterin|leiter)\b[^.?!]{0,30}\b(erreiche|erreichen|kontaktieren|anrufen|anschreiben)\b"
)
REJECTED = (
    r"abgelehnt|nicht ausgewahlt|nicht berucksichtigt|abgesagt|gescheitert\w*|rejected|"
    # in other words, only of applicants ("Welche der 94 Bewerber sind leer ausgegangen?"); "Ist das Saarland leer
    # ausgegangen?" the records answer
    r"\b(bewerb|bewarb|beworb|auswahl|jury|kandidat|antrag|antrage)\w*\b.*\b(leer ausgegangen|nicht (zum zug |durch)gekommen|"
    r"nicht genommen|durchgefallen)\b"
)
SCHEDULE = (
    r"wann( (genau|denn|eigentlich|ungefahr|etwa))? (endet|enden|beginnt|beginnen|startet|starten|lauft|laufen|"
    r"ist .* fertig)|bis wann|ab wann|laufzeit|\bwann (\w+ ){0,6}(abgeschlossen|beendet|fertiggestellt|fertig)\b|\bwelche[mn]? (datum|tag|monat|stichtag|termin)\b|"
    r"wie lange (lauft|dauert|wird)|\bhow long\b|\bwhen (does|will) .* (end|start)|"
    # "Wann hat X aufgemacht?", "Wann ist die Übergabe?": the date of an event after the brochure
    r"\bwann\b ([\w-]+ ){0,8}(eroffnet|aufgemacht|eingeweiht|fertiggestellt|in betrieb|ubergeben|ubergabe|einweihung|eroffnung)\b|"
    r"\bwhen (did|was|will) .* (open|opened|finished|completed)\b|"
    # "Wann macht das Lab auf?", "Wann öffnet …?", opening hours: a date or time the brochure cannot know
    r"\bwann (\w+ ){0,2}(macht|machen)\b[^?.!]*\bauf\s*([?.!]|$)|\bwann ([\w-]+ ){0,6}(offnet|offnen|aufmacht|aufmachen)\b|"
    r"\b(welche|wie sind die|wann sind die) (\w+ ){0,2}offnungszeit\w*|\boffnungszeit\w* (von|vom|des|der|hat|haben)\b|"
    r"\bopening hours of\b"
)
VENDORS = (
    r"\bsoftware\b|hersteller|anbieter|dienstleister|\bvendor|programmiersprache|betriebssystem|"
    r"\b(welche|welcher|welches) (firma|firmen|unternehmen|agentur|softwarefirma)\b.{0,40}\b(entwickel|programmier|bau|liefer|betreib)"
)
# "Wer macht da mit?", "Wer ist noch beteiligt?": the participants of a project, asked without the word "Partner"
PARTICIPANTS = (
    r"\bwer (macht|machen|wirkt|wirken|arbeitet|arbeiten) ([\w-]+ ){0,8}mit\s*([?.!,;]|$)|\bwer (ist|sind|war) ([\w-]+ ){0,8}(dabei|beteiligt|"
    r"involviert|im boot)\b|\bmit im boot\b|\bwho (else )?(is|are) (involved|taking part|participating)\b|"
    # "Ist X allein dabei oder zusammen mit dem Landkreis?", "Macht X das alleine oder mit anderen Gemeinden?"
    r"\b(ist|sind|macht|machen|arbeitet|arbeiten)\b[^,?]{0,40}\balleine?\b[^,?]{0,15}\boder\b|\boder (zusammen|gemeinsam) mit\b|\b(bewirbt|bewerben) sich \w+( \w+)? alleine?\b|"
    r"\b(on its own|alone) or\b|"
    # "Ist bei X nur die Stadt selbst beteiligt?", "Wer trägt das Projekt?", "… von Stadt und Landkreis getragen?"
    # ("Wer steckt hinter …?" is no such question: behind the programme is the ministry)
    r"\b(nur|bloss|ausschliesslich) (die |der |das )?(stadt|gemeinde|kreis|landkreis|kommune|verwaltung)\b[^,?]{0,30}"
    r"\b(beteiligt|dabei|mit)\s*([?.!,;]|$)|"
    r"^(?!.*\b(kosten|mittel|geld|finanz\w*|forder\w*|programm\w*)\b).*(\bwer tragt\b|\bgetragen\b|\btrager\b)"
)
# "Welche davon ist die kleinste?": a ranking by the brochure's size classes (it gives no population figures)
SIZE_RANK = (
    r"\b(?:die|der|das|am) (kleinste[nrs]?|grosste[nrs]?|kleinsten|grossten)\b|\b(smallest|largest|biggest)\b|"
    # of two named projects: "Ist X größer als Y?", "Welche ist die größere Stadt: X oder Y?"
    r"\b(grosser|kleiner|bigger|larger|smaller)\b(?= als\b| than\b| oder\b| or\b|\s*[,:?]|$)|\b(?:die|der|das) (grossere|kleinere)\b"
)
SIZE_RANK_ABOUT = r"\b(flach\w*|quadrat\w*|km|hektar|budget\w*|forder\w*|geld|summe|herausforderung\w*|problem\w*)\b"
# A question sentence that asks for a yes or no: it starts with the verb, or ends with a tag ("…, oder?")
# "Ist Konstanz 2021 gefördert worden?", "Gehört Detmold zu den Modellprojekten?", "Is Guben one of the funded ones?"
FUNDED = r"\b(geford\w*|fordert|ausgewahlt|ausgesucht|dabei|modellprojekt\w*|funded|selected|chosen)\b"
YES_NO = (
    r"^(stimmt es|ist es (richtig|wahr)|stimmt das|bau(en|t)|hat|haben|plan(t|en)|will|wollen|gibt es|setz(t|en)|wird|werden|"
    r"wurden?|gehor(t|en)|"
    r"ist|sind|mach(t|en)|biete[tn]?|nutz(t|en)|entwickel[tn]|fuhr(t|en)|schaff(t|en)|does|do|is|are|has|have|will)\b|"
    r",? (oder|richtig|stimmt'?s?|nicht wahr|right|correct)\s*\?$"
)
# Where a second question starts inside one message: "…, und wer hat sie gestaltet?", "…? Und wie viele …?"
SECOND_QUESTION = (
    r"(?i)(?:,\s*|\s+)(?:und|unt|and)\s+(?:(?:roughly|about|approximately|also|then|etwa|ungef[aä]hr|circa|genau|dann|auch|"
    r"au[sß]erdem|noch) )?(?=(?:wer|was|wie|wo|wann|warum|welche\w*|wieviel\w*|in welche\w*|aus welche\w*|"
    r"(?:mit|von|an|bei|f[uü]r|zu) (?:wem|welche\w*|was)|f[uü]r (?:wie viele\w*|wieviele\w*)|(?:from|out of) how\b|"
    r"(?:auf|in|aus|[uü]ber|unter|nach|durch|gegen|um|seit) (?:wem|wen|welche\w*)|"
    r"wo(?:r?auf|r?an|r?in|r?aus|r?[uü]ber|mit|f[uü]r|durch|von|nach|bei)|wem|gibt es|what|who|how|where|which|"
    r"(?:bis|ab|seit) wann|"
    r"(?:in|from|for|with|at|on|to|by) (?:which|what|whom|how))\b)|"
    r"(?<=\?)\s+(?=\S)"
)
# "1) Wer …? 2) Wie …?", "1. … 2. …": numbered questions in one message (the text before the first is a preamble)
ENUMERATED_QUESTION = r"(?:^|(?<=[\s:?]))\(?[1-9][.)]\s+(?=\S)"
# A short part that is a question of its own ("und was ist geplant?", "und wo liegt das?"), not a fragment that
# narrows the part before ("und in welchem Jahr?")
OWN_QUESTION = r"^(und |and )?(was|wer|wo|wie|warum|wieso|what|who|where|how|why) (\w+ )?(ist|sind|wird|werden|plant|planen|macht|machen|liegt|liegen|gibt|passiert|is|are|does|do)\b"
# A lead-in of discourse words only ("Kurze Frage:", "Mal ganz grundsätzlich:", "Noch was:") says how one asks,
# not what: its words are no topic (unlike "Thema Mobilität:")
DISCOURSE_LEAD_IN = r"^\s*([a-z ,]{1,40}):\s+"
# a pronoun by which an asking sentence points back to a person of its lead-in ("Zum Bürgermeister von X: Wie heißt er?")
POINTS_TO_PERSON = r"\b(er|sie|ihn|ihm|ihr|ihnen|dessen|deren)\b"
# "Für einen Artikel:", "Für mein Referat in der Schule:", "For my thesis:": what the answer is for, not what it is
# about (unless it names a topic: "Für einen Artikel über Mobilität:")
PURPOSE_LEAD_IN = (
    r"^\s*(?:fur|for) (?:einen|eine|ein|meine[nm]?|mein|unsere[nmr]?|unser|den|die|das|my|our|an?) (?:[a-z-]+ )?"
    r"[a-z-]*(?:artikel|beitrag|bericht|referat|hausarbeit|arbeit|prasentation|vortrag|sitzung|blog|podcast|studie|"
    r"thesis|recherche|antrag|newsletter|unterricht|seminar|article|report|presentation|essay|post)\w*"
    r"(?: (?!uber\b|zu\b|zum\b|zur\b|about\b|on\b)[a-z-]+){0,4}:\s+"
)
DISCOURSE_WORDS = frozenset(
    """
    kurz kurze kurzer kleine eine ne noch mal ganz grundsatzlich generell allgemein ehrlich gesagt ubrigens vorweg
    nebenbei also hallo hi hey moin servus frage fragen zwischenfrage nachfrage anschlussfrage letzte schnelle
    dumme doofe blode einfache neugierige zusammen liebe bitte danke ok okay gut so und jetzt was folgendes die meine
    zweite weitere andere nachste erste
    """.split()
)
# a lead-in that ends in a colon before the question ("Wir sind eine Kommune in X: Welche …?")
LEAD_IN = r"(?<=:)\s+(?=(?:Welche\w*|Wie|Was|Wer|Wo|Wann|Warum|Gibt|Gab|Hat|Haben|Ist|Sind|Which|What|Who|Where|How)\b)"
# a project that spans several Länder ("erstreckt sich über mehrere Bundesländer", "länderübergreifend")
MULTI_STATE = (
    r"\b(mehrere[nm]?|mehr als (einem|ein|1)|zwei oder mehr) (bundes)?land(e|er|ern)?\b|\b(bundes)?landerubergreifend\w*|"
    r"\b(more than one|several|multiple) (german )?(federal )?states?\b"
)
# … but "In wie vielen (verschiedenen) Bundesländern …?" counts the Länder
COUNTS_LAENDER = r"\bwie ?viele\w* (\w+ ){0,2}(bundes)?land"
# the words of such a selection, besides the phrase itself: no topic
MULTI_STATE_VERBS = r"\b(erstreck\w*|umfass\w*|reich\w*|liegt|liegen|gehort|gehoren|deutsch\w*|german|cover\w*|span\w*|located)\b"
# after a question about a person: how to reach him ("…, und wie erreiche ich ihn?")
REACH_HIM = r"\b(ihn|ihm|sie|him|her)\b.*\b(erreich\w*|kontaktier\w*|anruf\w*|anschreib\w*|reach|contact)|" \
    r"\b(erreich\w*|kontaktier\w*|anruf\w*|anschreib\w*|reach|contact)\w* (\w+ ){0,2}(ihn|ihm|sie|him|her)\b"
# the second part of a message asks about what the first part selects ("…, und was ist deren Motto?")
THEIR = r"\b(deren|dessen|ihr|ihre|ihren|sein|seine|seinen|their|its|they)\b"
# "Und das von Linz?", "Und bei der anderen?": the previous question again, about another project (no question word,
# no verb of its own)
ELLIPTIC = r"^\W*(und|auch|and)\b(?!.*\b(was|wie|wer|welche\w*|wo|wann|warum|wieso|ob|what|how|who|which)\b)"
# "die andere (Stadt)", "the other one": of two projects just named, the one not named now
OTHER_ONE = (
    r"\b(die|der|das|den|dem) andere[nmrs]?\b(?=\s*(?:$|[,?.!–-]|(?:stadt|gemeinde|kommune|kreis|landkreis|region|projekt|ort)\b))|"
    r"\bthe other (one|city|town|project|district)\b"
)
# one place, pointed at ("die bayerische Gemeinde", "der Kreis in NRW", "diese Stadt"): after an answer that named
# several, the one of them that fits
DEFINITE_PLACE = (
    r"\b(die|der|das|dem|den|diese[mnrs]?|jene[mnrs]?) (\w+ )?(?P<noun>stadt|gemeinde|kommune|kreis|landkreis|region|ort)\b"
    r"(?! und)"
)
# A class asked of two or more named projects ("Welches von X und Y ist ein Landkreis?", "Sind X und Y beide
# Großstädte?", "X oder Y – welche ist eine Große Großstadt?"), not a class that describes them ("Welche Maßnahmen
# planen die Großstädte X und Y?")
CLASS_OF_NAMED = (
    r"\b(welche[rs]?|wer)\b( (der|von den|von|aus) .{1,60}?)? (ist|sind|gehort|gehoren|zahlt|zahlen|gilt|"
    r"lauft|laufen|fallt|fallen)\b|\b(welche[rs]?|wer) (davon|von (ihnen|den beiden|beiden))\b|\bbeide[s]?\b|"
    r"\bwhich (one|of)\b|\bboth\b"
)
# The funding round or the programme as a whole, the subject of "Unter welchem Motto stand …?"
THE_ROUND = (
    r"\b(forder)?(runde|staffel|jahrgang|ausschreibung|aufruf|wettbewerb)\b|\b(forder|smart[- ]?cit(y|ies)[- ]?)?programm(e|es|s)?\b|"
    r"\b(round|call|programme|program)\b|\bmotto (von |des jahres |fur )?2021\b|\b2021 (unter|mit) (welchem|dem) motto"
)
# "Was bedeutet „…“?", "Was heißt …?", "Was versteht man unter …?": the meaning of a phrase
MEANING_OF = r"\bwas (bedeutet|bedeuten|heisst|meint|versteht|verstehen)\b|\bwhat does\b"
# … also asked as "Wofür steht …?", "Was steckt hinter …?", "Was hat es mit … auf sich?" (of a title or motto)
ASKS_MEANING = (
    MEANING_OF + r"|\bwofur (steht|stehen)\b|"
    r"\bwas steckt (\w+ ){0,2}hinter\b|\bwas hat es mit\b.*\bauf sich\b|\bwas soll\b.*\bbedeuten\b|"
    r"\b(warum|wieso|weshalb) (heisst|heissen|lautet)\b|\bwhat does\b.*\b(mean|stand for)\b"
)
# "Welche der beiden …?": one of the named projects is asked for, not a comparison
WHICH_OF = r"\b(welche[rs]?|wer) (der|von den|von) (beiden|zwei)\b|\bwhich of the (two|both)\b"
# "am Ende", "zum Schluss", "letztendlich": when, not what
IN_THE_END = r"\b(am|zum) (ende|schluss)\b|\b(letztendlich|letztlich|schlussendlich|schliesslich)\b"
# "Macht jemand was in die Richtung?", "etwas in der Art": a pointer back to what was said, no topic of its own
POINTS_THAT_WAY = r"\b(in (die|diese|eine (ahnliche|vergleichbare)) richtung|in (der|dieser) art|in diesem sinne)\b"
# "sowas", "so etwas", "so ein Viertel": a thing the statement before the question named
SUCH_A_THING = rf"\bso (ein|eine|einen|einem|einer|etwas|was)\b|\bsowas\b|\bderartig\w*|{POINTS_THAT_WAY}"
# "Welche der 28 arbeiten mit …?": a number followed by a verb (lower case, as typed) stands for the projects;
# "Welche der 12 Kriterien …" is followed by a noun
WHICH_OF_NUMBER = r"\b[Ww]elche[rsmn]? (der|von den|unter den) (insgesamt )?\d+ [a-zäöüß]"
# A criterion by its number: "K 7", "K7", "Kriterium 7", "Kriterium Nr. 7", "criterion 7"
CRITERION_NUMBER = r"\bk ?(\d{1,2})\b|\b(?:kriterium|criterion)(?: nr\.?| nummer| number)? (\d{1,2})\b"
# "die anderen Kategorien", "je Größenklasse": the classes themselves are asked about, not earlier projects
PER_CLASS = r"\b(anderen|ubrigen|restlichen|einzelnen|jeweiligen|je|pro|jeder|allen) (kategorien?|grossenklassen?)\b"
# A period that ends an abbreviation, not a sentence ("bzw.", "z. B.", "ca.")
ABBREVIATION_END = r"(?i)\b(bzw|ca|usw|etc|vgl|nr|st|dr|inkl|ggf|evtl|sog|bspw|z\.\s?b|u\.\s?a|d\.\s?h|o\.\s?ä|u\.\s?ä|e\.\s?v|[a-zäöü])\.$"
# "Wie viele Leute wohnen in X?": the population, which the brochure gives as Einwohner / Menschen / Bürger
POPULATION = r"\bwie viele? (leute|personen|bewohner\w*)\b|\b(leute|personen) (wohnen|leben)\b|\bhow many people\b"
# what stands just before a class the list is to include, not be narrowed to ("alle aus NRW, auch Kreise und so",
# "inklusive der Landkreise")
INCLUSION_WORDS = r"\b(inklusive|inkl|einschliesslich|mitsamt|samt)\b"
INCLUDING = rf"(,\s*auch|{INCLUSION_WORDS}\.?)\s+(der |die |den )?$"
INCLUSION_VERBS = r"\b(mitzahl\w*|mitgezahlt|mitrechn\w*|mitgerechnet|eingerechnet|mit (rein|hinein|dazu|dabei)|dazunehmen|mitnehmen|mit aufnehmen|teilweise)\b"
# a second question that points back to the thing the first one asks about ("Was ist ein Reallabor, und welche
# Projekte haben eins?", "… und zu welchem Projekt gehört der?", "… und wer setzt das ein?"); "gibt es" and "sind dabei"
# are no pointers
THING_BEFORE = (
    r"\b(der|die|das|den|dem|eins|einen|ihn|(?<!gibt )(?<!gab )es|sowas|so etwas|so was|dergleichen|dahinter|damit|davon|dafur|darauf)\b"
    r"(\s+\w+)?\W*$"
)
# a follow-up that adds to the previous list's selection ("Nimm die Mittelstädte aus Niedersachsen noch dazu.", "Und
# die aus Sachsen-Anhalt auch noch?", "Zähl die Landkreise bitte mit dazu.")
ADDS_TO_PREVIOUS = (
    r"\b(noch|auch|gleich|bitte|ebenfalls)\s+(mit\s+)?(dazu|rein|hinein)\b|\bauch noch\b|\bnoch (zusatzlich|dazu)\b|"
    r"\bzusatzlich\b|\bdazu ?(nehmen|nimmt|nehme|nimmst|genommen)\b|\bmit (rein|hinein|dazu)\b|\bmitzahl\w*|\bmitnehmen\b"
)
# … said as an instruction ("Nimm …", "Zähl … mit", "Füg … hinzu"), or elliptic without a question word of its own
ADD_VERB = (
    r"\b(nimm|nehmt|nehmen sie|zahl|zahlt|zahle|fug|fugt|pack|packt|rechne|rechnet|mitzahl\w*|mitnehmen|"
    r"dazu ?(nehmen|nimmt|nehme|nimmst|genommen)|hinzu\w*)\b"
)
OWN_QUESTION_WORD = r"\b(was|wie|wer|wo|welche\w*|gibt|gab|warum|wann|plant|macht)\b"
# … or said after the class, in its own clause: "Kreise zählen auch", "Kooperationen, die …, gehören mit dazu"
INCLUDED_AFTER = (
    r"^[^.?!]{0,45}\b(zahl\w*|gehor\w*)\s+((fur (mich|uns)|hier|bitte|ruhig)\s+)?(auch|mit|ebenfalls|dazu)\b|"
    r"^[^.?!]{0,45}\b(mitzahlen|mitgezahlt|mitrechnen|mitgerechnet|eingerechnet|eingeschlossen|inbegriffen|"
    r"mit (rein|hinein|dazu|dabei)|dazunehmen|dazu nehmen|mitnehmen|mit aufnehmen)\b"
)
# … and a project added to a selection: "und nimm Guben noch dazu", "Einbeck bitte mit rein"
# ("Wie will X Leute ohne Internet mitnehmen?" takes people along, it adds no project)
PROJECT_INCLUDED_AFTER = (
    r"^[^.?!]{0,45}\b(mitzahl\w*|mitgezahlt|mitrechn\w*|mitgerechnet|eingerechnet|mit (rein|hinein)|dazunehmen|dazu nehmen|mit aufnehmen|mit in die liste)\b|"
    r"^[^.?!]{0,45}\b(noch|auch|bitte|gleich) (dazu|mit rein|mit dazu|mit auf)\s*([.!]|$)"
)
# … and left out by the words right after it: "die Kreise lasst bitte weg", "Landkreise zählen für mich nicht",
# "die aus Niedersachsen kannst du weglassen", "Regensburg kenne ich schon"
EXCLUDED_AFTER = (
    r"("
    r"weg(?:lassen|gelassen)?\b(?!\s+(?:von|vom|zu|zum))|(?:he)?raus\b(?!\s*(?:auf|aufs|in|ins|nach|zu|zum|zur|aus)\b)|(?:lass\w*|nimm|nehm\w*)\s+(?:\w+\s+){0,3}(?:weg|raus|heraus|beiseite)\b|"
    r"aus(?:lassen|gelassen|klammern|geklammert|schliessen|geschlossen)|(?:he)?raus(?:nehmen|genommen|lassen|gelassen|streichen)|"
    r"streich\w*|ignorier\w*|zahl\w*\s+(?:(?:fur (?:mich|uns)|hier|diesmal|bitte)\s+)?nicht(?!\s+(?:als|zu|zum|zur)\b)|interessier\w*\s+(?:mich|uns)\s+(?:\w+\s+){0,2}nicht|"
    r"(?:will|wollen|mag|mogen|mocht\w*|brauch\w*)\s+(?:ich|wir)\s+(?:\w+\s+){0,2}nicht|"
    r"nicht\s+(?:mit)?(?:zahlen|gezahlt|gemeint|gefragt|berucksichtigen|berucksichtigt|rechnen|gerechnet)|"
    r"kenn\w*\s+(?:ich|wir)\s+(?:\w+\s+){0,2}schon|bleib\w*\s+(?:\w+\s+){0,2}aussen vor|aussen vor lassen|"
    r"(?:kannst du|konnen sie|konnt ihr)\s+(?:\w+\s+){0,2}(?:vergessen|sparen|weglassen|auslassen|skippen|ignorieren|streichen|(?:he)?rausnehmen)|"
    r"leave (?:\w+ ){0,2}(?:out|aside)|skip|exclud\w*|(?:do not|don't|dont) (?:count|include)|not interested)\b"
)
# an asking sentence that points back to what its preamble said ("aus meinem Bundesland", "bei uns", "dort",
# "im Land", "betreffen das Land"; "auf dem Land" is the countryside)
BACK_TO_PREAMBLE = r"\b(mein\w*|unser\w*|bei uns|hier|dort|da|diese[mnrs]?|solche\w*)\b|\b(im|in dem) (bundes)?land\b|\bbetreff\w* (das|dieses) (bundes)?land\b|^\W*(welche\w*|wer|was) (sind|ist|waren|war) (das|die|es)\W*$"
# the asking sentence points at the asker's own class or Land, which the statement before it names ("Wir sind eine
# größere Mittelstadt in NRW. Welche Projekte sind in derselben Größenklasse und im gleichen Land?")
_OURS = r"\b(gleiche[nmrs]?|selbe[nmrs]?|derselben|dieselbe|demselben|unsere[nmrs]?|meine[nmrs]?)\s+"
OUR_CLASS = rf"{_OURS}(grossenklasse|kategorie|klasse|stadtgrosse|gemeindegrosse|grosse|grossenordnung)\b|\bgleich gross\b"
OUR_LAND = rf"{_OURS}(bundes)?land\b"
# … and the Land or class of the project the conversation was about ("noch in dem Bundesland", "in der gleichen Klasse")
THAT_LAND = r"\b(in |im |aus )?(dem|diesem|demselben|dem gleichen|dem selben|dessen|seinem) (bundes)?land\b"
THAT_CLASS = (
    r"\b(der|dieser|derselben|dieselbe|gleiche[n]?|selben?|dessen|seiner) (grossen)?klasse\b|"
    r"\b(der|dieser|derselben|dieselbe|gleiche[n]?|selben?) (kategorie|grossenordnung)\b"
)
# … and the words of such a question that name no topic
OUR_WORDS = "uns unser unsere unserer unserem unseren Vergleichsfall Vergleichsfälle Vergleich Beispiel gut guter gutes wäre selbe gleiche gleich taugen Vorbild Vorbilder passen passt ähnlich vergleichbar Größenklasse Kategorie Klasse Bundesland Land Größe groß"
# "dieses Problem", "diese Herausforderung": a pointer back to the preamble's topic, not to its place
POINTS_TO_TOPIC = (
    r"\bdiese[mnrs]?\s+(problem\w*|herausforderung\w*|thema|themas|themen|schwierigkeit\w*|gefahr\w*|anliegen|"
    r"situation|sache|entwicklung|aufgabe\w*|sorge\w*|not|engpass\w*|mangel\w*|ansatz\w*|ansatze\w*|idee\w*|"
    r"vorhab\w*|konzept\w*|schwerpunkt\w*|ziel\w*|plan|plane\w*|vorstellung\w*)\b"
)
# a statement of what the asker wants to know ("Mich interessieren die Landkreise …"), not who asks
# "ich will wissen, wer …", "würde gern wissen": an indirect question's frame, no topic
WANTS_TO_KNOW = r"\b(will|wollte|mochte|mocht\w*|wurde gerne?|wusste gerne?)\s+(\w+\s+)?(gerne?\s+)?wissen\b"
INTEREST = r"\b(mich interessier\w*|interessiere mich)\b"
SIZES_SHARING_A_NOUN = (
    r"\b((?:grosse|grossere|kleine|kleinere)[nr]?)\s+(und|oder|sowie|bzw\.?)\s+((?:grosse|grossere|kleine|kleinere)[nr]?)\s+"
    r"((?:gross|mittel|klein)stadt\w*)"
)
# "Ich wüsste gern, welche Landkreise … Können Sie alle aufzählen?": a preamble that is an indirect question for a
# selection is the request itself, not a statement about the asker
INDIRECT_SELECTION = (
    r"\b(wusste|wurde|mochte|mocht|will|wollte|frage|interessier\w*|wissen)\b[^.?!]*,\s*(welche\w*|wer|wie ?viele\w*)\b"
)
# A statement that says what places are ("X und Y sind beide Großstädte", "… liegen im Ruhrgebiet", "… klingen
# ähnlich"), not what they do ("… wollen die Versorgung verbessern", "… haben beide ein Projekt zur Mobilität")
DESCRIBED = r"\b(sind|ist|liegen|liegt|gehoren|gehort|zahlen|zahlt|klingen|klingt|gelten|gilt|wirken|wirkt)\b"
PLANNED = (
    r"\b(wollen|will|planen|plant|mochten|mochte|setzen|setzt|arbeiten|arbeitet|bauen|baut|entwickeln|entwickelt|testen|"
    r"testet|aktiv|engagiert|beschaftigen|befassen|kummern|machen|macht|tun|tut|projekt\w*|bereich)\b"
)
# a question that points back to the statement before it ("Was machen die zwei da jeweils?"): its topic is meant
POINTS_BACK = r"\b(da|dabei|dazu|damit|darin|daran|darauf|dafur|hierzu|hierbei|dort|in diesem bereich|auf diesem gebiet)\b"
# a question that stands for what the preamble described ("Wer macht sowas schon?", "Welche Projekte machen das auch?")
PRO_FORM = rf"\b(sowas|so etwas|so was|dergleichen|ahnliches|das (auch|schon|ebenfalls|gleiche)|dasselbe)\b|{POINTS_THAT_WAY}"
# "auf dem Land": rural, not a Bundesland
RURAL = r"\bauf (dem|das|s) lande?\b|\baufs lande?\b"
# "außer Guben und Kempten", "neben …": the named projects are left out, not compared
# towns of any size named beside districts ("Städte und Kreise", "Gemeinden oder Landkreise"): every category
_BODIES = (
    r"(land)?kreisen?|(kommunalen? |interkommunalen? )?(verbunden?|kooperationen|zusammenschlussen?)|gemeindeverbunde?n?|"
    r"kommunalverbunde?n?|gemeindezusammenschlussen?|regionalverbanden?|districts|counties"
)
TOWNS_AND_DISTRICTS = (
    rf"(?<![a-z-])(stadte|stadten|orte|orten|gemeinden|kommunen|cities|towns)(,| und| oder| bzw\.?| sowie| and| or) ({_BODIES})\b|"
    rf"\b({_BODIES})(,| und| oder| bzw\.?| sowie| and| or) (stadte|stadten|orte|orten|gemeinden|kommunen|cities|towns)\b"
)
# "Ich wohne in …", "ich lebe in …", "I live in …": the asker's home, no topic of the question (also spoken without
# the ending or the pronoun, "ich wohn in Bayern", "ich leb in Hessen", "hey, wohn in Kempten")
# "Ich arbeite in der Verwaltung einer Kleinstadt …": where the asker works says who asks, not what about
ASKER_WORKPLACE = (
    r"\b(ich|wir) (arbeite|arbeiten|bin|sind) (\w+ ){0,2}(in|bei|beim|im|fur) (der |die |einer |dem |einem |nem |ner )?"
    r"(verwaltung|stadtverwaltung|kreisverwaltung|gemeindeverwaltung|kommunalverwaltung|rathaus|amt|behorde|landratsamt)\b"
)
ASKER_PLACE = (
    r"(?i)(\b(?:ich|wir|i|we) |(?:^|[,;:!?–-])\s*)(wohne|wohn|wohnen|lebe|leb|leben|komme|komm|kommen|live|come)\s+(?:in|im|bei|aus|from)\s+"
    r"(?:der |dem |den |the )?([A-ZÄÖÜ][\w-]+(?: [A-ZÄÖÜ][\w-]+)?)"
)
# "außer Guben", "neben Linz", "other than Guben": a project named to be left out (the text right before it)
EXCEPT = (
    r"\b(ausser|ohne|neben|abgesehen von|ausgenommen|other than|besides|except|apart from)\s+"
    r"((der|die|dem|den|das|the) )?((stadt|gemeinde|kreis|landkreis|city|town|district) )?$"
)
# … or the second of such names ("neben Bamberg und Regensburg"): the text between must be another name
EXCEPT_LIST = (
    r"\b(ausser|ohne|neben|abgesehen von|ausgenommen|other than|besides|except|apart from)\s+(?P<mid>[^.?!:]{0,40}?)\s*"
    r"(,|\bund|\band|\boder|\bor|\bsowie)\s+((der|die|dem|den|das|the) )?((stadt|gemeinde|kreis|landkreis) )?$"
)
BESIDES = r"\b(ausser|neben|ohne|andere\w*|weitere\w*|sonst)\b"
# "Welche anderen …?", "Welche weiteren …?", "Wer ist sonst noch dabei?": the selection without the projects named
THE_REST = r"\b(die|den|der) (ubrigen|restlichen)\b"  # "… kennen wir schon – bitte nur die übrigen": of what was said
THE_OTHER_PLACES = r"\b(anderen|ubrigen|restlichen|weiteren|sonstigen)\b"  # "in den anderen Ländern des Ostens"
# a claim about the project just talked about ("Das liegt doch in Bayern, oder?", "Die sind in Sachsen, oder?")
CLAIM_ABOUT_IT = r"^\W*(das|die|der|es|sie|er)\s+(liegt|liegen|ist|sind|gehort|gehoren)\b[^.!?]*(\b(doch|oder|richtig|stimmt\w*)\b[^.!?]*)?\?\W*$"
# an earlier round named as such ("in der ersten Staffel", "in einer früheren Runde")
EARLIER_ROUND = r"\b(erste[nrs]?|zweite[nrs]?|fruhere[nrs]?|vorige[nrs]?|letzte[nrs]?) (staffel|runde|forderrunde)\b"
# "davon nur die größeren?", "Welche davon sind kleinere?": a size class of the category, said by its comparative alone
LARGER_OR_SMALLER = (
    r"\b(?:(?:nur )?(?:die|der|den|zur|zu den) )?(grosseren|grossere|kleineren|kleinere)\b(?:\s+(?:sorte|art|klasse|gruppe|halfte))?"
    r"(?=(?:\s+(?:bitte|mal|davon))?\s*(?:[?.!,]|$))"
)
THE_OTHERS = r"\b(welche|wie viele|wer)\w* (\w+ ){0,2}(anderen|weiteren|ubrigen)\b|\bsonst noch\b"
NUMBER_WORD = r"(zwei|drei|vier|funf|sechs|sieben|acht|neun|zehn|elf|zwolf|\w+zehn|\w*zwanzig)"
# "die zwölf Bewertungskriterien", "alle achtundzwanzig Projekte": a set named with its size, the size no topic
THE_SIZE_OF_A_SET = rf"\b(die|den|der|alle|allen|diese|diesen|deren|dessen|ihre|ihren|seine|seinen) {NUMBER_WORD}\b"
# "welche von den zwölf …", "unter den 8 genannten": the previous list by its length
HOW_MANY_LISTED = rf"(\d{{1,2}}|{NUMBER_WORD})(en)?( genannten)?"
NARROWING = (
    r"\b(davon|darunter|von (alle[nm]? |all )?(diesen|ihnen|denen|den genannten|den (beiden|zweien|dreien|vieren|funfen))|"
    rf"(von|unter) (den|diesen) {HOW_MANY_LISTED}(?= *(\w+ )?(sind|ist|liegen|liegt|gehoren|haben|hat|wollen|will|planen|plant|\W|$))|"
    r"unter (diesen|ihnen|denen)|of (all )?(them|these|those))\b"
)
# a short message after a list that keeps part of it ("Nur die in Niedersachsen bitte.", "Sind da auch Landkreise
# drunter?"): narrows like "davon"
ONLY_THOSE = (
    r"^\W*(?:und |bitte |dann |jetzt |also )?nur (?:noch )?(?:die|der|den)\b|\bdrunter\b|"
    r"^\W*(?:und |also |dann )?(?:die|diejenigen|welche) (?:in|aus|im)\b"  # "die in Niedersachsen?" after a list
)
# "Welche von all denen …?" after several answers: among the projects of every answer so far
ALL_OF_THEM = r"\b(von|unter) (alle[nm]?|all) (diesen|denen|den genannten)\b|\bof all (of )?(them|these|those)\b"
RANKING = (
    r"\b(das|die|der|den) (beste|besten|schlechteste\w*|erfolgreichste\w*|innovativste\w*|wichtigste\w*|"
    r"spannendste\w*|interessanteste\w*)\b|rangliste|ranking|"
    # "Welches Projekt ist am besten?", not "die am besten gegen Angriffe geschützte Stadt"
    r"\bam (besten|erfolgreichsten|innovativsten)\b(?=\s*(\?|$|\.|bewertet|abgeschnitten|gefall\w*|gelungen|umgesetzt))|"
    r"\bbest (project|city)\b|\bmost (successful|innovative)\b|\bwelches projekt ist besser\b|"
    # who won, the places of a ranking, the jury's points: the brochure names only who was selected
    r"\b(hat|haben|hatte) (\w+ ){0,4}(gewonnen|siegte|gesiegt)\b|\bwer (hat )?gewonnen\b|\bsieger\w*|\bgewinner\w*|"
    r"\bauf (dem )?platz (1|2|3|eins|zwei|drei)\b|\bauf (welche[mn]|den ersten|dem ersten) platz\b|"
    r"\b(hochste|meisten|beste) (punkt\w*|punktzahl|bewertung)\b|\bwho won\b|\bwinners?\b"
)
# the jury's points or marks for a project ("Welche Punktzahl hatte X?", "Wie viele Punkte bekam X?")
JURY_POINTS = (
    r"\bpunktzahl\w*|\bpunkte (\w+ ){0,6}(bekommen|bekam|erhalten|erhielt|erreicht|erzielt|vergeben)\b|"
    r"\b(note|schulnote|bewertungspunkte)n? (\w+ ){0,4}(bekommen|bekam|erhalten|erhielt)\b|\bhow many points\b"
)
# An opinion on a project's worth ("sinnvoll oder Geldverschwendung?", "Was halten Sie von …?"): the brochure
# presents the projects, it does not judge them
OPINION = (
    r"geldverschwendung|\bsteuerverschwendung|\b(eine|deine|ihre) (klare |ehrliche )?meinung\b|\b(sinnvoll|gut) oder (sinnlos|schlecht|uberflussig|unsinn\w*)\b|"
    r"\blohnt (es|das|sich das) sich\b|\blohnt sich (das|es)\b|\bwas (halten|haltst|haltet) (sie|du|ihr) von\b|"
    r"\b(ihre|deine|eure) (meinung|einschatzung)\b|\bwaste of money\b|\bworth it\b|\bwhat do you think\b|"
    # "rausgeschmissenes Geld", "Geld verbrannt": a judgement of the spending
    r"\b(raus|hinaus)geschmissen\w* (steuer)?geld\b|\b(steuer)?geld\w* (\w+ ){0,2}(verschwendet|verbrannt|verpulvert|verschleudert)\b|"
    # "Was halten die Bürger davon?", "Wie kommt das bei den Leuten an?": what people think of it, never in the brochure
    r"\b(was|wie) (halten|sagen|denken) (die|der) (burger|burgerinnen|leute|menschen|einwohner|einwohnerinnen|bevolkerung|"
    r"anwohner|anwohnerinnen)\b|"
    r"\bwie kommt (das|es|die \w+|der \w+) (\w+ )?bei (den|der) (burgern|burgerinnen|leuten|menschen|einwohnern|bevolkerung) an\b"
)
RESULTS = (
    # "… haben es diesmal geschafft?" is who was selected, not what was achieved
    r"\b(hat|haben|hatte|hatten) (?!es\b).{0,60}\b(erreicht|bewirkt|gebracht|geschafft|umgesetzt)\b|wie erfolgreich|"
    r"\bergebnisse? (des|der|von|im|aus)\b|\bbilanz\b|\bwirkung (des|der|von)\b|was ist (daraus|aus .*) geworden|"
    r"what (has|have) .* achieved|\bresults? of\b|\bimpact of\b|\bwas (hat|haben) .* (gebracht|erreicht)|"
    r"\berfolge\b.{0,40}\b(erzielt|erreicht|gebracht|vorzuweisen)\b|\b(schon|bereits|bisher) (erzielt|erreicht)\b|"
    r"\b(wie )?zufrieden\b|\bzufriedenheit\b|\bsatisfied\b|"
    # "Was ist bisher dabei rausgekommen?", "Hat X sein Quartier schon fertig?": what has come of it by now
    r"\b(dabei|daraus|bisher|bis jetzt) (\w+ )?(raus|heraus)gekommen\b|\b(hat|haben) [^?.!]{0,60}\b(schon|bereits) fertig\b|"
    # "Gibt es schon Ergebnisse?", "Findet man jetzt schneller einen Parkplatz?": what has come of it by now
    r"\b(schon|bereits|inzwischen|mittlerweile|jetzt schon) (\w+ ){0,2}(ergebnisse|erfolge|erkenntnisse)\b|"
    # "… und hat das funktioniert?", "Ist es gelungen?": how something went, which a 2021 brochure cannot know
    r"\b(hat|haben|hatte|hatten) (das|es|sie|die|der|den) [^?.!]{0,80}\b(funktioniert|geklappt|bewahrt|gelohnt)\b|"
    r"\bist (das|es) (\w+ ){0,2}(gelungen|gescheitert)\b|"
    # "Gibt es schon Zahlen dazu?", "Hat X den Radverkehr schon messbar gesteigert?": a measured effect since the brochure
    r"\b(schon|bereits|inzwischen|mittlerweile) (\w+ ){0,2}(zahlen|messwerte|messungen|belege|nachweise|statistiken)\b"
    r"(?=[^?!]*\b(zuruckgegangen|gesunken|gestiegen|gesteigert|gesenkt|verbessert|verringert|reduziert|erfolg\w*|"
    r"wirkung\w*|effekt\w*|ergebnis\w*|gebracht|geholfen|entwickelt|verandert)\b)|\b(schon|bereits|inzwischen|mittlerweile) (\w+ ){0,2}messbar\b|"
    r"(?<!wir )(?<!ich )\b(hat|haben|hatte|hatten) (?!es\b)[^?.!]{0,60}\b(schon|bereits|inzwischen|mittlerweile|wirklich|tatsachlich) "
    r"(\w+ ){0,2}(gesteigert|gesenkt|verbessert|verringert|reduziert|erhoht|belebt|halbiert|verdoppelt)\b|"
    # "Funktioniert das Smart Parking inzwischen?": how it works now, since the brochure
    r"\bfunktionier\w* ([\w-]+ ){0,5}(inzwischen|mittlerweile)\b|\b(inzwischen|mittlerweile) funktionier\w*|"
    # "Ist das Musterhaus inzwischen eröffnet?": how far it has come since the brochure appeared
    r"\b(inzwischen|mittlerweile)\b (\w+ ){0,3}(eroffnet|aufgemacht|eingeweiht|fertig|fertiggestellt|in betrieb)\b|"
    # "Ist das Haus des Wissens schon eröffnet?", "Sind die Stationen bereits aufgestellt?"
    r"\b(ist|sind|wurde|wurden)\b [^?.!]{0,40}\b(schon|bereits|jetzt)\b (\w+ ){0,3}(eroffnet|aufgemacht|eingeweiht|"
    r"fertiggestellt|fertig|in betrieb|aufgestellt|installiert|gebaut|freigeschaltet)\b|"
    # "Wie viele Besucher hatte es bisher?", "Wie viele Nutzer hat die App schon?"
    r"\bwie viele (besucher\w*|nutzer\w*|downloads|teilnehmer\w*|gaste) [^?.!]{0,40}\b(bisher|bis jetzt|schon|inzwischen|"
    r"mittlerweile)\b|"
    r"\b(did|has) (it|this|that) (work|worked|succeed|succeeded)\b|"
    # "Welche Werte haben die Sensoren bis heute geliefert?", "Wie viele nutzen die App inzwischen?": since the brochure
    r"\b(bis heute|inzwischen|mittlerweile) (\w+ ){0,4}(geliefert|gemessen|genutzt|herausgebracht|rausgebracht|eingefuhrt)\b|"
    r"\b(geliefert|gemessen|genutzt|nutzen|nutzt) ([\w-]+ ){0,4}(bis heute|inzwischen|mittlerweile)\b|"
    r"\bmessergebnis\w*\b[^?.!]{0,60}\b(bis heute|bisher|schon|bereits|inzwischen|geliefert)\b|"
    r"\b(bis heute|bisher|schon|bereits|inzwischen) (\w+ ){0,4}messergebnis\w*|"
    # any yes/no question about the time since the brochure ("Hat Geestland die Drohne mittlerweile übergeben?", "Läuft
    # der Bus schon?"; "Gibt es inzwischen mehr Projekte als 2019?" asks about the rounds; "Ist X bis heute von … geprägt?"
    # about what the brochure says)
    r"(?:^|[.!?:]\s*)(hat|haben|hatte|ist|sind|wurde|wurden|lauft|laufen|fahrt|fahren|steht|stehen|kann man|"
    r"funktioniert|funktionieren|existiert|existieren)\b[^?.!]{0,80}\b(inzwischen|mittlerweile|mitlerweile|seitdem|seither|"
    r"heute schon|jetzt schon|nun schon)\b|"
    r"(?:^|[.!?:]\s*)(lauft|laufen|fahrt|fahren|funktioniert|funktionieren)\b[^?.!]{0,60}\b(schon|bereits)\W*$|"
    # "Kann man die App schon runterladen?", "Kann ich das Lab schon besuchen?"
    r"\b(kann|konnen) (man|ich|wir) ([\w-]+ ){0,5}(schon|bereits|inzwischen|mittlerweile) (\w+ )?"
    r"(runterladen|herunterladen|downloaden|nutzen|benutzen|buchen|besuchen|ausprobieren|installieren)\b"
)
OFF_TOPIC = r"\bwetter\b|\bweather\b|fussball|bundesliga|\brezept\w*|aktienkurs|\bbörse\b|\bhoroskop"
FUNDING_YEAR = r"\b(20(0\d|1[0-8]|2[2-9]|3\d))\b"
# a round after the brochure's ("die nächste Bewerbungsrunde", "kann sich unsere Gemeinde noch bewerben?")
LATER_ROUND = (
    r"\b(nachste[nrs]?|kommende[nrs]?|spatere[nrs]?) (bewerbungs|forder|wettbewerbs)?(runde|staffel|ausschreibung|aufruf|"
    r"wettbewerb)\b|\b(noch|wieder|erneut|nochmal) (\w+ ){0,2}bewerben\b|\bnext (round|call)\b"
)
FUNDING_WORDS = r"geford|forder|staffel|ausgewahlt|projekt|funded|selected|wettbewerb|runde|gibt es"
# "Kommen 2022 weitere Städte dazu?": places joining the programme (in a year after the brochure's)
JOINING = (
    r"\b(dazu|hinzu)(kommen|gekommen|kommt)?\b|\b(weitere|neue|mehr) (stadte|kommunen|gemeinden|orte|kreise|landkreise|"
    r"regionen|modellprojekte|projekte)\b"
)
FOLLOWUP = (
    r"^(und|und was|und wie|what about|and)\b|\b(die stadt|der stadt|das projekt|dem projekt|diese[rsmn]?|dort|"
    r"deren|dessen|ihr(e|en|em)?|sein(e|en|em)?|es|sie|they|it|its|their|there|them|da|dahin|dazu|"
    r"der kreis|den kreis|dem kreis|des kreises|die gemeinde|der gemeinde|die region|der region|die kommune|"
    r"der kommune|der landkreis|dem landkreis|die beiden|den beiden|beide|beiden|diese projekte|die projekte|"
    r"dieses projekt|jene[rsmn]?|selbige\w*)\b|\b(macht|plant|will|hat|heisst|liegt|lauten?|sind|ist) (die|der|das|den)\s*\?*$|"
    r"^(die|der|das)\b"
)
# "die im Norden", "der in Bayern", "das aus NRW": a pronoun that picks one of the projects named before by where it lies
# (after a verb or "und": "Projekte, die in Bayern Energie sparen" is a relative clause)
THE_ONE_IN = (
    r"\b(soll|sollen|will|wollen|wird|werden|plant|planen|macht|machen|hat|haben|ist|sind|kann|konnen|liegt|baut|bauen|"
    r"setzt|setzen|nutzt|nutzen|und|das)\s+(die|der|den|dem)\s+(im|in|aus|an der|am)\b"
)
# "die beiden", "beide", "both": two projects, which may come from two answers
BOTH = r"\b(die beiden|den beiden|der beiden|beide|beiden|both|the two)\b"
# … unless a noun other than a kind of place follows ("die beiden Maßnahmen")
BOTH_OF_OTHER = r"\b[Bb]eide[n]?\s+(?!(Städte|Projekte|Modellprojekte|Kommunen|Orte|Kreise|Landkreise|Gemeinden|Regionen)\b)[A-ZÄÖÜ]\w+"
NEGATION = (
    r"\b(weder|noch|keine?n?|nicht|ausser|ausserhalb|ohne|ausgenommen|abgesehen von|andere[nmrs]? \w+ als|"
    r"andere[nmrs]? als)\b[^.?!]{0,30}$"
)

# "die erste davon", "das zweite Projekt", "the last one": a position in the previous list
ORDINALS = ("erste", "zweite", "dritte", "vierte", "funfte", "first", "second", "third", "fourth", "fifth")
ORDINAL = (
    r"(?<!als )(?<!zum )(?<!furs )\b(erste|zweite|dritte|vierte|funfte|letzte|first|second|third|fourth|fifth|last)[nrs]?\b"
    r"(?= (davon|projekt\w*|stadt|kommune|gemeinde|landkreis|kreis|region|one|of them|in der liste|genannte\w*)|\s*[?,;:!]|$)"
)

# "die"/"der" as a pronoun after a verb ("Mit wem arbeiten die zusammen?"), not an article ("planen die
# digitale Verwaltung"): the original case tells, a noun follows an article
PRONOUN = (  # "Was machen die dort?", "Zähl die mal auf": an article that stands for a noun
    r"\b(\w+(en|t)|sind|[Zz]ähl|[Nn]enn|[Ll]ist|[Zz]eig|[Ee]rklär|[Bb]eschreib)e?"
    r"(\s+(du|ihr|sie|mir|uns|bitte|mal|nochmal))*\s+(die|der|das)\s+"  # "Zählst du mir die mal auf?"
    r"([a-zäöüß]+\b(?!\s+[A-ZÄÖÜ])|[?.!]|$)|"
    # after an auxiliary or modal verb only before an adverb or the last word ("Wo wird das denn erprobt?", "Wie
    # kann das funktionieren?"), since a lower-case noun may follow too ("was war das leitthema 2021?")
    r"\b(wird|soll|kann|muss|will|war)\s+(die|der|das)\s+((denn|dann|genau|konkret|eigentlich|ungefahr|ungefähr|so|da|"
    r"dort|jetzt|schon|noch|bald|fertig|wirklich|überhaupt|uberhaupt)\b|[a-zäöüß]+\s*([?.!]|$))"
)

# "es"/"sie" that do not point back: "gibt es", formal "Sie"
NOT_BACK = r"\b(gibt|gab|geht|ging) es\b|\bes (gibt|gab|geht)\b|\b(konnen|konnten|haben|wissen|sagen|nennen|zeigen|erklaren|helfen) sie\b"
ENGLISH = r"\b(the|what|which|how|who|where|does|is|are|projects?|cities|funded|motto|title)\b"

# Attribute words ("Motto", "Seite", …): asking for an attribute is no topic of its own
ATTRIBUTE_STEMS = frozenset(
    stem(w)
    for w in (
        "motto mottos leitspruch leitspruche slogan slogans projekttitel projekttiteln titel titeln seite seiten "
        "grossenklasse heisst lautet liegt grosse kategorie title titles page state size"
    ).split()
)

# a question word that begins what is asked, after a lead-in ("Für den Gemeinderat: Welche …?")
QUESTION_WORD_START = r"welche\w*|wer\b|wie\b|was\b|wo\b|wann\b|warum\b|gibt es\b|which\b|what\b|who\b|where\b|how\b"
# a question about a named project that asks about the thing of the question before ("Welche Projekte planen Drohnen?"
# – "Wofür braucht Geestland die Dinger?", "Was will Kempten damit machen?", "Wie sieht das bei Hannover aus?")
POINTS_TO_PREVIOUS_TOPIC = (
    r"(?<!, )\b(damit|dafur|dazu|dagegen|davon|daran|darauf|darin|dabei|hierfur|hierzu|sowas|so etwas|so was|"
    r"(das|dem|die|den|diese[mns]?) (ding|dinger|dingern|teil|teile|teilen)|(sieht|sehen|aussieht|aussehen) (das|die|es|sie))\b"
    r"(?!,? (dass|wenn|die|der|das)\b)|\b(das|es)\W*$"
)
# an asking sentence that takes its topic from the sentences around it ("Ich fahre gern Rad. Welche Städte machen da was?")
POINTS_BACK_TO_TOPIC = r"\b(dazu|dafur|damit|davon|daran|darauf|darin|darum|da was|solche\w*|so etwas|sowas|diese[mnrs]?|such|that|this)\b"
# a lead-in before a colon that says what for or who asks ("Für den Gemeinderat:", "Ich als Planerin:"), not a topic
# ("Thema Mobilität:", "Radverkehr:")
LEAD_IN_PURPOSE = r"^\W*(fur|zur|zum(?! thema)|als|wegen|im rahmen|ich|wir|mein\w*|unser\w*|kurze frage|frage)\b"
# a name for a place built on "-stadt" ("Händelstadt", "Fachwerkstadt"): the project whose text alone uses it
EPITHET = r"\b[A-ZÄÖÜ][a-zäöüß]{3,}(?:stadt|städtchen|metropole)\b"
# words of the selection itself, which never narrow it ("Welche Kreise gehören zur Auswahl 2021?")
SELECTION_STEMS = frozenset(
    {"auswahl", "ausgewahlt", "auserwahlt", "vollstand", "komplett", "vertret", "teilnehm", "mitmach", "trag", "tragt"}
)
# Words that only frame a structural question ("Welche Projekte in Bayern wurden gefördert?")
FRAME_WORDS = """
aufzahlen aufzahlung
welche welcher welches welchen gibt gab gefordert forder forderung foerderung modellprojekt
modellprojekte projekt projekte projekten smart city cities 2021 wurden wurde werden sind ist liegen
liegt stammen kommen kommt kam kamen aus gehoren gehort zahlen zahlt zaehlen nenne nennen liste listen staffel staffeln forderrunde forderrunden jahrgang
auflisten alle insgesamt jahr viele anzahl stadt stadte ort orte orten kommune kommunen gemeinde gemeinden verbund verbunde geschafft diesmal runde 2021er dazugekommen hinzugekommen
teilnehmer ausgewahlt genommen angenommen bewilligt durchgekommen dabei waren davon which what how many are were was funded projects project
chosen picked accepted new freistaat freistaats flachenland flachenlander flachenlandern restlichen restliche ubrigen ubrige vertreten represented
selected list all name names there the in of kategorie bundesland bundeslander bewertungskriterien kriterien kriterium land lander macht
machen plant planen steht tut vorhaben geht worum heissen heisst lauten lautet eingestuft einstufung zugeordnet gelten gilt
kategorisiert klassifiziert gefuhrt gelistet with for about have has do does any some there their model models municipalities
municipality towns town worin unterscheiden unterscheidet unterschied unterschiede
gemeinsam gemeinsamkeit gemeinsamkeiten vergleiche vergleich vergleichen verglichen beide beiden zwischen
konkret genau eigentlich ungefahr etwa bitte denn worum gehts ding dinge sache sachen irgendwas
zwei drei vier funf sechs sieben acht neun zehn two three four five
komplett komplette kompletten vollstandig vollstandige vollstandigen brauche brauchen benotige laufen lauft gesamte gesamten
thema themen themenfeld themenfeldern ausdrucklich eigene eigenen eigenes eigener eigentlich jeweils
broschure broschuere brochure heft publikation nennt genannt ubersicht meisten wenigsten meiste most fewest neu neue neuen neuer erstmals programm programms forderprogramm besser bessere besseren wem wen wessen
verschieden verschiedene unterschiedlich unterschiedliche ahnlich ahnliche modell gemeint meint ansatz ansatze ansaetze herangehensweise vorgehensweise stimmt stimmen richtig wahr interessiere interessiert interessieren gehen umgehen umgeht rolle spielt spielen spielte fordert fordern forderte bereich bereiche bereichen jemand irgendwer irgendwo irgendwas
at on in into from by with within want wants wanted located situated based dealing deal deals work works working
use uses using try tries make makes made get gets got getting place places round rounds overarching funding involved involve involves concerned focus focuses focusing
mainly mostly primarily chiefly largely especially particularly specifically called named
hauptsachlich vorwiegend uberwiegend schwerpunktmassig dreht drehen drehte
rein weg gleich lass lasst nimm nehmt nehmen nehme zusatzlich zusatzliche zusatzlichen ebenso fallen fallt firmieren firmiert rangieren rangiert
""".split()


# Words that ask what a named project plans as a whole ("Welche Maßnahmen will X umsetzen?", "Was will X mit
# dem Geld anstellen?", "Welche Ziele verfolgt X?"): with nothing else, the question asks for its summary
PLAN_WORDS = """
massnahme massnahmen umsetzen umgesetzt umsetzung vorhaben vorhabens planen geplant plan plane planung
geld geldern anstellen ziel ziele zielen verfolgen verfolgt schwerpunkt schwerpunkte idee ideen konkret
ausgangslage ausgangssituation inhaltlich inhaltlichen inhalte
erreichen realisieren verwirklichen anpacken angehen investieren verwenden verwendet fordergeld fordergelder
fordermittel mittel inhalt inhalte kern ansatz ansatze konzept bezwecken beabsichtigen aktivitaten angebote
fokus absicht vorstellung vorstellen beschreiben beschreibung zusammenfassen zusammenfassung uberblick uberblicke
besondere besonderes besonderen besonders auszeichnet ausmacht
uberhaupt alles genau vor plans planned goals goal aims measures doing do overview summary
teilprojekt teilprojekte unterprojekt unterprojekte teilvorhaben teilmassnahme teilmassnahmen baustein bausteine
projektbausteine modul module bestandteil bestandteile komponente komponenten saule saulen elemente
besteht bestehen zusammensetzen zusammengesetzt
""".split()

# a title question names the title; "Wie heißt die Plattform, mit der …" asks for something else
TITLE_WORDS = (
    r"projekt?tit|\btitel|\btitle|projektname|heisst (das|ihr|sein|deren|dessen) (projekt|vorhaben|modellprojekt)"
)

# Answer-shape signals, read here once so that the answer layer never looks at the text
SINGULAR = (
    r"\b(welche|welches|welcher|welchem) (stadt|projekt|modellprojekt|kommune|gemeinde|landkreis|kreis|region|"
    r"verband|dokument|gremium|institution|ministerium|firma|agentur)\b|"
    r"\bwelche[sm] (vorhaben|unternehmen)\b|"  # "welche Vorhaben" is a plural
    # a compound of a kind of town ("welche Landeshauptstadt", "welche Welterbestadt"), not a size class, which asks
    # for all of its projects ("Welche Kleinstadt wurde gefördert?")
    r"\b(welche|welches|welcher|welchem) (?!(gross|mittel|klein)stadt\b)\w+stadt\b(?!-)|"
    r"\bwhich (city|project|town|district)\b"
)
# "Gibt es ein Projekt, das …?", "Plant irgendein Modellprojekt …?", "Is there a project …?": one fitting project is
# expected, further ones only when they fit about as well
EXISTS_ONE = (
    r"\bgibt es (denn |auch |da |schon |hier |eigentlich |irgendwo |vielleicht )*(ein|eine|einen|irgendein\w*) (\w+ )?"
    r"\w*(projekt|stadt|kommune|gemeinde|kreis|region)\b|"
    r"^(plant|macht|baut|nutzt|setzt|testet|entwickelt|erprobt|hat|will|kummert) (sich )?(denn |auch |schon |vielleicht )*"
    r"(irgendein\w*|ein|eine|einen) (\w+ )?(modellprojekt|projekt|stadt|kommune|gemeinde)\b|"
    r"\bis there (a|an|any) (\w+ )?(project|city|town|municipality|district)\b"
)
ASKS_FOR_PROJECT = (
    r"^wo\b|^wer\b(?!.*(bewerb|jury|gutacht|auswahl|ausgewahlt|ausgesucht|ausgesiebt|entschied|kriteri|broschure|"
    r"bundesregierung|ministerium|programm|herausgeb|heraus|gestalt))|\b(welche[rsmn]?|alle) (projekte?|modellprojekte?|stadte?|kommunen?|gemeinden?|"
    r"landkreise?|kreise?|region(en)?|vorhaben|orte?n?|staedte|dorfer|dorf)\b|\b(which|what) (projects?|cities|towns|districts|places)\b|"
    r"^(who|where)\b|\bwo (gibt|geht|wird|werden|soll|sollen|plant|planen)\b|"
    r"\b(is|are) there (a|an|any) (\w+ )?(projects?|cit(y|ies)|towns?|municipalit(y|ies)|districts?)\b|"
    r"\bin welche[nrm]? (modellprojekte?n?|projekte?n?|stadte?n?|orte?n?|kommunen?|region(en)?|landkreise?n?|kreise?n?|"
    r"gemeinden?)\b|\bgibt es (modellprojekte|projekte|kommunen|stadte)\b|"
    r"\bgibt es (denn |auch |da |schon )?(ein|eine|einen|irgendein\w*) ([\w-]+ )?(modellprojekt|projekt|stadt|kommune|gemeinde|"
    r"landkreis|kreis|region|ort)\b|^\w+ (sich |denn |auch |schon )*(ein|eine|irgendein\w*) (modellprojekt|projekt|stadt|kommune|"
    r"gemeinde|landkreis|kreis|region)\b|\b(hat|macht|plant) (jemand|irgendwer|einer)\b|"
    r"\b(ich suche|suche|gesucht|such) (nach )?(projekte\w*|modellprojekte\w*|kommunen|stadte)\b|\b(are|is) there (any |an? )?(projects?|cities|city|towns?|districts?|places?)\b|"
    r"\bgibt es (da |dazu |hier |so |denn |auch )?(was|etwas|sowas|so etwas|irgendwas|angebote)\b|\birgendwo\b|"
    r"\birgendein\w* (der )?(modell)?(projekt\w*|stadt|stadte|kommunen?)\b"
)
# the projects as a whole as where the answer lies: "Welche der Modellprojekte …", "Bei welchen Projekten …",
# "Gibt es unter den Modellprojekten eines …", "Wird bei den Projekten auch was für … gemacht?" (not in a question
# how or why: "Wie wird der Erfolg bei den Projekten gemessen?", "Welche Rolle spielt X in den Projekten?")
PROJECTS_AS_A_WHOLE = (
    r"^(?!(wie|warum|weshalb|wieso|welche rolle)\b).*("
    r"\bwelche[rsmn]? (der|von den|unter den|aus den) (modell)?projekte?n?\b|"
    r"\b(bei|an|aus|von|mit|unter) welche[nmr]? (modell)?(projekt\w*|stadt|stadten|kommunen?|orten?|region\w*)\b|"
    r"\b(unter|bei|in) (den|diesen|allen|euren) (geforderten )?([\w]+-)*(modell)?projekten\b|"
    # "eins der Projekte", "in einem der Modellprojekte", "irgendwelche dieser Städte", "keine der Kommunen"
    r"\b(eins|eines|einer|eine|einem|einen|irgendeins|irgendeines|irgendeiner|irgendwelche|keins|keines|keiner|keine|"
    r"manche|mehrere) (der|dieser|von den|von diesen|unter den) (geforderten )?([\w]+-)*(modell)?(projekt\w*|stadt|stadte|"
    r"stadten|kommunen?|gemeinden?|regionen?|(land)?kreise?n?|orte?n?)\b|"
    r"\bwelche[rsmn]? projektbeschreibung\w*|"
    # the projects described before they are named: "Welche der 2021 ausgewählten Projekte", "Welche geförderten
    # Vorhaben", "Welche der 28 Kommunen", "Welche Smart-City-Projekte" (only numbers and inflected adjectives
    # in between: "Welche Rolle spielen die Projekte" is no such phrase)
    r"\bwelche[rsmn]? (der |von den |unter den |aus den )?((\d+(er)?|insgesamt|neuen|anderen|ubrigen|weiteren|einzelnen|"
    r"\w+(t|nd|lich|isch|ig|al|ell|iv)(e|en|er|es|em)) ){0,3}"
    r"([\w]+-)*(modell)?(projekte?n?|vorhaben|(modell)?kommunen?|stadte?n?|regionen?|(land)?kreise?n?|gemeinden?)\b|"
    r"\bgibt es (auch |denn |da )?(orte|regionen|gemeinden|landkreise|kreise|stadte|dorfer)\b|"
    r"\bgibt es\b[^.?!]{0,40}?\b(was|etwas|sowas|irgendwas)\s+(mit|zu|zum|zur|fur|gegen|uber)\b|"
    r"\bgibt es\b[^.?!]{0,40}?\b(etwas|sowas|irgendwas),? (wo|bei dem|in dem) es (um|ums|uber)\b)"
)
LISTING = r"\b(wer|welche\w*|which|who|wo|where)\b"
# A list that also asks what each project plans ("Welche Projekte gibt es in Hessen, und was planen sie?")
LIST_PLANS = (
    r"\bwas (planen|machen|wollen|tun|haben) (sie|die|diese)\b|\bwas (sie|die|diese) (jeweils )?(planen|vorhaben|"
    r"machen|wollen|vorhaben)\b|\b(mit|samt|und) (ihren|deren|jeweiligen|ihre) (massnahmen|vorhaben|planen|zielen|"
    r"projekten|schwerpunkten)\b|\band what (do|are|will) they (plan|planning|doing|do)\b|"
    r"\bwhat (does|do|will) (it|they|that project|these projects) (plan|do)\b|\bwhat('s| is| are) (it|they) (about|planning|doing)\b|"
    r"\bworum geht es (da|dort|dabei|bei (ihnen|denen|dem|der))\b|"
    r"\b(wie (lauten|heissen)|what are) (ihre|deren|their) (projekt ?)?(titel|titles|mottos?)\b"
)

# "Wer entscheidet, welche Projekte gefördert werden?": about the selection, not asking for projects
ABOUT_SELECTION = (
    r"^(wer|wie|nach welche\w*|who|how) (entscheid\w*|wahlt|wahlte|wahlen|bestimmt|bestimmte|vergibt|vergab|"
    r"bewertet|bewertete|beurteilt\w*|fordert|forderte|finanziert\w*|decides?|decided|selects?|selected|chooses?|"
    r"chose|funds?|funded)\b"
)
# What a count question counts: the first noun after "wie viele" ("wie viele bayerische Städte" -> Städte)
# Places a project consists of: counted within a named project, they are no count of projects
# what a project's numbered list counts ("Wie viele Maßnahmen / Teilprojekte / Bausteine plant X?")
MEASURE_NOUNS = r"^(einzel|teil|unter)?(massnahm|projekt|baustein|modul|vorhab|aktion)\w*$"
PART_NOUNS = r"^(stadte|orte|ortsteile|ortteile|stadtteile|gemeinden|dorfer|kommunen|landkreise|kreise|quartiere)$"
COUNT_WORDS = r"(?i)\b(wie ?viele?[nrs]?|anzahl( der| an)?|how many|number of|zahl der)\s+(.{0,80})"
PROJECT_NOUNS = (
    r"^(modell)?projekt\w*$|^vorhab\w*$|^(gross|mittel|klein)?stadt\w*$|^(gross|mittel|klein)?stadte\w*$|"
    r"^kommune\w*$|^(land)?kreis\w*$|^gemeinde\w*$|^region\w*$|^ort\w*$|^teilnehmer\w*$|^kooperation\w*$|"
    r"^bundeslander\w*$|^lander\w*$|^eintrage?\w*$|^projects?$|^cities$|^towns?$|^municipalit\w*$|^districts?$|"
    r"^count(y|ies)$|^places?$|^states?$|^entr(y|ies)$|^listings?$|^davon$|^of$|^the$"
)
WANTS_NUMBER = r"wie (hoch|viel|viele|gross|lang)\b|\bhow (much|many)\b|wieviel"
ABOUT_BROCHURE = (
    r"^(?=.*(broschure|publikation|\bheft(e|chen)?\b|veroffentlichung|brochure))(?=.*(herausgeb|heraus|raus(ge)?bracht|"
    r"rausgegeben|gestalt|redaktion|\bstand\b|erschien|kontakt|bildnachweis|bestell|kosten|verkauf|publish|design|"
    r"von wann|von wem|stammt|welche[ms] jahr|datum|when|gemacht|geschrieben|verfasst|verantwortlich))|"
    r"herausgeber|impressum|gesamtredaktion|bildnachweis|publisher|wer hat .* (herausgegeben|gestaltet|veroffentlicht)|"
    r"wer gibt .* (heraus|raus)\b|\bfotos?\b|\bfotograf(en|in|innen|ie|ien)?\b|\bbilder\b|\bphotos?\b|\bministeri(um|en)\b|\bministry\b"
)
# Whom to write to: the contact in the Impressum (unless a project is named: the brochure names no contact of one)
CONTACT = (
    r"\b(e-?mail-?adresse|mailadresse|email address|ansprechpartner\w*|telefonnummer|kontaktdaten|kontaktadresse|"
    r"postanschrift)\b|\b(eine|die|ne) e-?mail\b"
)
# The brochure as a whole ("Worum geht es in der Broschüre?") and the funding programme ("Was ist das Ziel des
# Förderprogramms?"): answered from the Einleitung
WHOLE_BROCHURE = (
    r"^(?=.*(broschure|publikation|\bheft(e|chen)?\b|brochure))(?=.*(worum|was steht|inhalt|uberblick|zusammenfass|about|"
    r"what is in|thema|themen))"
)
ABOUT_PROGRAMME = (
    # "Förderprogramm", "Smart-City-Programms", not "Programmierer"
    r"\b(forder|smart[- ]?cit(y|ies)[- ]?)?programm(e|es|en|s)?\b|forderwettbewerb|\bwettbewerb\w*|\bwas (wird|werden) gefordert|\bwas fordert\b|"
    r"\bwas (sind|ist) (die |ein |eine |das )?modellprojekte? smart cit|\bprogramme?\b|"
    r"\b(wer|wie) (hat|haben|wurde|wurden|werden|wird) .*\b(ausgesucht|ausgewahlt|ausgesiebt|entschieden)\b|"
    # "Was versteht die Broschüre unter einer Smart City?": the programme's idea of one
    r"\bwas (versteht|verstehen|meint|bedeutet|heisst)\b.{0,40}\bsmart[- ]?cit|\b(definition|begriff|idee) (von |der |einer )?smart[- ]?cit|"
    r"\bwhat (is|does) (a )?smart[- ]?city\b|\bmit (einer )?smart[- ]?cit\w* gemeint\b|\bunter (einer )?smart[- ]?cit\w* (zu )?verstehen\b|"
    # "Welches Dokument ist die Grundlage der Modellprojekte?", "Worauf stützen sich die Modellprojekte?": all of them
    r"\b(grundlage|basis|fundament|grundsatzdokument|leitdokument|leitbild|zweck|sinn)\w* (der|des|fur die|aller) "
    r"(modellprojekte|programms|forderung)\b|\b(stutz|basier|beruh|orientier|grund)\w* (sich )?(die |alle )?modellprojekte\b"
)
# the programme only as the place where something is looked for ("im Programm", "in diesem Förderprogramm")
IN_PROGRAMME = (  # also as the head of a compound: "in diesem Smart-City-Programm"
    r"\b(im|in (diese[mn]|dem|den)|aus (diesem|dem)|bei (diesem|dem))\s+[\w-]*(programm|wettbewerb)(e|es|en|s)?\b|"
    r"\bin (the|this) (funding )?programme?\b"
)
# what the programme itself has ("Wie viel Geld gibt es im Programm?", "Wer entscheidet im Programm?"): the programme
# is the subject, not just where a project topic is looked for
# who selects the projects and how ("Wer entscheidet, welche Projekte genommen werden?", "Wer wählt die Projekte aus?")
SELECTION_PROCESS = (
    r"\bwer (entscheidet|bestimmt|wahlt|suchte?|trifft|traf|hat) (\w+ ){0,4}(entscheidung|auswahl|aus(gewahlt|gesucht)?|entschieden)\b|"
    r"\bwer (entscheidet|entschied|bestimmt|bestimmte)\b|\bwie (lauft|lief|funktioniert|funktionierte|ging) (\w+ ){0,2}auswahl\w*|"
    r"\bwho (decides|decided|selects|selected|chooses|chose)\b"
)
PROGRAMME_TOPICS = (
    r"geld|euro\b|million|budget|forder(summe|mittel|quote|zeitraum)|eigenanteil|auswahl|ausgewahlt|entscheid|jury|"
    r"bewerb|\bziele?\b|laufzeit|\bdauer|frist|kriteri|bedeut|definition|smart cit"
)
OVERVIEW = (
    # "Übersicht", "Gesamtübersicht", "Übersichtstabelle" – not a "Datenübersicht" or "unübersichtlich"
    r"2019|2020|seit (2019|beginn|start)|(?:(?<![a-z])|(?<=gesamt))ubersicht(en|s(tabelle|karte|liste|seite|grafik))?\b|bisher|staffeln|(fruhere|ersten?|vorherige)\w* staffel|overview|"
    r"(?<!dieser )(?<!diese )\bstaffel\b(?! 2021)"
)
# "nur die von 2021, nicht die älteren Staffeln", "ohne die früheren Runden": the earlier rounds left out, no overview
NOT_EARLIER = (
    r"\b(nicht|ohne|keine)( die| den)? (alteren|fruheren|vorherigen|ersten|bisherigen|anderen) "
    r"(staffeln|runden|jahrgange|forderrunden)\b|\bnur (die )?(von |aus |der )?(staffel |runde )?2021\b|"
    r"\b(nicht|ohne|keine)( die| den)?( aus| von)?( den jahren)? 2019( ?(/|und|oder|bzw\.?) ?2020)?\b|\bnur (diese|die(se)? eine) (staffel|runde)\b"
)
EARLIER = r"fruher|\b(2019|2020)\b(?![-–/ ]*(bis )?2021)|vorherig|ersten|bisherig|nicht 2021|vor 2021|earlier|previous"
STATES_COUNT = (  # "aus anderen Ländern", "in den östlichen Ländern" are no question about the Länder as a whole
    r"bundeslander|\bjede[sm]? bundesland\b|\b(je|pro|per|nach) (bundesland|land)\b|\bstates\b|"
    r"(?<!anderen )(?<!fremden )(?<!europaischen )(?<!ostlichen )(?<!westlichen )(?<!neuen )(?<!alten )\blandern?\b"
)
# … and those without any: "Gibt es Länder ohne Projekt?", "aus denen gar keins kommt", "gehen leer aus"
WITHOUT_WORDS = (  # say "none" or "in Germany", name no topic
    "gar", "got", "get", "non", "einzig", "leer", "fehl", "no", "none", "keins", "uberhaupt", "german", "germany", "deutschland", "deutsch",
)
WITHOUT_PROJECT = (
    r"\b(kein\w*|ohne|no|without)\s+(\w+\s+){0,2}(modell)?(projekt|project|forderung|vertret)\w*|"
    r"\b(keins|keines|none|leer aus|nicht (dabei|vertreten)|fehlen)\b"
)
# "Welches Bundesland hat die meisten Projekte?", "Hat Bayern die meisten?": a ranking the records answer
MOST_PROJECTS = r"\b(meisten|wenigsten|most|fewest)\b"
ASKS_FOR_LAND = r"bundesland|\bland\b|\blander\b|\bstates?\b"
CRITERIA_LIST = (
    r"(nach|anhand) (welche[nr]?|was fur) (bewertungs)?kriterien|welche (bewertungs)?kriterien|(which|what) criteria|"
    r"kriterien (gibt|gab|gelten|galten|wurden)|wonach (wurde|wurden|werden) .*(bewertet|beurteilt|ausgewahlt)|"
    # "In welche Obergruppen sind die Kriterien gegliedert?": the criteria by their groups
    r"\b((ober)?gruppen|oberbegriff\w*|bereiche\w*|blocke\w*|saulen|themenfelder\w*|groups|categories)\b.*kriteri|"
    r"kriterien\b.*\b(gegliedert|unterteilt|gruppiert|eingeteilt|aufgeteilt|zusammengefasst|sortiert|geordnet)\b|"
    r"criteria\b.*\b(grouped|divided|organi[sz]ed|sorted)\b"
)
CRITERIA = (
    r"kriteri\w*|criteria|criterion|massstab\w*|worauf .*(geachtet|achtet|bewertet|ankam|ankommt)|"
    r"wonach .*(bewertet|beurteilt|ausgewahlt)|nach welchen (gesichtspunkten|punkten|merkmalen)"
)


QUESTION_START = (
    r"^(welche\w*|wie\w*|was|wer|wem|wen|wo\w*|wann|warum|wieso|gibt es|nenn\w*|liste\w*|zahl\w*|zeig\w*|"
    r"erklar\w*|beschreib\w*|which|what|how|who|where|when|why|list|name|"
    r"((sag|verrat|gib)\w* (mir|uns)|(tell|give|show) (me|us))(?=\s+\w))\b"
)
# a question that begins with a preposition ("in welchem Bundesland …", "mit wem …")
ASKING_PREPOSITION = r"^(in|aus|mit|von|fur|bei|an|auf|seit|zu|nach|unter|uber) (welche\w*|wem|wen|was|wie)\b"
# words that join a request to an instruction before it ("…, then tell me …", "… und dann nenne …")
CLAUSE_JOINER = r"^((und|and|aber|but|dann|then|danach|anschlie(ss|ß)end|afterwards|also|au(ss|ß)erdem|bitte|please|now|jetzt)\s+)+"


ADJECTIVE_END = r"(isch|lich|ig|los|bar|sam|haft|iv|al|ell|end|er|st)(e|en|er|es|em)?$"


# The words of the records' fields, which the running text rarely uses
RECORD_WORDS = tuple(
    fold(w)
    for w in """projekttitel motto bundesland bundeslander grossenklasse kategorie seite handlungsfeld
    handlungsfelder grossstadt grossstadte mittelstadt mittelstadte kleinstadt kleinstadte landkreis landkreise
    landgemeinde landgemeinden kooperation kooperationen""".split()
)

# Question words that are no typos even though the brochure does not use them
QUESTION_WORDS = frozenset(
    fold(w)
    for w in """welche welcher welches welchen welchem wieviele warum wieso weshalb worin wodurch womit wofur
    wohin woher wann gibts eigentlich konkret genau bitte danke hallo erzahl erzahle erklare beschreibe
    vergleiche unterscheiden unterscheidet unterschied ahnlich ahneln vergleichbar gefordert foerderung
    which where what whose about their there these those projects heisst heissen heisse hiess hiessen lautet lauten""".split()
)
