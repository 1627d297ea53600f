"""The GDPR hand-over of one case: everything Traject keeps about it, as one ZIP with a README in Dutch.

The ZIP holds the full record (the CLB's view, as traject-case/1 JSON: the CLB hands its own dossier over), the stored
bytes of every document of every frozen version, the parents' links and replies, and the case's audit rows. The
README lists each file with its SHA-256, so whoever receives the ZIP can check that nothing was changed on the way.
"""
import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.caseformat import CaseFormatError
from webapp.documents import DocumentError, parents
from webapp.jobs.runner import RenderRefused
from webapp.models import AuditEvent, Case, ParentLink, ParentReply, Version, VersionDocument
from webapp.models.case import utcnow
from webapp.services import versions
from webapp.services.cases import export_document


LOCAL_TIME = ZoneInfo('Europe/Brussels')
README = 'LEESMIJ.txt'
AUDIT_COLUMNS = ['id', 'tijdstip', 'gebruiker', 'gebruiker_id', 'actie', 'dossier', 'samenwerking', 'document',
                 'publiek', 'details']


def _local(moment: datetime | None) -> str:
    if moment is None:
        return ''
    moment = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo('UTC'))  # SQLite: naive UTC
    return moment.astimezone(LOCAL_TIME).isoformat(timespec='seconds')


def _dutch(moment: datetime, *, time: bool = False) -> str:
    # The README is Dutch whatever the UI language: "6 december 2026 om 14:34".
    local = moment.replace(tzinfo=moment.tzinfo or ZoneInfo('UTC')).astimezone(LOCAL_TIME)
    text = format_date(local.date(), 'long', locale='nl_BE')
    return f'{text} om {local:%H:%M}' if time else text


def version_file_name(kind: str, fmt: str, language: str) -> str:
    """Return a document's name inside its version's folder: verslag.pdf, oudersamenvatting-ar.pdf."""
    suffix = '' if language == 'nl' else f'-{language}'
    return f'{kind}{suffix}.{fmt}'


def version_documents(session: Session, version: Version) -> list[tuple[tuple[str, str, str], bytes | None]]:
    """Return every document of a version as stored: ((kind, format, language), bytes), None where it cannot be made.

    A version's documents are rendered on first ask (webapp.services.versions): the hand-over asks for each one, so
    the ZIP holds the whole set, and what it renders is stored for every later download too.
    """
    wanted = versions.document_set(version)
    stored = session.execute(select(VersionDocument.kind, VersionDocument.fmt, VersionDocument.language)
                             .where(VersionDocument.version_id == version.id)).all()
    # Documents stored for the version but no longer in its set (the registry changed since) are handed over too.
    keys = wanted + sorted(set(map(tuple, stored)) - set(wanted))
    found = []
    for kind, fmt, language in keys:
        try:
            found.append(((kind, fmt, language), versions.version_document(session, version, kind, fmt, language)))
        except (CaseFormatError, DocumentError, RenderRefused):
            found.append(((kind, fmt, language), None))
    return found


def audit_csv(events: list[AuditEvent]) -> bytes:
    """Return audit rows as CSV, the columns of `traject audit export`, times in Brussels time."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for event in events:
        writer.writerow([event.id, _local(event.at), event.actor, event.user_id or '', event.action,
                         event.case_id or '', event.samenwerking_id or '', event.kind or '', event.audience or '',
                         json.dumps(event.detail, ensure_ascii=False) if event.detail else ''])
    return out.getvalue().encode('utf-8')


def _language(code: str) -> str:
    # 'ar+nl' is the Arabic letter with the Dutch one after it.
    return ' en '.join(parents.language_name(part, 'nl') for part in code.split('+'))


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + '\n').encode('utf-8')


def _parent_name(doc: dict[str, Any], ouder: int) -> str | None:
    ouders = doc.get('ouders') or []
    return ouders[ouder - 1].get('naam') if 0 < ouder <= len(ouders) and isinstance(ouders[ouder - 1], dict) else None


def collect(session: Session, case: Case) -> list[tuple[str, bytes, str]]:
    """Return the files of the hand-over as (name, bytes, what it is in Dutch), README excluded."""
    doc = export_document(case)
    files = [('dossier.json', _json(doc), 'het volledige dossier zoals het CLB het bewaart (formaat traject-case/1)')]
    versions = session.scalars(select(Version).where(Version.case_id == case.id).order_by(Version.number)).all()
    for version in versions:
        folder = f'versie-{version.number}'
        files.append((f'{folder}/dossier.json', _json(version.data),
                      f'het dossier zoals het definitief werd op {_dutch(version.finalised_at)} '
                      f'(versie {version.number}, door {version.finalised_by})'))
        for (kind, fmt, language), data in version_documents(session, version):
            name = version_file_name(kind, fmt, language)
            if data is None:
                files.append((f'{folder}/{name}.niet-gemaakt.txt',
                              'Dit document kon voor deze versie niet gemaakt worden.\n'.encode('utf-8'),
                              f'{name} kon niet gemaakt worden (het dossier van deze versie heeft problemen)'))
                continue
            files.append((f'{folder}/{name}', data, f'{kind} ({fmt.upper()}, {_language(language)}), zoals gegeven'))
    links = session.scalars(select(ParentLink).where(ParentLink.case_id == case.id).order_by(ParentLink.id)).all()
    if links:
        # The token's hash stays out: it is a key, not data about the pupil.
        files.append(('links-ouders.json', _json([
            {'ouder': link.ouder, 'naam': _parent_name(doc, link.ouder), 'gemaakt_op': _local(link.created_at),
             'gemaakt_door': link.created_by, 'vervalt_op': _local(link.expires_at),
             'ingetrokken_op': _local(link.revoked_at), 'laatst_gebruikt_op': _local(link.last_used_at),
             'gemaild_op': _local(link.mailed_at)} for link in links]),
            'de leeslinks die ouders kregen: voor wie, wanneer, tot wanneer'))
    replies = session.scalars(select(ParentReply).where(ParentReply.case_id == case.id)
                              .order_by(ParentReply.created_at, ParentReply.id)).all()
    files.append(('antwoorden-ouders.json', _json([
        {'ouder': reply.ouder, 'naam': _parent_name(doc, reply.ouder), 'antwoord': reply.kind, 'tekst': reply.text,
         'versie': reply.version_number, 'ontvangen_op': _local(reply.created_at),
         'gelezen_op': _local(reply.read_at), 'gelezen_door': reply.read_by} for reply in replies]),
        f'de antwoorden van de ouders ({len(replies)})'))
    events = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)
                             .order_by(AuditEvent.at, AuditEvent.id)).all()
    files.append(('audit.csv', audit_csv(list(events)),
                  f'wie wat deed met dit dossier ({len(events)} regel(s), tijden in Belgische tijd)'))
    return files


def readme(case: Case, files: list[tuple[str, bytes, str]], *, now: datetime, has_versions: bool) -> str:
    """Return the README of the hand-over, in Dutch: what the ZIP holds, with a SHA-256 per file."""
    # Dutch, whatever the language of whoever clicks: a hand-over in the CLB's working language, like its documents.
    leerling = f'{case.leerling_voornaam} {case.leerling_achternaam}'.strip() or '(nog geen naam)'
    lines = [
        f'Gegevens van dossier {case.id} uit Traject (leerling: {leerling})',
        f'Samengesteld op {_dutch(now, time=True)} (Belgische tijd).',
        '',
        'Dit ZIP-bestand bevat alles wat Traject over dit dossier bewaart:',
        '',
    ]
    for name, _data, what in files:
        lines.append(f'- {name}: {what}')
    lines.append('')
    if not has_versions:
        lines += ['Dit dossier heeft geen definitieve versies, dus ook geen documenten die zo werden gegeven.',
                  'Alle gegevens staan in dossier.json; Traject kan er de documenten opnieuw mee maken.', '']
    lines += ['Controle: de SHA-256 van elk bestand (bijvoorbeeld met "sha256sum -c" na het uitpakken).', '']
    lines += [f'{hashlib.sha256(data).hexdigest()}  {name}' for name, data, _what in files]
    return '\n'.join(lines) + '\n'


def build_zip(session: Session, case: Case, *, now: datetime | None = None) -> bytes:
    """Return the hand-over ZIP of `case`."""
    now = now or utcnow()
    files = collect(session, case)
    has_versions = any(name.startswith('versie-') for name, _data, _what in files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README, readme(case, files, now=now, has_versions=has_versions).encode('utf-8'))
        for name, data, _what in files:
            archive.writestr(name, data)
    return out.getvalue()
