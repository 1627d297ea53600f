"""Check `traject-case/1` and `traject-samenwerking/1` documents and report every problem by its JSON path.

Three layers, in this order: the JSON Schema (shape, types, enumerations, lengths, dates), the consistency rules
of the case format, and the control-character rule. `check` never raises on any JSON input; `load` turns raw
text into a valid document or a `CaseFormatError` that lists every problem.
"""
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator, ValidationError

from webapp.caseformat.enums import CASE_FORMAAT, FORMATEN, OPLEIDINGSVORMEN, TYPES_PER_OPLEIDINGSVORM, VERSLAG_TYPES
from webapp.caseformat.limits import limit_problems
from webapp.caseformat.schema import FORMAT_CHECKER, SCHEMAS


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where it is (a JSON path, '' for the root) and what it is (Dutch)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f'{self.path or "(bestand)"}: {self.message}'


class CaseFormatError(ValueError):
    """A document that is not valid JSON or breaks its format; `problems` lists every reason."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__('\n'.join(map(str, self.problems)))


def parse_json(raw: bytes | str) -> Any:
    """Parse UTF-8 JSON text; refuse invalid JSON and duplicate keys (outside `extra`) with a CaseFormatError."""
    doc, duplicates = _parse(raw)
    if duplicates:
        raise CaseFormatError(_sorted(duplicates))
    return doc


def check(doc: Any) -> list[Problem]:
    """Return every problem of `doc` against the format named in its `formaat`, sorted by path; [] if valid."""
    try:
        problems = list(_problems(doc))
    except RecursionError:
        problems = [Problem('', _('het bestand is te diep genest'))]
    return _sorted(problems)


def validate(doc: Any) -> None:
    """Raise a CaseFormatError listing every problem if `doc` is not a valid document."""
    problems = check(doc)
    if problems:
        raise CaseFormatError(problems)


def load(raw: bytes | str) -> dict:
    """Parse and validate raw JSON text and return the document, key order preserved; else raise CaseFormatError."""
    doc, duplicates = _parse(raw)
    # Duplicate keys and format problems are reported together, so one round of fixes is enough.
    problems = _sorted([*duplicates, *check(doc)])
    if problems:
        raise CaseFormatError(problems)
    return doc


# Parsing

# Python's json messages (matched by their start), in Dutch; anything not listed falls back to a general message.
_JSON_REASONS = {
    'Expecting value': _l('hier wordt een waarde verwacht'),
    "Expecting ',' delimiter": _l('hier wordt een komma (,) verwacht'),
    "Expecting ':' delimiter": _l('hier wordt een dubbele punt (:) verwacht'),
    'Expecting property name enclosed in double quotes': _l('hier wordt een veldnaam tussen aanhalingstekens verwacht'),
    'Unterminated string starting at': _l('tekst zonder afsluitend aanhalingsteken'),
    'Invalid control character at': _l('stuurteken in een tekst (schrijf \\n of \\t)'),
    'Invalid \\escape': _l('ongeldige escape met \\'),
    'Invalid \\u': _l('ongeldige escape: na \\u volgen vier hexadecimale tekens'),
    'Extra data': _l('extra tekens na het einde van het document'),
}


def _parse(raw: bytes | str) -> tuple[Any, list[Problem]]:
    """Return the parsed document and the duplicate-key problems; raise CaseFormatError for invalid JSON."""
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = bytes(raw).decode('utf-8-sig')  # a byte order mark is harmless; Windows editors write one
        except UnicodeDecodeError as exc:
            line, col = _byte_position(bytes(raw), exc.start)
            raise _file_error(_('het bestand is geen geldige UTF-8-tekst (regel {line}, kolom {col})')
                              .format(line=line, col=col)) from None
    raw = raw.removeprefix('\ufeff')
    if not raw.strip():
        raise _file_error(_('het bestand is leeg'))
    duplicated: list[tuple[dict, list[str]]] = []

    def collect_duplicates(pairs: list[tuple[str, Any]]) -> dict:
        obj = dict(pairs)
        if len(obj) < len(pairs):
            duplicated.append((obj, [key for key, n in Counter(key for key, _value in pairs).items() if n > 1]))
        return obj

    try:
        doc = json.loads(raw, object_pairs_hook=collect_duplicates, parse_constant=_refuse_constant,
                         parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        reason = str(next((text for start, text in _JSON_REASONS.items() if exc.msg.startswith(start)),
                          _l('ongeldige JSON')))
        raise _file_error(_('geen geldige JSON op regel {line}, kolom {col}: {reason}')
                          .format(line=exc.lineno, col=exc.colno, reason=reason)) from None
    except RecursionError:
        raise _file_error(_('het bestand is te diep genest')) from None
    except ValueError:  # NaN, Infinity, or an integer beyond Python's digit limit
        raise _file_error(_('geen geldige JSON: bevat een getal dat niet toegelaten is')) from None
    return doc, list(_duplicate_problems(doc, duplicated))


def _file_error(message: str) -> CaseFormatError:
    return CaseFormatError([Problem('', message)])


def _finite_float(text: str) -> float:
    # 1e400 is valid JSON but becomes infinity, which exports as Infinity: not JSON any more.
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; kept in `extra`, they would make every later export invalid.
    raise ValueError(name)


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b'\n', 0, offset) + 1
    return raw.count(b'\n', 0, offset) + 1, len(raw[line_start:offset].decode('utf-8', 'replace')) + 1


def _duplicate_problems(doc: Any, duplicated: list[tuple[dict, list[str]]]) -> Iterator[Problem]:
    """Find the objects with duplicate keys in the parsed tree by identity, and report them with their path."""
    if not duplicated:
        return
    # `duplicated` holds the objects themselves, so their ids cannot be reused while we walk.
    keys_by_id = {id(obj): keys for obj, keys in duplicated}
    for node, trail in _walk(doc, skip_extra=True):
        if isinstance(node, dict) and id(node) in keys_by_id:
            for key in keys_by_id[id(node)]:
                yield Problem(_path((*_unwind(trail), key)), _('dit veld komt meer dan één keer voor in dit object'))


# The three layers of check()

def _problems(doc: Any) -> Iterator[Problem]:
    if not isinstance(doc, dict):
        yield Problem('', _('verwacht een object met velden'))
        return
    formaat = doc.get('formaat')
    if not isinstance(formaat, str) or formaat not in FORMATEN:
        if 'formaat' not in doc:
            yield Problem('formaat', _('ontbreekt (verplicht veld)'))
        elif formaat is None:
            yield Problem('formaat', _('mag niet leeg (null) zijn'))
        else:
            yield Problem('formaat', _('{value} is geen bekend formaat; kies uit: {choices}')
                          .format(value=_show(formaat), choices=', '.join(FORMATEN)))
        return
    limits = [Problem(path, message) for path, message in limit_problems(doc, _path)]
    if limits:
        # A document past the limits is not checked further: its size alone could make the other checks slow.
        yield from limits
        return
    yield from _schema_problems(doc, formaat)
    if formaat == CASE_FORMAAT:
        yield from _consistency_problems(doc)
    yield from _character_problems(doc)


@cache
def _validator(formaat: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[formaat], format_checker=FORMAT_CHECKER)


def _schema_problems(doc: dict, formaat: str) -> Iterator[Problem]:
    for error in _validator(formaat).iter_errors(doc):
        parts = tuple(error.absolute_path)
        if error.validator == 'required':
            # jsonschema reports each missing key separately; check() drops the repeats.
            for key in error.validator_value:
                if key not in error.instance:
                    yield Problem(_path((*parts, key)), _('ontbreekt (verplicht veld)'))
        elif error.validator == 'additionalProperties':
            allowed = list(error.schema['properties'])
            for key in error.instance:
                if key not in allowed:
                    yield Problem(_path((*parts, key)), _('onbekend veld; toegelaten velden: {fields}')
                                  .format(fields=', '.join(allowed)))
        else:
            yield Problem(_path(parts), _schema_message(error))


def _schema_message(error: ValidationError) -> str:
    value, expected = error.instance, error.validator_value
    if value is None:
        return _('mag niet leeg (null) zijn')  # optional keys accept null, so this is a required one
    match error.validator:
        case 'type':
            wanted = expected if isinstance(expected, str) else next(t for t in expected if t != 'null')
            if wanted == 'string':
                return _('verwacht tekst')
            if wanted == 'array':
                return _('verwacht een lijst')
            if wanted == 'boolean':
                return _('verwacht ja/nee (true/false)')
            return _('verwacht een object met velden')
        case 'enum':
            return _('{value} is geen toegelaten waarde; kies uit: {choices}').format(
                value=_show(value), choices=', '.join(v for v in expected if v is not None))
        case 'const':
            return _('verwacht {expected}').format(expected=_show(expected))
        case 'minLength':
            return _('mag niet leeg zijn')
        case 'maxLength':
            return _('tekst is te lang: {n} tekens, maximaal {max}').format(n=len(value), max=expected)
        case 'minItems':
            return _('lijst is leeg; minstens {n} nodig').format(n=expected)
        case 'format' if expected == 'date':
            return _('{value} is geen geldige datum (JJJJ-MM-DD)').format(value=_show(value))
        case 'format' if expected == 'taalcode':
            return _('{value} is geen geldige taalcode (twee of drie kleine letters, bv. nl, fr of prs)').format(
                value=_show(value))
        case 'format' if expected == 'schooljaar':
            return _('{value} is geen geldig schooljaar (JJJJ-JJJJ)').format(value=_show(value))
    return _('ongeldige waarde {value}').format(value=_show(value))


def _consistency_problems(doc: dict) -> Iterator[Problem]:
    """The case format's cross-field rules; each runs only when the fields it reads have the right shape."""
    leerling, traject, verslag = _dict(doc.get('leerling')), _dict(doc.get('traject')), doc.get('verslag')
    niveau = leerling.get('onderwijsniveau')
    if isinstance(verslag, dict):
        soort = verslag.get('soort')
        if verslag.get('type') == 'basisaanbod' and soort in ('gc', 'ov4'):
            yield Problem('verslag.type', _("type basisaanbod kan enkel bij een IAC-verslag (soort 'iac')"))
        message = _opleidingsvorm_message(soort, verslag.get('opleidingsvorm'), niveau)
        if message:
            yield Problem('verslag.opleidingsvorm', message)
        if soort in ('iac', 'ov4') and verslag.get('motivering_disproportioneel') in (None, ''):
            yield Problem('verslag.motivering_disproportioneel', _(
                'verplicht bij een IAC- of OV4-verslag: waarom het gemeenschappelijk curriculum met redelijke '
                'aanpassingen niet haalbaar is'))
        overleg = doc.get('overleg')
        if (overleg is None or isinstance(overleg, list)) and not any(
                _dict(o).get('soort') == 'adviesgesprek' for o in overleg or ()):
            yield Problem('overleg', _("een verslag vraagt minstens één overleg van soort 'adviesgesprek'"))
        yield from _regulation_problems(doc, verslag, niveau)
    if leerling.get('studierichting') not in (None, '') and niveau in ('kleuter', 'lager'):
        yield Problem('leerling.studierichting',
                      _('een studierichting kan enkel voor een leerling in het secundair onderwijs'))
    if doc.get('iac_plan') is not None and (verslag is None or _dict(verslag).get('soort') in ('gc', 'ov4')):
        yield Problem('iac_plan', _("een IAC-plan kan enkel bij een IAC-verslag (verslag.soort 'iac')"))
    if doc.get('leersteun') is not None and verslag is None:
        yield Problem('leersteun', _('leersteunafspraken vragen een verslag'))
    # An empty list means "no onderzoek", which agrees with onderzoek_nodig false.
    if traject.get('onderzoek') not in (None, []) and _dict(traject.get('strategie')).get('onderzoek_nodig') is False:
        yield Problem('traject.onderzoek',
                      _('onderzoek kan enkel wanneer strategie.onderzoek_nodig waar (true) is'))
    behoeften = traject.get('behoeften')
    if isinstance(behoeften, list) and not any(_dict(b).get('soort') == 'onderwijsbehoefte' for b in behoeften):
        yield Problem('traject.behoeften', _("minstens één behoefte van soort 'onderwijsbehoefte' is nodig"))
    for i, aanpassing in enumerate(_items(doc.get('aanpassingen'))):
        aanpassing = _dict(aanpassing)
        if aanpassing.get('oordeel') in ('disproportioneel', 'onvoldoende') and \
                aanpassing.get('motivering') in (None, ''):
            yield Problem(f'aanpassingen[{i}].motivering', _("verplicht wanneer het oordeel niet 'redelijk' is"))
    yield from _toestemming_problems(doc, leerling)


def _regulation_problems(doc: dict, verslag: dict, niveau: Any) -> Iterator[Problem]:
    """The combinations the regulations do not allow (case-format.md, 'Additions of December 2026')."""
    soort, soort_type, vorm = verslag.get('soort'), verslag.get('type'), verslag.get('opleidingsvorm')
    allowed = TYPES_PER_OPLEIDINGSVORM.get(vorm) if isinstance(vorm, str) else None
    # A bad soort/opleidingsvorm pair is already reported at this path; one message per path is enough.
    if allowed is not None and soort_type in VERSLAG_TYPES and soort_type not in allowed and \
            _opleidingsvorm_message(soort, vorm, niveau) is None and not (soort_type == 'basisaanbod' and soort != 'iac'):
        yield Problem('verslag.opleidingsvorm', _('{opleidingsvorm} kan niet met {type}; toegelaten types: {types}')
                      .format(opleidingsvorm=vorm, type=_type_name(soort_type),
                              types=', '.join(map(_type_name, allowed))))
    if soort_type == 'basisaanbod' and niveau == 'kleuter':
        yield Problem('verslag.type', _('type basisaanbod wordt niet gegeven in het kleuteronderwijs'))
    if soort == 'gc' and _dict(doc.get('school')).get('soort') == 'buitengewoon':
        yield Problem('verslag.soort', _('een GC-verslag is voor een leerling in een school voor gewoon onderwijs '
                                         "(school.soort 'gewoon')"))
    vorig = verslag.get('vorig_verslag')
    if isinstance(vorig, dict) and _is_date(vorig.get('datum')) and _is_date(verslag.get('datum')) and \
            vorig['datum'] >= verslag['datum']:
        yield Problem('verslag.vorig_verslag.datum', _('het vorige verslag moet dateren van vóór dit verslag '
                                                       '({datum})').format(datum=verslag['datum']))


def _type_name(code: str) -> str:
    return code if code == 'basisaanbod' else f'type {code}'


def _is_date(value: Any) -> bool:
    # Same-length ISO dates compare as text; the schema reports a malformed one.
    return isinstance(value, str) and bool(re.fullmatch(r'[0-9]{4}-[0-9]{2}-[0-9]{2}', value))


def regulation_problems(doc: Any) -> list[Problem]:
    """Return the combinations of `doc` that the regulations do not allow (the rules of December 2026).

    A case stored before these rules may break them: it still opens and exports, and is listed as needing attention.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get('verslag'), dict):
        return []
    niveau = _dict(doc.get('leerling')).get('onderwijsniveau')
    try:
        return _sorted(_regulation_problems(doc, doc['verslag'], niveau))
    except (TypeError, AttributeError):
        return []  # a malformed draft: the full check reports it


def _opleidingsvorm_message(soort: Any, vorm: Any, niveau: Any) -> str | None:
    """Return why `verslag.opleidingsvorm` breaks a rule, or None; one message, the most specific one."""
    if vorm is not None and vorm not in OPLEIDINGSVORMEN:
        return None  # the schema already reports the bad value
    basis = niveau in ('kleuter', 'lager')
    if soort == 'gc' and vorm:
        return _('een GC-verslag heeft geen opleidingsvorm')
    if soort == 'ov4' and basis:
        return _('een OV4-verslag kan enkel voor een leerling in het secundair onderwijs')
    if soort == 'ov4' and vorm != 'ov4':
        return _("een OV4-verslag heeft opleidingsvorm 'ov4' nodig")
    if vorm and basis:
        return _('een opleidingsvorm kan enkel voor een leerling in het secundair onderwijs')
    if soort == 'iac' and niveau == 'secundair' and vorm not in ('ov1', 'ov2', 'ov3'):
        return _("een IAC-verslag in het secundair onderwijs heeft opleidingsvorm 'ov1', 'ov2' of 'ov3' nodig")
    return None


def _toestemming_problems(doc: dict, leerling: dict) -> Iterator[Problem]:
    ouders, voornaam, achternaam = doc.get('ouders'), leerling.get('voornaam'), leerling.get('achternaam')
    # With a name missing or malformed the schema already complains; checking now would blame good consents.
    if not (isinstance(ouders, list) and all(isinstance(_dict(o).get('naam'), str) for o in ouders)
            and isinstance(voornaam, str) and isinstance(achternaam, str)):
        return
    names = list(dict.fromkeys([*(o['naam'] for o in ouders), f'{voornaam} {achternaam}']))
    for i, toestemming in enumerate(_items(doc.get('toestemmingen'))):
        door = _dict(toestemming).get('gegeven_door')
        if isinstance(door, str) and door and door not in names:
            yield Problem(f'toestemmingen[{i}].gegeven_door',
                          _('{value} is niet de naam van een ouder of van de leerling; kies uit: {names}')
                          .format(value=_show(door), names=', '.join(names)))


# Control characters break DOCX output and terminals; NUL and lone surrogates cannot even be stored (PostgreSQL
# jsonb refuses \u0000, UTF-8 has no surrogates), so those two are refused inside `extra` too.
_CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]')
_UNSTORABLE = re.compile('[\x00\ud800-\udfff]')


def _character_problems(doc: dict) -> Iterator[Problem]:
    for top_key, top_value in doc.items():
        in_extra = top_key == 'extra'
        pattern = _UNSTORABLE if in_extra else _CONTROL
        for node, trail in _walk(top_value, (top_key, None)):
            if isinstance(node, str) and (match := pattern.search(node)):
                yield Problem(_path(_unwind(trail)), _character_message(match.group()))
            elif isinstance(node, dict) and in_extra:
                # Outside `extra`, a key with such a character is an unknown key and reported as one.
                for key in node:
                    if isinstance(key, str) and (match := pattern.search(key)):
                        yield Problem(_path((*_unwind(trail), key)), _character_message(match.group()))


def _character_message(char: str) -> str:
    code = f'U+{ord(char):04X}'
    if 0xD800 <= ord(char) <= 0xDFFF:
        return _('bevat een ongeldig teken ({code})').format(code=code)
    return _('bevat een ongeldig stuurteken ({code})').format(code=code)


# Small helpers

_PLAIN_KEY = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')


def _walk(node: Any, trail: tuple | None = None, *, skip_extra: bool = False) -> Iterator[tuple[Any, tuple | None]]:
    """Yield (value, trail) for `node` and everything in it; a trail is a linked list (key, parent trail).

    Iterative, and the trail is shared with the parent instead of copied, so deep nesting costs neither stack
    nor quadratic time. `skip_extra` leaves out the top-level `extra` object.
    """
    stack = [(node, trail)]
    while stack:
        node, trail = stack.pop()
        yield node, trail
        if isinstance(node, dict):
            stack.extend((value, (key, trail)) for key, value in node.items()
                         if not (skip_extra and trail is None and key == 'extra'))
        elif isinstance(node, list):
            stack.extend((item, (i, trail)) for i, item in enumerate(node))


def _unwind(trail: tuple | None) -> list[str | int]:
    """Return the path parts of a trail from `_walk`, root first."""
    parts = []
    while trail is not None:
        part, trail = trail
        parts.append(part)
    return parts[::-1]


def _path(parts: Iterable[str | int]) -> str:
    """Return the JSON path of `parts` like 'traject.behoeften[2].soort'; odd keys are quoted: 'a["b c"]'."""
    path = ''
    for part in parts:
        if isinstance(part, int):
            path += f'[{part}]'
        elif _PLAIN_KEY.fullmatch(part):
            path += f'.{part}' if path else part
        else:
            path += f'[{json.dumps(part, ensure_ascii=False)}]'
    return path


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    """Return the problems without repeats, sorted by path with list indexes in numeric order ([2] before [10])."""
    def key(problem: Problem) -> list[str | int]:
        return [int(p) if i % 2 else p for i, p in enumerate(re.split(r'\[(\d+)\]', problem.path))]
    # A lone surrogate quoted from the file cannot be written to a page or a terminal: show U+FFFD instead.
    printable = (Problem(_SURROGATE.sub('\ufffd', p.path), _SURROGATE.sub('\ufffd', p.message)) for p in problems)
    return sorted(dict.fromkeys(printable), key=key)


_SURROGATE = re.compile('[\ud800-\udfff]')


def _show(value: Any) -> str:
    """Return a short, quoted rendering of a value for a message; control characters come out escaped."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)[1:-1]
        return f"'{text[:57]}...'" if len(text) > 60 else f"'{text}'"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return f'{text[:57]}...' if len(text) > 60 else text


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list:
    return value if isinstance(value, list) else []
