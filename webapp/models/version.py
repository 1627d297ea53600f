"""Frozen versions: what a final case (or samenwerking) said, and the exact bytes of every document given out."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base
from webapp.models.case import utcnow


class Version(Base):
    """Version `number` of one case or one samenwerking, frozen when it was finalised; never changed afterwards."""

    __tablename__ = 'versions'
    __table_args__ = (
        UniqueConstraint('case_id', 'number'),
        UniqueConstraint('samenwerking_id', 'number'),
        CheckConstraint('(case_id IS NULL) <> (samenwerking_id IS NULL)', name='ck_versions_one_item'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey('cases.id', ondelete='CASCADE'), index=True)
    samenwerking_id: Mapped[int | None] = mapped_column(ForeignKey('samenwerkingen.id', ondelete='CASCADE'),
                                                        index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per case or samenwerking
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the traject-case/1 (or samenwerking/1) document as frozen
    sha256: Mapped[str] = mapped_column(String(64))  # of the JSON as exported
    finalised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finalised_by: Mapped[str] = mapped_column(String(120))  # username, or 'cli'
    user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))

    documents: Mapped[list['VersionDocument']] = relationship(back_populates='version', cascade='all, delete-orphan',
                                                              passive_deletes=True)

    def __repr__(self) -> str:
        return f'<Version {self.id} n={self.number}>'


class VersionDocument(Base):
    """The bytes of one document of a version (kind, format, language) as given out, with their SHA-256."""

    __tablename__ = 'version_documents'
    __table_args__ = (UniqueConstraint('version_id', 'kind', 'fmt', 'language'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey('versions.id', ondelete='CASCADE'), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    fmt: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(20))  # 'nl', 'ar', 'ar+nl'
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    version: Mapped[Version] = relationship(back_populates='documents')

    def __repr__(self) -> str:
        return f'<VersionDocument {self.kind}.{self.fmt} {self.language}>'
