"""Fixtures of the GDPR tests: a stored case with everything that can hang off it, and a CLB worker's client."""
import copy
import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from webapp.models import (Case, CaseGrant, Draft, ParentLink, ParentReply, RenderedDocument, Version,
                           VersionDocument, WizardProgress)


@pytest.fixture
def session(app):
    """Return a session of the test's own, outside any request (`g` must not carry a user between requests)."""
    with app.app_context():
        own = app.extensions['traject_db']()
    yield own
    own.close()


def login(client, username: str):
    """Log `client` in as `username`."""
    response = client.post('/login', data={'username': username, 'password': PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


@pytest.fixture
def stored(app, session, dummy_case) -> Case:
    """Return the dummy case, imported."""
    from webapp.services.cases import import_document
    case = import_document(session, copy.deepcopy(dummy_case))
    session.commit()
    return case


@pytest.fixture
def clb(client, create_user, stored):
    """Return a client logged in as a CLB worker of the stored case's CLB."""
    create_user('medewerker', role='clb-medewerker')
    return login(client, 'medewerker')


PDF_BYTES = None


def verslag_pdf(doc: dict) -> bytes:
    """Return the final verslag of `doc` as a real PDF (rendered once per test run)."""
    global PDF_BYTES
    if PDF_BYTES is None:
        from webapp.documents import render
        PDF_BYTES = render(doc, 'verslag', 'pdf', 'nl', final=True)
    return PDF_BYTES


def add_version(session, case: Case, *, number: int = 1, when: datetime | None = None) -> Version:
    """Freeze a version of `case` with its verslag PDF, as the versions service stores it; commit."""
    data = dict(case.data)
    pdf = verslag_pdf(data)
    version = Version(case_id=case.id, number=number, data=data, finalised_by='test',
                      sha256=hashlib.sha256(repr(data).encode()).hexdigest(),
                      finalised_at=when or datetime.now(timezone.utc))
    version.documents.append(VersionDocument(kind='verslag', fmt='pdf', language='nl', data=pdf,
                                             sha256=hashlib.sha256(pdf).hexdigest()))
    session.add(version)
    session.commit()
    return version


def add_everything(session, case: Case, *, user_id: int | None = None) -> None:
    """Hang every kind of row off `case`: a version, a link with a reply, a grant, a draft, progress, a render."""
    add_version(session, case)
    now = datetime.now(timezone.utc)
    link = ParentLink(case_id=case.id, ouder=1, token_hash=hashlib.sha256(f'token-{case.id}'.encode()).hexdigest(),
                      created_by='test', expires_at=now + timedelta(days=30))
    session.add(link)
    session.flush()
    session.add(ParentReply(case_id=case.id, link_id=link.id, ouder=1, kind='vraag', text='Wanneer is het overleg?',
                            version_number=1))
    if case.leersteuncentrum_id:
        session.add(CaseGrant(case_id=case.id, organisation_id=case.leersteuncentrum_id, granted_by='test'))
    if user_id is not None:
        session.add(Draft(user_id=user_id, case_id=case.id, step='intake', data=[['voorgeschiedenis', 'x']]))
    session.add(WizardProgress(case_id=case.id, furthest_step='intake'))
    session.add(RenderedDocument(key=hashlib.sha256(f'render-{case.id}'.encode()).hexdigest(),
                                 item=f'case-{case.id}/verslag.pdf/nl/final', data=b'%PDF-cached',
                                 finished_at=now))
    session.commit()


def rows_of(session, case_id: int) -> dict[str, int]:
    """Return, per table with a case_id column (the audit trail excepted), how many rows name `case_id`."""
    from webapp.db import Base
    found = {}
    for table in Base.metadata.sorted_tables:
        if 'case_id' in table.c and table.name != 'audit_events':
            found[table.name] = len(session.execute(select(table.c.case_id).where(table.c.case_id == case_id)).all())
    found['cases'] = len(session.execute(select(Case.id).where(Case.id == case_id)).all())
    found['version_documents'] = len(session.execute(select(VersionDocument.id).join(Version).where(
        Version.case_id == case_id)).all())
    found['rendered_documents'] = len(session.execute(select(RenderedDocument.key).where(
        RenderedDocument.item.like(f'case-{case_id}/%'))).all())
    return found
