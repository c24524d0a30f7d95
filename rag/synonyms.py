"""A small German thesaurus for smart-city topics, used to expand BM25 queries.

Citizens rarely use the brochure's words ("Bürgerbeteiligung" vs. "Partizipation", "Sensoren" vs.
"LoRaWAN"). Each group lists words that mean (nearly) the same in this domain; a query term from a group
also searches the others with a lower weight. Written from domain knowledge, not from evaluation rows.

Example::

    >>> t = Thesaurus()
    >>> sorted(t.related("beteil"))[:3]
    ['burgerbeteil', 'cocreation', 'creation']
"""

from __future__ import annotations

import re

from rag.german import fold, terms

GROUPS: tuple[str, ...] = (
    "Beteiligung Bürgerbeteiligung Partizipation Mitmachen Mitgestaltung Mitwirkung Teilhabe Co-Creation Ko-Kreation",
    "digitaler Zwilling Stadtmodell Abbild Simulation",
    "Datenplattform Datenhub Datenpool Datenmarktplatz Plattform Dashboard",
    "offene Daten Open Data Datenbereitstellung",
    "Mobilität Verkehr ÖPNV Nahverkehr Radverkehr Fahrrad Logistik",
    "Klimaschutz Klima klimaneutral CO2 Klimaanpassung Klimawandel",
    "Tourismus Touristen Urlaub Besucher Gäste Overtourismus Ausflug Ausflugsziele Sehenswürdigkeiten Naherholung",
    "Senioren ältere Alter Einsamkeit Generationen",
    "Einzelhandel Handel Innenstadt Leerstand Geschäfte Läden Wochenmarkt",
    "Bildung Schule Schulen lernen Medienbildung Bildungsangebote Weiterbildung",
    "Gesundheit Gesundheitswesen medizinisch Arzt Telemedizin Sprechstunde Pflege",
    "Verwaltung E-Government E-Governance Bürgerservice Bürgerservices Rathaus Verwaltungsmodernisierung",
    "Sensoren Sensorik LoRaWAN IoT Messstationen",
    "Grenze Grenzregion grenzüberschreitend Nachbarstadt Europa",
    "ländlich Land Dorf Dörfer Landgemeinde Umland",
    "Nahversorgung Versorgung Einkaufen Lebensmittel Daseinsvorsorge",
    "Energie Energiewende Strom Wärme Energieversorgung",
    "künstliche Intelligenz KI",
    "Breitband Glasfaser Internet Netz Infrastruktur",
    "Resilienz resilient Krisenfestigkeit krisenfest Krise",
    "Jugend junge Jugendliche Kinder",
    "Wirtschaft Unternehmen Gewerbe Wirtschaftsstandort Startups Gründer",
    "Kultur Kulturangebote Welterbe Museum",
    "Wohnen Wohnraum Quartier Quartiere Nachbarschaft",
    "Coworking Co-Working Arbeitsplätze Remote Homeoffice",
    "Katastrophenschutz Gefahrenabwehr Hochwasser Starkregen Warnung",
    "App Smartphone Anwendung",
    "Stand erschienen veröffentlicht Publikation Erscheinungsjahr",
    "Herausgeber herausgegeben herausgeben heraus Hrsg",
    "begutachtet Begutachtung Gutachter Fachgutachter bewertet Bewertung Jury",
    "Parken Parking Parkplatz Parkplätze Parkraum Parkraumbewirtschaftung",
    "Video Videokommunikation Videokonferenz virtuell virtuelle online",
    "Chat Chatplattform Messenger Hotline Hilfe",
    "Fracht Frachtbörse Transport Transporter Lieferverkehr Lieferdienste Güterverkehr Leerfahrten",
    "Polen polnisch polnischen Gubin Stettin",
    "Dänemark dänisch Dänen deutsch-dänisch",
    "Sicherheit IT-Sicherheit Cybersicherheit Cyber cyber-sicher",
    "Fußabdruck CO2-Fußabdruck Emissionen",
    "Leerstand leerstehend Pop-Ups Zwischennutzung",
)

# Simple English -> German glossary for English questions (BM25 side; the embeddings are multilingual).
ENGLISH: dict[str, str] = {
    "designed": "gestaltet Gestaltung",
    "design": "Gestaltung",
    "brochure": "Broschüre",
    "publisher": "Herausgeber",
    "published": "Herausgeber",
    "funded": "gefördert",
    "funding": "Förderung",
    "motto": "Motto",
    "title": "Projekttitel",
    "state": "Bundesland",
    "page": "Seite",
    "city": "Stadt",
    "cities": "Städte",
    "district": "Landkreis",
    "digital twin": "digitaler Zwilling",
    "twin": "Zwilling",
    "tourism": "Tourismus",
    "mobility": "Mobilität",
    "traffic": "Verkehr",
    "data platform": "Datenplattform",
    "platform": "Plattform",
    "citizens": "Bürger Bürgerinnen",
    "participation": "Beteiligung Partizipation",
    "criteria": "Bewertungskriterien",
    "applications": "Bewerbungen",
    "climate": "Klima Klimaschutz",
    "health": "Gesundheit",
    "education": "Bildung",
    "energy": "Energie",
    "elderly": "Senioren",
    "loneliness": "Einsamkeit",
    "border": "Grenze",
    "administration": "Verwaltung",
    "sensors": "Sensoren Sensorik",
    "retail": "Einzelhandel",
    "village": "Dorf",
    "villages": "Dörfer",
    "rural": "ländlich",
    "selection": "Auswahlverfahren",
    "jury": "Jury",
    "charter": "Charta",
}


class Thesaurus:
    def __init__(self, groups: tuple[str, ...] = GROUPS) -> None:
        self._groups = [{t for t in terms(g) if len(t) >= 3} for g in groups]

    @property
    def vocabulary(self) -> set[str]:
        return set().union(*self._groups)

    def related(self, term: str) -> set[str]:
        """Other terms of every group that contains ``term`` (stemmed, folded)."""
        out: set[str] = set()
        for g in self._groups:
            if term in g:
                out |= g
        out.discard(term)
        return out


def english_to_german(text: str) -> str:
    """Append German equivalents of known English words (for lexical search of English questions).

    >>> english_to_german("Who designed the brochure?")
    'Who designed the brochure? gestaltet Gestaltung Broschüre'
    """
    f = fold(text)
    extra = [de for en, de in ENGLISH.items() if re.search(r"\b" + re.escape(en) + r"\b", f)]
    return f"{text} {' '.join(extra)}" if extra else text
