"""What the wizard keeps besides the case document: unsaved input (drafts) and how far a case has been filled in."""
from datetime import datetime, timedelta

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base
from webapp.models.case import utcnow


# An unsaved draft is kept this long after its last change (then `traject maintenance` removes it).
DRAFT_LIFETIME = timedelta(days=14)


class Draft(Base):
    """The raw input of one step as last posted, kept until it is saved, so nothing typed is ever lost.

    A draft belongs to a user; a draft posted after the session expired has no user yet but a random `token`,
    and is claimed by whoever logs in with that token and may see the case.
    """

    __tablename__ = 'drafts'

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # One of the two, or neither for a samenwerking that is not created yet. Deleting the record deletes its drafts.
    case_id: Mapped[int | None] = mapped_column(ForeignKey('cases.id', ondelete='CASCADE'), index=True)
    samenwerking_id: Mapped[int | None] = mapped_column(ForeignKey('samenwerkingen.id', ondelete='CASCADE'),
                                                        index=True)
    step: Mapped[str] = mapped_column(String(40))
    # The posted fields as [name, value] pairs (a name repeats for multi-valued inputs); never the CSRF token.
    data: Mapped[list[list[str]]] = mapped_column(JSON)
    base_version: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f'<Draft {self.id} case={self.case_id} samenwerking={self.samenwerking_id} {self.step}>'


class WizardProgress(Base):
    """The furthest wizard step a case has reached: the steps up to it can be opened from the progress list."""

    __tablename__ = 'wizard_progress'

    case_id: Mapped[int] = mapped_column(ForeignKey('cases.id', ondelete='CASCADE'), primary_key=True)
    furthest_step: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f'<WizardProgress case={self.case_id} {self.furthest_step}>'


__all__ = ['Draft', 'WizardProgress']
