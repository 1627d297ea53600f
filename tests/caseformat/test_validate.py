"""Tests of the case formats: every example is valid, and every kind of problem is refused at the right path."""
import copy
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from webapp.caseformat import (CaseFormatError, Problem, check, enums, load, parse_json, regulation_problems, validate,
                               warnings)
from webapp.caseformat.enums import LABELS, choices, label
from webapp.caseformat.schema import CASE_SCHEMA, SAMENWERKING_SCHEMA


HERE = Path(__file__).resolve()
DATA = HERE.parents[1] / 'data'
SHARED = HERE.parents[3] / 'shared' / 'examples'
EXAMPLES = sorted((SHARED if SHARED.is_dir() else DATA).glob('*.json'))
OWN_CASES = sorted(DATA.glob('*.json'))

DELETE = object()


def _read(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding='utf-8'))


GC = _read('case-ayla-gc-lager.json')
IAC = _read('case-jonas-iac-ov2-type2.json')
SAMENWERKING = _read('samenwerking-de-speelberg.json')


def _put(doc: dict, path: str, value: object) -> dict:
    """Set (or with DELETE remove) the value at a JSON path like 'traject.behoeften[1].soort'; return `doc`."""
    parts = [int(p) if p.isdigit() else p for p in re.findall(r'[^.\[\]]+', path)]
    parent = doc
    for part in parts[:-1]:
        parent = parent[part]
    if value is DELETE:
        parent.pop(parts[-1], None)
    else:
        parent[parts[-1]] = value
    return doc


def _mutated(doc: dict, *changes: tuple[str, object]) -> dict:
    doc = copy.deepcopy(doc)
    for path, value in changes:
        _put(doc, path, value)
    return doc


def _all_paths(node: object, prefix: str = '') -> list[str]:
    """Return the JSON path of every value inside `node`, containers included."""
    if isinstance(node, dict):
        children = [(f'{prefix}.{key}' if prefix else key, value) for key, value in node.items()]
    elif isinstance(node, list):
        children = [(f'{prefix}[{i}]', value) for i, value in enumerate(node)]
    else:
        return []
    return [p for path, value in children for p in (path, *_all_paths(value, path))]


@pytest.mark.parametrize('path', EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_valid(path):
    assert check(load(path.read_bytes())) == []


@pytest.mark.parametrize('path', OWN_CASES, ids=lambda p: p.stem)
def test_own_fictional_cases_are_valid(path):
    assert check(load(path.read_bytes())) == []


def test_own_fictional_cases_cover_the_kinds():
    assert (GC['verslag']['soort'], GC['leerling']['onderwijsniveau']) == ('gc', 'lager')
    assert (IAC['verslag']['soort'], IAC['verslag']['opleidingsvorm'], IAC['verslag']['type']) == ('iac', 'ov2', '2')
    assert 'iac_plan' in IAC and 'leersteun' in IAC
    assert SAMENWERKING['formaat'] == 'traject-samenwerking/1'


@pytest.mark.parametrize('schema', [CASE_SCHEMA, SAMENWERKING_SCHEMA], ids=['case', 'samenwerking'])
def test_schemas_are_valid_draft_2020_12(schema):
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize('doc, changes, path, word', [
    (GC, [('formaat', 'traject-case/2')], 'formaat', 'formaat'),
    (GC, [('leerling.bijnaam', 'Ay')], 'leerling.bijnaam', 'onbekend'),
    (GC, [('school.soort', 'speciaal')], 'school.soort', 'toegelaten'),
    (GC, [('clb.soort', 'gewoon')], 'clb.soort', 'onbekend'),
    (GC, [('traject.behoeften[1].soort', 'leerbehoefte')], 'traject.behoeften[1].soort', 'toegelaten'),
    (GC, [('traject.aanmeldingsdatum', '2026-02-30')], 'traject.aanmeldingsdatum', 'datum'),
    (GC, [('traject.aanmeldingsdatum', '20260101')], 'traject.aanmeldingsdatum', 'datum'),
    (GC, [('traject.aanmeldingsdatum', '2026-01-01\n')], 'traject.aanmeldingsdatum', 'datum'),
    (GC, [('verslag.type', 'basisaanbod')], 'verslag.type', 'basisaanbod'),
    (IAC, [('leerling.onderwijsniveau', 'lager'), ('leerling.studierichting', DELETE)],
     'verslag.opleidingsvorm', 'secundair'),
    (GC, [('leerling.studierichting', 'Latijn')], 'leerling.studierichting', 'secundair'),
    (GC, [('iac_plan', IAC['iac_plan'])], 'iac_plan', 'IAC'),
    (GC, [('verslag', DELETE)], 'leersteun', 'verslag'),
    (GC, [('traject.aanleiding', 'x' * 20_000)], 'traject.aanleiding', '20000'),
    (GC, [('leerling.klas', '3\x00B')], 'leerling.klas', 'U+0000'),
    (GC, [('traject.doelen[0].formulering', 'a\x7fb')], 'traject.doelen[0].formulering', 'U+007F'),
    (GC, [('leerling.voornaam', None)], 'leerling.voornaam', 'null'),
    (GC, [('leerling.geboortedatum', DELETE)], 'leerling.geboortedatum', 'ontbreekt'),
    (GC, [('traject.aanleiding', '')], 'traject.aanleiding', 'leeg'),
    (GC, [('overleg[0].deelnemers', ['Ines', ''])], 'overleg[0].deelnemers[1]', 'leeg'),
    (GC, [('traject.hulpvragen', [])], 'traject.hulpvragen', 'minstens'),
    (GC, [('leersteun.vormen', [])], 'leersteun.vormen', 'minstens'),
    (IAC, [('iac_plan.doelen', [])], 'iac_plan.doelen', 'minstens'),
    (GC, [('traject.hulpvragen[0].vraag', 42)], 'traject.hulpvragen[0].vraag', 'tekst'),
    (GC, [('ouders', {})], 'ouders', 'lijst'),
    (GC, [('ouders[0].tolk_nodig', 'ja')], 'ouders[0].tolk_nodig', 'ja/nee'),
    (GC, [('ouders[0].voorkeurtaal', 'NL')], 'ouders[0].voorkeurtaal', 'taalcode'),
    (GC, [('oudersamenvatting.talen', ['nl', 'turks'])], 'oudersamenvatting.talen[1]', 'taalcode'),
    (GC, [('traject.beeldvorming', [None])], 'traject.beeldvorming[0]', 'null'),
    (GC, [('verslag.opleidingsvorm', 'ov2')], 'verslag.opleidingsvorm', 'GC-verslag'),
    (GC, [('verslag.soort', 'ov4'), ('verslag.opleidingsvorm', 'ov4'), ('verslag.motivering_disproportioneel', 'x')],
     'verslag.opleidingsvorm', 'secundair'),
    (IAC, [('verslag.soort', 'ov4'), ('iac_plan', DELETE)], 'verslag.opleidingsvorm', 'ov4'),
    (IAC, [('verslag.opleidingsvorm', DELETE)], 'verslag.opleidingsvorm', 'ov1'),
    (IAC, [('verslag.motivering_disproportioneel', DELETE)], 'verslag.motivering_disproportioneel', 'IAC'),
    (IAC, [('verslag.motivering_disproportioneel', '')], 'verslag.motivering_disproportioneel', 'IAC'),
    (IAC, [('aanpassingen[0].motivering', None)], 'aanpassingen[0].motivering', 'redelijk'),
    (IAC, [('traject.strategie.onderzoek_nodig', False)], 'traject.onderzoek', 'onderzoek_nodig'),
    (GC, [('traject.behoeften[0].soort', 'opvoedingsbehoefte')], 'traject.behoeften', 'onderwijsbehoefte'),
    (GC, [('toestemmingen[1].gegeven_door', 'Kerem')], 'toestemmingen[1].gegeven_door', 'ouder'),
    (GC, [('overleg[1].soort', 'evaluatie')], 'overleg', 'adviesgesprek'),
    (GC, [('overleg', DELETE)], 'overleg', 'adviesgesprek'),
    (GC, [('extra', [1])], 'extra', 'object'),
    (GC, [('extra', {'x': 'a\x00b'})], 'extra.x', 'U+0000'),
    (SAMENWERKING, [('schooljaar', '2026/2027')], 'schooljaar', 'schooljaar'),
    (SAMENWERKING, [('contactpersonen[0].functie', 'x')], 'contactpersonen[0].functie', 'onbekend'),
    (SAMENWERKING, [('klachten', DELETE)], 'klachten', 'ontbreekt'),
    (SAMENWERKING, [('formaat', 'traject-case/1')], 'betrokkenen', 'ontbreekt'),
])
def test_invalid_variants_are_refused_at_their_path(doc, changes, path, word):
    problems = check(_mutated(doc, *changes))
    assert path in [p.path for p in problems], problems
    assert any(word in p.message for p in problems if p.path == path), problems
    with pytest.raises(CaseFormatError):
        validate(_mutated(doc, *changes))


@pytest.mark.parametrize('changes', [
    [('leerling.voornaam', DELETE)],
    [('verslag.type', 'basisaanbod')],
    [('verslag.opleidingsvorm', 'ov2')],
    [('toestemmingen[0].gegeven_door', 'Onbekend')],
], ids=['missing', 'type', 'opleidingsvorm', 'toestemming'])
def test_one_mistake_gives_one_problem(changes):
    assert len(check(_mutated(GC, *changes))) == 1


def test_empty_onderzoek_agrees_with_onderzoek_nodig_false():
    assert check(_mutated(IAC, ('traject.strategie.onderzoek_nodig', False), ('traject.onderzoek', []))) == []


def test_all_problems_are_listed_sorted_by_path():
    doc = _mutated(GC, ('leerling.bijnaam', 'x'), ('traject.aanmelder', 'buren'), ('verslag.datum', '2026-13-01'))
    assert [p.path for p in check(doc)] == ['leerling.bijnaam', 'traject.aanmelder', 'verslag.datum']


def test_list_indexes_sort_numerically():
    doc = _mutated(GC, ('traject.hulpvragen', [{'van': 'buren', 'vraag': 'x'}] * 11))
    assert [p.path for p in check(doc)] == [f'traject.hulpvragen[{i}].van' for i in range(11)]


def test_messages_are_plain_dutch():
    doc = _mutated(GC, ('traject.behoeften[1].soort', 'leerbehoefte'), ('traject.aanleiding', 'x' * 20_000),
                   ('traject.aanmeldingsdatum', '2026-02-30'), ('leerling.bijnaam', 'x'))
    messages = {p.path: p.message for p in check(doc)}
    assert messages['traject.behoeften[1].soort'].startswith(
        "'leerbehoefte' is geen toegelaten waarde; kies uit: onderwijsbehoefte, opvoedingsbehoefte, ")
    assert messages['traject.aanleiding'] == 'tekst is te lang: 20000 tekens, maximaal 10000'
    assert messages['traject.aanmeldingsdatum'] == "'2026-02-30' is geen geldige datum (JJJJ-MM-DD)"
    assert messages['leerling.bijnaam'].startswith('onbekend veld; toegelaten velden: voornaam, achternaam, ')


def test_text_limit_counts_code_points():
    assert check(_mutated(GC, ('traject.aanleiding', '😀' * 10_000))) == []
    assert [p.path for p in check(_mutated(GC, ('traject.aanleiding', '😀' * 10_001)))] == ['traject.aanleiding']


def test_free_unicode_text_is_accepted():
    text = 'שלום\u200f مرحبا 😀👩\u200d👧\tmet tab\r\nen regels\n\u202eomgekeerd\u202c'
    doc = _mutated(GC, ('traject.aanleiding', text), ('ouders[0].naam', 'سلمى'),
                   ('toestemmingen[0].gegeven_door', 'سلمى'))
    assert check(doc) == []


def test_null_and_missing_optional_keys_are_the_same():
    nulls = [(path, None) for path in (
        'leerling.klas', 'leersteuncentrum', 'iac_plan.doelen[1].code', 'iac_plan.doelen[1].evaluaties',
        'traject.diagnosen', 'overleg[0].standpunt_ouders', 'verslag.herzien_tegen', 'extra', 'id',
        'oudersamenvatting.talen',
    )]
    assert check(_mutated(IAC, *nulls)) == []
    assert check(_mutated(IAC, *[(path, DELETE) for path, _ in nulls])) == []


def test_extra_keeps_anything_but_unstorable_characters():
    raw = json.dumps({**GC, 'extra': {'a': 1}}).replace('{"a": 1}', '{"a": 1, "a": [true, null, 2.5, "\\u0007"]}')
    assert load(raw)['extra'] == {'a': [True, None, 2.5, '\x07']}


def test_duplicate_keys_are_refused_with_their_path():
    raw = json.dumps(GC).replace('"klas": "3B"', '"klas": "3B", "klas": "3C"')
    with pytest.raises(CaseFormatError) as caught:
        parse_json(raw)
    assert [p.path for p in caught.value.problems] == ['leerling.klas']
    assert 'meer dan één keer' in caught.value.problems[0].message


def test_load_reports_duplicates_and_format_problems_together():
    raw = json.dumps(_mutated(GC, ('verslag.type', 'basisaanbod')))
    raw = raw.replace('"klas": "3B"', '"klas": "3B", "klas": "3C"')
    with pytest.raises(CaseFormatError) as caught:
        load(raw)
    assert [p.path for p in caught.value.problems] == ['leerling.klas', 'verslag.type']


def test_load_keeps_key_order():
    raw = (DATA / 'case-ayla-gc-lager.json').read_bytes()
    assert list(load(raw)) == list(GC) and list(load(raw)['leerling']) == list(GC['leerling'])


@pytest.mark.parametrize('raw, word', [
    ('{"formaat": }', 'regel 1, kolom 13'),
    ('{\n  "a": 1,\n}', 'regel 3'),
    (b'{"a": "\xff"}', 'UTF-8'),
    ('', 'leeg'),
    ('{"a": NaN}', 'getal'),
    ('[' * 100_000 + ']' * 100_000, 'genest'),
])
def test_invalid_json_text_is_refused(raw, word):
    with pytest.raises(CaseFormatError) as caught:
        load(raw)
    [problem] = caught.value.problems
    assert problem.path == '' and word in problem.message


def test_byte_order_mark_is_accepted():
    assert load(b'\xef\xbb\xbf' + json.dumps(GC).encode())['leerling'] == GC['leerling']


@pytest.mark.parametrize('doc', [[], [GC], 0, None, 'traject-case/1', True, {}, {'formaat': None}, {'formaat': ['x']}])
def test_root_that_is_not_a_known_document_gives_one_problem(doc):
    [problem] = check(doc)
    assert problem.path in ('', 'formaat')


def test_root_list_is_refused():
    assert check([GC]) == [Problem('', 'verwacht een object met velden')]


@pytest.mark.parametrize('doc', [GC, SAMENWERKING], ids=['case', 'samenwerking'])
def test_check_never_raises_on_wrong_types(doc):
    for path in _all_paths(doc):
        for wrong in (None, 7, [None], {'x': '\x00'}):
            assert isinstance(check(_mutated(doc, (path, wrong))), list)


def test_check_survives_deep_nesting():
    deep: list = []
    for _ in range(50_000):
        deep = [deep]
    # No recursion error, and one clear problem: `extra` may nest at most 20 levels (issue 12).
    problems = check({**GC, 'extra': {'x': deep}})
    assert len(problems) == 1 and problems[0].path.startswith('extra.x[0]') and 'te diep' in problems[0].message
    assert check({**GC, 'extra': {'x': [[[]]]}}) == []
    assert check({**GC, 'leerling': deep})


def test_problem_and_error_render_one_line_each():
    error = CaseFormatError([Problem('', 'het bestand is leeg'), Problem('leerling.voornaam', 'ontbreekt')])
    assert str(error) == '(bestand): het bestand is leeg\nleerling.voornaam: ontbreekt'
    assert isinstance(error, ValueError)


@pytest.mark.parametrize('name', LABELS)
def test_every_enumeration_has_one_label_per_value(name):
    assert tuple(LABELS[name]) == getattr(enums, name)
    assert all(str(text) for text in LABELS[name].values())


def test_labels():
    assert label('VERSLAG_TYPES', '7-stos') == 'type 7 (spraak- of taalstoornis)'
    assert label('OPLEIDINGSVORMEN', 'ov1') == ('opleidingsvorm 1 (voorbereiding op een leven in een omgeving waar in '
                                                'ondersteuning voorzien is)')
    assert label('OPLEIDINGSVORMEN', 'ov2') == ('opleidingsvorm 2 (voorbereiding op een leven en werk in een omgeving '
                                                'waar in ondersteuning voorzien is)')
    assert label('OPLEIDINGSVORMEN', 'ov4') == 'opleidingsvorm 4 (gemeenschappelijk curriculum met aanpassingen)'
    assert label('ZORG_FASEN', 'verhoogde-zorg') == 'Verhoogde zorg (fase 1)'
    assert label('AFWEGING_CRITERIA', 'organisatie') == 'Impact op school- en klasorganisatie'
    assert label('OORDELEN', None) == ''
    assert [value for value, _text in choices('STANDPUNTEN')] == list(enums.STANDPUNTEN)


# Additions of December 2026: the combinations the regulations do not allow, and the warnings.

IAC_LAGER = _mutated(IAC, ('leerling.onderwijsniveau', 'lager'), ('leerling.leerjaar', '5de leerjaar'),
                     ('leerling.studierichting', DELETE), ('verslag.opleidingsvorm', DELETE),
                     ('iac_plan.studiebekrachtiging', 'getuigschrift-basisonderwijs-klassenraad'))


@pytest.mark.parametrize('doc, changes, path, word', [
    (IAC, [('verslag.opleidingsvorm', 'ov3')], 'verslag.opleidingsvorm', 'type 2'),
    (IAC, [('verslag.opleidingsvorm', 'ov4'), ('verslag.soort', 'ov4'), ('iac_plan', DELETE)],
     'verslag.opleidingsvorm', 'type 2'),
    (IAC, [('verslag.type', 'basisaanbod'), ('verslag.opleidingsvorm', 'ov1')], 'verslag.opleidingsvorm', 'basisaanbod'),
    (IAC, [('verslag.type', 'basisaanbod')], 'verslag.opleidingsvorm', 'ov2'),
    (IAC_LAGER, [('verslag.type', 'basisaanbod'), ('leerling.onderwijsniveau', 'kleuter')], 'verslag.type',
     'kleuteronderwijs'),
    (GC, [('school.soort', 'buitengewoon')], 'verslag.soort', 'gewoon'),
    (GC, [('verslag.vorig_verslag', {'soort': 'gc', 'type': '9', 'datum': '2026-01-27', 'reden': 'omzetting'})],
     'verslag.vorig_verslag.datum', 'vóór'),
    (GC, [('verslag.vorig_verslag', {'soort': 'gc', 'type': '9', 'datum': '2025-01-27', 'reden': 'verhuis'})],
     'verslag.vorig_verslag.reden', 'toegelaten'),
    (GC, [('leerling.geslacht', 'v')], 'leerling.geslacht', 'toegelaten'),
    (GC, [('verslag.status', 'vervallen')], 'verslag.status', 'toegelaten'),
    (GC, [('verslag.ondertekenaar', {'naam': 'An'})], 'verslag.ondertekenaar.functie', 'ontbreekt'),
    (GC, [('leersteun.periode', {'van': '2026-02-30', 'tot': '2026-06-30'})], 'leersteun.periode.van', 'datum'),
])
def test_impossible_combinations_are_refused(doc, changes, path, word):
    problems = check(_mutated(doc, *changes))
    assert path in [p.path for p in problems], problems
    assert any(word in p.message for p in problems if p.path == path), problems


@pytest.mark.parametrize('vorm, allowed', [
    ('ov1', ('2', '3', '4', '6', '7-auditief', '7-stos', '9')),
    ('ov2', ('2', '3', '4', '6', '7-auditief', '7-stos', '9')),
    ('ov3', ('basisaanbod', '3', '4', '6', '7-auditief', '7-stos', '9')),
])
def test_type_per_opleidingsvorm_follows_the_table(vorm, allowed):
    for soort_type in enums.VERSLAG_TYPES:
        problems = check(_mutated(IAC, ('verslag.opleidingsvorm', vorm), ('verslag.type', soort_type)))
        assert ('verslag.opleidingsvorm' in [p.path for p in problems]) == (soort_type not in allowed), soort_type


def test_new_keys_are_accepted():
    doc = _mutated(IAC, ('leerling.adres', 'Kerkstraat 1, 2000 Antwerpen'), ('leerling.geslacht', 'jongen'),
                   ('verslag.ingangsdatum', '2026-03-01'), ('verslag.status', 'opgeheven'),
                   ('verslag.vorig_verslag', {'soort': 'gc', 'type': '2', 'opleidingsvorm': None,
                                              'datum': '2024-05-01', 'reden': 'omzetting'}),
                   ('verslag.ondertekenaar', {'naam': 'Dirk Maes', 'functie': 'CLB-directeur'}),
                   ('verslag.hgd_samenvatting', 'Intake in oktober, onderzoek in november.'),
                   ('overleg[0].standpunt_ouders_toelichting', 'We willen dat Jonas bij zijn vrienden blijft.'),
                   ('traject.diagnosen[0].uitleg_voor_ouders', 'Jonas leert trager dan leeftijdsgenoten.'),
                   ('iac_plan.gc_domeinen', ['lichamelijke opvoeding']),
                   ('leersteun.periode', {'van': '2026-03-01', 'tot': '2026-06-30'}),
                   ('leersteun.stopcriteria', 'Afbouwen wanneer Jonas zelfstandig kookt.'),
                   ('leersteun.ondertekening', [{'naam': 'An', 'functie': 'directeur', 'organisatie': 'school'}]))
    assert check(doc) == []
    sw = _mutated(SAMENWERKING, ('schoolbestuur', 'vzw Scholengroep'), ('pbd', {'naam': 'PBD Voorbeeld'}),
                  ('vestigingen', [{'naam': 'Speelberg Noord', 'instellingsnummer': '000002', 'adres': 'Noordlaan 1'}]))
    assert check(sw) == []


def test_regulation_problems_name_only_the_new_rules():
    stored = _mutated(IAC, ('verslag.opleidingsvorm', 'ov3'), ('verslag.advies', ''))
    assert [p.path for p in regulation_problems(stored)] == ['verslag.opleidingsvorm']
    assert regulation_problems(IAC) == []
    assert regulation_problems({'formaat': 'traject-case/1', 'verslag': 'x'}) == []


@pytest.mark.parametrize('changes, path, word', [
    ([('traject.diagnosen', [])], 'traject.diagnosen', 'type 2'),
    ([('traject.diagnosen[0].delen_met_school', False)], 'traject.diagnosen', 'gedeeld'),
    ([('overleg[0].standpunt_ouders', DELETE)], 'overleg[0].standpunt_ouders', 'standpunt'),
    ([('overleg[0].deelnemers', ['Jonas Verbeke (leerling)', 'Sofie Lambert (CLB)'])], 'overleg[0].deelnemers',
     'ouders'),
    ([], 'verslag.hgd_samenvatting', 'samenvatting'),
    ([('iac_plan.doelen[0].bron', 'eindterm'), ('iac_plan.doelen[0].domein', 'Wiskunde - geld')], 'iac_plan.doelen',
     'mengt'),
])
def test_warnings_are_given_for_valid_cases(changes, path, word):
    doc = _mutated(IAC, *changes)
    assert check(doc) == []
    found = warnings(doc)
    assert any(w.path == path and word in w.message for w in found), found


def test_secondary_certificate_in_lager_is_a_warning_not_a_problem():
    doc = _mutated(IAC_LAGER, ('iac_plan.studiebekrachtiging', 'attest-verworven-bekwaamheden'))
    assert check(doc) == []
    assert 'iac_plan.studiebekrachtiging' in [w.path for w in warnings(doc)]
    assert 'iac_plan.studiebekrachtiging' not in [w.path for w in warnings(IAC_LAGER)]


def test_a_complete_case_has_no_warnings():
    doc = _mutated(IAC, ('verslag.hgd_samenvatting', 'Intake, strategie en onderzoek tussen oktober en januari.'))
    assert warnings(doc) == []
    assert warnings(GC) == []
    assert warnings([1]) == []
    assert isinstance(warnings({'formaat': 'traject-case/1', 'verslag': {'type': '2'}, 'traject': 3}), list)
