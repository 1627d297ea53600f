"""The GDPR hand-over: one ZIP with the record, every version's documents, the replies and the audit rows."""
import csv
import hashlib
import io
import json
import re
import zipfile

from sqlalchemy import select

from tests.gdpr.conftest import add_everything, verslag_pdf
from webapp.caseformat import check
from webapp.models import AuditEvent, Case, User, Version, VersionDocument
from webapp.services import versions
from webapp.services.handover import version_file_name


def readme_hashes(text: str) -> dict[str, str]:
    """Return {file name: SHA-256} from the README's check list."""
    return {name: digest for digest, name in re.findall(r'^([0-9a-f]{64})  (.+)$', text, re.MULTILINE)}


def test_the_zip_holds_what_its_readme_says(clb, session, stored):
    user = session.scalar(select(User).where(User.username == 'medewerker'))
    add_everything(session, stored, user_id=user.id)
    assert clb.get(f'/cases/{stored.id}').status_code == 200  # an audit row 'view'
    response = clb.get(f'/cases/{stored.id}/gegevens.zip')
    assert response.status_code == 200
    assert response.mimetype == 'application/zip'
    assert f'dossier-{stored.id}-gegevens.zip' in response.headers['Content-Disposition']
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    readme = archive.read('LEESMIJ.txt').decode('utf-8')
    hashes = readme_hashes(readme)
    # Every file is listed with its hash, and the README lists no file that is not there.
    assert set(archive.namelist()) == set(hashes) | {'LEESMIJ.txt'}
    for name, digest in hashes.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
        assert f'- {name}: ' in readme
    assert 'Dit ZIP-bestand bevat alles wat Traject over dit dossier bewaart' in readme
    assert f'Gegevens van dossier {stored.id}' in readme

    # The record is the full traject-case/1 document, as stored (the CLB's view: its internal parts included).
    record = json.loads(archive.read('dossier.json'))
    assert record['formaat'] == 'traject-case/1' and check(record) == []
    session.rollback()  # a new transaction: what the requests wrote
    session.expire_all()
    assert record == session.get(Case, stored.id).data
    assert 'strategie' in record['traject']

    # Every document of the version is there (rendered and stored on first ask), as the stored bytes: its SHA-256 is
    # the stored one. The verslag stored before the hand-over is returned as it was, not rendered again.
    version = session.scalar(select(Version))
    expected = {version_file_name(*key) for key in versions.document_set(version)}
    assert {'verslag.pdf', 'verslag.docx', 'oudersamenvatting.pdf'} <= expected
    in_zip = {name.removeprefix('versie-1/') for name in archive.namelist() if name.startswith('versie-1/')}
    assert in_zip == expected | {'dossier.json'}
    stored_docs = {version_file_name(d.kind, d.fmt, d.language): d for d in session.scalars(select(VersionDocument))}
    assert set(stored_docs) == expected
    for name, document in stored_docs.items():
        assert hashlib.sha256(archive.read(f'versie-1/{name}')).hexdigest() == document.sha256, name
    assert archive.read('versie-1/verslag.pdf') == verslag_pdf(record)
    assert json.loads(archive.read('versie-1/dossier.json'))['formaat'] == 'traject-case/1'

    replies = json.loads(archive.read('antwoorden-ouders.json'))
    assert [(r['antwoord'], r['tekst'], r['ouder']) for r in replies] == [('vraag', 'Wanneer is het overleg?', 1)]
    assert replies[0]['naam'] == record['ouders'][0]['naam']
    links = json.loads(archive.read('links-ouders.json'))
    assert len(links) == 1 and 'token_hash' not in json.dumps(links)

    rows = list(csv.DictReader(io.StringIO(archive.read('audit.csv').decode('utf-8'))))
    actions = [row['actie'] for row in rows]
    assert 'import' in actions and 'view' in actions and actions[-1] == 'gdpr-export'
    assert {row['dossier'] for row in rows} == {str(stored.id)}
    assert rows[0]['tijdstip'].endswith(('+01:00', '+02:00'))  # Brussels time
    # The hand-over itself is audited.
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == 'gdpr-export',
                                                   AuditEvent.case_id == stored.id)).actor == 'medewerker'


def test_a_case_without_versions_says_so(runner, session, stored, tmp_path):
    out = tmp_path / 'gegevens.zip'
    result = runner.invoke(args=['gdpr', 'export', str(stored.id), '-o', str(out)])
    assert result.exit_code == 0, result.output
    assert f'Gegevens van dossier {stored.id} geschreven naar' in result.output
    archive = zipfile.ZipFile(out)
    names = set(archive.namelist())
    assert names == {'LEESMIJ.txt', 'dossier.json', 'antwoorden-ouders.json', 'audit.csv'}
    readme = archive.read('LEESMIJ.txt').decode('utf-8')
    assert 'Dit dossier heeft geen definitieve versies' in readme
    assert json.loads(archive.read('antwoorden-ouders.json')) == []
    rows = list(csv.DictReader(io.StringIO(archive.read('audit.csv').decode('utf-8'))))
    assert [row['actie'] for row in rows] == ['import', 'gdpr-export']
    assert out.stat().st_mode & 0o077 == 0  # only its owner reads it


def test_the_command_line_refuses_an_unknown_case(runner, app, tmp_path):
    result = runner.invoke(args=['gdpr', 'export', '424242', '-o', str(tmp_path / 'x.zip')])
    assert result.exit_code == 1
    assert 'Geen dossier gevonden met nummer of id "424242"' in result.output
    assert not (tmp_path / 'x.zip').exists()


def test_the_case_page_offers_the_hand_over_and_delete_to_the_clb(clb, stored):
    page = clb.get(f'/cases/{stored.id}').get_data(as_text=True)
    assert 'Alle gegevens downloaden (ZIP)' in page
    assert f'/cases/{stored.id}/gegevens.zip' in page
    assert f'/cases/{stored.id}/verwijderen' in page


def test_a_school_neither_sees_nor_gets_the_hand_over(client, create_user, stored):
    from tests.gdpr.conftest import login
    create_user('zoco', role='zorgcoordinator')
    login(client, 'zoco')
    page = client.get(f'/cases/{stored.id}').get_data(as_text=True)
    assert 'gegevens.zip' not in page and 'verwijderen' not in page
    assert client.get(f'/cases/{stored.id}/gegevens.zip').status_code == 403
