"""The CLB side of the parents' link: making, revoking and listing links (web and command line), the 12+ rule, the
e-mail through a real SMTP server, the cover letter's QR code, and the token kept out of every log line."""
import io
import logging
import re
import socket
import subprocess
import threading
import time
import urllib.request
from email import message_from_bytes, policy

import pytest
import zxingcpp
from PIL import Image
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tests.portal.conftest import example
from webapp.models import AuditEvent, ParentLink
from webapp.services import links


def login(client, create_user, role='clb-medewerker', username='medewerker', organisation=None):
    create_user(username, role, organisation)
    assert client.post('/login', data={'username': username, 'password': PASSWORD}).status_code == 302
    return client


def token_of(page: str) -> str:
    return re.search(r'/o/([A-Za-z0-9_-]{43})', page).group(1)


def test_the_case_page_makes_a_link_per_parent_and_lists_and_revokes_it(client, session, milan, create_user):
    login(client, create_user)
    page = client.get(f'/cases/{milan.id}').get_data(as_text=True)
    assert 'Link maken voor Evelien Claes' in page and 'Link maken voor Olivier Lemaire' in page
    created = client.post(f'/cases/{milan.id}/links', data={'ouder': 2, 'dagen': 10})
    assert created.status_code == 303  # then a page of its own: reloading it makes no second link
    shown = client.get(created.headers['Location']).get_data(as_text=True)
    token = token_of(shown)
    again = client.get(created.headers['Location'], follow_redirects=True).get_data(as_text=True)
    assert token not in again and 'Een nieuwe link wordt maar één keer getoond.' in again
    assert session.query(ParentLink).count() == 1
    assert 'Traject verstuurt geen e-mail op deze installatie' in shown
    link = session.query(ParentLink).one()
    assert (link.ouder, link.created_by, link.token_hash) == (2, 'medewerker', links.hash_token(token))
    assert 9 <= (link.expires_at.replace(tzinfo=None) - link.created_at.replace(tzinfo=None)).days <= 10
    listed = client.get(f'/cases/{milan.id}').get_data(as_text=True)
    assert f'id="link-{link.id}"' in listed and 'Olivier Lemaire' in listed and 'nog niet' in listed
    assert token not in listed  # shown once, on the page after making it
    assert client.post(f'/cases/{milan.id}/links/intrekken', data={'link_id': link.id}).status_code == 302
    assert 'ingetrokken' in client.get(f'/cases/{milan.id}').get_data(as_text=True)
    assert client.get(f'/o/{token}').status_code == 404
    actions = [e.action for e in session.query(AuditEvent).filter_by(case_id=milan.id)]
    assert 'link.create' in actions and 'link.revoke' in actions


def test_only_a_final_case_gets_a_link(client, session, create_user):
    from webapp.services.cases import import_document
    case = import_document(session, example('milan'))
    session.commit()
    login(client, create_user)
    page = client.get(f'/cases/{case.id}').get_data(as_text=True)
    assert page.count('Een link voor de ouders kan pas als het dossier definitief is.') == 1
    assert 'id="share-1"' not in page  # no button to press before the case is final
    response = client.post(f'/cases/{case.id}/links', data={'ouder': 1}, follow_redirects=True)
    assert 'Een link voor de ouders kan pas als het dossier definitief is.' in response.get_data(as_text=True)
    assert session.query(ParentLink).count() == 0


def test_a_pupil_of_12_or_older_must_consent_first(client, session, final_case, create_user, runner):
    doc = example('lina')  # 15 on the verslag's date
    doc['toestemmingen'] = [t for t in doc['toestemmingen'] if t['onderwerp'] != 'delen-met-ouders']
    case = final_case(doc)
    reason = 'Lina is 12 jaar of ouder en beslist zelf mee'
    with pytest.raises(links.LinkRefused, match=reason):
        links.create_link(session, case, 1, actor='test')
    login(client, create_user, username='lina-clb', organisation=doc['clb']['naam'])
    page = client.get(f'/cases/{case.id}').get_data(as_text=True)
    assert reason in page and 'id="share-1"' not in page  # the reason, and no button to press
    result = runner.invoke(args=['share', 'create', str(case.id), '--ouder', '1'])
    assert result.exit_code == 1 and reason in result.output
    assert session.query(ParentLink).count() == 0


def test_consent_given_by_a_parent_does_not_count_for_a_pupil_of_12(session, final_case):
    doc = example('lina')
    for t in doc['toestemmingen']:
        if t['onderwerp'] == 'delen-met-ouders':
            t['gegeven_door'] = doc['ouders'][0]['naam']
    with pytest.raises(links.LinkRefused):
        links.create_link(session, final_case(doc), 1, actor='test')


def test_a_younger_pupil_needs_no_consent_of_their_own(session, final_case):
    doc = example('noor')  # 9 years old, no consent 'delen-met-ouders' at all
    link, token = links.create_link(session, final_case(doc), 1, actor='test')
    assert link.id and token


def test_a_school_role_cannot_share(client, session, milan, create_user):
    login(client, create_user, role='zorgcoordinator', username='zoco')
    assert 'Link maken voor' not in client.get(f'/cases/{milan.id}').get_data(as_text=True)
    assert client.post(f'/cases/{milan.id}/links', data={'ouder': 1}).status_code == 403


def test_share_create_prints_the_link_last_and_revoke_and_list_work(runner, session, milan, tmp_path):
    result = runner.invoke(args=['share', 'create', str(milan.id), '--ouder', '2', '--days', '7',
                                 '--brief', str(tmp_path / 'brief.pdf')])
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r'http://127\.0\.0\.1:5000/o/[A-Za-z0-9_-]{43}', url)
    link = session.query(ParentLink).one()
    assert link.token_hash == links.hash_token(url.rsplit('/', 1)[1])
    assert (tmp_path / 'brief.pdf').read_bytes().startswith(b'%PDF')
    listed = runner.invoke(args=['share', 'list', str(milan.id)])
    assert f'{link.id}\touder 2\tactief' in listed.output
    assert runner.invoke(args=['share', 'revoke', str(link.id)]).exit_code == 0
    session.expire_all()
    assert session.get(ParentLink, link.id).revoked_at is not None
    assert f'{link.id}\touder 2\tingetrokken' in runner.invoke(args=['share', 'list', str(milan.id)]).output
    assert runner.invoke(args=['share', 'create', str(milan.id), '--ouder', '3']).exit_code == 1


def _decode_qr(pdf: bytes, folder) -> list[str]:
    (folder / 'brief.pdf').write_bytes(pdf)
    subprocess.run(['pdftoppm', '-png', '-r', '150', '-singlefile', str(folder / 'brief.pdf'), str(folder / 'brief')],
                   check=True)
    return [found.text for found in zxingcpp.read_barcodes(Image.open(folder / 'brief.png'))]


def test_the_cover_letter_is_in_the_parents_language_and_its_qr_code_is_the_link(client, session, milan,
                                                                                  create_user, tmp_path):
    login(client, create_user)
    made = client.post(f'/cases/{milan.id}/links', data={'ouder': 2}, follow_redirects=True)
    token = token_of(made.get_data(as_text=True))
    response = client.post(f'/cases/{milan.id}/links/brief', data={'token': token})
    assert response.status_code == 200 and response.mimetype == 'application/pdf'
    assert _decode_qr(response.data, tmp_path) == [f'http://127.0.0.1:5000/o/{token}']
    text = subprocess.run(['pdftotext', '-raw', '-', '-'], input=response.data, capture_output=True).stdout.decode()
    assert 'CLB' in text and 'QR' in text and 'الرابط' in text  # Arabic, for the parent who reads Arabic
    assert client.post(f'/cases/{milan.id}/links/brief', data={'token': 'x' * 43}).status_code == 302


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port (aiosmtpd), keeping what it receives."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Keep(Message):
        def __init__(self):
            super().__init__()
            self.received = []

        def handle_message(self, message):
            self.received.append(message)

    handler = Keep()
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname='127.0.0.1', port=port)
    controller.start()
    yield f'smtp://127.0.0.1:{controller.port}', handler.received
    controller.stop()


def test_the_link_arrives_by_e_mail_in_the_parents_language(app, client, session, milan, create_user, smtp_server):
    url, received = smtp_server
    app.config.update(TRAJECT_MAIL_URL=url, TRAJECT_BASE_URL='https://traject.example')
    login(client, create_user)
    page = client.post(f'/cases/{milan.id}/links', data={'ouder': 2}, follow_redirects=True).get_data(as_text=True)
    assert 'De link is per e-mail naar Olivier Lemaire gestuurd' in page
    token = token_of(page)
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(received) == 1
    message = message_from_bytes(received[0].as_bytes(), policy=policy.default)
    assert message['To'] == 'olivier.lemaire@mail.example'
    assert message['Subject'] == 'رسالة من مركز CLB بخصوص Milan'
    body = message.get_content()
    assert f'https://traject.example/o/{token}' in body and 'افتحوا الرسالة بهذا الرابط' in body
    assert session.query(ParentLink).one().mailed_at is not None


def test_without_an_address_or_a_server_the_cover_letter_is_offered(app, client, session, final_case, create_user,
                                                                     smtp_server):
    url, received = smtp_server
    app.config['TRAJECT_MAIL_URL'] = url
    doc = example('noor')  # her second parent has no e-mail address
    case = final_case(doc)
    login(client, create_user, username='noor-clb', organisation=doc['clb']['naam'])
    page = client.post(f'/cases/{case.id}/links', data={'ouder': 2}, follow_redirects=True).get_data(as_text=True)
    assert 'Er is geen e-mailadres van deze ouder in het dossier' in page and 'id="cover-letter"' in page
    assert received == []


def test_a_refusing_mail_server_leaves_the_link_and_says_so(app, client, session, milan, create_user):
    app.config['TRAJECT_MAIL_URL'] = 'smtp://127.0.0.1:9'  # nothing listens there
    login(client, create_user)
    page = client.post(f'/cases/{milan.id}/links', data={'ouder': 2}, follow_redirects=True).get_data(as_text=True)
    assert 'De e-mail kon niet verstuurd worden' in page
    assert session.query(ParentLink).one().mailed_at is None


def test_the_token_never_shows_in_the_servers_log(app, milan, make_link, caplog):
    """The development server's access log (werkzeug) writes every path; the token is hidden in it."""
    _link, token = make_link(milan)
    server = make_server('127.0.0.1', 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f'http://127.0.0.1:{server.server_port}'
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger('werkzeug').addHandler(handler)
    try:
        with caplog.at_level(logging.INFO):
            for path in (f'/o/{token}', f'/o/{token}/brief.pdf', f'/o/{token}?ontvangen=1', f'/o/{"z" * 43}'):
                try:
                    urllib.request.urlopen(base + path).read()
                except urllib.error.HTTPError as exc:
                    exc.read()
    finally:
        logging.getLogger('werkzeug').removeHandler(handler)
        server.shutdown()
        thread.join(5)
    logged = stream.getvalue() + caplog.text
    assert logged.count('/o/[link]') >= 4 and 'GET' in logged
    assert token not in logged and 'z' * 43 not in logged


def test_gunicorns_access_log_hides_the_token_too(tmp_path, database_url):
    """gunicorn, as `make serve` runs it, with its own config: the access log line has no token.

    Two layers hide it: the logger class of gunicorn_conf.py (the access log's fields) and the filter on the
    'gunicorn.access' logger (the line as written); breaking both makes this test fail.
    """
    import os
    import sys
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    env = {**os.environ, 'DATABASE_URL': database_url, 'SECRET_KEY': 'x' * 40, 'TRAJECT_BIND': f'127.0.0.1:{port}',
           'TRAJECT_WEB_WORKERS': '1', 'TRAJECT_WEB_THREADS': '1', 'TRAJECT_INSTANCE': str(tmp_path)}
    server = subprocess.Popen([sys.executable, '-m', 'gunicorn', '-c', 'webapp/jobs/gunicorn_conf.py',
                               'webapp:create_app()'], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    token = 'T0k3n' + 'a' * 38
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f'http://127.0.0.1:{port}/o/{token}?x=/o/{token}')
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    assert '/o/[link]' in output and 'GET' in output
    assert token not in output


def test_a_new_link_is_shown_only_on_its_own_case_and_only_once(app, client, session, milan, final_case,
                                                                create_user):
    other = final_case({**example('milan'), 'id': 'milan-kopie'})
    login(client, create_user)
    made = client.post(f'/cases/{milan.id}/links', data={'ouder': 2})
    assert made.status_code == 303
    # Another case's "new link" page does not show this case's link, and the link is not shown after that either.
    elsewhere = client.get(f'/cases/{other.id}/links/nieuw', follow_redirects=True).get_data(as_text=True)
    assert '/o/' not in elsewhere and 'Een nieuwe link wordt maar één keer getoond.' in elsewhere
    assert '/o/' not in client.get(made.headers['Location'], follow_redirects=True).get_data(as_text=True)
    # A school's zorgcoördinator never reaches it (a visitor without login: tests/test_access_policy.py).
    school = app.test_client()
    login(school, create_user, role='zorgcoordinator', username='zoco')
    assert school.get(f'/cases/{milan.id}/links/nieuw').status_code == 403



@pytest.mark.parametrize('who', ['anonymous', 'clb-of-another-region', 'leerondersteuner', 'zorgcoordinator'])
def test_nobody_but_the_cases_own_clb_sees_a_new_link_or_revokes_one(app, session, milan, final_case, make_link,
                                                                    create_user, who):
    from webapp.services import grants
    link, token = make_link(milan, ouder=1)
    visitor = app.test_client()
    expected = {'anonymous': 302, 'clb-of-another-region': 404, 'leerondersteuner': 403, 'zorgcoordinator': 403}[who]
    if who == 'clb-of-another-region':
        doc = example('milan')
        elders = final_case({**doc, 'id': 'milan-elders',
                             'clb': {**doc['clb'], 'naam': 'CLB Elders', 'instellingsnummer': '999999'}})
        login(visitor, create_user, username='elders', organisation='999999')
        # Through its own case, with the number of the other case's link: refused, nothing revoked.
        page = visitor.post(f'/cases/{elders.id}/links/intrekken', data={'link_id': link.id},
                            follow_redirects=True).get_data(as_text=True)
        assert 'Deze link bestaat niet (meer) bij dit dossier.' in page
    elif who != 'anonymous':
        if who == 'leerondersteuner':  # granted, so it may read the case, but not share it
            grants.grant(session, milan, actor='test')
            session.commit()
        login(visitor, create_user, role=who, username=who)
        assert visitor.get(f'/cases/{milan.id}').status_code == 200
    for response in (visitor.post(f'/cases/{milan.id}/links/intrekken', data={'link_id': link.id}),
                     visitor.get(f'/cases/{milan.id}/links/nieuw')):
        assert response.status_code == expected
        if who == 'anonymous':
            assert response.headers['Location'].startswith('/login')
        assert '/o/' not in response.get_data(as_text=True)
    session.refresh(link)
    assert link.revoked_at is None and app.test_client().get(f'/o/{token}').status_code == 200


@pytest.mark.parametrize('value', ['9' * 40, 'abc', '-1', '', '1.5'])
def test_a_made_up_link_number_is_refused_calmly(client, session, milan, make_link, create_user, value):
    link, _token = make_link(milan, ouder=1)
    login(client, create_user)
    response = client.post(f'/cases/{milan.id}/links/intrekken', data={'link_id': value}, follow_redirects=True)
    assert response.status_code == 200
    assert 'Deze link bestaat niet (meer) bij dit dossier.' in response.get_data(as_text=True)
    session.refresh(link)
    assert link.revoked_at is None


def test_a_5_mb_revoke_is_refused_with_a_message(client, session, milan, make_link, create_user):
    link, _token = make_link(milan, ouder=1)
    login(client, create_user)
    response = client.post(f'/cases/{milan.id}/links/intrekken', data={'link_id': '1' * (5 * 1024 * 1024 + 1)})
    assert response.status_code == 413 and 'Het bestand is te groot (maximaal 5 MB).' in response.get_data(as_text=True)
    session.refresh(link)
    assert link.revoked_at is None
