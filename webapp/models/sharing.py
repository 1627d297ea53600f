"""Parents' links: a read link for one parent of a final case, and the replies parents send through it."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base
from webapp.models.case import Case, utcnow


class ParentLink(Base):
    """A link for parent `ouder` (1-based index into the case's `ouders`); the URL carries a token, this row its hash."""

    __tablename__ = 'parent_links'

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey('cases.id', ondelete='CASCADE'), index=True)
    ouder: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the link went out by e-mail (None: printed cover letter only, or not sent yet).
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship()

    def __repr__(self) -> str:
        return f'<ParentLink {self.id} case={self.case_id} ouder={self.ouder}>'


class ParentReply(Base):
    """A parent's answer through a link: 'akkoord' or 'vraag' (with text); the CLB marks it as read."""

    __tablename__ = 'parent_replies'

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey('cases.id', ondelete='CASCADE'), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey('parent_links.id', ondelete='SET NULL'))
    ouder: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # akkoord | vraag
    text: Mapped[str | None] = mapped_column(Text)
    version_number: Mapped[int | None] = mapped_column(Integer)  # the version the parent was reading
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_by: Mapped[str | None] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f'<ParentReply {self.id} case={self.case_id} {self.kind}>'
