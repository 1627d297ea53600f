"""School-level samenwerkingsafspraken: the traject-samenwerking/1 document plus its parties."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base
from webapp.models.case import Organisation, utcnow


class Samenwerking(Base):
    """One school year's agreement between a school, its leersteuncentrum and its CLB."""

    __tablename__ = 'samenwerkingen'

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey('organisations.id'), index=True)
    clb_id: Mapped[int] = mapped_column(ForeignKey('organisations.id'), index=True)
    leersteuncentrum_id: Mapped[int] = mapped_column(ForeignKey('organisations.id'), index=True)
    schooljaar: Mapped[str] = mapped_column(String(9))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    is_final: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    school: Mapped[Organisation] = relationship(foreign_keys=[school_id])
    clb: Mapped[Organisation] = relationship(foreign_keys=[clb_id])
    leersteuncentrum: Mapped[Organisation] = relationship(foreign_keys=[leersteuncentrum_id])

    __mapper_args__ = {'version_id_col': version}

    def __repr__(self) -> str:
        return f'<Samenwerking {self.id} v{self.version}>'
