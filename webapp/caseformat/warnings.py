"""Warnings on a valid `traject-case/1` document: accepted by the format, but a CLB should look before signing.

case-format.md ('Additions of December 2026') lists them; `traject check` prints them with exit code 0, and the
review page shows them beside the problems. Like `check`, `warnings` never raises on any JSON input.
"""
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _

from webapp.caseformat.validate import Problem


# Every type except basisaanbod rests on a diagnosis (DOMAIN.md §1).
_TYPES_WITH_DIAGNOSE = ('2', '3', '4', '6', '7-auditief', '7-stos', '9')
_SECONDARY_CERTIFICATES = ('attest-verworven-bekwaamheden', 'gewoon-studiebewijs')


def warnings(doc: Any) -> list[Problem]:
    """Return the warnings of a case document, by JSON path, in the order of the document."""
    if not isinstance(doc, dict) or doc.get('formaat') != 'traject-case/1':
        return []
    try:
        return list(dict.fromkeys(_warnings(doc)))
    except (TypeError, AttributeError, KeyError):
        return []  # a malformed document: `check` reports what is wrong with it


def _warnings(doc: dict) -> Iterator[Problem]:
    verslag = _dict(doc.get('verslag'))
    leerling = _dict(doc.get('leerling'))
    if verslag:
        diagnosen = _list(_dict(doc.get('traject')).get('diagnosen'))
        if verslag.get('type') in _TYPES_WITH_DIAGNOSE and \
                not any(_dict(d).get('delen_met_school') is True for d in diagnosen):
            yield Problem('traject.diagnosen', _('een verslag van type {type} zonder diagnose die met de school '
                                                 'gedeeld mag worden').format(type=verslag['type']))
        yield from _adviesgesprek_warnings(doc)
        if verslag.get('soort') in ('iac', 'ov4') and not verslag.get('hgd_samenvatting'):
            yield Problem('verslag.hgd_samenvatting', _('een IAC- of OV4-verslag zonder samenvatting van het '
                                                        'handelingsgericht diagnostisch traject'))
    plan = _dict(doc.get('iac_plan'))
    if plan:
        if plan.get('studiebekrachtiging') in _SECONDARY_CERTIFICATES and \
                leerling.get('onderwijsniveau') in ('kleuter', 'lager'):
            yield Problem('iac_plan.studiebekrachtiging', _(
                'hoort bij het secundair onderwijs; in het basisonderwijs beslist de klassenraad op het einde van het '
                "lager onderwijs over het getuigschrift basisonderwijs (kies 'getuigschrift-basisonderwijs-"
                "klassenraad')"))
        yield from _mixed_sources(plan)


def _adviesgesprek_warnings(doc: dict) -> Iterator[Problem]:
    ouders = [o['naam'].casefold() for o in _list(doc.get('ouders')) if isinstance(_dict(o).get('naam'), str)]
    for i, overleg in enumerate(_list(doc.get('overleg'))):
        overleg = _dict(overleg)
        if overleg.get('soort') != 'adviesgesprek':
            continue
        if not overleg.get('standpunt_ouders'):
            yield Problem(f'overleg[{i}].standpunt_ouders', _('het adviesgesprek vermeldt het standpunt van de ouders '
                                                              'niet'))
        deelnemers = [d.casefold() for d in _list(overleg.get('deelnemers')) if isinstance(d, str)]
        if not any(naam in deelnemer for naam in ouders for deelnemer in deelnemers):
            yield Problem(f'overleg[{i}].deelnemers', _('geen van de ouders staat bij de deelnemers van het '
                                                        'adviesgesprek'))


def _mixed_sources(plan: dict) -> Iterator[Problem]:
    # One plan covers one school year, so eindtermen and minimumdoelen in one domein are two sets for one year.
    bronnen: dict[str, set[str]] = {}
    for doel in _list(plan.get('doelen')):
        doel = _dict(doel)
        if isinstance(doel.get('domein'), str):
            bronnen.setdefault(doel['domein'], set()).add(doel.get('bron'))
    for domein, found in bronnen.items():
        if {'eindterm', 'minimumdoel'} <= found:
            yield Problem('iac_plan.doelen', _('het domein {domein} mengt eindtermen en minimumdoelen in één plan; '
                                               'kies de doelen van één reeks voor dit leerjaar')
                          .format(domein=f"'{domein}'"))


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
