"""The parents' pages: the letter in the parent's language, the PDFs from the frozen version, a reply, dead links."""
import hashlib
import re
import subprocess
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from tests.portal.conftest import example
from webapp.models import AuditEvent, ParentLink, ParentReply
from webapp.models.case import utcnow
from webapp.services import links
from webapp.services.versions import latest_version, version_document


def pdf_text(data: bytes) -> str:
    out = subprocess.run(['pdftotext', '-raw', '-', '-'], input=data, capture_output=True, check=True).stdout
    # pdftotext wraps right-to-left words in bidi controls (PITFALLS.md)
    return re.sub('[\u202a-\u202e\u2066-\u2069]', '', out.decode())


def test_a_link_stores_only_the_hash_of_a_long_random_token(session, milan, make_link):
    link, token = make_link(milan)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    stored = session.get(ParentLink, link.id)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored.__dict__)
    assert (stored.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)).days in (29, 30)
    assert links.link_url(token) == f'http://127.0.0.1:5000/o/{token}'


def test_the_parent_reads_the_letter_in_arabic_right_to_left(client, session, milan, make_link):
    _link, token = make_link(milan, ouder=2)
    response = client.get(f'/o/{token}')
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert 'رسالة إلى الوالدين' in page  # the letter's title in Arabic
    assert 'Ik ga akkoord' not in page  # the page's own words are Arabic too
    assert 'Lotte Hermans' in page and 'CLB Zennevallei' in page  # whom to contact
    assert response.headers['Referrer-Policy'] == 'no-referrer'
    assert response.headers['Cache-Control'] == 'no-store'
    assert response.headers['X-Robots-Tag'].startswith('noindex')
    assert "default-src 'none'" in response.headers['Content-Security-Policy']
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from another host


def test_a_dutch_parent_reads_dutch(client, milan, make_link):
    _link, token = make_link(milan, ouder=1)
    page = client.get(f'/o/{token}').get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page and 'Brief voor de ouders' in page and 'Ik ga akkoord' in page


def test_a_language_traject_cannot_write_falls_back_to_dutch(client, final_case, session, make_link):
    doc = example('milan')
    doc['ouders'][1]['voorkeurtaal'] = 'sw'
    _link, token = make_link(final_case(doc), ouder=2)
    assert '<html lang="nl" dir="ltr">' in client.get(f'/o/{token}').get_data(as_text=True)


def test_the_pdfs_are_the_frozen_versions_and_the_downloads_are_audited(client, session, milan, make_link):
    link, token = make_link(milan, ouder=2)
    response = client.get(f'/o/{token}/brief.pdf')
    assert response.status_code == 200 and response.mimetype == 'application/pdf'
    assert response.data == version_document(session, latest_version(session, milan), 'oudersamenvatting', 'pdf',
                                              'ar')
    text = pdf_text(response.data)  # pdftotext gives Arabic words in visual order: look for single words
    assert 'الوالدين' in text and 'التاريخ' in text and 'Olivier Lemaire' in text
    verslag = client.get(f'/o/{token}/verslag.pdf')
    assert verslag.status_code == 200 and 'IAC-verslag' in pdf_text(verslag.data)
    actions = [(e.action, (e.detail or {}).get('kind')) for e in session.query(AuditEvent)
               .filter_by(case_id=milan.id).order_by(AuditEvent.id)]
    assert ('link.download', 'oudersamenvatting') in actions and ('link.download', 'verslag') in actions
    assert session.get(ParentLink, link.id).last_used_at is not None


def test_the_parents_verslag_has_their_own_diagnoses_and_is_frozen_with_the_version(client, session, final_case,
                                                                                    make_link):
    doc = example('milan')
    school_only, parents_only = doc['traject']['diagnosen'][0], dict(doc['traject']['diagnosen'][0])
    school_only.update(delen_met_school=True, delen_met_ouders=False,
                       omschrijving='Een geheime diagnose voor de school')
    parents_only.update(delen_met_school=False, delen_met_ouders=True, omschrijving='Een diagnose voor de ouders')
    doc['traject']['diagnosen'].append(parents_only)
    case = final_case(doc)
    _link, token = make_link(case, ouder=1)
    data = client.get(f'/o/{token}/verslag.pdf').data
    text = pdf_text(data)
    assert 'IAC-verslag' in text and 'geheime diagnose' not in text and 'Een diagnose voor de ouders' in text
    assert 'versie 1 · definitief op' in text  # the version's own document, not one made today
    assert data == version_document(session, latest_version(session, case), 'verslag-ouders', 'pdf', 'nl')
    # The school's verslag of the same version is another document: the school's diagnoses, not the parents'.
    school = pdf_text(version_document(session, latest_version(session, case), 'verslag', 'pdf', 'nl'))
    assert 'geheime diagnose' in school and 'Een diagnose voor de ouders' not in school


def test_expired_revoked_unknown_and_deleted_links_show_the_same_calm_page(client, session, milan, make_link):
    expired, expired_token = make_link(milan)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    revoked, revoked_token = make_link(milan)
    links.revoke_link(session, milan, revoked.id, actor='medewerker')
    session.commit()
    pages = []
    for token in (expired_token, revoked_token, 'x' * 43):
        for path in ('', '/brief.pdf', '/verslag.pdf'):
            response = client.get(f'/o/{token}{path}')
            pages.append((response.status_code, response.get_data(as_text=True)))
        response = client.post(f'/o/{token}/antwoord', data={'antwoord': 'akkoord'})
        pages.append((response.status_code, response.get_data(as_text=True)))
    assert len(set(pages)) == 1
    status, body = pages[0]
    assert status == 404 and 'Deze link werkt niet (meer)' in body and 'Milan' not in body
    assert session.query(ParentReply).count() == 0
    # A deleted case takes its links with it at once.
    _live, live_token = make_link(milan)
    assert client.get(f'/o/{live_token}').status_code == 200
    milan.deleted_at = utcnow()
    session.commit()
    assert (client.get(f'/o/{live_token}').status_code, client.get(f'/o/{live_token}').get_data(as_text=True)) \
        == pages[0]


def test_guessing_is_throttled_per_address(client, milan, make_link):
    _link, token = make_link(milan)
    for _ in range(links.GUESS_LIMIT):
        assert client.get(f'/o/{"g" * 43}').status_code == 404
    response = client.get(f'/o/{token}')  # even a real link waits: the address is guessing
    assert response.status_code == 429 and 'Te veel pogingen' in response.get_data(as_text=True)
    assert 'Milan' not in response.get_data(as_text=True)
    other = client.get(f'/o/{token}', environ_overrides={'REMOTE_ADDR': '10.9.8.7'})
    assert other.status_code == 200


def _login(client, create_user):
    create_user()
    assert client.post('/login', data={'username': 'medewerker', 'password': PASSWORD}).status_code == 302


def test_a_question_is_stored_audited_confirmed_and_shown_to_the_clb(app, client, session, milan, make_link,
                                                                      create_user):
    link, token = make_link(milan, ouder=1)
    response = client.post(f'/o/{token}/antwoord', data={'antwoord': 'vraag', 'tekst': 'Wanneer is het gesprek?'})
    assert response.status_code == 303
    confirmed = client.get(response.headers['Location']).get_data(as_text=True)
    assert confirmed.count('Bedankt. Het CLB heeft uw antwoord ontvangen.') == 1 and 'name="antwoord"' not in confirmed
    reply = session.query(ParentReply).one()
    assert (reply.case_id, reply.ouder, reply.kind, reply.text, reply.version_number) == \
        (milan.id, 1, 'vraag', 'Wanneer is het gesprek?', 1)
    event = session.query(AuditEvent).filter_by(action='link.reply').one()
    assert event.case_id == milan.id and 'Wanneer' not in str(event.detail)
    worker = app.test_client()
    _login(worker, create_user)
    listing = worker.get('/').get_data(as_text=True)
    assert f'id="replies-{milan.id}"' in listing and '1 nieuw antwoord van de ouders' in listing
    page = worker.get(f'/cases/{milan.id}').get_data(as_text=True)
    assert 'Wanneer is het gesprek?' in page and 'heeft een vraag' in page and f'id="read-{reply.id}"' in page
    assert worker.post(f'/cases/{milan.id}/antwoorden/gelezen', data={'reply_id': reply.id}).status_code == 302
    assert 'gelezen door medewerker' in worker.get(f'/cases/{milan.id}').get_data(as_text=True)
    assert f'id="replies-{milan.id}"' not in worker.get('/').get_data(as_text=True)


@pytest.mark.parametrize('data, message', [
    ({'tekst': 'iets'}, 'Kies "Ik ga akkoord" of "Ik heb een vraag".'),
    ({'antwoord': 'vraag', 'tekst': '  '}, 'Schrijf uw vraag in het vak.'),
    ({'antwoord': 'akkoord', 'tekst': 'x' * (links.MAX_REPLY_LENGTH + 1)},
     f'Uw tekst is te lang: schrijf hoogstens {links.MAX_REPLY_LENGTH} tekens. U schreef er '
     f'{links.MAX_REPLY_LENGTH + 1}.'),
])
def test_a_wrong_reply_is_refused_with_the_text_kept(client, session, milan, make_link, data, message):
    _link, token = make_link(milan, ouder=1)
    response = client.post(f'/o/{token}/antwoord', data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message.replace('"', '&#34;') in page
    assert data['tekst'] in page
    assert session.query(ParentReply).count() == 0


def test_replies_through_one_link_are_limited_per_hour_with_the_text_kept(client, session, milan, make_link):
    # Five replies in an hour are more than a parent needs; the sixth waits, and the CLB's list is not flooded.
    _link, token = make_link(milan, ouder=1)
    for n in range(links.REPLY_LIMIT):
        assert client.post(f'/o/{token}/antwoord', data={'antwoord': 'vraag', 'tekst': f'Vraag {n}'}).status_code == 303
    response = client.post(f'/o/{token}/antwoord', data={'antwoord': 'vraag', 'tekst': 'Nog een vraag'})
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and 'Te veel pogingen. Probeer het over een uur opnieuw.' in page
    assert '>Nog een vraag</textarea>' in page
    assert session.query(ParentReply).count() == links.REPLY_LIMIT
    session.query(ParentReply).update({'created_at': utcnow() - links.REPLY_WINDOW - timedelta(minutes=1)})
    session.commit()
    assert client.post(f'/o/{token}/antwoord', data={'antwoord': 'vraag', 'tekst': 'Nog een vraag'}).status_code == 303
    _other, other_token = make_link(milan, ouder=2)  # the other parent's link has replies of its own
    assert client.post(f'/o/{other_token}/antwoord', data={'antwoord': 'akkoord'}).status_code == 303


def test_a_reply_needs_the_pages_csrf_token(app, client, session, milan, make_link):
    app.config['WTF_CSRF_ENABLED'] = True
    _link, token = make_link(milan, ouder=1)
    refused = client.post(f'/o/{token}/antwoord', data={'antwoord': 'akkoord'})
    assert refused.status_code == 422 and 'De pagina stond te lang open' in refused.get_data(as_text=True)
    assert session.query(ParentReply).count() == 0
    page = client.get(f'/o/{token}').get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f'/o/{token}/antwoord', data={'antwoord': 'akkoord', 'csrf_token': csrf}).status_code == 303
    assert session.query(ParentReply).one().kind == 'akkoord'


def test_opening_the_page_is_audited_and_updates_the_last_use(client, session, milan, make_link):
    link, token = make_link(milan)
    assert session.get(ParentLink, link.id).last_used_at is None
    client.get(f'/o/{token}')
    session.expire_all()
    assert session.get(ParentLink, link.id).last_used_at is not None
    assert session.query(AuditEvent).filter_by(action='link.open', case_id=milan.id).count() == 1


def test_a_case_finalised_before_versions_existed_serves_its_final_documents(client, session, make_link):
    from webapp.services.cases import import_document
    case = import_document(session, example('milan'))
    case.is_final = True  # final without a version: how cases finalised before frozen versions look
    session.commit()
    assert latest_version(session, case) is None
    _link, token = make_link(case, ouder=1)
    response = client.get(f'/o/{token}/brief.pdf')
    assert response.status_code == 200 and 'Brief voor de ouders' in pdf_text(response.data)
    assert 'CONCEPT' not in pdf_text(response.data)


def test_a_reopened_case_keeps_showing_its_last_version(client, session, milan, make_link):
    from webapp.services.cases import reopen_case
    _link, token = make_link(milan, ouder=1)
    stored = version_document(session, latest_version(session, milan), 'oudersamenvatting', 'pdf', 'nl')
    session.commit()
    reopen_case(session, milan, actor='test')
    milan.data = {**milan.data, 'oudersamenvatting': {'toelichting': 'Een nieuwe zin die nog niet definitief is.'}}
    session.commit()
    page = client.get(f'/o/{token}').get_data(as_text=True)
    assert 'Brief voor de ouders' in page and 'nog niet definitief' not in page
    assert client.get(f'/o/{token}/brief.pdf').data == stored


def test_a_link_closes_when_a_later_version_drops_the_pupils_consent(client, session, milan, make_link):
    from webapp.services.cases import finalize_case, reopen_case
    _link, token = make_link(milan, ouder=1)
    assert client.get(f'/o/{token}').status_code == 200
    reopen_case(session, milan, actor='test')
    milan.data = {**milan.data, 'toestemmingen': [t for t in milan.data['toestemmingen']
                                                  if t['onderwerp'] != 'delen-met-ouders']}
    finalize_case(session, milan, actor='test')
    session.commit()
    assert client.get(f'/o/{token}').status_code == 404


def test_a_render_past_its_limits_gets_a_calm_page_in_the_parents_language(app, client, session, milan, make_link):
    _link, token = make_link(milan, ouder=2)
    app.config['RENDER_TIMEOUT'] = 0.2  # a real render process that cannot finish in time
    try:
        response = client.get(f'/o/{token}/brief.pdf')
    finally:
        app.config['RENDER_TIMEOUT'] = 60
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and '<html lang="ar" dir="rtl">' in page
    assert 'هذا الملف غير متوفّر الآن' in page and 'CLB Zennevallei' in page
    assert session.query(AuditEvent).filter_by(action='link.download').count() == 0


def test_maintenance_forgets_the_addresses_of_failed_opens_after_the_window(app, client, session):
    from webapp.models import LinkAttempt
    from webapp.services import maintenance
    client.get(f'/o/{"q" * 43}')
    assert session.query(LinkAttempt).count() == 1
    assert maintenance.run(app.extensions['traject_db'], now=utcnow())['login_attempts'] == 0
    removed = maintenance.run(app.extensions['traject_db'], now=utcnow() + links.GUESS_WINDOW + timedelta(minutes=1))
    assert removed['login_attempts'] == 1
    session.rollback()  # end this test's read transaction: maintenance wrote in its own
    assert session.query(LinkAttempt).count() == 0
