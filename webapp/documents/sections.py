"""Section headings per document, in order: the one list both the DOCX and the PDF templates follow.

Templates print `koppen.<key>`, so a heading reads the same in both formats and tests can check every one.
"""
from flask_babel import gettext as _


def verslag_sections(soort: str) -> list[tuple[str, str]]:
    """Return (key, heading) pairs of a verslag of `soort` (DOMAIN.md §4)."""
    afweging = soort in ('iac', 'ov4')
    sections = [
        ('identificatie', _('Identificatie')),
        ('aanleiding', _('Aanleiding en hulpvragen')),
        ('zorgcontinuum', _('Verloop van het zorgcontinuüm')),
        ('beeld', _('Beeld van de leerling in context')),
        ('onderwijsbehoeften', _('Onderwijs- en opvoedingsbehoeften')),
        ('ondersteuningsbehoeften', _('Ondersteuningsbehoeften')),
        ('aanpassingen', _('Afweging van de aanpassingen') if afweging else _('Redelijke aanpassingen')),
        ('motivering', _('Motivering en type')),
        ('overleg', _('Overleg met ouders en leerling')),
        ('advies', _('Advies')),
        ('verantwoordelijke', _('Verantwoordelijke')),
    ]
    if afweging:
        sections.insert(8, ('mogelijk', _('Wat dit verslag mogelijk maakt')))
    return sections


def iac_plan_sections() -> list[tuple[str, str]]:
    """Return (key, heading) pairs of the IAC plan."""
    return [
        ('identificatie', _('Identificatie')),
        ('betrokkenen', _('Betrokkenen en netwerkpartners')),
        ('beginsituatie', _('Beginsituatie')),
        ('perspectief', _('Langetermijnperspectief')),
        ('doelen', _('Doelen')),
        ('aanpak', _('Aanpak')),
        ('evaluatie', _('Evaluatie')),
        ('studiebekrachtiging', _('Studiebekrachtiging')),
        ('afstemming', _('Afstemming in de klassenraad')),
    ]


def leersteun_sections() -> list[tuple[str, str]]:
    """Return (key, heading) pairs of the leersteunafspraken."""
    return [
        ('identificatie', _('Leerling, school en leersteuncentrum')),
        ('aanvraag', _('Aanvraag en opstart')),
        ('vraag', _('Vraag van school en leerkracht')),
        ('vormen', _('Vormen van leersteun')),
        ('rollen', _('Wie doet wat')),
        ('ouders', _('Betrokkenheid van de ouders')),
        ('evaluatie', _('Evaluatie')),
        ('ondertekening', _('Ondertekening')),
    ]


def ontbindende_voorwaarde_sections() -> list[tuple[str, str]]:
    """Return (key, heading) pairs of the document about the 60-day decision (ontbindende voorwaarde)."""
    return [
        ('identificatie', _('Leerling, school en verslag')),
        ('overleg', _('Overleg binnen 60 kalenderdagen')),
        ('aanpassingen', _('De aanpassingen die nodig zijn')),
        ('beslissing', _('Beslissing van de school')),
        ('bezwaar', _('Niet akkoord met de beslissing')),
    ]


def samenwerking_sections() -> list[tuple[str, str]]:
    """Return (key, heading) pairs of the samenwerkingsafspraken (DOMAIN.md §4, in that order)."""
    return [
        ('partijen', _('Partijen en looptijd')),
        ('contactpersonen', _('Contactpersonen')),
        ('procedure', _('Procedure voor een leersteunvraag')),
        ('toegang', _('Toegang tot het verslag')),
        ('vormen', _('Vormen van leersteun')),
        ('overleg', _('Overlegmomenten')),
        ('ouders', _('Communicatie met ouders')),
        ('gegevens', _('Gegevensdeling')),
        ('klachten', _('Klachten')),
        ('evaluatie', _('Evaluatie van de afspraken')),
        ('ondertekening', _('Ondertekening')),
    ]


def sections_for(kind: str, ctx: dict) -> list[tuple[str, str]]:
    """Return the sections, in order, of document `kind` for context `ctx`."""
    if kind in ('verslag', 'verslag-ouders'):
        return verslag_sections(ctx['verslag']['soort'])
    return {'iac-plan': iac_plan_sections, 'leersteunafspraken': leersteun_sections,
            'samenwerkingsafspraken': samenwerking_sections,
            'ontbindende-voorwaarde': ontbindende_voorwaarde_sections}[kind]()


def add_headings(ctx: dict, kind: str) -> None:
    """Add `koppen` (key -> "3. Heading") and `secties` (the numbered headings in order) to `ctx`."""
    from webapp.documents.context import dutch
    with dutch():
        numbered = [(key, f'{n}. {title}') for n, (key, title) in enumerate(sections_for(kind, ctx), start=1)]
    ctx['koppen'] = dict(numbered)
    ctx['secties'] = [title for _key, title in numbered]
