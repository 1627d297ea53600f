"""A pupil's data handed over and erased: deleting a case, erasing it for good, and the retention rule.

A deleted case is gone at once for everyone (the access policy hides it) and erased for good ERASE_AFTER later: a
real DELETE of the case and of every row hanging off it. The audit trail stays: it is append-only and holds ids,
never a pupil's name, so the rows 'delete' and 'erase' say what happened without saying to whom.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from webapp.models import (Case, CaseDate, CaseGrant, Draft, Job, JobFile, ParentLink, ParentReply,
                           RenderedDocument, Version, VersionDocument, WizardProgress)
from webapp.models.case import utcnow
from webapp.services import audit


# A deleted case can still be erased by hand (or a mistake found in the audit trail) for this long.
ERASE_AFTER = timedelta(days=30)
# DOMAIN.md §6.5: at least 10 years after the last contact, never before the pupil turns 25 (30 after
# buitengewoon onderwijs). Traject purges at the later of the two dates.
RETENTION_YEARS = 10
MINIMUM_AGE = 25
MINIMUM_AGE_BUITENGEWOON = 30
LOCAL_TIME = ZoneInfo('Europe/Brussels')


def delete_case(session: Session, case: Case, *, actor: str, user_id: int | None = None,
                now: datetime | None = None) -> None:
    """Delete a case: hidden at once, erased for good after ERASE_AFTER; audited without content; flush.

    Its parents' links are revoked at once (a parent's page of a deleted case must show nothing), and its `source_id`
    is released: importing the same file again makes a new case instead of reviving the deleted one.
    """
    now = now or utcnow()
    case.deleted_at = now
    case.source_id = None
    session.execute(update(ParentLink).where(ParentLink.case_id == case.id, ParentLink.revoked_at.is_(None))
                    .values(revoked_at=now))
    session.flush()
    audit.record(session, 'delete', actor=actor, user_id=user_id, item=case)


def erase_case(session: Session, case: Case, *, actor: str, reason: str) -> None:
    """Erase a case for good: the case row and every row hanging off it; an audit row 'erase' remains; flush.

    `reason` is 'deleted' (30 days after a delete) or 'retention' (past the retention period): no content.
    """
    case_id = case.id
    # Children first and explicitly: the rows go even where a database was made without ON DELETE CASCADE.
    session.execute(delete(RenderedDocument).where(RenderedDocument.item.like(f'case-{case_id}/%')))
    _erase_bulk_files(session, case_id)
    session.execute(delete(ParentReply).where(ParentReply.case_id == case_id))
    session.execute(delete(ParentLink).where(ParentLink.case_id == case_id))
    versions = select(Version.id).where(Version.case_id == case_id).scalar_subquery()
    session.execute(delete(VersionDocument).where(VersionDocument.version_id.in_(versions)))
    session.execute(delete(Version).where(Version.case_id == case_id))
    for model in (Draft, WizardProgress, CaseDate, CaseGrant):
        session.execute(delete(model).where(model.case_id == case_id))
    session.expunge(case)
    session.execute(delete(Case).where(Case.id == case_id))
    session.flush()
    # The case row is gone: the trail names its number only.
    event = audit.record(session, 'erase', actor=actor, detail={'reason': reason})
    event.case_id = case_id
    session.flush()


def _erase_bulk_files(session: Session, case_id: int) -> None:
    # A bulk ZIP not yet cleaned up by maintenance may hold this case's documents: in its folder "<name>-<id>/".
    for job_id, params in session.execute(select(Job.id, Job.params).where(Job.kind == 'bulk')).all():
        if case_id in ((params or {}).get('case_ids') or ()):
            session.execute(delete(JobFile).where(JobFile.job_id == job_id, JobFile.name.like(f'%-{case_id}/%')))


def deleted_due(session: Session, *, now: datetime | None = None) -> list[Case]:
    """Return the deleted cases whose ERASE_AFTER has passed."""
    cutoff = (now or utcnow()) - ERASE_AFTER
    return list(session.scalars(select(Case).where(Case.deleted_at.is_not(None), Case.deleted_at < cutoff)
                                .order_by(Case.id)))


# Retention

@dataclass(frozen=True)
class Retention:
    """When a case may be erased, and why: the later of 10 years after the last activity and the minimum age."""

    case: Case
    last_activity: date
    geboortedatum: date | None
    buitengewoon: bool
    after_activity: date        # last activity + 10 years
    after_age: date | None      # the 25th (or 30th) birthday; None without a birth date
    erase_from: date | None     # None: never automatically (no birth date to count the age from)

    def due(self, today: date) -> bool:
        """Return whether the case is past its retention on `today`."""
        return self.erase_from is not None and today >= self.erase_from

    @property
    def reason(self) -> str:
        """Return which rule decides: 'activity' or 'age'."""
        return 'age' if self.after_age is not None and self.after_age > self.after_activity else 'activity'


def add_years(day: date, years: int) -> date:
    """Return the same day `years` later; 29 February becomes 1 March in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def was_buitengewoon(doc: dict[str, Any]) -> bool:
    """Return whether the pupil's last school was buitengewoon onderwijs (30 years instead of 25).

    The case's school is the last one known: `school.soort`. An OV4 verslag gives access to a school for buitengewoon
    secundair onderwijs only, so it counts too. When in doubt the longer period holds: erasing too late can be
    corrected, erasing too early cannot.
    """
    school = doc.get('school') if isinstance(doc.get('school'), dict) else {}
    verslag = doc.get('verslag') if isinstance(doc.get('verslag'), dict) else {}
    return school.get('soort') == 'buitengewoon' or verslag.get('soort') == 'ov4'


def _local_date(moment: datetime) -> date:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo('UTC'))  # SQLite: naive UTC
    return moment.astimezone(LOCAL_TIME).date()


def _birth_date(doc: dict[str, Any]) -> date | None:
    value = (doc.get('leerling') or {}).get('geboortedatum') if isinstance(doc.get('leerling'), dict) else None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def last_activities(session: Session) -> dict[int, datetime]:
    """Return, per case, its last activity: the last change, the last frozen version, or the last parents' reply.

    Views and downloads do not count: reading a file is no contact with the pupil, and it would keep a file forever.
    """
    found: dict[int, datetime] = {}
    queries = (select(Case.id, Case.updated_at),
               select(Version.case_id, func.max(Version.finalised_at)).where(Version.case_id.is_not(None))
               .group_by(Version.case_id),
               select(ParentReply.case_id, func.max(ParentReply.created_at)).group_by(ParentReply.case_id))
    for query in queries:
        for case_id, moment in session.execute(query):
            if moment is None:
                continue
            moment = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo('UTC'))
            found[case_id] = max(found.get(case_id, moment), moment)
    return found


def retention(case: Case, last_activity: datetime) -> Retention:
    """Return the retention of one case given its last activity."""
    doc = case.data or {}
    activity = _local_date(last_activity)
    born, special = _birth_date(doc), was_buitengewoon(doc)
    after_activity = add_years(activity, RETENTION_YEARS)
    after_age = add_years(born, MINIMUM_AGE_BUITENGEWOON if special else MINIMUM_AGE) if born else None
    return Retention(case=case, last_activity=activity, geboortedatum=born, buitengewoon=special,
                     after_activity=after_activity, after_age=after_age,
                     erase_from=max(after_activity, after_age) if after_age else None)


def retention_due(session: Session, *, now: datetime | None = None) -> list[Retention]:
    """Return the stored cases past their retention on the day of `now` (Brussels), oldest first.

    A case without a valid birth date is never due: the age rule cannot be checked, so it is kept.
    """
    today = _local_date(now or utcnow())
    activities = last_activities(session)
    found = [retention(case, activities.get(case.id) or case.created_at)
             for case in session.scalars(select(Case).order_by(Case.id))]
    return sorted((item for item in found if item.due(today)), key=lambda item: (item.erase_from, item.case.id))


def without_birth_date(session: Session) -> list[int]:
    """Return the ids of the stored cases whose retention cannot be counted: no valid birth date (kept)."""
    return [case.id for case in session.scalars(select(Case).order_by(Case.id)) if _birth_date(case.data or {}) is None]


def purge_retention(session: Session, *, actor: str, now: datetime | None = None) -> list[int]:
    """Erase every case past its retention, each with an audit row; flush; return their ids."""
    erased = []
    for item in retention_due(session, now=now):
        erased.append(item.case.id)
        erase_case(session, item.case, actor=actor, reason='retention')
    return erased
