"""The allowed values of every enumeration in the case formats, and the Dutch label of each value.

This module is the single list of allowed values: the JSON Schemas, the consistency rules and the wizard's
choices are all built from it. The labels of `VERSLAG_TYPES` and `OPLEIDINGSVORMEN` are the exact wording of
the format's 'Labels in documents' table; the other labels are plain Dutch.
"""
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


CASE_FORMAAT = 'traject-case/1'
SAMENWERKING_FORMAAT = 'traject-samenwerking/1'
FORMATEN = (CASE_FORMAAT, SAMENWERKING_FORMAAT)

ONDERWIJSNIVEAUS = ('kleuter', 'lager', 'secundair')
# Only to choose pronouns and grammatical gender in documents (case-format.md, Additions of December 2026).
GESLACHTEN = ('jongen', 'meisje', 'x')
RELATIES = ('moeder', 'vader', 'voogd', 'pleegouder', 'andere')
SCHOOL_SOORTEN = ('gewoon', 'buitengewoon')
ROLLEN = ('clb-medewerker', 'clb-arts', 'clb-directeur', 'zorgcoordinator', 'klasleerkracht', 'directeur',
          'leerondersteuner', 'extern')
TOESTEMMING_ONDERWERPEN = ('clb-begeleiding', 'externe-verslagen-opvragen', 'delen-met-school',
                           'delen-met-leersteuncentrum', 'delen-met-ouders')
AANMELDERS = ('school', 'ouders', 'leerling', 'clb')
HULPVRAAG_VAN = ('leerling', 'ouders', 'leerkracht', 'school')
ZORG_FASEN = ('brede-basiszorg', 'verhoogde-zorg', 'uitbreiding-van-zorg')
CATEGORIEEN = ('remedierend', 'differentierend', 'compenserend', 'dispenserend', 'andere')
BEELD_CONTEXTEN = ('leerling', 'onderwijsleersituatie', 'thuiscontext')
BEELD_SOORTEN = ('stimulerend', 'belemmerend')
BEHOEFTE_SOORTEN = ('onderwijsbehoefte', 'opvoedingsbehoefte', 'ondersteuningsbehoefte-leerkracht',
                    'ondersteuningsbehoefte-schoolteam', 'ondersteuningsbehoefte-ouders')
TERMIJNEN = ('lange-termijn', 'middellange-termijn', 'korte-termijn')
AFWEGING_CRITERIA = ('kostprijs', 'organisatie', 'frequentie_duur', 'levenskwaliteit', 'omgeving', 'alternatieven')
OORDELEN = ('redelijk', 'disproportioneel', 'onvoldoende')
OVERLEG_SOORTEN = ('intake', 'terugkoppeling', 'adviesgesprek', 'klassenraad', 'opstart', 'evaluatie',
                   'ontbindende-voorwaarde')
STANDPUNTEN = ('akkoord', 'gedeeltelijk-akkoord', 'niet-akkoord')
VERSLAG_SOORTEN = ('gc', 'iac', 'ov4')
VERSLAG_TYPES = ('basisaanbod', '2', '3', '4', '6', '7-auditief', '7-stos', '9')
OPLEIDINGSVORMEN = ('ov1', 'ov2', 'ov3', 'ov4')
BRONNEN = ('eindterm', 'minimumdoel', 'ontwikkelingsdoel', 'leerplandoel', 'eigen')
BESLISSINGEN = ('behouden', 'bijsturen', 'afgerond')
STUDIEBEKRACHTIGINGEN = ('attest-verworven-bekwaamheden', 'gewoon-studiebewijs',
                         'getuigschrift-basisonderwijs-klassenraad')
# Additions of December 2026.
VERSLAG_STATUSSEN = ('geldig', 'opgeheven')
VORIG_VERSLAG_REDENEN = ('omzetting', 'typewijziging', 'overgang-secundair', 'andere')

# Which types each opleidingsvorm may carry (case-format.md, 'New consistency rules').
TYPES_PER_OPLEIDINGSVORM = {
    'ov1': ('2', '3', '4', '6', '7-auditief', '7-stos', '9'),
    'ov2': ('2', '3', '4', '6', '7-auditief', '7-stos', '9'),
    'ov3': ('basisaanbod', '3', '4', '6', '7-auditief', '7-stos', '9'),
    'ov4': ('3', '4', '6', '7-auditief', '7-stos', '9'),
}
LEERSTEUN_SOORTEN = ('leerlinggericht', 'leerkrachtgericht', 'schoolteamgericht')
# Not a key of the format: the HGD phase a case has reached, derived for the case list (DOMAIN.md §3).
FASEN = ('onthaal', 'intake', 'strategie', 'onderzoek', 'integratie', 'advies', 'handelen')

# Legal wording: copied letter for letter from the format's 'Labels in documents' table.
TYPE_LABELS = {
    'basisaanbod': _l('type basisaanbod'),
    '2': _l('type 2 (verstandelijke beperking)'),
    '3': _l('type 3 (emotionele of gedragsstoornis)'),
    '4': _l('type 4 (motorische beperking)'),
    '6': _l('type 6 (visuele beperking)'),
    '7-auditief': _l('type 7 (auditieve beperking)'),
    '7-stos': _l('type 7 (spraak- of taalstoornis)'),
    '9': _l('type 9 (autismespectrumstoornis)'),
}
OPLEIDINGSVORM_LABELS = {
    'ov1': _l('opleidingsvorm 1 (voorbereiding op een leven in een omgeving waar in ondersteuning voorzien is)'),
    'ov2': _l('opleidingsvorm 2 (voorbereiding op een leven en werk in een omgeving waar in ondersteuning voorzien is)'),
    'ov3': _l('opleidingsvorm 3 (voorbereiding op een leven en werk in een gewone omgeving)'),
    'ov4': _l('opleidingsvorm 4 (gemeenschappelijk curriculum met aanpassingen)'),
}

LABELS: dict[str, dict[str, LazyString]] = {
    'ONDERWIJSNIVEAUS': {
        'kleuter': _l('Kleuteronderwijs'),
        'lager': _l('Lager onderwijs'),
        'secundair': _l('Secundair onderwijs'),
    },
    'GESLACHTEN': {
        'jongen': _l('Jongen'),
        'meisje': _l('Meisje'),
        'x': _l('X (de documenten gebruiken de voornaam)'),
    },
    'RELATIES': {
        'moeder': _l('Moeder'),
        'vader': _l('Vader'),
        'voogd': _l('Voogd'),
        'pleegouder': _l('Pleegouder'),
        'andere': _l('Andere opvoedingsverantwoordelijke'),
    },
    'SCHOOL_SOORTEN': {
        'gewoon': _l('Gewoon onderwijs'),
        'buitengewoon': _l('Buitengewoon onderwijs'),
    },
    'ROLLEN': {
        'clb-medewerker': _l('CLB-medewerker'),
        'clb-arts': _l('CLB-arts'),
        'clb-directeur': _l('CLB-directeur'),
        'zorgcoordinator': _l('Zorgcoördinator'),
        'klasleerkracht': _l('Klasleerkracht'),
        'directeur': _l('Directeur'),
        'leerondersteuner': _l('Leerondersteuner'),
        'extern': _l('Externe betrokkene'),
    },
    'TOESTEMMING_ONDERWERPEN': {
        'clb-begeleiding': _l('CLB-begeleiding'),
        'externe-verslagen-opvragen': _l('Externe verslagen opvragen'),
        'delen-met-school': _l('Delen met de school'),
        'delen-met-leersteuncentrum': _l('Delen met het leersteuncentrum'),
        'delen-met-ouders': _l('Delen met de ouders'),
    },
    'AANMELDERS': {
        'school': _l('School'),
        'ouders': _l('Ouders'),
        'leerling': _l('Leerling'),
        'clb': _l('CLB'),
    },
    'HULPVRAAG_VAN': {
        'leerling': _l('Leerling'),
        'ouders': _l('Ouders'),
        'leerkracht': _l('Leerkracht'),
        'school': _l('School'),
    },
    'ZORG_FASEN': {
        'brede-basiszorg': _l('Brede basiszorg (fase 0)'),
        'verhoogde-zorg': _l('Verhoogde zorg (fase 1)'),
        'uitbreiding-van-zorg': _l('Uitbreiding van zorg (fase 2)'),
    },
    'CATEGORIEEN': {
        'remedierend': _l('Remediërend'),
        'differentierend': _l('Differentiërend'),
        'compenserend': _l('Compenserend'),
        'dispenserend': _l('Dispenserend'),
        'andere': _l('Andere'),
    },
    'BEELD_CONTEXTEN': {
        'leerling': _l('Leerling'),
        'onderwijsleersituatie': _l('Onderwijsleersituatie'),
        'thuiscontext': _l('Thuiscontext'),
    },
    'BEELD_SOORTEN': {
        'stimulerend': _l('Stimulerend'),
        'belemmerend': _l('Belemmerend'),
    },
    'BEHOEFTE_SOORTEN': {
        'onderwijsbehoefte': _l('Onderwijsbehoefte'),
        'opvoedingsbehoefte': _l('Opvoedingsbehoefte'),
        'ondersteuningsbehoefte-leerkracht': _l('Ondersteuningsbehoefte van de leerkracht'),
        'ondersteuningsbehoefte-schoolteam': _l('Ondersteuningsbehoefte van het schoolteam'),
        'ondersteuningsbehoefte-ouders': _l('Ondersteuningsbehoefte van de ouders'),
    },
    'TERMIJNEN': {
        'lange-termijn': _l('Lange termijn'),
        'middellange-termijn': _l('Middellange termijn'),
        'korte-termijn': _l('Korte termijn'),
    },
    'AFWEGING_CRITERIA': {
        'kostprijs': _l('Kostprijs'),
        'organisatie': _l('Impact op school- en klasorganisatie'),
        'frequentie_duur': _l('Frequentie en duur'),
        'levenskwaliteit': _l('Levenskwaliteit van de leerling'),
        'omgeving': _l('Omgeving en medeleerlingen'),
        'alternatieven': _l('Gelijkwaardige alternatieven'),
    },
    'OORDELEN': {
        'redelijk': _l('Redelijk'),
        'disproportioneel': _l('Disproportioneel'),
        'onvoldoende': _l('Onvoldoende'),
    },
    'OVERLEG_SOORTEN': {
        'intake': _l('Intakegesprek'),
        'terugkoppeling': _l('Terugkoppeling'),
        'adviesgesprek': _l('Adviesgesprek'),
        'klassenraad': _l('Klassenraad'),
        'opstart': _l('Opstartoverleg'),
        'evaluatie': _l('Evaluatie'),
        'ontbindende-voorwaarde': _l('Ontbindende voorwaarde'),
    },
    'STANDPUNTEN': {
        'akkoord': _l('Akkoord'),
        'gedeeltelijk-akkoord': _l('Gedeeltelijk akkoord'),
        'niet-akkoord': _l('Niet akkoord'),
    },
    'VERSLAG_SOORTEN': {
        'gc': _l('GC-verslag'),
        'iac': _l('IAC-verslag'),
        'ov4': _l('OV4-verslag'),
    },
    'VERSLAG_TYPES': TYPE_LABELS,
    'OPLEIDINGSVORMEN': OPLEIDINGSVORM_LABELS,
    'BRONNEN': {
        'eindterm': _l('Eindterm'),
        'minimumdoel': _l('Minimumdoel'),
        'ontwikkelingsdoel': _l('Ontwikkelingsdoel'),
        'leerplandoel': _l('Leerplandoel'),
        'eigen': _l('Eigen doel'),
    },
    'BESLISSINGEN': {
        'behouden': _l('Behouden'),
        'bijsturen': _l('Bijsturen'),
        'afgerond': _l('Afgerond'),
    },
    'STUDIEBEKRACHTIGINGEN': {
        'attest-verworven-bekwaamheden': _l('Attest van verworven bekwaamheden'),
        'gewoon-studiebewijs': _l('Gewoon studiebewijs'),
        'getuigschrift-basisonderwijs-klassenraad': _l('Getuigschrift basisonderwijs: beslissing van de klassenraad'),
    },
    'VERSLAG_STATUSSEN': {
        'geldig': _l('Geldig'),
        'opgeheven': _l('Opgeheven'),
    },
    'VORIG_VERSLAG_REDENEN': {
        'omzetting': _l('Omzetting'),
        'typewijziging': _l('Typewijziging'),
        'overgang-secundair': _l('Overgang naar het secundair onderwijs'),
        'andere': _l('Andere reden'),
    },
    'LEERSTEUN_SOORTEN': {
        'leerlinggericht': _l('Leerlinggericht'),
        'leerkrachtgericht': _l('Leerkrachtgericht'),
        'schoolteamgericht': _l('Schoolteamgericht'),
    },
    'FASEN': {
        'onthaal': _l('Onthaal'),
        'intake': _l('Intake'),
        'strategie': _l('Strategie'),
        'onderzoek': _l('Onderzoek'),
        'integratie': _l('Integratie'),
        'advies': _l('Advies'),
        'handelen': _l('Handelen en evalueren'),
    },
}


def label(enum_name: str, value: str | None) -> str:
    """Return the Dutch label of `value` in enumeration `enum_name`; '' for None, the value itself if unknown."""
    if value is None:
        return ''
    labels = LABELS[enum_name]  # an unknown enumeration name is a programming error: let it raise
    return str(labels[value]) if value in labels else str(value)


def choices(enum_name: str) -> list[tuple[str, LazyString]]:
    """Return [(value, label), ...] of `enum_name` in the format's order, ready for a WTForms SelectField."""
    return list(LABELS[enum_name].items())
