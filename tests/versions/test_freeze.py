"""Finalising freezes a version; its documents are stored once and returned byte for byte afterwards."""
import copy

from sqlalchemy import select

from webapp import db
from webapp.models import Version, VersionDocument
from webapp.services import cases as case_service
from webapp.services import versions


def test_finalising_freezes_a_version_whose_documents_are_stored_once(app, dummy_case):
    with app.app_context():
        session = db.session()
        case = case_service.import_document(session, copy.deepcopy(dummy_case))
        case_service.finalize_case(session, case, actor='cli')
        session.commit()
        version = versions.latest_version(session, case)
        assert version.number == 1 and version.data == case.data
        first = versions.version_document(session, version, 'verslag', 'pdf')
        session.commit()
        assert first.startswith(b'%PDF')
        stored = session.scalar(select(VersionDocument).where(VersionDocument.version_id == version.id))
        assert stored.sha256 == versions.sha256(first)
        assert versions.version_document(session, version, 'verslag', 'pdf') == first
        case_service.reopen_case(session, case, actor='cli')
        case_service.finalize_case(session, case, actor='cli')
        session.commit()
        assert [v.number for v in versions.versions_of(session, case)] == [1, 2]
        assert session.scalar(select(Version).where(Version.number == 2)).case_id == case.id
