"""Local accounts; roles and organisations decide what a user may see (webapp.access)."""
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.db import Base
from webapp.models.case import Organisation, utcnow


class User(Base):
    """A person who logs in: a CLB worker, a school's zorgcoördinator, a leerondersteuner or a beheerder."""

    __tablename__ = 'users'

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(30))  # one of webapp.access.ROLES
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey('organisations.id'))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The TOTP secret (base32) once enrolment was confirmed with a first code; NULL: not enrolled.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The 30-second time step of the last accepted code: a code (or an older one) is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Set by a password reset: the temporary password opens only "Mijn account" until the user chose their own.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation | None] = relationship()

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password`."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Return whether `password` matches."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f'<User {self.id} {self.role}>'
