"""Background work: bulk jobs with their files, and the rendered documents every web worker shares."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base
from webapp.models.case import utcnow


class Job(Base):
    """A bulk job: every document of a school (or a CLB) for a school year, as one ZIP."""

    __tablename__ = 'jobs'

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # bulk
    status: Mapped[str] = mapped_column(String(20), default='queued')  # queued|running|done|failed|cancelled
    user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    actor: Mapped[str] = mapped_column(String(120))
    # What to render: {'organisation_id': ..., 'schooljaar': '2025-2026'}; plain values only.
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Written by the worker while it runs: a job whose heartbeat stops belonged to a worker that died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(200))  # host:pid of the worker that runs it
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    files: Mapped[list['JobFile']] = relationship(back_populates='job', cascade='all, delete-orphan',
                                                  passive_deletes=True)

    def __repr__(self) -> str:
        return f'<Job {self.id} {self.kind} {self.status}>'


class JobFile(Base):
    """One document of a bulk job; (job, name) is unique, so a resumed job never adds a file twice."""

    __tablename__ = 'job_files'
    __table_args__ = (UniqueConstraint('job_id', 'name'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey('jobs.id', ondelete='CASCADE'), index=True)
    name: Mapped[str] = mapped_column(String(300))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    job: Mapped[Job] = relationship(back_populates='files')

    def __repr__(self) -> str:
        return f'<JobFile {self.id} job={self.job_id}>'


class RenderedDocument(Base):
    """A rendered document, keyed by the case's content, the template version and the options (cache_key).

    A row without data is a render in progress: a second request for it waits instead of rendering twice.
    """

    __tablename__ = 'rendered_documents'

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Which document of which record: only the newest render of each is kept.
    item: Mapped[str] = mapped_column(String(200), index=True)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f'<RenderedDocument {self.key[:8]}>'
