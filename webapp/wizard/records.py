"""What the wizard fills in: a case or a samenwerking, behind one small interface so one set of views serves both."""
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from webapp.access import can_edit_case, visible_cases, visible_samenwerkingen
from webapp.caseformat import Problem, check
from webapp.jobs import only_prerender
from webapp.models import Case, Samenwerking, User
from webapp.services import cases as case_service
from webapp.wizard.review import expected_problems
from webapp.wizard.steps import CASE_FLOW, SAMENWERKING_FLOW, Flow, Step


class CaseRecord:
    """A pupil's case: the wizard of eleven steps. `case` is None until step 1 of a new case is saved.

    So "Nieuw dossier" followed by walking away leaves no empty case behind (the typed text stays a draft).
    """

    flow: Flow = CASE_FLOW
    endpoint = 'wizard.edit_step'
    # Whether a step must be complete to be saved at all ("Bewaren en sluiten" stores unfinished work).
    must_complete = False

    def __init__(self, case: Case | None, doc: dict[str, Any] | None = None):
        self.case = case
        self._doc = doc
        self._created = False

    @property
    def id(self) -> int | None:
        return self.case.id if self.case else None

    @property
    def item(self) -> Case | None:
        return self.case

    @property
    def doc(self) -> dict[str, Any]:
        return self.case.data if self.case else self._doc

    @property
    def version(self) -> int | None:
        return self.case.version if self.case else None

    @property
    def is_final(self) -> bool:
        return self.case is not None and self.case.is_final

    @property
    def title(self) -> str:
        name = f'{self.case.leerling_voornaam} {self.case.leerling_achternaam}'.strip() if self.case else ''
        return name or _('Nieuw dossier')

    def draft_key(self) -> dict[str, int | None]:
        """Return the keywords that tie a draft to this record (a new case: the user's one unsaved new case)."""
        return {'case_id': self.id}

    def problems(self) -> list[Problem]:
        """Return what the case still misses: the format's problems and the parts a trajectory needs by now."""
        return expected_problems(self.doc) + check(self.doc)

    def step_url(self, step: str, **args: Any) -> str:
        """Return the URL of one of this record's steps."""
        if self.case is None:
            return url_for('wizard.new_case', **args)
        return url_for(self.endpoint, case_id=self.case.id, step=step, **args)

    def close_url(self) -> str:
        """Return where "Bewaren en sluiten" leads."""
        if self.case is None:
            return url_for('cases.list_cases')
        return url_for('cases.show_case', case_id=self.case.id)

    def list_link(self) -> tuple[str, str]:
        """Return the label and URL of the list this record belongs to (the breadcrumb)."""
        return _('Dossiers'), url_for('cases.list_cases')

    def preview_url(self, kind: str) -> str:
        """Return the URL of the live preview of document `kind`."""
        return url_for('wizard.preview_document', case_id=self.case.id, kind=kind)

    def read_only_reason(self, user: User) -> str | None:
        """Return why `user` cannot change this record now, or None if they can."""
        if not can_edit_case(user):
            return _('U kunt dit dossier lezen, maar niet wijzigen.')
        if self.is_final:
            return _('Dit dossier is definitief. Maak een nieuwe versie om het te wijzigen.')
        return None

    def save(self, session: Session, step: type[Step], changes: dict, user: User) -> None:
        """Store a step's changes (the first save of a new case creates it) and remember how far the case has come."""
        if self.case is None:
            doc = case_service.apply_changes(self._doc, changes)
            self.case = case_service.create_case(session, doc, actor=user.username, user_id=user.id)
            self._created = True
        else:
            case_service.save_step(session, self.case, step.name, changes, actor=user.username, user_id=user.id)
        only_prerender(session, self.case.id, (step.preview,) if step.preview else ())

    def reach(self, session: Session, step: str) -> None:
        """Remember that the wizard reached `step`."""
        case_service.reach_step(session, self.case, step, self.flow.names)

    def reached(self, session: Session) -> str | None:
        """Return the furthest step reached."""
        return case_service.furthest_step(session, self.case) if self.case else None

    def still_visible(self, session: Session, user: User) -> bool:
        """Return whether `user` still sees the record (a CLB cannot hand its case to another CLB by typing)."""
        return session.scalar(visible_cases(user).where(Case.id == self.case.id)) is not None

    def forget_unsaved(self) -> None:
        """Forget what a rolled-back save changed in this object (the case itself reloads from the database)."""
        if self._created:
            self.case, self._created = None, False


class SamenwerkingRecord:
    """School-level samenwerkingsafspraken: a short wizard of three steps. `item` is None until step 1 is saved."""

    flow: Flow = SAMENWERKING_FLOW
    endpoint = 'samenwerking.edit_step'

    def __init__(self, item: Samenwerking | None, doc: dict[str, Any] | None = None):
        self.item = item
        self._doc = doc
        self._created = False

    @property
    def id(self) -> int | None:
        return self.item.id if self.item else None

    @property
    def doc(self) -> dict[str, Any]:
        return self.item.data if self.item else self._doc

    @property
    def version(self) -> int | None:
        return self.item.version if self.item else None

    @property
    def is_final(self) -> bool:
        return self.item is not None and self.item.is_final

    @property
    def must_complete(self) -> bool:
        # The parties and the school year are columns that cannot be empty: step 1 is saved complete or not at all.
        return self.item is None

    @property
    def title(self) -> str:
        if self.item is None:
            return _('Nieuwe samenwerkingsafspraken')
        return _('Samenwerkingsafspraken {jaar}').format(jaar=self.item.schooljaar)

    def draft_key(self) -> dict[str, int | None]:
        return {'samenwerking_id': self.id}

    def problems(self) -> list[Problem]:
        return check(self.doc)

    def step_url(self, step: str, **args: Any) -> str:
        if self.item is None:
            return url_for('samenwerking.new_samenwerking', **args)
        return url_for(self.endpoint, item_id=self.item.id, step=step, **args)

    def close_url(self) -> str:
        if self.item is None:
            return url_for('samenwerking.list_samenwerkingen')
        return url_for('cases.show_samenwerking', item_id=self.item.id)

    def list_link(self) -> tuple[str, str]:
        return _('Samenwerkingsafspraken'), url_for('samenwerking.list_samenwerkingen')

    def preview_url(self, kind: str) -> str | None:
        return url_for('samenwerking.preview_samenwerking', item_id=self.item.id) if self.item else None

    def read_only_reason(self, user: User) -> str | None:
        # Every party fills in its samenwerkingsafspraken, until they are final.
        if self.is_final:
            return _('Deze samenwerkingsafspraken zijn definitief. Maak een nieuwe versie om ze te wijzigen.')
        return None

    def save(self, session: Session, step: type[Step], changes: dict, user: User) -> None:
        if self.item is None:
            doc = case_service.apply_changes(self._doc, changes, optional_objects=())
            self.item = case_service.create_samenwerking(session, doc, actor=user.username, user_id=user.id)
            self._created = True
        else:
            case_service.save_samenwerking_step(session, self.item, step.name, changes, actor=user.username,
                                                user_id=user.id)

    def reach(self, session: Session, step: str) -> None:
        pass  # three short steps: once the record exists, each one can be opened

    def reached(self, session: Session) -> str | None:
        return self.flow.names[-1] if self.item else self.flow.names[0]

    def still_visible(self, session: Session, user: User) -> bool:
        return session.scalar(visible_samenwerkingen(user).where(Samenwerking.id == self.item.id)) is not None

    def forget_unsaved(self) -> None:
        if self._created:
            self.item, self._created = None, False
