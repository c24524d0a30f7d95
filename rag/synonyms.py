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

from rag.german import terms

GROUPS: tuple[str, ...] = (
    "Beteiligung Bürgerbeteiligung Partizipation Mitmachen Mitgestaltung Mitwirkung Teilhabe Co-Creation Ko-Kreation",
    "digitaler Zwilling Stadtmodell Abbild Simulation",
    "Datenplattform Datenhub Datenpool Datenmarktplatz Plattform Dashboard",
    "offene Daten Open Data Datenbereitstellung",
    "Mobilität Verkehr ÖPNV Nahverkehr Radverkehr Fahrrad Logistik",
    "Klimaschutz Klima klimaneutral CO2 Klimaanpassung Klimawandel",
    "Tourismus Touristen Urlaub Besucher Gäste Overtourismus",
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
)


class Thesaurus:
    def __init__(self, groups: tuple[str, ...] = GROUPS) -> None:
        self._groups = [{t for t in terms(g) if len(t) >= 3} for g in groups]

    def related(self, term: str) -> set[str]:
        """Other terms of every group that contains ``term`` (stemmed, folded)."""
        out: set[str] = set()
        for g in self._groups:
            if term in g:
                out |= g
        out.discard(term)
        return out
