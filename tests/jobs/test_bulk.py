"""Bulk ZIPs from the web page and the command line; documents rendered before they are asked for; fresh downloads."""
import io
import subprocess
import zipfile

import pytest
from sqlalchemy import select

from tests.jobs.conftest import CLB, login
from webapp.documents import kinds_for
from webapp.jobs import bulk
from webapp.jobs.queue import get_queue
from webapp import db
from webapp.models import Case, Job, JobFile, Organisation, RenderedDocument, User
from webapp.services.cases import save_step


def pdf_text(data: bytes, tmp_path) -> str:
    """Return the PDF's text as pdftotext -raw reads it."""
    path = tmp_path / 'doc.pdf'
    path.write_bytes(data)
    return subprocess.run(['pdftotext', '-raw', str(path), '-'], capture_output=True, text=True, check=True).stdout


def expected_files(cases: dict, clb: int | None = None) -> set[str]:
    """Return the names the ZIP of the example cases (of CLB `clb`) of 2025-2026 must hold."""
    return {f'{c.leerling_achternaam}-{c.leerling_voornaam}-{c.id}'.lower() + f'/{kind}.pdf'
            for c in cases.values() if (clb is None or c.clb_id == clb) and bulk.case_school_year(c) == '2025-2026'
            for kind in kinds_for(c.data)}


def clb_id(session) -> int:
    return session.scalar(select(Organisation.id).where(Organisation.kind == 'clb', Organisation.naam == CLB))


def test_bulk_page_makes_a_zip_of_every_document_of_the_clb_for_a_school_year(app, clb_client, cases, session,
                                                                              tmp_path):
    page = clb_client.get('/bulk').get_data(as_text=True)
    assert CLB in page and '2025-2026' in page
    response = clb_client.post('/bulk', data={'organisatie': clb_id(session), 'schooljaar': '2025-2026'})
    assert response.status_code == 302
    job_url = response.headers['Location']
    running = clb_client.get(job_url).get_data(as_text=True)
    assert '<progress' in running and 'http-equiv="refresh"' in running  # the bar fills while the page refreshes
    assert get_queue(app).wait_idle(300)
    done = clb_client.get(job_url).get_data(as_text=True)
    total = len(expected_files(cases, clb_id(session)))
    assert f'Klaar: {total} documenten.' in done and 'http-equiv="refresh"' not in done
    assert f'value="{total}"' in done
    download = clb_client.get(job_url + '/download')
    assert download.status_code == 200 and download.mimetype == 'application/zip'
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    names = archive.namelist()
    assert len(names) == len(set(names)) and set(names) == expected_files(cases, clb_id(session))
    ayla = next(n for n in names if n.startswith('') and 'ayla' in n and n.endswith('/verslag.pdf'))
    assert 'Ayla' in pdf_text(archive.read(ayla), tmp_path)


def test_a_school_year_without_cases_gives_an_empty_zip_and_a_cancelled_job_renders_no_more(app, clb_client, cases,
                                                                                              session):
    response = clb_client.post('/bulk', data={'organisatie': clb_id(session), 'schooljaar': '2024-2025'})
    assert get_queue(app).wait_idle(60)
    assert 'Klaar: 0 documenten.' in clb_client.get(response.headers['Location']).get_data(as_text=True)
    session.rollback()
    clb = session.get(Organisation, clb_id(session))
    user = session.scalar(select(User).where(User.username == 'lotte'))
    job = bulk.create_job(session, bulk.plan(session, select(Case), clb, '2025-2026'), actor='lotte', user_id=user.id)
    session.commit()
    job_url = f'/bulk/{job.id}'
    assert 'Annuleren</button>' in clb_client.get(job_url).get_data(as_text=True)

    def cancel_after_the_first(done, total):
        # The user presses Annuleren while the first document is being stored.
        if done == 1:
            page = clb_client.post(job_url + '/cancel', follow_redirects=True).get_data(as_text=True)
            assert 'De bundel is geannuleerd.' in page and 'Annuleren</button>' not in page

    with app.app_context():
        bulk.run(db.session(), job.id, progress=cancel_after_the_first)
    session.rollback()
    session.expire_all()  # a rollback outside a transaction expires nothing
    assert session.get(Job, job.id).status == 'cancelled'
    assert len(session.scalars(select(JobFile.id).where(JobFile.job_id == job.id)).all()) == 1
    assert clb_client.get(job_url + '/download').status_code == 404


def test_a_bulk_job_is_only_for_whoever_started_it_and_only_for_an_organisation_they_see(app, clb_client, cases,
                                                                                          session, create_user, client):
    response = clb_client.post('/bulk', data={'organisatie': clb_id(session), 'schooljaar': '2025-2026'})
    job_url = response.headers['Location']
    assert get_queue(app).wait_idle(300)
    session.add(Organisation(kind='clb', naam='CLB Elders', match_key='naam:clb elders'))
    session.commit()
    create_user('ander', role='clb-medewerker', organisation='CLB Elders')
    other = app.test_client()
    login(other, 'ander')
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + '/download').status_code == 404
    assert 'Voorbeeldstad' not in other.get('/bulk').get_data(as_text=True)
    refused = other.post('/bulk', data={'organisatie': clb_id(session), 'schooljaar': '2025-2026'})
    assert refused.status_code == 422
    assert 'Kies een school of CLB en een schooljaar uit de lijst.' in refused.get_data(as_text=True)


def test_a_bulk_job_answers_nobody_but_its_starter_on_every_route(app, clb_client, cases, session, create_user):
    response = clb_client.post('/bulk', data={'organisatie': clb_id(session), 'schooljaar': '2025-2026'})
    job_url = response.headers['Location']
    assert get_queue(app).wait_idle(300)
    job_id = int(job_url.rsplit('/', 1)[1])
    session.add(Organisation(kind='clb', naam='CLB Elders', match_key='naam:clb elders'))
    session.commit()
    # A colleague of the same CLB, a worker of another CLB, a zorgcoördinator of a school and a leerondersteuner
    # (who reads only): none of them follows, cancels or downloads the job; a visitor without login gets the login.
    visitors = {'collega': ('clb-medewerker', CLB), 'ander': ('clb-medewerker', 'CLB Elders'),
                'zoco': ('zorgcoordinator', None), 'lsc': ('leerondersteuner', None)}
    expected = {'collega': 404, 'ander': 404, 'zoco': 404, 'lsc': 403}
    for username, (role, organisation) in visitors.items():
        create_user(username, role=role, organisation=organisation)
        other = app.test_client()
        login(other, username)
        for method, url in (('get', job_url), ('get', job_url + '/status.json'), ('post', job_url + '/cancel'),
                            ('get', job_url + '/download')):
            assert getattr(other, method)(url).status_code == expected[username], (username, method, url)
    anonymous = app.test_client()
    for method, url in (('get', job_url), ('get', job_url + '/status.json'), ('post', job_url + '/cancel'),
                        ('get', job_url + '/download')):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302 and response.headers['Location'].startswith('/login'), url
    session.expire_all()
    assert session.get(Job, job_id).status == 'done'  # nobody's cancel reached it
    assert clb_client.get(job_url + '/status.json').get_json()['status'] == 'done'


@pytest.mark.parametrize('organisatie, schooljaar', [
    ('', '2025-2026'), ('1 OR 1=1', '2025-2026'), ('x' * 100_000, '2025-2026'), ('99999999999999999999', '2025-2026'),
    (None, '2025-2026\x00'), (None, '../../etc/passwd'), (None, '2025-2026' * 10_000), (None, ''),
])
def test_the_bulk_form_refuses_what_is_not_in_its_lists_and_starts_nothing(clb_client, session, organisatie,
                                                                          schooljaar):
    data = {'organisatie': clb_id(session) if organisatie is None else organisatie, 'schooljaar': schooljaar}
    response = clb_client.post('/bulk', data=data)
    assert response.status_code == 422
    assert 'Kies een school of CLB en een schooljaar uit de lijst.' in response.get_data(as_text=True)
    assert session.scalar(select(Job.id)) is None


def test_traject_bulk_writes_the_zip_of_a_school_with_a_progress_bar(runner, cases, tmp_path):
    jonas = next(c for c in cases.values() if c.leerling_voornaam == 'Jonas')
    out = tmp_path / 'veld.zip'
    result = runner.invoke(args=['bulk', '--school', 'middenschool het veld', '--schooljaar', '2025-2026',
                                 '-o', str(out)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(out).namelist()
    assert sorted(names) == sorted(n for n in expected_files(cases) if n.startswith(f'{jonas.leerling_achternaam}'
                                                                                      .lower()))
    # Off a terminal click's progress bar prints its label only; the last line counts the files.
    assert result.output.startswith('Documenten') and f'{len(names)} bestand(en) geschreven naar' in result.output
    unknown = runner.invoke(args=['bulk', '--school', 'Nergensschool', '--schooljaar', '2025-2026', '-o', str(out)])
    assert unknown.exit_code == 1 and 'Geen school gevonden met nummer of naam "Nergensschool".' in unknown.output


def test_saving_a_step_renders_the_documents_before_they_are_asked_for(app, clb_client, cases, session):
    app.config['PRERENDER'] = True
    case = next(c for c in cases.values() if c.leerling_voornaam == 'Jonas')
    save_step(session, case, 'aanmelding', {('traject', 'aanleiding'): 'Jonas leest traag.'}, actor='test')
    session.commit()  # the app's after-commit hook queues the renders
    assert get_queue(app).wait_idle(300)
    session.rollback()  # a fresh read: the snapshot of this session's last transaction is gone
    rendered = session.scalars(select(RenderedDocument).where(RenderedDocument.item.like(f'case-{case.id}/%'))).all()
    assert {r.item.split('/')[1] for r in rendered if r.data} == {f'{kind}.pdf' for kind in kinds_for(case.data)}
    before = {(r.key, r.finished_at) for r in rendered}
    response = clb_client.get(f'/cases/{case.id}/documents/iac-plan.pdf')
    assert response.status_code == 200 and response.data.startswith(b'%PDF')
    session.rollback()  # a fresh read: the snapshot of this session's last transaction is gone
    after = {(r.key, r.finished_at) for r in session.scalars(
        select(RenderedDocument).where(RenderedDocument.item.like(f'case-{case.id}/%')))}
    assert after == before  # served from the cache: nothing rendered again
    assert response.data in {r.data for r in rendered}


def _rendered_items(session, case) -> set[str]:
    session.rollback()  # a fresh read
    return {r.item.split('/')[1] for r in session.scalars(
        select(RenderedDocument).where(RenderedDocument.item.like(f'case-{case.id}/%'))) if r.data}


def test_a_wizard_save_renders_ahead_the_document_its_step_feeds_only(app, clb_client, cases, session):
    from tests.wizard.helpers import read_form
    app.config['PRERENDER'] = True
    case = next(c for c in cases.values() if c.leerling_voornaam == 'Jonas')
    assert len(kinds_for(case.data)) > 1
    url = f'/cases/{case.id}/steps/aanmelding'
    data = read_form(clb_client.get(url).get_data(as_text=True))
    response = clb_client.post(url, data={**data, 'aanleiding': 'Jonas leest traag.', 'action': 'volgende'})
    assert response.status_code == 302
    assert get_queue(app).wait_idle(300)
    assert _rendered_items(session, case) == {'verslag.pdf'}  # the step's document, not all of them
    # A step that stays in the CLB's own dossier feeds no document: nothing is rendered for it.
    for item in session.scalars(select(RenderedDocument)):
        session.delete(item)
    session.commit()
    url = f'/cases/{case.id}/steps/strategie'
    data = read_form(clb_client.get(url).get_data(as_text=True))
    assert clb_client.post(url, data={**data, 'action': 'volgende'}).status_code == 302
    assert get_queue(app).wait_idle(300)
    assert _rendered_items(session, case) == set()


def test_with_redis_every_save_is_rendered_ahead_even_one_just_after_the_last(app, clb_client, cases, session,
                                                                              redis_url, database_url, tmp_path):
    # A CLB worker saves a step, then the same step again within a minute: both contents are rendered ahead. Two saves
    # before a worker gets to them queue one render, of the content as it is when the worker starts.
    from redis import Redis
    from rq import Queue

    from tests.jobs.conftest import traject_process
    from tests.wizard.helpers import read_form
    from webapp.jobs.queue import QUEUES
    from webapp.jobs.renders import is_cached
    from webapp.services.cases import export_document
    connection = Redis.from_url(redis_url)
    connection.flushdb()
    app.config.update(PRERENDER=True, REDIS_URL=redis_url)
    get_queue(app).redis_url = redis_url
    case = next(c for c in cases.values() if c.leerling_voornaam == 'Jonas')
    url = f'/cases/{case.id}/steps/aanmelding'

    def save(text: str) -> None:
        data = read_form(clb_client.get(url).get_data(as_text=True))
        response = clb_client.post(url, data={**data, 'aanleiding': text, 'action': 'volgende'})
        assert response.status_code == 302 and response.headers['Location'].endswith('/intake'), response.headers

    for round_, texts in enumerate((['Okapi leest traag.'], ['Zebra leest traag.', 'Zebra leest nu vlot.'])):
        for text in texts:
            save(text)
        assert Queue(QUEUES['default'], connection=connection).count == 1
        if round_ == 0:  # a bulk worker leaves it to the workers of the default queue
            worker = traject_process(['worker', '--burst', '--queue', 'bulk'], database_url, tmp_path,
                                     REDIS_URL=redis_url)
            assert worker.wait(120) == 0, worker.log.read_text()
            assert Queue(QUEUES['default'], connection=connection).count == 1
        worker = traject_process(['worker', '--burst', '--queue', 'default'], database_url, tmp_path,
                                 REDIS_URL=redis_url)
        assert worker.wait(120) == 0, worker.log.read_text()
        session.rollback()
        session.expire_all()  # read what the requests stored, in a new transaction
        doc = export_document(session.get(Case, case.id))
        assert doc['traject']['aanleiding'] == texts[-1]
        with app.app_context():
            rows = [(r.item, r.key[:12], r.data is None) for r in session.scalars(select(RenderedDocument))]
            assert is_cached(doc, 'verslag', 'pdf'), (round_, rows, worker.log.read_text())
    assert _rendered_items(session, case) == {'verslag.pdf'}


def test_a_download_right_after_a_save_has_the_new_content(app, clb_client, cases, session, tmp_path):
    app.config['PRERENDER'] = True  # a prerender of the old content may be running: it must not be served
    case = next(c for c in cases.values() if c.leerling_voornaam == 'Jonas')
    url = f'/cases/{case.id}/documents/verslag.pdf'
    assert 'Okapi' not in pdf_text(clb_client.get(url).data, tmp_path)
    for animal, before in (('Okapi', 'traag'), ('Zebra', 'Okapi')):
        save_step(session, case, 'aanmelding', {('traject', 'aanleiding'): f'{animal} leest traag.'}, actor='test')
        session.commit()
        text = pdf_text(clb_client.get(url).data, tmp_path)
        assert f'{animal} leest traag.' in text and (before == 'traag' or before not in text)
    assert get_queue(app).wait_idle(300)


@pytest.mark.parametrize('setting, message', [
    ({'RENDER_TIMEOUT': 0.2}, 'het duurde langer dan 0 seconden'),
    ({'RENDER_MEMORY_MB': 120}, 'het vroeg meer dan 120 MB geheugen'),
])
def test_a_render_past_its_limits_gives_a_clear_message_and_others_are_served(app, clb_client, cases, setting,
                                                                               message):
    app.config.update(setting)
    case = next(iter(cases.values()))
    response = clb_client.get(f'/cases/{case.id}/documents/verslag.pdf', follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'Dit document is te groot om te maken: ' + message in page
    assert clb_client.get('/').status_code == 200
    app.config.update(RENDER_TIMEOUT=60, RENDER_MEMORY_MB=1024)
    assert clb_client.get(f'/cases/{case.id}/documents/verslag.pdf').data.startswith(b'%PDF')


def test_school_year_of_a_case():
    from datetime import date
    assert bulk.school_year(date(2025, 9, 1)) == '2025-2026'
    assert bulk.school_year(date(2026, 8, 31)) == '2025-2026'
    assert bulk.case_school_year(Case(data={'verslag': {'datum': '2024-06-30'}})) == '2023-2024'


def test_a_download_waits_for_the_same_render_in_progress_instead_of_rendering_twice(app, clb_client, cases, session):
    from datetime import date, datetime, timezone
    from threading import Timer

    from webapp.documents import cache_key
    from webapp.services.cases import export_document
    case = next(iter(cases.values()))
    key = cache_key(export_document(case), 'verslag', 'pdf', 'nl', final=False, today=date.today())
    # Another worker has claimed this render; it stores its result a moment later.
    session.add(RenderedDocument(key=key, item=f'case-{case.id}/verslag.pdf/nl/concept',
                                 started_at=datetime.now(timezone.utc)))
    session.commit()

    def finish():
        with app.app_context():
            own = app.extensions['traject_db']()
            own.get(RenderedDocument, key).data = b'%PDF-rendered-elsewhere'
            own.commit()
            own.close()

    Timer(1.0, finish).start()
    response = clb_client.get(f'/cases/{case.id}/documents/verslag.pdf')
    assert response.status_code == 200 and response.data == b'%PDF-rendered-elsewhere'



def _render_processes() -> dict[int, tuple[int, int]]:
    """Return {pid: (niceness, scheduling policy, CPU ticks used)} of this process's render processes."""
    import os
    from pathlib import Path
    found = {}
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            fields = stat.read_text().rsplit(')', 1)[1].split()
            command = (stat.parent / 'cmdline').read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b'runner import serve' in command:
            found[int(stat.parent.name)] = (int(fields[16]), int(fields[38]), int(fields[11]))
    return found


def test_renders_yield_the_cores_to_pages_and_bulk_renders_to_everything_else(app, session, cases):
    # A document someone waits for renders at niceness 10 (pages first); a bulk job's renders only on CPU time that
    # nothing else wants (Linux's idle class), so a save's document goes before the 200th document of a ZIP.
    import os

    from webapp.jobs.renders import get_document
    from webapp.services.cases import export_document
    case = next(iter(cases.values()))
    with app.app_context():
        assert get_document(export_document(case), 'verslag', 'pdf', item=f'case-{case.id}').startswith(b'%PDF')
        assert get_document(export_document(case), 'verslag', 'docx', item=f'case-{case.id}', background=True)
        before = _render_processes()
        waited = {pid for pid, (_nice, policy, _ticks) in before.items() if policy == os.SCHED_OTHER}
        idle = {pid for pid, (_nice, policy, _ticks) in before.items() if policy == os.SCHED_IDLE}
        assert waited and idle and {before[pid][0] for pid in waited} == {10}
        bulk.run(session, bulk.create_job(session, {'organisation_id': 0, 'organisation': CLB, 'schooljaar': 'alle',
                                                   'case_ids': [case.id], 'samenwerking_ids': []},
                                          actor='test', user_id=None).id)
        after = _render_processes()

    def ticks(pids: set[int], stats: dict) -> int:
        return sum(stats[pid][2] for pid in pids)
    # The bulk job rendered in the idle-class process, and not a tick in the others.
    assert set(after) == set(before)
    assert ticks(waited, after) == ticks(waited, before) and ticks(idle, after) > ticks(idle, before)


def test_a_bulk_render_claims_nothing_a_download_would_wait_for(app, session, cases):
    # Bulk renders run in the idle class and may crawl while pages are busy: a download of the same document must
    # never wait for one. The bulk render announces nothing, and stores its bytes when done.
    import threading
    import time
    from datetime import date

    from webapp.documents import cache_key
    from webapp.jobs.renders import get_document
    from webapp.services.cases import export_document
    case = next(iter(cases.values()))
    doc = export_document(case)
    key = cache_key(doc, 'verslag', 'pdf', 'nl', final=False, today=date.today())
    result, claims = [], []

    def bulk_render():
        with app.app_context():
            result.append(get_document(doc, 'verslag', 'pdf', item=f'case-{case.id}', background=True))
    worker = threading.Thread(target=bulk_render)
    worker.start()
    while worker.is_alive():
        session.rollback()
        row = session.get(RenderedDocument, key)
        if row is not None and row.data is None:
            claims.append(row.started_at)
        session.expunge_all()
        time.sleep(0.01)
    worker.join()
    assert result and result[0].startswith(b'%PDF') and claims == []
    session.rollback()
    assert session.get(RenderedDocument, key).data == result[0]  # stored for the next download


def test_a_render_process_can_start_warm_before_anyone_asks():
    # make serve warms each worker's render process at its start (gunicorn's post_worker_init, traject worker).
    from datetime import date

    from tests.helpers import OWN_EXAMPLES, load_example
    from webapp.jobs.runner import RenderPool
    pool = RenderPool()
    before = set(_render_processes())
    pool.warm_up()
    (child,) = set(_render_processes()) - before
    assert _render_processes()[child][2] > 0  # it has rendered already
    case = load_example(sorted(OWN_EXAMPLES.glob('case-*.json'))[0])
    assert pool.render(case, 'verslag', 'pdf', 'nl', final=False, today=date.today()).startswith(b'%PDF')
    assert set(_render_processes()) - before == {child}  # the warm process served it
    pool.close()
