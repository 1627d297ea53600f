"""The case record: import -> export gives back the same JSON; duplicates and invalid files store nothing."""
import copy
import json

import pytest
from sqlalchemy import func, select

from tests.helpers import example_files, load_example
from webapp.caseformat import CaseFormatError, check
from webapp.models import AuditEvent, Case, CaseDate, Organisation, Samenwerking
from webapp.services.cases import DuplicateError, export_document, import_document


EXAMPLES = example_files()


def _counts(session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Case, Samenwerking, Organisation,
                                                                              CaseDate))


@pytest.mark.parametrize('path', EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_is_valid(path):
    assert check(load_example(path)) == []


@pytest.mark.parametrize('path', EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_import_then_export_gives_back_the_same_json(session, path):
    original = path.read_text(encoding='utf-8')
    item = import_document(session, json.loads(original))
    session.commit()
    session.expunge_all()  # read back from the database, not from the identity map
    stored = session.get(type(item), item.id)
    exported = export_document(stored)
    assert json.dumps(exported, ensure_ascii=False) == json.dumps(json.loads(original), ensure_ascii=False)


def test_projection_columns_follow_the_document(session):
    doc = next(load_example(p) for p in EXAMPLES if (load_example(p).get('iac_plan')))
    case = import_document(session, doc)
    session.commit()
    assert case.leerling_voornaam == doc['leerling']['voornaam']
    assert case.school.naam == doc['school']['naam']
    assert case.clb.naam == doc['clb']['naam']
    assert case.verslag_soort == 'iac'
    assert case.verslag_type == doc['verslag']['type']
    assert case.phase == 'handelen'
    assert sorted(d.datum.isoformat() for d in case.dates if d.kind == 'iac-evaluatie') == \
        sorted(doc['iac_plan']['evaluatiemomenten'])


def test_second_import_is_refused_and_replace_overwrites(session):
    doc = load_example(next(p for p in EXAMPLES if load_example(p)['formaat'] == 'traject-case/1'))
    first = import_document(session, doc)
    session.commit()
    with pytest.raises(DuplicateError) as excinfo:
        import_document(session, copy.deepcopy(doc))
    assert excinfo.value.existing.id == first.id
    session.rollback()
    changed = copy.deepcopy(doc)
    changed['leerling']['leerjaar'] = 'een ander leerjaar'
    again = import_document(session, changed, replace=True)
    session.commit()
    assert again.id == first.id
    assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert session.get(Case, first.id).data['leerling']['leerjaar'] == 'een ander leerjaar'


def test_same_school_is_one_organisation(session):
    cases = [load_example(p) for p in EXAMPLES]
    for doc in cases:
        import_document(session, doc)
    session.commit()
    names = [o.naam for o in session.scalars(select(Organisation).where(Organisation.kind == 'school'))]
    assert len(names) == len(set(names))


def test_invalid_document_stores_nothing(session):
    doc = load_example(EXAMPLES[0])
    doc['leerling']['geboortedatum'] = '2026-02-30'
    before = _counts(session)
    with pytest.raises(CaseFormatError) as excinfo:
        import_document(session, doc)
    session.rollback()
    assert [p.path for p in excinfo.value.problems] == ['leerling.geboortedatum']
    assert _counts(session) == before
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_import_is_audited_without_names(session):
    doc = load_example(EXAMPLES[0])
    item = import_document(session, doc)
    session.commit()
    event = session.scalar(select(AuditEvent))
    assert event.action == 'import'
    assert event.actor == 'cli'
    assert (event.case_id or event.samenwerking_id) == item.id
    assert 'Case' in repr(item) or 'Samenwerking' in repr(item)
    assert doc.get('leerling', {}).get('voornaam', '@@') not in repr(item)


def _gc_case() -> dict:
    return copy.deepcopy(next(d for d in (load_example(p) for p in EXAMPLES)
                              if (d.get('verslag') or {}).get('soort') == 'gc'))


def _lager_case() -> dict:
    return copy.deepcopy(next(d for d in (load_example(p) for p in EXAMPLES)
                              if d.get('leerling', {}).get('onderwijsniveau') == 'lager' and d.get('verslag')))


def _set(doc: dict, path: tuple, value) -> dict:
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


INVALID_VARIANTS = {
    'formaat': (lambda: _set(_gc_case(), ('formaat',), 'traject-case/2'), 'formaat'),
    'unknown key': (lambda: _set(_gc_case(), ('leerling', 'bijnaam'), 'x'), 'leerling.bijnaam'),
    'bad enum': (lambda: _set(_gc_case(), ('traject', 'behoeften', 0, 'soort'), 'leerbehoefte'),
                 'traject.behoeften[0].soort'),
    'impossible date': (lambda: _set(_gc_case(), ('traject', 'aanmeldingsdatum'), '2026-02-30'),
                        'traject.aanmeldingsdatum'),
    'basisaanbod with gc': (lambda: _set(_gc_case(), ('verslag', 'type'), 'basisaanbod'), 'verslag.type'),
    'opleidingsvorm in lager': (lambda: _set(_lager_case(), ('verslag', 'opleidingsvorm'), 'ov3'),
                                'verslag.opleidingsvorm'),
    'iac plan without iac': (lambda: _set(_gc_case(), ('iac_plan',), copy.deepcopy(next(
        d for d in (load_example(p) for p in EXAMPLES) if d.get('iac_plan'))['iac_plan'])), 'iac_plan'),
    '20 000 characters': (lambda: _set(_gc_case(), ('traject', 'aanleiding'), 'a' * 20000), 'traject.aanleiding'),
    'NUL character': (lambda: _set(_gc_case(), ('leerling', 'klas'), '4\x00B'), 'leerling.klas'),
}


@pytest.mark.parametrize('name', INVALID_VARIANTS)
def test_invalid_variant_is_refused_with_its_path_and_nothing_stored(session, name):
    make, path = INVALID_VARIANTS[name]
    import_document(session, load_example(EXAMPLES[0]))  # something already stored must stay as it is
    session.commit()
    before = _counts(session)
    with pytest.raises(CaseFormatError) as excinfo:
        import_document(session, make())
    session.rollback()
    assert path in [p.path for p in excinfo.value.problems], excinfo.value.problems
    assert _counts(session) == before
