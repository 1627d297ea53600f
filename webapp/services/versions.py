"""Frozen versions: finalising a case (or samenwerking) keeps what it said and the exact bytes of its documents.

A version is never changed. Its documents are rendered once, as final documents dated on the day of finalising,
and stored with their SHA-256; every later download returns those stored bytes, whatever day it is and whatever
changed in the templates since.
"""
import difflib
import hashlib
import json
import logging
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.documents import DOCUMENTS, FORMATS, DocumentError, get_spec, kinds_for
from webapp.documents import parents
from webapp.jobs.runner import RenderRefused, get_pool
from webapp.models import Case, Samenwerking, Version, VersionDocument


logger = logging.getLogger(__name__)
LOCAL_TIME = ZoneInfo('Europe/Brussels')


class VersionDocumentInfo(NamedTuple):
    """A stored document of a version, without its bytes."""

    sha256: str
    created_at: datetime
    size: int


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

    Call it with the version committed and no transaction of the caller open: the look-up and the store use short
    sessions of their own and the render runs outside any transaction. Two workers asking at once may both render,
    but only one row is stored (a unique constraint) and both return its bytes. Raises DocumentError when the
    document does not exist for this version, RenderRefused past the render limits.
    """
    get_spec(version.data, kind, fmt, language)  # DocumentError for a kind, format or language it does not have
    with _own_session() as own:
        stored = _stored(own, version.id, kind, fmt, language)
    if stored is not None:
        return stored
    data = get_pool(current_app.config).render(version.data, kind, fmt, language, final=True,
                                               today=finalised_on(version), version=version.number)
    with _own_session() as own:
        try:
            with own.begin():
                own.add(VersionDocument(version_id=version.id, kind=kind, fmt=fmt, language=language, data=data,
                                        sha256=sha256(data)))
        except IntegrityError:
            # Another worker stored it a moment earlier: its bytes are the version's document.
            return _stored(own, version.id, kind, fmt, language)
    return data


def _own_session() -> Session:
    return current_app.extensions['traject_db']()


def _stored(session: Session, version_id: int, kind: str, fmt: str, language: str) -> bytes | None:
    return session.scalar(select(VersionDocument.data).where(
        VersionDocument.version_id == version_id, VersionDocument.kind == kind, VersionDocument.fmt == fmt,
        VersionDocument.language == language))


def stored_documents(session: Session, version: Version) -> dict[tuple[str, str, str], VersionDocumentInfo]:
    """Return what is stored of the version's documents, by (kind, format, language), without their bytes."""
    rows = session.execute(select(VersionDocument.kind, VersionDocument.fmt, VersionDocument.language,
                                  VersionDocument.sha256, VersionDocument.created_at, func.length(VersionDocument.data))
                           .where(VersionDocument.version_id == version.id))
    return {(kind, fmt, language): VersionDocumentInfo(sha, created, size)
            for kind, fmt, language, sha, created, size in rows}


def render_all(session: Session, version: Version) -> list[tuple[str, str, str, str | None]]:
    """Render and store every document of `version` not stored yet; return (kind, fmt, language, sha256) of each.

    A document past the render limits is left for its first download to try again (sha256 None).
    """
    done = []
    for kind, fmt, language in document_set(version):
        try:
            done.append((kind, fmt, language, sha256(version_document(session, version, kind, fmt, language))))
        except (DocumentError, RenderRefused) as exc:
            logger.warning('Version %s: %s.%s (%s) not rendered: %s', version.id, kind, fmt, language,
                           type(exc).__name__)
            done.append((kind, fmt, language, None))
    return done


class Change(NamedTuple):
    """One changed leaf between two versions: its JSON path, the old and the new value (None: not there)."""

    path: str
    old: Any
    new: Any

    @property
    def status(self) -> str:
        """Return 'added', 'removed' or 'changed'."""
        return 'added' if self.old is None else 'removed' if self.new is None else 'changed'


def changes(old: Any, new: Any, path: str = '') -> list[Change]:
    """Return every leaf that differs between two documents (or parts of them), in the new document's order.

    List items are matched by content first (difflib), so one item added or removed in the middle of a list shows
    as that item alone, not as every later item changed; items that changed in place are compared field by field.
    """
    if isinstance(old, dict) or isinstance(new, dict):
        old_dict = old if isinstance(old, dict) else {}
        new_dict = new if isinstance(new, dict) else {}
        found = [] if isinstance(old, dict) or old is None else [Change(path, old, None)]
        for key in [*new_dict, *(k for k in old_dict if k not in new_dict)]:
            found += changes(old_dict.get(key), new_dict.get(key), f'{path}.{key}' if path else key)
        if not isinstance(new, dict) and new is not None:
            found.append(Change(path, None, new))
        return found
    if isinstance(old, list) or isinstance(new, list):
        old_list = old if isinstance(old, list) else []
        new_list = new if isinstance(new, list) else []
        found = []
        matcher = difflib.SequenceMatcher(None, [_key(v) for v in old_list], [_key(v) for v in new_list],
                                          autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == 'equal':
                continue
            paired = min(i2 - i1, j2 - j1) if tag == 'replace' else 0
            for k in range(paired):
                found += changes(old_list[i1 + k], new_list[j1 + k], f'{path}[{j1 + k}]')
            for k in range(j1 + paired, j2):
                found += changes(None, new_list[k], f'{path}[{k}]')
            for k in range(i1 + paired, i2):
                found += changes(old_list[k], None, f'{path}[{k}]')
        return found
    if old == new or (old in (None, '') and new in (None, '')):
        return []
    return [Change(path, None if old == '' else old, None if new == '' else new)]


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def audience_of(kind: str) -> str:
    """Return who the document of `kind` is written for (for the access policy)."""
    return DOCUMENTS[kind].audience
