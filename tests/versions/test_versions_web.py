"""Frozen versions as users meet them: finalising in the wizard, downloads that stay byte-identical on a later day,
the version in the footer, a new version, the diff, the command line, samenwerkingsafspraken, and who may not."""
import copy
import hashlib
import io
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from docx import Document
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.helpers import example_cases
from webapp import db
from webapp.documents.env import format_long_date
from webapp.models import Case, Samenwerking, Version, VersionDocument
from webapp.services import cases as case_service
from webapp.services import versions
from webapp.services.cases import get_organisation


def pdf_text(data: bytes) -> str:
    """Return what pdftotext -raw reads in a PDF (page furniture included), with plain spaces."""
    out = subprocess.run(['pdftotext', '-raw', '-', '-'], input=data, capture_output=True, check=True).stdout
    return ' '.join(out.decode().split())


def docx_footer(data: bytes) -> str:
    """Return the text of the DOCX's footers."""
    document = Document(io.BytesIO(data))
    return ' '.join(p.text for section in document.sections for p in section.footer.paragraphs)


def _today_be() -> str:
    return format_long_date(datetime.now(timezone.utc).astimezone(versions.LOCAL_TIME).date())


@pytest.fixture
def final_case(logged_in, session, dummy_case):
    """Return the id of the dummy case, finalised through the wizard's confirmation by a CLB worker."""
    case = case_service.import_document(session, copy.deepcopy(dummy_case))
    session.commit()
    response = logged_in.post(f'/cases/{case.id}/definitief', data={'bevestigd': 'ja'})
    assert response.status_code == 302
    return case.id


def test_finalising_stores_a_version_and_its_pdf_is_byte_identical_tomorrow(logged_in, session, final_case):
    version = session.scalar(select(Version).where(Version.case_id == final_case))
    assert version.number == 1 and version.finalised_by == 'medewerker'
    assert version.sha256 == hashlib.sha256(
        __import__('json').dumps(version.data, ensure_ascii=False).encode()).hexdigest()
    today = logged_in.get(f'/cases/{final_case}/documents/verslag.pdf')
    assert today.status_code == 200 and today.data.startswith(b'%PDF')
    assert 'verslag' in today.headers['Content-Disposition'] and '-v1.pdf' in today.headers['Content-Disposition']
    stored = session.scalar(select(VersionDocument).where(VersionDocument.version_id == version.id,
                                                          VersionDocument.kind == 'verslag',
                                                          VersionDocument.fmt == 'pdf'))
    assert stored.sha256 == hashlib.sha256(today.data).hexdigest()
    text = pdf_text(today.data)
    assert f'versie 1 · definitief op {_today_be()}' in text
    assert 'Gemaakt op' not in text and 'CONCEPT' not in text
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=1, hours=3), tick=False):
        # Yesterday's login has ended (after 12 hours at most): the worker logs in again.
        assert logged_in.post('/login', data={'username': 'medewerker', 'password': PASSWORD}).status_code == 302
        tomorrow = logged_in.get(f'/cases/{final_case}/documents/verslag.pdf')
        # The version's own route gives the same bytes.
        by_number = logged_in.get(f'/cases/{final_case}/versies/1/verslag.pdf')
    assert tomorrow.data == today.data == by_number.data
    assert hashlib.sha256(tomorrow.data).hexdigest() == stored.sha256


def test_docx_footer_names_the_version(logged_in, final_case):
    response = logged_in.get(f'/cases/{final_case}/versies/1/verslag.docx')
    assert response.status_code == 200
    assert f'versie 1 · definitief op {_today_be()}' in docx_footer(response.data)


def test_the_parents_letter_of_a_version_says_its_version_in_the_parents_language(logged_in, final_case):
    # The dummy case asks for the letter in French too (a parent's voorkeurtaal).
    response = logged_in.get(f'/cases/{final_case}/versies/1/oudersamenvatting.pdf?taal=fr')
    assert response.status_code == 200
    assert 'version 1 · définitive le' in pdf_text(response.data)


def test_new_version_is_a_draft_then_version_2_and_the_diff_shows_the_changed_behoefte(logged_in, session,
                                                                                      final_case):
    assert logged_in.post(f'/cases/{final_case}/nieuwe-versie').status_code == 302
    draft = logged_in.get(f'/cases/{final_case}/documents/verslag.pdf')
    text = pdf_text(draft.data)
    assert 'CONCEPT' in text and 'versie 1' not in text
    case = session.get(Case, final_case)
    session.refresh(case)
    doc = copy.deepcopy(case.data)
    old_text = doc['traject']['behoeften'][0]['formulering']
    doc['traject']['behoeften'][0]['formulering'] = old_text.replace('wiskunde', 'rekenen')
    doc['traject']['behoeften'].append({'soort': 'onderwijsbehoefte',
                                        'formulering': 'Milan heeft een rustige plek nodig om te toetsen.'})
    case_service.update_case(session, case, doc, actor='test')
    session.commit()
    assert 'wordt het bewaard als versie 2' in logged_in.get(f'/cases/{final_case}/definitief').get_data(as_text=True)
    assert logged_in.post(f'/cases/{final_case}/definitief', data={'bevestigd': 'ja'}).status_code == 302
    assert [v.number for v in versions.versions_of(session, case)] == [1, 2]
    second = logged_in.get(f'/cases/{final_case}/documents/verslag.pdf')
    assert 'versie 2 · definitief op' in pdf_text(second.data)
    page = logged_in.get(f'/cases/{final_case}').get_data(as_text=True)
    assert 'Versie 2' in page and 'Versie 1' in page and f'/cases/{final_case}/versies/1/verslag.pdf' in page
    assert 'definitief, versie 2' in page
    diff = logged_in.get(f'/cases/{final_case}/versies/vergelijken?van=1&naar=2')
    html = diff.get_data(as_text=True)
    assert diff.status_code == 200
    assert 'Wat veranderde van versie 1 naar versie 2' in html
    assert '<del>wiskunde</del>' in html and '<ins>rekenen</ins>' in html
    assert 'Milan heeft een rustige plek nodig om te toetsen.' in html and 'toegevoegd' in html
    # Labelled as the wizard labels it, under its step's heading, not as a JSON path.
    assert 'traject.behoeften[0]' not in html and 'Behoefte 1' in html
    # The old version's documents stay what they were.
    assert 'versie 1 · definitief' in pdf_text(logged_in.get(f'/cases/{final_case}/versies/1/verslag.pdf').data)


def test_compare_explains_when_there_is_nothing_to_compare(logged_in, final_case):
    html = logged_in.get(f'/cases/{final_case}/versies/vergelijken').get_data(as_text=True)
    assert 'Er is nog maar één versie' in html
    for query in ('van=1&naar=7', 'van=99999999999999999999&naar=1', 'van=-1&naar=x'):
        response = logged_in.get(f'/cases/{final_case}/versies/vergelijken?{query}')
        assert response.status_code == 200 and 'Er is nog maar één versie' in response.get_data(as_text=True)


def test_finalising_queues_the_renders_of_every_document_of_the_version_once(app, logged_in, session, dummy_case):
    from webapp.jobs import tasks
    from webapp.jobs.queue import get_queue
    case = case_service.import_document(session, copy.deepcopy(dummy_case))
    session.commit()
    app.config['PRERENDER'] = True  # as in production: background renders after the commit
    assert logged_in.post(f'/cases/{case.id}/definitief', data={'bevestigd': 'ja'}).status_code == 302
    assert get_queue(app).wait_idle(600)
    version = session.scalar(select(Version).where(Version.case_id == case.id))
    wanted = set(versions.document_set(version))
    stored = set(session.execute(select(VersionDocument.kind, VersionDocument.fmt, VersionDocument.language)
                                 .where(VersionDocument.version_id == version.id)).all())
    assert stored == wanted and ('oudersamenvatting', 'pdf', 'fr+nl') in stored
    with app.app_context():
        tasks.render_version(version.id)  # nothing left to do: no second row
    assert session.scalar(select(func.count()).select_from(VersionDocument)
                          .where(VersionDocument.version_id == version.id)) == len(wanted)


def test_two_downloads_at_once_store_one_row_and_get_the_same_bytes(app, session, final_case):
    version = session.scalar(select(Version).where(Version.case_id == final_case))
    session.commit()

    def ask(_n):
        with app.app_context():
            own = db.session()
            return versions.version_document(own, own.get(Version, version.id), 'verslag', 'docx')
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(ask, range(2))
    assert first == second
    assert session.scalar(select(func.count()).select_from(VersionDocument).where(
        VersionDocument.version_id == version.id, VersionDocument.fmt == 'docx')) == 1


def test_cli_finalise_versions_and_render_version(app, runner, session, dummy_case, tmp_path):
    case = case_service.import_document(session, copy.deepcopy(dummy_case))
    session.commit()
    result = runner.invoke(args=['finalise', str(case.id)])
    assert result.exit_code == 0, result.output
    assert 'versie 1 is definitief' in result.output and result.output.strip().splitlines()[-1] == '1'
    again = runner.invoke(args=['finalise', str(case.id)])
    assert again.exit_code == 1 and 'al definitief' in again.output
    listed = runner.invoke(args=['versions', str(case.id)])
    version = session.scalar(select(Version).where(Version.case_id == case.id))
    pdf_row = session.scalar(select(VersionDocument).where(VersionDocument.version_id == version.id,
                                                           VersionDocument.kind == 'verslag',
                                                           VersionDocument.fmt == 'pdf',
                                                           VersionDocument.language == 'nl'))
    assert version.sha256 in listed.output and pdf_row.sha256 in listed.output
    assert 'oudersamenvatting.pdf  fr' in listed.output
    out = tmp_path / 'v1.pdf'
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=2), tick=False):
        rendered = runner.invoke(args=['render', str(case.id), '--document', 'verslag', '--format', 'pdf',
                                       '--version', '1', '-o', str(out)])
    assert rendered.exit_code == 0, rendered.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == pdf_row.sha256
    missing = runner.invoke(args=['render', str(case.id), '--document', 'verslag', '--format', 'pdf',
                                  '--version', '5', '-o', str(out)])
    assert missing.exit_code == 1 and 'geen versie 5' in missing.output


def test_an_incomplete_case_is_not_finalised_on_the_command_line(runner, session, dummy_case):
    doc = copy.deepcopy(dummy_case)
    for part in ('verslag', 'iac_plan', 'leersteun', 'oudersamenvatting'):
        doc.pop(part, None)
    case = case_service.import_document(session, doc)
    session.commit()
    result = runner.invoke(args=['finalise', str(case.id)])
    assert result.exit_code == 1 and 'niet volledig' in result.output
    assert session.scalar(select(func.count()).select_from(Version)) == 0


# Samenwerkingsafspraken

@pytest.fixture
def samenwerking(session, dummy_case):
    doc = copy.deepcopy(next(iter(example_cases('traject-samenwerking/1').values())))
    for kind in ('clb', 'school', 'leersteuncentrum'):
        doc[kind] = copy.deepcopy(dummy_case[kind])
    item = case_service.import_document(session, doc)
    session.commit()
    return item.id


def test_samenwerking_finalised_with_confirmation_downloads_its_version_then_a_new_version(logged_in, session,
                                                                                         samenwerking):
    page = logged_in.get(f'/samenwerkingen/{samenwerking}').get_data(as_text=True)
    assert 'id="finalize-samenwerking"' in page and 'concept' in page
    confirm = logged_in.get(f'/samenwerkingen/{samenwerking}/definitief')
    assert 'Samenwerkingsafspraken definitief maken?' in confirm.get_data(as_text=True)
    assert session.get(Samenwerking, samenwerking).is_final is False
    assert logged_in.post(f'/samenwerkingen/{samenwerking}/definitief', data={'bevestigd': 'ja'}).status_code == 302
    item = session.get(Samenwerking, samenwerking)
    session.refresh(item)
    assert item.is_final
    first = logged_in.get(f'/samenwerkingen/{samenwerking}/documents/samenwerkingsafspraken.pdf')
    text = pdf_text(first.data)
    assert 'versie 1 · definitief op' in text and 'CONCEPT' not in text
    assert logged_in.get(f'/samenwerkingen/{samenwerking}/versies/1/samenwerkingsafspraken.pdf').data == first.data
    # Final: no party can change it in the wizard.
    step = logged_in.get(f'/samenwerkingen/{samenwerking}/steps/partijen').get_data(as_text=True)
    assert 'Deze samenwerkingsafspraken zijn definitief' in step
    page = logged_in.get(f'/samenwerkingen/{samenwerking}').get_data(as_text=True)
    assert 'id="new-version"' in page and 'Versie 1' in page
    assert logged_in.post(f'/samenwerkingen/{samenwerking}/nieuwe-versie').status_code == 302
    draft = logged_in.get(f'/samenwerkingen/{samenwerking}/documents/samenwerkingsafspraken.pdf')
    assert 'CONCEPT' in pdf_text(draft.data)


def test_a_final_samenwerking_refuses_a_save_and_its_versions_compare(logged_in, session, samenwerking):
    assert logged_in.post(f'/samenwerkingen/{samenwerking}/definitief', data={'bevestigd': 'ja'}).status_code == 302
    item = session.get(Samenwerking, samenwerking)
    session.refresh(item)
    before = copy.deepcopy(item.data)
    refused = logged_in.post(f'/samenwerkingen/{samenwerking}/steps/partijen', data={'schooljaar': '2030-2031'},
                             follow_redirects=True)
    assert 'Deze samenwerkingsafspraken zijn definitief' in refused.get_data(as_text=True)
    session.refresh(item)
    assert item.data == before
    logged_in.post(f'/samenwerkingen/{samenwerking}/nieuwe-versie')
    changed = copy.deepcopy(before)
    changed['klachten'] = 'Klachten gaan eerst naar de directie van de school.'
    session.refresh(item)
    case_service.save_samenwerking_step(session, item, 'afspraken', {('klachten',): changed['klachten']}, actor='test')
    session.commit()
    logged_in.post(f'/samenwerkingen/{samenwerking}/definitief', data={'bevestigd': 'ja'})
    html = logged_in.get(f'/samenwerkingen/{samenwerking}/versies/vergelijken').get_data(as_text=True)
    assert 'Wat veranderde van versie 1 naar versie 2' in html
    # Rewritten as a whole: both texts shown whole, the old struck through and the new underlined.
    assert '<ins>Klachten gaan eerst naar de directie van de school.</ins>' in html
    assert f"<del>{before['klachten']}</del>" in html


def test_cli_finalises_a_samenwerking(runner, session, samenwerking):
    result = runner.invoke(args=['finalise', f'samenwerking-{samenwerking}'])
    assert result.exit_code == 0, result.output
    assert 'samenwerkingsafspraken.pdf' in result.output
    assert session.scalar(select(Version.number).where(Version.samenwerking_id == samenwerking)) == 1


# Who may not

def _login(app, create_user, username, role, organisation=None):
    create_user(username, role, organisation)
    client = app.test_client()
    assert client.post('/login', data={'username': username, 'password': PASSWORD}).status_code == 302
    return client


def test_a_school_role_gets_the_verslag_of_a_version_but_never_the_letter_nor_the_diff(app, create_user,
                                                                                       final_case):
    school = _login(app, create_user, 'zoco', 'zorgcoordinator')
    assert school.get(f'/cases/{final_case}/versies/1/verslag.pdf').status_code == 200
    assert school.get(f'/cases/{final_case}/versies/1/oudersamenvatting.pdf').status_code == 404
    assert school.get(f'/cases/{final_case}/versies/1/oudersamenvatting.pdf?taal=fr').status_code == 404
    assert school.get(f'/cases/{final_case}/versies/vergelijken').status_code == 403
    page = school.get(f'/cases/{final_case}').get_data(as_text=True)
    assert f'/cases/{final_case}/versies/1/verslag.pdf' in page and '/versies/1/oudersamenvatting' not in page


def test_another_organisation_or_a_missing_version_is_not_found(app, session, create_user, logged_in, final_case):
    get_organisation(session, 'clb', {'naam': 'CLB Elders', 'instellingsnummer': '999999'})
    session.commit()
    other = _login(app, create_user, 'ander', 'clb-medewerker', '999999')
    assert other.get(f'/cases/{final_case}/versies/1/verslag.pdf').status_code == 404
    assert other.get(f'/cases/{final_case}/versies/vergelijken').status_code == 404
    assert logged_in.get(f'/cases/{final_case}/versies/2/verslag.pdf').status_code == 404
    assert logged_in.get(f'/cases/{final_case}/versies/1/geen-document.pdf').status_code == 404
    assert logged_in.get(f'/cases/{final_case}/versies/1/verslag.pdf?taal=xx').status_code == 404


def test_finalising_a_samenwerking_needs_the_csrf_token(database_url, session, samenwerking, create_user):
    from webapp import create_app
    app = create_app({'TESTING': True, 'DATABASE_URL': database_url, 'SECRET_KEY': 'test',
                      'TRAJECT_MFA': 'optional'})
    create_user()
    client = app.test_client()
    login_page = client.get('/login').get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0] \
        if 'name="csrf_token" type="hidden" value="' in login_page else \
        login_page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post('/login', data={'username': 'medewerker', 'password': PASSWORD, 'csrf_token': token})
    response = client.post(f'/samenwerkingen/{samenwerking}/definitief', data={'bevestigd': 'ja'})
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(Version)) == 0


def test_the_bulk_zip_holds_the_stored_version_of_a_final_case(runner, session, logged_in, final_case, tmp_path):
    import zipfile

    from webapp.jobs import bulk
    stored = logged_in.get(f'/cases/{final_case}/versies/1/verslag.pdf').data
    case = session.get(Case, final_case)
    out = tmp_path / 'school.zip'
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=1), tick=False):
        result = runner.invoke(args=['bulk', '--school', case.school.naam, '--schooljaar',
                                     bulk.case_school_year(case), '-o', str(out)])
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(out)
    [name] = [n for n in archive.namelist() if n.endswith('/verslag.pdf')]
    assert archive.read(name) == stored
