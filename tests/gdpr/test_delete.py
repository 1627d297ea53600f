"""Deleting a case: it disappears at once from every list, page, download and command, and leaves a bare audit row."""
import copy
import io
import json

from sqlalchemy import func, select

from tests.gdpr.conftest import login
from webapp import create_app
from webapp.models import AuditEvent, Case, Draft, ParentLink
from webapp.services import erasure


def delete(client, case_id: int):
    """Delete a case through its confirmation page."""
    return client.post(f'/cases/{case_id}/verwijderen', data={'bevestig': 'y'})


def test_delete_asks_for_confirmation_first(clb, session, stored):
    page = clb.get(f'/cases/{stored.id}/verwijderen')
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'Het dossier verdwijnt meteen' in text and 'definitief gewist' in text
    refused = clb.post(f'/cases/{stored.id}/verwijderen', data={})
    assert refused.status_code == 400
    assert 'Vink het vakje aan om het verwijderen te bevestigen.' in refused.get_data(as_text=True)
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    assert session.get(Case, stored.id).deleted_at is None
    assert clb.get(f'/cases/{stored.id}').status_code == 200


def test_a_deleted_case_is_gone_from_every_page(clb, session, stored, dummy_case):
    name = dummy_case['leerling']['achternaam']
    assert name in clb.get('/').get_data(as_text=True)
    assert f'href="/cases/{stored.id}"' in clb.get(f'/?q={name}').get_data(as_text=True)
    session.add(ParentLink(case_id=stored.id, ouder=1, token_hash='a' * 64, created_by='test',
                           expires_at=erasure.utcnow() + erasure.ERASE_AFTER))
    session.commit()
    response = delete(clb, stored.id)
    assert response.status_code == 302 and response.headers['Location'] == '/'
    listing = clb.get('/').get_data(as_text=True)
    assert 'Het dossier is verwijderd. Het wordt na 30 dagen definitief gewist.' in listing
    assert name not in listing
    assert f'href="/cases/{stored.id}"' not in clb.get(f'/?q={name}').get_data(as_text=True)
    for url in (f'/cases/{stored.id}', f'/cases/{stored.id}/export.json', f'/cases/{stored.id}/documents/verslag.pdf',
                f'/cases/{stored.id}/gegevens.zip', f'/cases/{stored.id}/verwijderen', f'/cases/{stored.id}/steps',
                f'/cases/{stored.id}/steps/intake', f'/cases/{stored.id}/preview/verslag'):
        assert clb.get(url).status_code == 404, url
    # Saving a step of it stores nothing, and no draft either.
    clb.post(f'/cases/{stored.id}/steps/intake', data={'voorgeschiedenis': 'ZZ-niet-bewaard'})
    assert clb.post(f'/cases/{stored.id}/toegang').status_code == 404
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    case = session.get(Case, stored.id)
    assert case.deleted_at is not None and 'ZZ-niet-bewaard' not in json.dumps(case.data)
    assert session.scalar(select(func.count()).select_from(Draft)) == 0
    # The parents' link ends with it, and the audit row says what happened without content.
    assert session.scalar(select(ParentLink)).revoked_at is not None
    row = session.scalar(select(AuditEvent).where(AuditEvent.action == 'delete'))
    assert (row.case_id, row.actor, row.detail) == (stored.id, 'medewerker', None)


def test_a_deleted_case_is_gone_from_the_command_line(runner, session, stored, dummy_case, tmp_path):
    erasure.delete_case(session, session.get(Case, stored.id), actor='test')
    session.commit()
    listed = runner.invoke(args=['list'])
    assert listed.exit_code == 0 and dummy_case['leerling']['achternaam'] not in listed.output
    for args in (['export', str(stored.id)], ['export', dummy_case['id']],
                 ['render', str(stored.id), '--document', 'verslag', '--format', 'pdf', '-o', str(tmp_path / 'v.pdf')],
                 ['gdpr', 'export', str(stored.id), '-o', str(tmp_path / 'g.zip')], ['delete', str(stored.id), '--yes']):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, args
        assert 'Geen dossier gevonden' in result.output, args
    assert not (tmp_path / 'v.pdf').exists() and not (tmp_path / 'g.zip').exists()
    checked = runner.invoke(args=['check'])
    assert dummy_case['leerling']['achternaam'] not in checked.output


def test_the_command_line_deletes_after_confirmation(runner, session, stored):
    kept = runner.invoke(args=['delete', str(stored.id)], input='n\n')
    assert kept.exit_code == 1
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    assert session.get(Case, stored.id).deleted_at is None
    done = runner.invoke(args=['delete', str(stored.id)], input='y\n')
    assert done.exit_code == 0, done.output
    assert f'Dossier {stored.id} is verwijderd; het wordt na 30 dagen definitief gewist.' in done.output
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    assert session.get(Case, stored.id).deleted_at is not None
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == 'delete')).actor == 'cli'


def test_bulk_leaves_a_deleted_case_out(session, stored, app):
    from webapp.access import operator_cases
    from webapp.jobs import bulk
    clb = stored.clb
    year = bulk.case_school_year(stored)
    before = bulk.plan(session, operator_cases(), clb, year)
    assert stored.id in before['case_ids']
    erasure.delete_case(session, stored, actor='test')
    session.commit()
    # Planned before the delete, run after it: none of its documents is made.
    assert bulk.count_entries(session, before) == len(before['samenwerking_ids'])
    assert stored.id not in bulk.plan(session, operator_cases(), clb, year)['case_ids']


def test_importing_the_file_of_a_deleted_case_makes_a_new_case(clb, session, stored, dummy_case):
    delete(clb, stored.id)
    body = {'file': (io.BytesIO(json.dumps(dummy_case).encode()), 'dossier.json')}
    response = clb.post('/import', data=body, content_type='multipart/form-data')
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    new_id = int(response.headers['Location'].rsplit('/', 1)[1])
    assert new_id != stored.id
    assert clb.get(f'/cases/{new_id}').status_code == 200
    assert clb.get(f'/cases/{stored.id}').status_code == 404
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    assert session.get(Case, stored.id).deleted_at is not None


def test_the_demo_loads_again_after_a_demo_case_was_deleted(runner, session):
    first = runner.invoke(args=['demo'])
    assert first.exit_code == 0, first.output
    case_id = int(first.output.splitlines()[0].split()[0])
    erasure.delete_case(session, session.get(Case, case_id), actor='test')
    session.commit()
    again = runner.invoke(args=['demo'])
    assert again.exit_code == 0, again.output
    assert int(again.output.splitlines()[0].split()[0]) != case_id
    assert str(case_id) not in runner.invoke(args=['list']).output.split()


def test_another_organisation_and_a_school_cannot_delete(client, create_user, session, stored):
    from webapp.services.cases import get_organisation
    other = get_organisation(session, 'clb', {'naam': 'CLB Elders', 'instellingsnummer': '909090'})
    session.commit()
    create_user('ander', role='clb-medewerker', organisation=other.instellingsnummer or other.naam)
    create_user('zoco', role='zorgcoordinator')
    login(client, 'ander')
    assert client.get(f'/cases/{stored.id}/verwijderen').status_code == 404
    assert delete(client, stored.id).status_code == 404
    assert client.get(f'/cases/{stored.id}/gegevens.zip').status_code == 404
    client.post('/logout')
    login(client, 'zoco')
    assert delete(client, stored.id).status_code == 403
    assert client.get(f'/cases/{stored.id}/verwijderen').status_code == 403
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    assert session.get(Case, stored.id).deleted_at is None


def test_delete_needs_the_csrf_token(database_url, session, stored, create_user, tmp_path):
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'test', 'TRAJECT_MFA': 'optional'})
    app.instance_path = str(tmp_path / 'instance')
    create_user('medewerker', role='clb-medewerker')
    client = app.test_client()
    page = client.get('/login').get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    from tests.conftest import PASSWORD
    assert client.post('/login', data={'username': 'medewerker', 'password': PASSWORD,
                                       'csrf_token': token}).status_code == 302
    assert delete(client, stored.id).status_code == 400
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    assert session.get(Case, stored.id).deleted_at is None
    form = client.get(f'/cases/{stored.id}/verwijderen').get_data(as_text=True)
    token = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f'/cases/{stored.id}/verwijderen', data={'bevestig': 'y', 'csrf_token': token}
                       ).status_code == 302
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    assert session.get(Case, stored.id).deleted_at is not None


def test_the_audit_trail_keeps_no_name_of_the_pupil_or_the_parents(app, clb, session, stored, dummy_case):
    from datetime import timedelta

    from webapp.services import maintenance
    case_id = stored.id
    clb.get(f'/cases/{case_id}')
    clb.get(f'/cases/{case_id}/export.json')
    clb.get(f'/cases/{case_id}/gegevens.zip')
    clb.post(f'/cases/{case_id}/steps/intake', data={'voorgeschiedenis': 'Een zin.'})
    delete(clb, case_id)
    maintenance.run(app.extensions['traject_db'], now=erasure.utcnow() + timedelta(days=31))
    session.rollback()
    session.expire_all()
    assert session.get(Case, case_id) is None
    trail = json.dumps([[e.actor, e.action, e.kind, e.audience, e.detail] for e in session.scalars(select(AuditEvent))],
                       ensure_ascii=False)
    assert {'view', 'export', 'gdpr-export', 'delete', 'erase'} <= {e.action for e in session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case_id))}
    names = [dummy_case['leerling']['voornaam'], dummy_case['leerling']['achternaam'],
             *[ouder['naam'] for ouder in dummy_case['ouders']]]
    assert not [name for name in names if name in trail]
