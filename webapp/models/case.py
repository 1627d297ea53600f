"""The case: the traject-case/1 document plus the columns the product lists, filters and scopes by."""
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, delete
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base


def utcnow() -> datetime:
    """Return the current time, timezone-aware."""
    return datetime.now(timezone.utc)


def delete_before(session, column, cutoff: datetime, *criteria) -> int:
    """Delete the rows whose time `column` is before `cutoff` (and that match `criteria`); return how many.

    The objects already in the session are left as they are: SQLite gives a time back without its zone, and
    comparing it in Python with the aware `cutoff` (what SQLAlchemy does to keep the session in step) would fail.
    """
    statement = delete(column.class_).where(column < cutoff, *criteria)
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount


class Organisation(Base):
    """A school, CLB or leersteuncentrum; access is granted per organisation."""

    __tablename__ = 'organisations'
    __table_args__ = (UniqueConstraint('kind', 'match_key'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # school | clb | leersteuncentrum
    naam: Mapped[str] = mapped_column(String(300))
    instellingsnummer: Mapped[str | None] = mapped_column(String(40))
    # How an imported organisation is recognised: its official number, else its name in lower case.
    match_key: Mapped[str] = mapped_column(String(320))

    def __repr__(self) -> str:
        return f'<Organisation {self.id} {self.kind}>'


class Case(Base):
    """One pupil's trajectory; `data` is the whole traject-case/1 document, the columns are derived from it."""

    __tablename__ = 'cases'
    __table_args__ = (
        Index('ix_cases_leerling', 'leerling_achternaam', 'leerling_voornaam'),
        Index('ix_cases_filters', 'phase', 'verslag_soort', 'verslag_type'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The `id` of the document in the system it came from; NULL for cases created here.
    source_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    # NULL only while a new case is being filled in: the first wizard step asks for the school and the CLB.
    school_id: Mapped[int | None] = mapped_column(ForeignKey('organisations.id'), index=True)
    clb_id: Mapped[int | None] = mapped_column(ForeignKey('organisations.id'), index=True)
    leersteuncentrum_id: Mapped[int | None] = mapped_column(ForeignKey('organisations.id'), index=True)
    leerling_voornaam: Mapped[str] = mapped_column(String(200))
    leerling_achternaam: Mapped[str] = mapped_column(String(200))
    onderwijsniveau: Mapped[str] = mapped_column(String(20))
    phase: Mapped[str] = mapped_column(String(20))
    verslag_soort: Mapped[str | None] = mapped_column(String(10))
    verslag_type: Mapped[str | None] = mapped_column(String(20))
    is_final: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Deleted by a CLB worker: gone from every list, page and export at once, erased for good 30 days later.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    school: Mapped[Organisation | None] = relationship(foreign_keys=[school_id])
    clb: Mapped[Organisation | None] = relationship(foreign_keys=[clb_id])
    leersteuncentrum: Mapped[Organisation | None] = relationship(foreign_keys=[leersteuncentrum_id])
    dates: Mapped[list['CaseDate']] = relationship(back_populates='case', cascade='all, delete-orphan',
                                                   order_by='CaseDate.datum')

    # Optimistic locking: an UPDATE that finds another version raises StaleDataError instead of overwriting.
    __mapper_args__ = {'version_id_col': version}

    def __repr__(self) -> str:
        return f'<Case {self.id} v{self.version}>'


class CaseDate(Base):
    """A planned date of a case (evaluation, review), so cases can be sorted by their next evaluation."""

    __tablename__ = 'case_dates'

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey('cases.id', ondelete='CASCADE'), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # iac-evaluatie | leersteun-evaluatie | herziening-verslag
    datum: Mapped[date] = mapped_column(Date, index=True)

    case: Mapped[Case] = relationship(back_populates='dates')

    def __repr__(self) -> str:
        return f'<CaseDate {self.id} case={self.case_id} {self.kind}>'
