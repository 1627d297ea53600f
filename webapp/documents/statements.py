"""The fixed sentences with legal weight that the verslag, the attest, the IAC plan and the agreements print.

They are written once, here, and both templates of a kind print them from the context, so the DOCX and the PDF say
the same thing. Each depends on the pupil's level and the verslag's soort, type and opleidingsvorm, because a
sentence that is true for one pupil can be false for the next. What a sentence claims and its source are listed in
the issue notes; a claim DOMAIN.md marks as Open or U is worded so that it promises nothing a CLB must check first.
These documents are Dutch only (like their templates, they are not in a translated catalog).
"""
from typing import Any

from flask_babel import gettext as _

from webapp.caseformat.enums import label


def buitengewoon_niveau(niveau: str, soort_type: str, opleidingsvorm: str | None) -> str:
    """Return where in buitengewoon onderwijs the verslag gives access: 'buitengewoon basisonderwijs, type 2'."""
    type_label = label('VERSLAG_TYPES', soort_type)
    if niveau == 'secundair':
        vorm = label('OPLEIDINGSVORMEN', opleidingsvorm).split(' (')[0] if opleidingsvorm else ''
        return _('buitengewoon secundair onderwijs (BuSO), %(vorm)s, %(type)s', vorm=vorm, type=type_label)
    return _('buitengewoon basisonderwijs, %(type)s', type=type_label)


def mogelijk(verslag: dict[str, Any], leerling: dict[str, Any], school: dict[str, Any]) -> dict[str, Any]:
    """Return 'Wat dit verslag mogelijk maakt' of an IAC- or OV4-verslag: an intro, the options and closing notes."""
    naam = leerling['voornaam']
    soort = verslag['soort']
    niveau = buitengewoon_niveau(leerling['onderwijsniveau'], verslag['type'], verslag.get('opleidingsvorm'))
    blijven = _('Blijft %(naam)s in de huidige school (%(school)s), dan bekijken de school (de klassenraad), het CLB en de ouders samen '
                'welke aanpassingen nodig zijn en of ze redelijk zijn. Vindt de school ze niet redelijk, dan motiveert '
                'ze dat schriftelijk.', naam=naam, school=school['naam'])
    nieuw = _('Schrijven de ouders %(naam)s met dit verslag in een andere school voor gewoon onderwijs in, dan '
              'gebeurt dat onder ontbindende voorwaarde: binnen 60 kalenderdagen beslist de school, na overleg met de '
              'klassenraad, het CLB en de ouders, of de nodige aanpassingen redelijk zijn. Zijn ze dat niet, dan '
              'wordt de inschrijving ontbonden.', naam=naam)
    if soort == 'iac':
        intro = _('Dit verslag geeft %(naam)s toegang tot een individueel traject. De ouders kiezen tussen twee '
                  'mogelijkheden:', naam=naam)
        opties = [
            _('Een individueel aangepast curriculum (IAC) in een school voor gewoon onderwijs. Het IAC blijft zo '
              'dicht mogelijk bij het gemeenschappelijk curriculum.'),
            _('Buitengewoon onderwijs: %(niveau)s.', niveau=niveau),
        ]
    else:
        intro = _('Dit verslag geeft %(naam)s toegang tot het gemeenschappelijk curriculum in een OV4-setting. De '
                  'ouders kiezen tussen twee mogelijkheden:', naam=naam)
        opties = [
            _('Het gemeenschappelijk curriculum met aanpassingen in een school voor gewoon secundair onderwijs.'),
            _('Buitengewoon onderwijs: %(niveau)s. Opleidingsvorm 4 volgt het gemeenschappelijk curriculum.',
              niveau=niveau),
        ]
    return {
        'intro': intro,
        'opties': opties,
        'gewoon': [blijven, nieuw],
        'deeltijds': _('In beide gevallen kan %(naam)s ook deeltijds naar school gaan wanneer dat nodig is; de school '
                       'en het CLB bekijken met de ouders of en hoe dat kan.', naam=naam),
    }


def motivering_kop(soort: str) -> str:
    """Return the heading above `motivering_disproportioneel`: for OV4 the question is also why OV4 is needed."""
    if soort == 'ov4':
        return _('Waarom het gemeenschappelijk curriculum met redelijke aanpassingen in deze school voor gewoon '
                 'onderwijs niet haalbaar is, en waarom een OV4-setting nodig is')
    return _('Waarom het gemeenschappelijk curriculum met redelijke aanpassingen niet haalbaar is')


def reikwijdte(verslag: dict[str, Any], leerling: dict[str, Any]) -> list[str]:
    """Return the verslag's scope: until it is converted or lifted; basisonderwijs carries nothing into secondary."""
    if verslag.get('status') == 'opgeheven':
        return [_('Dit verslag is opgeheven: het geeft geen toegang meer tot leersteun of tot een individueel traject.')]
    zinnen = [_('Dit verslag blijft gelden tot het wordt omgezet of opgeheven.')]
    if leerling['onderwijsniveau'] in ('kleuter', 'lager'):
        zinnen.append(_('Een verslag uit het basisonderwijs neemt geen type en geen opleidingsvorm mee naar het '
                        'secundair onderwijs: bij de overgang bekijkt het CLB of een nieuw verslag nodig is.'))
    return zinnen


def herziening(datum_tekst: str) -> str:
    """Return the sentence about the planned review date (a review, not an end date)."""
    return _('Gepland herzieningsmoment: %(datum)s. Dan bekijken het CLB, de school, de ouders en de leerling het '
             'verslag opnieuw.', datum=datum_tekst)


def vervangt(vorig: dict[str, Any], datum_tekst: str) -> str:
    """Return 'Dit verslag vervangt ...' for a verslag that replaces an earlier one."""
    wat = ', '.join(filter(None, (label('VERSLAG_SOORTEN', vorig['soort']), label('VERSLAG_TYPES', vorig['type']),
                                  label('OPLEIDINGSVORMEN', vorig.get('opleidingsvorm')))))
    reden = {
        'omzetting': _('omzetting'),
        'typewijziging': _('wijziging van het type'),
        'overgang-secundair': _('overgang naar het secundair onderwijs'),
        'andere': _('andere reden'),
    }[vorig['reden']]
    return _('Dit verslag vervangt het vorige verslag (%(wat)s) van %(datum)s. Reden: %(reden)s.',
             wat=wat, datum=datum_tekst, reden=reden)


def attest_verklaring(clb: str, soort_label: str, naam: str) -> list[str]:
    """Return the statements of the attest: the verslag exists and rests on the whole zorgcontinuüm."""
    return [
        _('%(clb)s verklaart dat het voor %(naam)s een %(soort)s heeft opgemaakt.', clb=clb, naam=naam,
          soort=soort_label),
        _('Het zorgcontinuüm werd doorlopen: de school nam maatregelen in de brede basiszorg (fase 0), de verhoogde '
          'zorg (fase 1) en de uitbreiding van zorg (fase 2), en het CLB voerde een handelingsgericht diagnostisch '
          'traject uit.'),
    ]


def studiebekrachtiging(plan: dict[str, Any], leerling: dict[str, Any]) -> dict[str, str]:
    """Return the certificate the IAC can lead to, per level, as a decision still to be taken (label and text)."""
    naam = leerling['voornaam']
    if leerling['onderwijsniveau'] in ('kleuter', 'lager'):
        # The basisonderwijs rule holds whatever an older file says (case-format.md: the plan states it instead).
        return {
            'label': label('STUDIEBEKRACHTIGINGEN', 'getuigschrift-basisonderwijs-klassenraad'),
            'tekst': _('In het basisonderwijs beslist de klassenraad op het einde van het lager onderwijs of %(naam)s '
                       'het getuigschrift basisonderwijs krijgt. Krijgt %(naam)s het niet, dan krijgt %(naam)s een '
                       'attest met de gevolgde schooljaren en een schriftelijke motivering.', naam=naam),
        }
    if plan['studiebekrachtiging'] == 'gewoon-studiebewijs':
        tekst = _('De klassenraad beslist op het einde van het traject of %(naam)s een gewoon studiebewijs krijgt. Dat '
                  'kan alleen wanneer de doelen van het IAC gelijkwaardig zijn aan die van het gemeenschappelijk '
                  'curriculum.', naam=naam)
    else:
        tekst = _('De klassenraad beslist op het einde van het traject over de studiebekrachtiging. Met een IAC krijgt '
                  '%(naam)s in de regel een attest van verworven bekwaamheden, met de doelen die %(naam)s bereikte.',
                  naam=naam)
    return {'label': label('STUDIEBEKRACHTIGINGEN', plan['studiebekrachtiging']), 'tekst': tekst}


def gc_domeinen(domeinen: list[str], naam: str) -> str:
    """Return the sentence naming the learning areas in which the pupil keeps following the GC."""
    if not domeinen:
        return _('Er zijn geen leergebieden vermeld waarin %(naam)s het gemeenschappelijk curriculum blijft volgen.',
                 naam=naam)
    return _('%(naam)s blijft het gemeenschappelijk curriculum volgen in: %(domeinen)s.', naam=naam,
             domeinen=', '.join(domeinen))


def bronnen_secundair() -> str:
    """Return the note on where goals come from in secondary education."""
    return _('In het secundair onderwijs kunnen doelen ook komen uit specifieke eindtermen en uit '
             'beroepskwalificaties; de code bij een doel zegt waaruit.')


def klassenraad_vastgelegd(datum_tekst: str) -> str:
    """Return the sentence saying when the klassenraad laid down the plan."""
    return _('De klassenraad legde dit IAC-plan vast op %(datum)s.', datum=datum_tekst)


def leersteun_aanvraag(datum_tekst: str) -> str:
    """Return the request line; the case names no application, so none is named."""
    return _('De school vroeg de leersteun aan op %(datum)s, via het gebruikelijke aanvraagkanaal van de school.',
             datum=datum_tekst)


def ontbindende_voorwaarde(leerling: dict[str, Any], school: dict[str, Any], soort_label: str) -> dict[str, Any]:
    """Return the fixed text of the document about the 60-day decision after an enrolment with an IAC/OV4-verslag."""
    naam = leerling['voornaam']
    return {
        'inleiding': _('%(naam)s werd met een %(soort)s ingeschreven in %(school)s onder ontbindende voorwaarde. '
                       'Binnen 60 kalenderdagen overleggen de klassenraad, het CLB en de ouders over de aanpassingen '
                       'die %(naam)s nodig heeft. Daarna beslist de school of die aanpassingen redelijk zijn.',
                       naam=naam, soort=soort_label, school=school['naam']),
        'beslissing': _('De school deelt haar beslissing schriftelijk en gemotiveerd mee aan de ouders.'),
        'keuzes': [
            _('De aanpassingen zijn redelijk: de inschrijving blijft behouden.'),
            _('De aanpassingen zijn disproportioneel of onvoldoende: de inschrijving wordt ontbonden. De school '
              'motiveert dat hieronder op basis van de zes criteria.'),
        ],
        'bezwaar': [
            _('Zijn de ouders het niet eens met een ontbinding van de inschrijving, dan kunnen ze eerst contact '
              'opnemen met de school en het CLB.'),
            _('Waar een lokaal overlegplatform (LOP) bestaat, kunnen de ouders er terecht voor bemiddeling.'),
            _('De ouders kunnen klacht indienen bij de Commissie inzake Leerlingenrechten. De school vermeldt in haar '
              'beslissing hoe en binnen welke termijn dat kan.'),
        ],
    }
