"""Erased for good: 30 days after a delete (maintenance) and past the retention period (traject gdpr retention)."""
import copy
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from tests.gdpr.conftest import add_everything, add_version, rows_of
from webapp.models import AuditEvent, Case, ParentReply, RenderedDocument, VersionDocument
from webapp.services import erasure, maintenance


def run(app, now):
    return maintenance.run(app.extensions['traject_db'], now=now)


def test_a_deleted_case_is_erased_for_good_after_30_days(app, session, stored, create_user):
    user = create_user('medewerker', role='clb-medewerker')
    add_everything(session, stored, user_id=user.id)
    case_id = stored.id
    before = rows_of(session, case_id)
    assert all(before[table] for table in ('cases', 'versions', 'version_documents', 'parent_links', 'parent_replies',
                                           'drafts', 'wizard_progress', 'case_dates', 'rendered_documents')), before
    deleted = datetime(2026, 12, 6, 10, 0, tzinfo=timezone.utc)
    erasure.delete_case(session, session.get(Case, case_id), actor='medewerker', now=deleted)
    session.commit()

    assert run(app, deleted + timedelta(days=29, hours=23))['deleted_cases'] == 0
    session.rollback()
    session.expire_all()
    # Still there, only hidden; its draft (older than 14 days by then) and its cached renders went their own way.
    kept = rows_of(session, case_id)
    assert (kept.pop('drafts'), kept.pop('rendered_documents')) == (0, 0)
    assert kept == {table: n for table, n in before.items() if table not in ('drafts', 'rendered_documents')}

    assert run(app, deleted + timedelta(days=30, minutes=1))['deleted_cases'] == 1
    session.rollback()
    session.expire_all()
    assert set(rows_of(session, case_id).values()) == {0}
    assert session.scalar(select(func.count()).select_from(VersionDocument)) == 0
    # The trail stays: 'delete' and 'erase', with the number only.
    rows = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id,
                                                    AuditEvent.action.in_(('delete', 'erase')))).all()
    assert [(r.action, r.actor, r.detail) for r in rows] == [('delete', 'medewerker', None),
                                                            ('erase', 'maintenance', {'reason': 'deleted'})]
    # Idempotent: a second run finds nothing more.
    assert run(app, deleted + timedelta(days=31))['deleted_cases'] == 0


def test_no_table_that_points_at_a_case_is_forgotten():
    # A table added later with a case_id would survive an erase unless erase_case knows it.
    from webapp.db import Base
    pointing = {table.name for table in Base.metadata.sorted_tables
                if any(fk.column.table.name == 'cases' for fk in table.foreign_keys)}
    assert pointing == {'case_dates', 'case_grants', 'drafts', 'wizard_progress', 'parent_links', 'parent_replies',
                        'versions'}


# The retention rule (DOMAIN.md §6.5)

def case_of(born: str | None, *, school: str = 'gewoon', verslag: str | None = None) -> Case:
    doc = {'leerling': {'voornaam': 'A', 'achternaam': 'B', **({'geboortedatum': born} if born else {})},
           'school': {'naam': 'S', 'soort': school}}
    if verslag:
        doc['verslag'] = {'soort': verslag}
    return Case(id=1, data=doc)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + 'T12:00:00+00:00')


@pytest.mark.parametrize('born, school, verslag, activity, erase_from, reason', [
    # An adult long ago: 10 years after the last activity decides.
    ('2000-01-01', 'gewoon', None, '2020-06-01', '2030-06-01', 'activity'),
    # A young pupil: not before the 25th birthday.
    ('2010-03-15', 'gewoon', None, '2012-09-01', '2035-03-15', 'age'),
    # Buitengewoon onderwijs as the last school: not before 30.
    ('2010-03-15', 'buitengewoon', None, '2012-09-01', '2040-03-15', 'age'),
    # An OV4 verslag leads to a school for buitengewoon secundair onderwijs: 30 too.
    ('2010-03-15', 'gewoon', 'ov4', '2012-09-01', '2040-03-15', 'age'),
    # An IAC verslag in a gewone school: 25.
    ('2010-03-15', 'gewoon', 'iac', '2012-09-01', '2035-03-15', 'age'),
    # Born on 29 February: the birthday in a year without it is 1 March.
    ('2008-02-29', 'gewoon', None, '2010-01-01', '2033-03-01', 'age'),
    # Both the same day.
    ('2000-05-05', 'gewoon', None, '2015-05-05', '2025-05-05', 'activity'),
])
def test_the_later_of_ten_years_and_the_minimum_age(born, school, verslag, activity, erase_from, reason):
    item = erasure.retention(case_of(born, school=school, verslag=verslag), at(activity))
    assert item.erase_from == date.fromisoformat(erase_from)
    assert item.reason == reason
    day = date.fromisoformat(erase_from)
    assert item.due(day) and not item.due(day - timedelta(days=1))


def test_without_a_birth_date_a_case_is_never_due():
    item = erasure.retention(case_of(None), at('1990-01-01'))
    assert item.erase_from is None and not item.due(date(2100, 1, 1))


def test_the_last_activity_is_counted_in_brussels_time():
    # 23:30 UTC on 31 December is already 1 January in Brussels.
    item = erasure.retention(case_of('1990-01-01'), datetime(2015, 12, 31, 23, 30, tzinfo=timezone.utc))
    assert item.last_activity == date(2016, 1, 1) and item.erase_from == date(2026, 1, 1)


@pytest.fixture
def old_case(session, dummy_case):
    """Return a stored case whose pupil is adult and whose last change was on 1 June 2014."""
    from webapp.services.cases import import_document
    doc = copy.deepcopy(dummy_case)
    doc['leerling']['geboortedatum'] = '1995-04-01'
    doc['school']['soort'] = 'gewoon'
    case = import_document(session, doc)
    session.flush()
    session.execute(update(Case).where(Case.id == case.id).values(updated_at=at('2014-06-01'),
                                                                  created_at=at('2014-06-01')))
    # A render in the shared cache holds the pupil's data as much as the case row does.
    session.add(RenderedDocument(key='e' * 64, item=f'case-{case.id}/verslag.pdf/nl/concept', data=b'%PDF'))
    session.commit()
    return case


def test_retention_counts_versions_and_replies_as_activity(session, old_case):
    assert [item.case.id for item in erasure.retention_due(session, now=at('2024-06-01'))] == [old_case.id]
    assert erasure.retention_due(session, now=at('2024-05-31')) == []
    session.add(ParentReply(case_id=old_case.id, ouder=1, kind='akkoord', created_at=at('2016-02-01')))
    session.commit()
    assert erasure.retention_due(session, now=at('2026-01-31')) == []
    add_version(session, session.get(Case, old_case.id), when=at('2017-03-01'))
    assert erasure.retention_due(session, now=at('2027-02-28')) == []
    assert [item.case.id for item in erasure.retention_due(session, now=at('2027-03-01'))] == [old_case.id]


def test_the_retention_command_lists_refuses_without_confirm_and_purges(runner, session, old_case, dummy_case):
    case_id = old_case.id
    listed = runner.invoke(args=['gdpr', 'retention'])
    assert listed.exit_code == 0, listed.output
    assert '1 dossier(s) voorbij de bewaartermijn:' in listed.output
    name = f"{dummy_case['leerling']['voornaam']} {dummy_case['leerling']['achternaam']}"
    assert (f'dossier {case_id} ({name}): laatste activiteit 1 juni 2014, geboren 1 april 1995, mag gewist worden '
            f'sinds 1 juni 2024 (10 jaar na de laatste activiteit)') in listed.output

    refused = runner.invoke(args=['gdpr', 'retention', '--purge'])
    assert refused.exit_code == 1
    assert 'Niets gewist. Met --purge --confirm worden deze 1 dossier(s) definitief gewist' in refused.output
    session.rollback()
    session.expire_all()
    assert session.get(Case, case_id) is not None

    purged = runner.invoke(args=['gdpr', 'retention', '--purge', '--confirm'])
    assert purged.exit_code == 0, purged.output
    assert '1 dossier(s) definitief gewist.' in purged.output
    session.rollback()
    session.expire_all()
    assert set(rows_of(session, case_id).values()) == {0}
    erase = session.scalar(select(AuditEvent).where(AuditEvent.action == 'erase'))
    assert (erase.case_id, erase.actor, erase.detail) == (case_id, 'cli', {'reason': 'retention'})
    assert runner.invoke(args=['gdpr', 'retention']).output.strip() == 'Geen dossiers voorbij de bewaartermijn.'


def test_a_young_pupil_is_kept_past_ten_years(runner, session, old_case):
    case = session.get(Case, old_case.id)
    case.data = {**case.data, 'leerling': {**case.data['leerling'], 'geboortedatum': '2005-04-01'}}
    session.flush()
    session.execute(update(Case).where(Case.id == case.id).values(updated_at=at('2014-06-01')))
    session.commit()
    # Ten years after 1 June 2014 the pupil is 19: kept until the 25th birthday (1 April 2030).
    assert runner.invoke(args=['gdpr', 'retention']).output.strip() == 'Geen dossiers voorbij de bewaartermijn.'
    assert [i.case.id for i in erasure.retention_due(session, now=at('2030-04-01'))] == [old_case.id]
    assert erasure.retention_due(session, now=at('2030-03-31')) == []


def test_the_retention_command_names_the_cases_it_cannot_count(runner, session, old_case):
    case = session.get(Case, old_case.id)
    case.data = {**case.data, 'leerling': {k: v for k, v in case.data['leerling'].items() if k != 'geboortedatum'}}
    session.commit()
    result = runner.invoke(args=['gdpr', 'retention', '--purge', '--confirm'])
    assert result.exit_code == 0, result.output
    assert f'Zonder geldige geboortedatum, dus nooit vanzelf gewist: dossier(s) {old_case.id}.' in result.output
    assert 'Geen dossiers voorbij de bewaartermijn.' in result.output
    session.rollback()
    session.expire_all()
    assert session.get(Case, old_case.id) is not None


def test_erasing_a_case_removes_its_files_from_a_bulk_zip_not_yet_cleaned_up(session, stored):
    from webapp.models import Job, JobFile
    case_id = stored.id
    job = Job(kind='bulk', status='done', actor='t', params={'case_ids': [case_id, case_id + 10]})
    session.add(job)
    session.flush()
    session.add_all([JobFile(job_id=job.id, name=f'peeters-noor-{case_id}/verslag.pdf', data=b'%PDF'),
                     JobFile(job_id=job.id, name=f'janssens-an-{case_id + 10}/verslag.pdf', data=b'%PDF')])
    session.commit()
    erasure.erase_case(session, stored, actor='test', reason='deleted')
    session.commit()
    assert session.scalars(select(JobFile.name)).all() == [f'janssens-an-{case_id + 10}/verslag.pdf']
