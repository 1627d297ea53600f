"""What the trust boundary keeps: server-side login sessions, login attempts, recovery codes and case grants."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base
from webapp.models.case import Case, Organisation, utcnow


class LoginSession(Base):
    """One login: the cookie carries a random token, this row its hash; deleting the row ends the login."""

    __tablename__ = 'login_sessions'

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The password is checked; the second factor may still be asked (or enrolled) before anything else opens.
    mfa_passed: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f'<LoginSession user={self.user_id}>'


class LoginAttempt(Base):
    """A failed (or successful) login, per typed username and address: the throttle counts these."""

    __tablename__ = 'login_attempts'
    __table_args__ = (Index('ix_login_attempts_username_at', 'username', 'at'),
                      Index('ix_login_attempts_address_at', 'address', 'at'))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # As typed (lower case), also for names that do not exist: the throttle must not tell them apart.
    username: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f'<LoginAttempt {self.id} success={self.success}>'


class RecoveryCode(Base):
    """A single-use code that replaces the second factor once; only its hash is stored."""

    __tablename__ = 'recovery_codes'

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    code_hash: Mapped[str] = mapped_column(String(300))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f'<RecoveryCode {self.id} user={self.user_id}>'


class CaseGrant(Base):
    """Access of a leersteuncentrum to one case, granted by the school or the CLB; revoked, never deleted."""

    __tablename__ = 'case_grants'

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey('cases.id', ondelete='CASCADE'), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey('organisations.id'), index=True)
    granted_by: Mapped[str] = mapped_column(String(120))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_by: Mapped[str | None] = mapped_column(String(120))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship()
    organisation: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f'<CaseGrant {self.id} case={self.case_id} org={self.organisation_id}>'
