"""Parents' links: a read link for one parent of a final case, the replies sent through it, and guessing throttled.

The token exists only in the link itself (the URL, the e-mail, the QR code on the cover letter): the database keeps
its SHA-256, so a copy of the database opens nothing. A link dies when it expires, when it is revoked, and when its
case is deleted; a dead link and a made-up one look exactly the same to whoever holds it.
"""
import hashlib
import secrets
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.documents import parents
from webapp.documents.context import age_on
from webapp.documents.registry import parents_read_other_diagnoses
from webapp.models import Case, ParentLink, ParentReply
from webapp.models.case import delete_before, utcnow
from webapp.models.portal import LinkAttempt
from webapp.services import audit


# 32 random bytes: 43 characters in the URL, far beyond guessing (the issue asks for at least 32 bytes).
TOKEN_BYTES = 32
DEFAULT_DAYS = 30
MAX_DAYS = 365
REPLY_KINDS = ('akkoord', 'vraag')
# A question fits on a phone screen or two; longer texts belong in a conversation with the CLB.
MAX_REPLY_LENGTH = 2000
# A parent answers once or twice; more replies than this within REPLY_WINDOW through one link wait for the window.
REPLY_LIMIT = 5
REPLY_WINDOW = timedelta(hours=1)
# Guessing: an address with this many failed opens within the window is refused for the rest of the window.
GUESS_WINDOW = timedelta(hours=1)
GUESS_LIMIT = 20


class LinkRefused(ValueError):
    """No link can be made (or revoked) here; the message says why, in the user's language."""


def hash_token(token: str) -> str:
    """Return the stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    """Return the absolute address a parent opens (TRAJECT_BASE_URL + /o/<token>)."""
    return f"{current_app.config['TRAJECT_BASE_URL'].rstrip('/')}/o/{token}"


def _aware(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes for timezone-aware columns; they were written in UTC.
    return value.replace(tzinfo=utcnow().tzinfo) if value is not None and value.tzinfo is None else value


# ---- who may get a link ----

def _same_name(a: Any, b: Any) -> bool:
    def norm(value: Any) -> str:
        return ' '.join(unicodedata.normalize('NFC', str(value or '')).casefold().split())
    return norm(a) == norm(b) != ''


def pupil_is_bekwaam(doc: dict[str, Any], today: date | None = None) -> bool:
    """Return whether the pupil is presumed bekwaam: 12 or older on the verslag's date, else today (DOMAIN.md §6.4)."""
    leerling = doc.get('leerling') or {}
    try:
        birth = date.fromisoformat(leerling.get('geboortedatum') or '')
        day = date.fromisoformat((doc.get('verslag') or {}).get('datum') or (today or date.today()).isoformat())
    except (TypeError, ValueError):
        return False
    return age_on(birth, day) >= 12


def pupil_consented(doc: dict[str, Any]) -> bool:
    """Return whether the pupil gave the recorded consent 'delen-met-ouders' (gegeven_door: "voornaam achternaam")."""
    leerling = doc.get('leerling') or {}
    pupil = f"{leerling.get('voornaam', '')} {leerling.get('achternaam', '')}"
    return any(isinstance(t, dict) and t.get('onderwerp') == 'delen-met-ouders' and _same_name(t.get('gegeven_door'),
                                                                                                 pupil)
               for t in doc.get('toestemmingen') or [])


def refusal(case: Case, ouder: int | None = None) -> str | None:
    """Return why no link can be made for the case (or for parent `ouder`, counted from 1), or None if one can."""
    doc = case.data
    if case.deleted_at is not None:
        return _('Dit dossier is verwijderd.')
    if not case.is_final:
        return _('Een link voor de ouders kan pas als het dossier definitief is.')
    if pupil_is_bekwaam(doc) and not pupil_consented(doc):
        name = (doc.get('leerling') or {}).get('voornaam') or _('de leerling')
        return _('%(naam)s is 12 jaar of ouder en beslist zelf mee: de ouders krijgen pas een link als %(naam)s '
                 'toestemming "delen met ouders" gaf. Noteer die toestemming in de stap Onthaal.', naam=name)
    ouders = doc.get('ouders') or []
    if ouder is not None and not 1 <= ouder <= len(ouders):
        return _('Dit dossier heeft geen ouder %(nummer)s (er zijn er %(aantal)s).', nummer=ouder,
                 aantal=len(ouders))
    return None


def parent_of(doc: dict[str, Any], ouder: int) -> dict[str, Any]:
    """Return parent `ouder` (counted from 1) of the case, or {} if there is none."""
    ouders = doc.get('ouders') or []
    return ouders[ouder - 1] if 1 <= ouder <= len(ouders) and isinstance(ouders[ouder - 1], dict) else {}


def parent_language(doc: dict[str, Any], ouder: int) -> str:
    """Return the language of parent `ouder`'s pages and letter: their voorkeurtaal if Traject writes it, else Dutch."""
    code = parent_of(doc, ouder).get('voorkeurtaal') or 'nl'
    return code if code in parents.LANGUAGES else 'nl'


# ---- links ----

def create_link(session: Session, case: Case, ouder: int, *, actor: str, user_id: int | None = None,
                days: int = DEFAULT_DAYS) -> tuple[ParentLink, str]:
    """Make a link for parent `ouder` of `case`; return it with its token (shown once, never stored); flush."""
    reason = refusal(case, ouder)
    if reason is None and not 1 <= days <= MAX_DAYS:
        reason = _('Een link geldt minstens 1 en hoogstens %(max)s dagen.', max=MAX_DAYS)
    if reason:
        raise LinkRefused(reason)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ParentLink(case_id=case.id, ouder=ouder, token_hash=hash_token(token), created_by=actor, user_id=user_id,
                      expires_at=utcnow() + timedelta(days=days))
    session.add(link)
    session.flush()
    audit.record(session, 'link.create', actor=actor, user_id=user_id, item=case,
                 detail={'link': link.id, 'ouder': ouder, 'days': days})
    return link, token


def revoke_link(session: Session, case: Case, link_id: int, *, actor: str, user_id: int | None = None) -> ParentLink:
    """Revoke link `link_id` of `case` at once; flush. Raise LinkRefused if the case has no such link."""
    link = session.scalar(select(ParentLink).where(ParentLink.id == link_id, ParentLink.case_id == case.id))
    if link is None:
        raise LinkRefused(_('Deze link bestaat niet (meer) bij dit dossier.'))
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record(session, 'link.revoke', actor=actor, user_id=user_id, item=case, detail={'link': link.id})
        session.flush()
    return link


def links_of(session: Session, case: Case) -> list[ParentLink]:
    """Return every link of the case, newest first."""
    return list(session.scalars(select(ParentLink).where(ParentLink.case_id == case.id)
                                .order_by(ParentLink.created_at.desc(), ParentLink.id.desc())))


def link_state(link: ParentLink, now: datetime | None = None) -> str:
    """Return 'actief', 'ingetrokken' or 'verlopen'."""
    if link.revoked_at is not None:
        return 'ingetrokken'
    return 'verlopen' if _aware(link.expires_at) <= (now or utcnow()) else 'actief'


def resolve(session: Session, token: str, *, now: datetime | None = None) -> ParentLink | None:
    """Return the live link the token opens, or None: unknown, expired, revoked, or its case deleted or not final."""
    if not token or len(token) > 100:
        return None
    link = session.scalar(select(ParentLink).where(ParentLink.token_hash == hash_token(token)))
    if link is None or link_state(link, now) != 'actief':
        return None
    case = session.get(Case, link.case_id)
    if case is None or case.deleted_at is not None:
        return None
    # Reopened for a new version: the parents keep reading the last frozen one; a case finalised before versions
    # existed has nothing to show until it is final again.
    if not case.is_final and _latest_version(session, case) is None:
        return None
    # A pupil of 12 or older who no longer consents (a later version without it) closes every parent's link.
    doc, _version = parent_view(session, case)
    if pupil_is_bekwaam(doc) and not pupil_consented(doc):
        return None
    return link


def mark_used(session: Session, link: ParentLink, what: str, *, detail: dict[str, Any] | None = None) -> None:
    """Note that the link was used now (its last use) and audit what the parent did; flush."""
    link.last_used_at = utcnow()
    audit.record(session, f'link.{what}', actor=parent_actor(link), item=session.get(Case, link.case_id),
                 detail={'link': link.id, **(detail or {})})
    session.flush()


def parent_actor(link: ParentLink) -> str:
    """Return how the audit trail names the parent behind a link (never a name: the case says who parent N is)."""
    return f'ouder {link.ouder} (link {link.id})'


# ---- what the parents read ----

def _latest_version(session: Session, case: Case):
    from webapp.services.versions import latest_version
    return latest_version(session, case)


def parent_view(session: Session, case: Case) -> tuple[dict[str, Any], Any]:
    """Return (the case as the parents read it: its latest frozen version, else the final case itself, the version)."""
    version = _latest_version(session, case)
    return (version.data if version is not None else case.data), version


def document_date(version) -> date | None:
    """Return the date a version's documents carry (the day it was finalised), or None without a version."""
    if version is None:
        return None
    from webapp.services.versions import finalised_on
    return finalised_on(version)


def parent_document(session: Session, case: Case, kind: str, language: str) -> bytes:
    """Return the PDF of `kind` ('oudersamenvatting' in `language`, or 'verslag') as the parents may read it.

    From the latest frozen version: the stored bytes. When the parents may read other diagnoses than the school
    (delen_met_ouders and delen_met_school differ), their verslag is the version's own 'verslag-ouders' (DOMAIN.md §6).
    """
    from webapp.jobs.renders import get_document
    doc, version = parent_view(session, case)
    if kind == 'verslag' and parents_read_other_diagnoses(doc):
        kind = 'verslag-ouders'
    if version is not None:
        from webapp.services.versions import version_document
        return version_document(session, version, kind, 'pdf', language)
    return get_document(doc, kind, 'pdf', language, final=True, item=f'case-{case.id}')


# ---- replies ----

def record_reply(session: Session, link: ParentLink, kind: str, text: str | None) -> ParentReply:
    """Store a parent's reply through `link` and audit it (without its text); flush."""
    if kind not in REPLY_KINDS:
        raise ValueError(kind)
    case = session.get(Case, link.case_id)
    version = _latest_version(session, case)
    reply = ParentReply(case_id=link.case_id, link_id=link.id, ouder=link.ouder, kind=kind,
                        text=(text or '').strip() or None, version_number=version.number if version else None)
    session.add(reply)
    session.flush()
    mark_used(session, link, 'reply', detail={'reply': reply.id, 'kind': kind})
    return reply


def may_reply(session: Session, link: ParentLink, *, now: datetime | None = None) -> bool:
    """Return whether `link` may send one more reply now (fewer than REPLY_LIMIT within REPLY_WINDOW)."""
    since = (now or utcnow()) - REPLY_WINDOW
    recent = session.scalar(select(func.count()).select_from(ParentReply).where(
        ParentReply.link_id == link.id, ParentReply.created_at >= since))
    return recent < REPLY_LIMIT


def replies_of(session: Session, case: Case) -> list[ParentReply]:
    """Return the case's replies, newest first."""
    return list(session.scalars(select(ParentReply).where(ParentReply.case_id == case.id)
                                .order_by(ParentReply.created_at.desc(), ParentReply.id.desc())))


def unread_counts(session: Session, case_ids: list[int]) -> dict[int, int]:
    """Return the number of unread replies per case (cases without any left out)."""
    if not case_ids:
        return {}
    rows = session.execute(select(ParentReply.case_id, func.count()).where(
        ParentReply.case_id.in_(case_ids), ParentReply.read_at.is_(None)).group_by(ParentReply.case_id))
    return dict(rows.all())


def mark_read(session: Session, case: Case, reply_id: int, *, actor: str, user_id: int | None = None) -> None:
    """Mark reply `reply_id` of `case` as read by `actor`; flush. Raise LinkRefused if the case has no such reply."""
    reply = session.scalar(select(ParentReply).where(ParentReply.id == reply_id, ParentReply.case_id == case.id))
    if reply is None:
        raise LinkRefused(_('Dit antwoord bestaat niet bij dit dossier.'))
    if reply.read_at is None:
        reply.read_at, reply.read_by = utcnow(), actor
        audit.record(session, 'reply.read', actor=actor, user_id=user_id, item=case, detail={'reply': reply.id})
        session.flush()


# ---- guessing ----

def guessing_blocked(session: Session, address: str, *, now: datetime | None = None) -> bool:
    """Return whether `address` made too many failed opens within the window to try again now."""
    since = (now or utcnow()) - GUESS_WINDOW
    count = session.scalar(select(func.count()).where(LinkAttempt.address == address[:64], LinkAttempt.at > since))
    return count >= GUESS_LIMIT


def record_failed_open(session: Session, address: str, *, now: datetime | None = None) -> None:
    """Count a failed open from `address` and forget those older than the window; flush."""
    now = now or utcnow()
    purge_attempts(session, now=now)
    session.add(LinkAttempt(address=address[:64], at=now))
    session.flush()


def purge_attempts(session: Session, *, now: datetime | None = None) -> int:
    """Forget failed opens older than the window (an address is personal data); return how many; flush."""
    removed = delete_before(session, LinkAttempt.at, (now or utcnow()) - GUESS_WINDOW)
    session.flush()
    return removed


# ---- delivery ----

def cover_letter(session: Session, case: Case, link: ParentLink, token: str) -> bytes:
    """Return the printable cover letter of `link` (PDF, the link as text and QR code) in the parent's language."""
    from webapp.documents.parentlink import render_cover_letter
    doc, _version = parent_view(session, case)
    return render_cover_letter(doc, link.ouder, link_url(token), expires=_aware(link.expires_at).date(),
                               language=parent_language(doc, link.ouder))


def mail_link(session: Session, case: Case, link: ParentLink, token: str, *, actor: str,
              user_id: int | None = None) -> bool:
    """E-mail the link to the parent in their language when SMTP is configured and the case has their address.

    Return whether it was sent; raise mail.MailError when the server refused it. Audited without the address.
    """
    from webapp.documents.parentlink import mail_message
    from webapp.services import mail
    doc, _version = parent_view(session, case)
    address = (parent_of(doc, link.ouder).get('email') or '').strip()
    if not mail.configured(current_app.config) or not address:
        return False
    language = parent_language(doc, link.ouder)
    subject, body = mail_message(doc, link.ouder, link_url(token), expires=_aware(link.expires_at).date(),
                                 language=language)
    mail.send(current_app.config, address, subject, body, language=language)
    link.mailed_at = utcnow()
    audit.record(session, 'link.mail', actor=actor, user_id=user_id, item=case, detail={'link': link.id})
    session.flush()
    return True
