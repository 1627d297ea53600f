"""JSON Schemas (draft 2020-12) of `traject-case/1` and `traject-samenwerking/1`, built from `enums`.

The schemas check shape, types, enumerations, lengths and formats. Rules that relate fields to each other
(the format's consistency rules) live in `validate`.
"""
import re
from datetime import date
from typing import Any

from jsonschema import FormatChecker

from webapp.caseformat import enums


MAX_TEXT = 10_000

FORMAT_CHECKER = FormatChecker(formats=())
# fullmatch with [0-9], not a schema `pattern`: Python's `$` also matches before a trailing newline and `\d`
# also matches non-ASCII digits, so '2026-01-01\n' or Arabic-Indic digits would slip through a pattern.
_DATE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}')
_TAALCODE = re.compile(r'[a-z]{2,3}')
_SCHOOLJAAR = re.compile(r'[0-9]{4}-[0-9]{4}')


@FORMAT_CHECKER.checks('date')
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword reports non-strings
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)  # refuses 2026-02-30
    except ValueError:
        return False
    return True


@FORMAT_CHECKER.checks('taalcode')
def _is_taalcode(value: object) -> bool:
    return not isinstance(value, str) or bool(_TAALCODE.fullmatch(value))


@FORMAT_CHECKER.checks('schooljaar')
def _is_schooljaar(value: object) -> bool:
    return not isinstance(value, str) or bool(_SCHOOLJAAR.fullmatch(value))


def _text() -> dict[str, Any]:
    return {'type': 'string', 'maxLength': MAX_TEXT}


def _date() -> dict[str, Any]:
    return {'type': 'string', 'format': 'date'}


def _taal() -> dict[str, Any]:
    return {'type': 'string', 'format': 'taalcode'}


def _bool() -> dict[str, Any]:
    return {'type': 'boolean'}


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    # No 'type': the enum alone refuses other types, and one error per bad value reads better than two.
    return {'enum': list(values)}


def _required(schema: dict[str, Any]) -> dict[str, Any]:
    """Return `schema` for a required value: a required free text must not be empty."""
    if schema == _text():
        return {**schema, 'minLength': 1}
    return schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Return `schema` that also accepts null, since null and a missing key both mean 'not known'."""
    if 'enum' in schema:
        return {**schema, 'enum': [*schema['enum'], None]}
    # Every other keyword applies to its own type only, so adding 'null' to the type lets null through unchanged.
    return {**schema, 'type': [schema['type'], 'null']}


def _list(items: dict[str, Any], min_items: int = 0) -> dict[str, Any]:
    """Return a list schema; list items are never null, and text items are never empty."""
    schema = {'type': 'array', 'items': _required(items)}
    if min_items:
        schema['minItems'] = min_items
    return schema


def _obj(fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return a closed object schema; a key ending in '?' is optional (and may be null), all others required."""
    properties = {key.rstrip('?'): _nullable(s) if key.endswith('?') else _required(s) for key, s in fields.items()}
    return {
        'type': 'object',
        'properties': properties,
        'required': [key for key in fields if not key.endswith('?')],
        'additionalProperties': False,
    }


def _texts(*keys: str) -> dict[str, dict[str, Any]]:
    """Return {key: text} for `keys`, for the many objects whose fields are all free text."""
    return {key: _text() for key in keys}


def _organisatie(*, school: bool = False) -> dict[str, Any]:
    fields = {'naam': _text(), **_texts('instellingsnummer?', 'adres?', 'telefoon?', 'email?')}
    if school:
        fields['soort'] = _enum(enums.SCHOOL_SOORTEN)
    return _obj(fields)


def _document(formaat: str, title: str, fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return the top-level schema of a format; both formats may carry `id` and a free `extra` object."""
    schema = _obj({'formaat': {'const': formaat}, 'id?': _text(), **fields, 'extra?': {'type': 'object'}})
    return {'$schema': 'https://json-schema.org/draft/2020-12/schema', 'title': title, **schema}


_ZORGMAATREGEL = _obj({
    'fase': _enum(enums.ZORG_FASEN),
    'categorie': _enum(enums.CATEGORIEEN),
    **_texts('maatregel', 'periode', 'effect'),
})

_TRAJECT = _obj({
    'aanmeldingsdatum': _date(),
    'aanmelder': _enum(enums.AANMELDERS),
    'aanleiding': _text(),
    'hulpvragen': _list(_obj({'van': _enum(enums.HULPVRAAG_VAN), 'vraag': _text()}), min_items=1),
    'voorgeschiedenis?': _text(),
    'zorgcontinuum': _list(_ZORGMAATREGEL),
    'strategie': _obj({'onderzoek_nodig': _bool(), 'hypothesen': _list(_text()), 'onderzoeksvragen': _list(_text())}),
    'onderzoek?': _list(_obj({**_texts('vraag', 'methode', 'uitvoerder'), 'datum': _date(), 'resultaat': _text()})),
    'beeldvorming': _list(_obj({
        'context': _enum(enums.BEELD_CONTEXTEN), 'soort': _enum(enums.BEELD_SOORTEN), 'beschrijving': _text(),
    })),
    'diagnosen?': _list(_obj({
        **_texts('omschrijving', 'gesteld_door'), 'datum': _date(),
        'delen_met_school': _bool(), 'delen_met_ouders': _bool(), 'uitleg_voor_ouders?': _text(),
    })),
    # "At least one onderwijsbehoefte" is a consistency rule in validate, with its own message.
    'behoeften': _list(_obj({'soort': _enum(enums.BEHOEFTE_SOORTEN), 'formulering': _text()})),
    'doelen?': _list(_obj({'termijn': _enum(enums.TERMIJNEN), 'formulering': _text()})),
})

_AANPASSING = _obj({
    'categorie': _enum(enums.CATEGORIEEN),
    'beschrijving': _text(),
    'afweging?': _obj(_texts(*(f'{key}?' for key in enums.AFWEGING_CRITERIA))),
    'oordeel': _enum(enums.OORDELEN),
    'motivering?': _text(),  # required unless redelijk: a consistency rule
})

_OVERLEG = _obj({
    'soort': _enum(enums.OVERLEG_SOORTEN),
    'datum': _date(),
    'deelnemers': _list(_text()),
    'notulen?': _text(),
    'standpunt_ouders?': _enum(enums.STANDPUNTEN),
    'standpunt_leerling?': _text(),
    'standpunt_ouders_toelichting?': _text(),
})

_VERSLAG = _obj({
    'soort': _enum(enums.VERSLAG_SOORTEN),
    'type': _enum(enums.VERSLAG_TYPES),
    'opleidingsvorm?': _enum(enums.OPLEIDINGSVORMEN),
    'datum': _date(),
    'verantwoordelijke': _text(),
    'motivering': _text(),
    'motivering_disproportioneel?': _text(),  # required for iac and ov4: a consistency rule
    'advies': _text(),
    'herzien_tegen?': _date(),
    # Additions of December 2026: the verslag's life, its signatory and the evidence it rests on.
    'ingangsdatum?': _date(),
    'status?': _enum(enums.VERSLAG_STATUSSEN),
    'vorig_verslag?': _obj({
        'soort': _enum(enums.VERSLAG_SOORTEN),
        'type': _enum(enums.VERSLAG_TYPES),
        'opleidingsvorm?': _enum(enums.OPLEIDINGSVORMEN),
        'datum': _date(),
        'reden': _enum(enums.VORIG_VERSLAG_REDENEN),
    }),
    'ondertekenaar?': _obj(_texts('naam', 'functie')),
    'hgd_samenvatting?': _text(),
})

_IAC_DOEL = _obj({
    'domein': _text(),
    'bron': _enum(enums.BRONNEN),
    'code?': _text(),
    **_texts('formulering', 'succescriterium', 'aanpak', 'verantwoordelijke'),
    'evaluaties?': _list(_obj({'datum': _date(), 'resultaat': _text(), 'beslissing': _enum(enums.BESLISSINGEN)})),
})

_IAC_PLAN = _obj({
    'klassenraad_datum': _date(),
    **_texts('beginsituatie', 'langetermijnperspectief'),
    'doelen': _list(_IAC_DOEL, min_items=1),
    'studiebekrachtiging': _enum(enums.STUDIEBEKRACHTIGINGEN),
    'evaluatiemomenten': _list(_date()),
    'netwerkpartners?': _list(_obj(_texts('naam', 'rol'))),
    'gc_domeinen?': _list(_text()),
})

_LEERSTEUN = _obj({
    'aanvraagdatum': _date(),
    'opstartdatum?': _date(),
    'leerondersteuner': _text(),
    'vormen': _list(_obj({'soort': _enum(enums.LEERSTEUN_SOORTEN), **_texts('doel', 'frequentie', 'locatie')}),
                    min_items=1),
    'rollen?': _list(_obj(_texts('wie', 'taak'))),
    'ouderbetrokkenheid?': _text(),
    'evaluatiedata': _list(_date()),
    'periode?': _obj({'van': _date(), 'tot': _date()}),
    'stopcriteria?': _text(),
    'ondertekening?': _list(_obj(_texts('naam', 'functie', 'organisatie'))),
})

CASE_SCHEMA = _document(enums.CASE_FORMAAT, 'Traject: case', {
    'leerling': _obj({
        **_texts('voornaam', 'achternaam'),
        'geboortedatum': _date(),
        'onderwijsniveau': _enum(enums.ONDERWIJSNIVEAUS),
        **_texts('leerjaar', 'klas?', 'studierichting?', 'thuistaal?', 'adres?'),
        'geslacht?': _enum(enums.GESLACHTEN),
    }),
    'ouders': _list(_obj({
        'naam': _text(),
        'relatie': _enum(enums.RELATIES),
        'voorkeurtaal?': _taal(),
        **_texts('email?', 'telefoon?', 'adres?'),
        'tolk_nodig?': _bool(),
    })),
    'school': _organisatie(school=True),
    'clb': _organisatie(),
    'leersteuncentrum?': _organisatie(),
    'betrokkenen': _list(_obj({'naam': _text(), 'rol': _enum(enums.ROLLEN), 'organisatie?': _text()})),
    'toestemmingen?': _list(_obj({
        'onderwerp': _enum(enums.TOESTEMMING_ONDERWERPEN), 'gegeven_door': _text(), 'datum': _date(),
    })),
    'traject': _TRAJECT,
    'aanpassingen?': _list(_AANPASSING),
    'overleg?': _list(_OVERLEG),
    'verslag?': _VERSLAG,
    'iac_plan?': _IAC_PLAN,
    'leersteun?': _LEERSTEUN,
    'oudersamenvatting?': _obj({'talen?': _list(_taal()), 'toelichting?': _text()}),
})

SAMENWERKING_SCHEMA = _document(enums.SAMENWERKING_FORMAAT, 'Traject: samenwerkingsafspraken', {
    'schooljaar': {'type': 'string', 'format': 'schooljaar'},
    'school': _organisatie(school=True),
    'leersteuncentrum': _organisatie(),
    'clb': _organisatie(),
    'contactpersonen': _list(_obj(_texts('naam', 'rol', 'organisatie', 'email', 'telefoon'))),
    **_texts('procedure_leersteunvraag', 'toegang_verslag', 'vormen_van_leersteun'),
    'overlegmomenten': _list(_obj(_texts('wat', 'wanneer', 'wie'))),
    **_texts('communicatie_ouders', 'gegevensdeling', 'klachten', 'evaluatie_afspraken'),
    'ondertekening': _list(_obj(_texts('naam', 'functie', 'organisatie'))),
    'vestigingen?': _list(_obj({'naam': _text(), **_texts('instellingsnummer', 'adres')})),
    'schoolbestuur?': _text(),
    'pbd?': _organisatie(),
})

SCHEMAS = {enums.CASE_FORMAAT: CASE_SCHEMA, enums.SAMENWERKING_FORMAAT: SAMENWERKING_SCHEMA}
