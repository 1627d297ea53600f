"""Frozen versions: finalising a case (or samenwerking) keeps what it said and the exact bytes of its documents.

A version is never changed. Its documents are rendered once, as final documents dated on the day of finalising,
and stored with their SHA-256; every later download returns those stored bytes, whatever day it is and whatever
changed in the templates since.
"""
import hashlib
import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.documents import DOCUMENTS, FORMATS, get_spec, kinds_for
from webapp.documents import parents
from webapp.jobs.runner import get_pool
from webapp.models import Case, Samenwerking, Version, VersionDocument


LOCAL_TIME = ZoneInfo('Europe/Brussels')


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def _owner(item: Case | Samenwerking) -> Any:
    return Version.case_id == item.id if isinstance(item, Case) else Version.samenwerking_id == item.id


def versions_of(session: Session, item: Case | Samenwerking) -> list[Version]:
    """Return every version of the case or samenwerking, oldest first."""
    return list(session.scalars(select(Version).where(_owner(item)).order_by(Version.number)))


def latest_version(session: Session, item: Case | Samenwerking) -> Version | None:
    """Return the newest version, or None if the record was never finalised since versions exist."""
    return session.scalar(select(Version).where(_owner(item)).order_by(Version.number.desc()).limit(1))


def get_version(session: Session, item: Case | Samenwerking, number: int) -> Version | None:
    """Return version `number` of the record, or None."""
    return session.scalar(select(Version).where(_owner(item), Version.number == number))


def freeze(session: Session, item: Case | Samenwerking, *, actor: str, user_id: int | None = None) -> Version:
    """Add the next version of `item` holding its document as it is now; flush. Its documents follow on first ask."""
    number = (session.scalar(select(func.max(Version.number)).where(_owner(item))) or 0) + 1
    data = dict(item.data)
    version = Version(number=number, data=data, sha256=sha256(json.dumps(data, ensure_ascii=False).encode()),
                      finalised_by=actor, user_id=user_id,
                      **({'case_id': item.id} if isinstance(item, Case) else {'samenwerking_id': item.id}))
    session.add(version)
    session.flush()
    return version


def finalised_on(version: Version) -> date:
    """Return the day the version was finalised, in Belgian time: the date its documents carry."""
    at = version.finalised_at
    if at.tzinfo is None:  # SQLite returns the stored UTC time without its zone
        at = at.replace(tzinfo=ZoneInfo('UTC'))
    return at.astimezone(LOCAL_TIME).date()


def document_set(version: Version) -> list[tuple[str, str, str]]:
    """Return (kind, format, language) of every document the version holds: each kind that applies, in Dutch, and
    the parents' letter also in each language it is asked in (alone and with the Dutch letter after it)."""
    found = []
    for kind in kinds_for(version.data):
        languages = ['nl']
        if kind == 'oudersamenvatting':
            for item in parents.summary_languages(version.data):
                if item['taal'] != 'nl':
                    languages += [item['taal'], f"{item['taal']}+nl"]
        found += [(kind, fmt, language) for language in languages for fmt in FORMATS]
    return found


def version_document(session: Session, version: Version, kind: str, fmt: str, language: str = 'nl') -> bytes:
    """Return the stored bytes of one document of `version`; the first ask renders and stores it.

    Raises DocumentError when the document does not exist for this version, RenderRefused past the render limits.
    """
    get_spec(version.data, kind, fmt, language)  # DocumentError for a kind, format or language it does not have
    stored = _stored(session, version, kind, fmt, language)
    if stored is not None:
        return stored
    data = get_pool(current_app.config).render(version.data, kind, fmt, language, final=True,
                                               today=finalised_on(version))
    # Stored in a short session of its own, so the caller's unit of work stays as it was.
    with current_app.extensions['traject_db']() as own:
        try:
            with own.begin():
                own.add(VersionDocument(version_id=version.id, kind=kind, fmt=fmt, language=language, data=data,
                                        sha256=sha256(data)))
        except IntegrityError:
            # Another worker stored it a moment earlier: its bytes are the version's document.
            return _stored(own, version, kind, fmt, language)
    return data


def _stored(session: Session, version: Version, kind: str, fmt: str, language: str) -> bytes | None:
    return session.scalar(select(VersionDocument.data).where(
        VersionDocument.version_id == version.id, VersionDocument.kind == kind, VersionDocument.fmt == fmt,
        VersionDocument.language == language))


def audience_of(kind: str) -> str:
    """Return who the document of `kind` is written for (for the access policy)."""
    return DOCUMENTS[kind].audience
