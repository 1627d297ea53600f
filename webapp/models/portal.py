"""Failed opens of a parents' link, per address: how guessing tokens is throttled (services/links.py)."""
from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base
from webapp.models.case import utcnow


class LinkAttempt(Base):
    """One request for a parents' link that matched no live link; never the token itself."""

    __tablename__ = 'link_attempts'

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    def __repr__(self) -> str:
        return f'<LinkAttempt {self.id}>'
