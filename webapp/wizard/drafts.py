"""Drafts: the raw input of a step, stored on every POST before anything else, so typed text survives.

A draft is replaced by the next POST of the same step and deleted once the step is saved. Input posted after the
session expired (or with a stale CSRF token) is stashed under a random token and claimed after logging in.
"""
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.models import Draft
from webapp.models.case import utcnow


# A stashed draft waits this long for its author to log in again.
TOKEN_LIFETIME = timedelta(days=7)
# Never stored: the CSRF token is a secret, and the button pressed is not input.
_SKIPPED = frozenset({'csrf_token', 'action'})


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
    """Return the user's draft of this step, if there is one."""
    return session.scalar(select(Draft).where(Draft.user_id == user_id, Draft.step == step,
                                              *_target(case_id, samenwerking_id)))


def keep(session: Session, *, user_id: int, step: str, data: list[list[str]], base_version: Any = None,
         case_id: int | None = None, samenwerking_id: int | None = None) -> Draft:
    """Store the user's latest input of this step, replacing the previous draft; flush."""
    draft = find(session, user_id=user_id, step=step, case_id=case_id, samenwerking_id=samenwerking_id)
    if draft is None:
        draft = Draft(user_id=user_id, step=step, case_id=case_id, samenwerking_id=samenwerking_id)
        session.add(draft)
    draft.data = data
    draft.base_version = _version(base_version)
    draft.updated_at = utcnow()
    session.flush()
    return draft


def stash(session: Session, *, step: str, data: list[list[str]], base_version: Any = None,
          case_id: int | None = None, samenwerking_id: int | None = None) -> str:
    """Store input whose author is not known (session gone) under a new random token; return the token. Flush."""
    session.execute(delete(Draft).where(Draft.user_id.is_(None), Draft.updated_at < utcnow() - TOKEN_LIFETIME))
    token = secrets.token_urlsafe(32)
    session.add(Draft(token=token, step=step, data=data, base_version=_version(base_version), case_id=case_id,
                      samenwerking_id=samenwerking_id, updated_at=utcnow()))
    session.flush()
    return token


def claim(session: Session, token: str, *, user_id: int, step: str, case_id: int | None = None,
          samenwerking_id: int | None = None) -> bool:
    """Give a stashed draft of this step to the user; the caller has checked that the user may see the record."""
    draft = session.scalar(select(Draft).where(Draft.token == token, Draft.user_id.is_(None), Draft.step == step,
                                               Draft.updated_at >= utcnow() - TOKEN_LIFETIME,
                                               *_target(case_id, samenwerking_id)))
    if draft is None:
        return False
    discard(session, user_id=user_id, step=step, case_id=case_id, samenwerking_id=samenwerking_id)
    draft.user_id, draft.token = user_id, None
    session.flush()
    return True


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
