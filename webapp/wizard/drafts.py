"""Drafts: the raw input of a step, stored on every POST before anything else, so typed text survives.

A draft belongs to one logged-in user (or to the user whose login has just run out of idle time in this browser) and
is only ever shown to that user. It is replaced by the next POST of the same step, deleted once the step is saved,
capped in size and removed after DRAFT_LIFETIME.
"""
import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.models import Draft
from webapp.models.case import delete_before, utcnow
from webapp.models.wizard import DRAFT_LIFETIME


# The largest draft kept (the JSON of its fields): a step's text boxes hold at most 10 000 characters each.
MAX_DRAFT_BYTES = 1024 * 1024
# Never stored: the CSRF token is a secret, and the button pressed is not input.
_SKIPPED = frozenset({'csrf_token', 'action'})


class DraftTooLarge(ValueError):
    """The posted input is larger than a draft may be."""


def posted_pairs(formdata: MultiDict) -> list[list[str]]:
    """Return the posted fields as [name, value] pairs, in order, without the CSRF token and the button."""
    return [[key, value] for key, value in formdata.items(multi=True) if key not in _SKIPPED]


def as_formdata(draft: Draft) -> MultiDict:
    """Return the draft's input as form data, ready to bind to the step's form."""
    return MultiDict([(key, value) for key, value in draft.data])


def _target(case_id: int | None, samenwerking_id: int | None) -> list:
    return [Draft.case_id.is_(None) if case_id is None else Draft.case_id == case_id,
            Draft.samenwerking_id.is_(None) if samenwerking_id is None else Draft.samenwerking_id == samenwerking_id]


def find(session: Session, *, user_id: int, step: str, case_id: int | None = None,
         samenwerking_id: int | None = None) -> Draft | None:
    """Return the user's draft of this step, if there is one that has not expired."""
    return session.scalar(select(Draft).where(Draft.user_id == user_id, Draft.step == step,
                                              Draft.updated_at >= utcnow() - DRAFT_LIFETIME,
                                              *_target(case_id, samenwerking_id)))


def keep(session: Session, *, user_id: int, step: str, data: list[list[str]], base_version: Any = None,
         case_id: int | None = None, samenwerking_id: int | None = None) -> Draft:
    """Store the user's latest input of this step, replacing the previous draft; flush.

    Raises DraftTooLarge (and stores nothing) when the input is larger than MAX_DRAFT_BYTES.
    """
    if len(json.dumps(data, ensure_ascii=False).encode()) > MAX_DRAFT_BYTES:
        raise DraftTooLarge(len(data))
    delete_before(session, Draft.updated_at, utcnow() - DRAFT_LIFETIME)
    draft = find(session, user_id=user_id, step=step, case_id=case_id, samenwerking_id=samenwerking_id)
    if draft is None:
        draft = Draft(user_id=user_id, step=step, case_id=case_id, samenwerking_id=samenwerking_id)
        session.add(draft)
    draft.data = data
    draft.base_version = _version(base_version)
    draft.updated_at = utcnow()
    session.flush()
    return draft


def discard(session: Session, *, user_id: int, step: str, case_id: int | None = None,
            samenwerking_id: int | None = None) -> None:
    """Delete the user's draft of this step (it was saved, or the user threw it away); flush."""
    session.execute(delete(Draft).where(Draft.user_id == user_id, Draft.step == step,
                                        *_target(case_id, samenwerking_id)))
    session.flush()


def _version(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
