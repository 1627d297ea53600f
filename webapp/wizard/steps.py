"""The step registries: which screens the wizard shows, in which order, and for which cases.

Next and previous are computed from the case: a step whose `applies` is false is skipped both ways.
"""
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

from forms import advies, iac_plan, intake, integratie, leersteun, oudersamenvatting, samenwerking, strategie, \
    verslag
from forms.aanmelding import AanmeldingForm
from forms.base import StepForm, dig
from webapp.access import CASE_ROLES, CLB_ROLES, SCHOOL_ROLES


# Who may open each step: the access policy's role groups (webapp.access), narrowed per step.
CLB = CLB_ROLES
EVERYONE = CASE_ROLES


class Step:
    """One wizard screen: the form it shows, the cases it applies to and who may open it."""

    name: ClassVar[str]
    title: ClassVar[Any]
    form_class: ClassVar[type[StepForm] | None]
    # The document this step feeds, shown as a live preview beside the form.
    preview: ClassVar[str | None] = 'verslag'
    # Strategie, onderzoek, diagnoses, consents and notes are CLB-internal (DOMAIN.md §6.1): schools see no more
    # than the steps they fill in themselves.
    roles: ClassVar[tuple[str, ...]] = CLB
    # What this step asks stays in the CLB's own dossier: no document for the school or the parents shows it.
    internal: ClassVar[bool] = False

    @classmethod
    def applies(cls, doc: dict[str, Any]) -> bool:
        """Return whether this step is part of the wizard for `doc`."""
        return True

    @classmethod
    def form_context(cls, doc: dict[str, Any]) -> dict[str, Any]:
        """Return the keywords the form needs from the rest of the case (see StepForm.context_keys)."""
        return {}


class AanmeldingStep(Step):
    name = 'aanmelding'
    title = _l('Aanmelding')
    form_class = AanmeldingForm


class IntakeStep(Step):
    name = 'intake'
    title = _l('Intake')
    form_class = intake.IntakeForm
    roles = CLB_ROLES + SCHOOL_ROLES  # the school supplies the hulpvragen and the zorgcontinuüm


class StrategieStep(Step):
    name = 'strategie'
    title = _l('Strategie')
    form_class = strategie.StrategieForm
    internal = True
    preview = None  # it feeds no document

    @classmethod
    def form_context(cls, doc):
        return {'has_onderzoek': bool(dig(doc, ('traject', 'onderzoek')))}


class OnderzoekStep(Step):
    name = 'onderzoek'
    title = _l('Onderzoek')
    form_class = strategie.OnderzoekForm
    internal = True
    preview = None

    @classmethod
    def applies(cls, doc):
        # The format accepts traject.onderzoek only when strategie asked for it; stored results always stay visible.
        return dig(doc, ('traject', 'strategie', 'onderzoek_nodig')) is True or bool(dig(doc, ('traject', 'onderzoek')))


class IntegratieStep(Step):
    name = 'integratie'
    title = _l('Integratie')
    form_class = integratie.IntegratieForm


class AdviesStep(Step):
    name = 'advies'
    title = _l('Advies')
    form_class = advies.AdviesForm


class BesluitStep(Step):
    name = 'besluit'
    title = _l('Besluit (verslag)')
    form_class = verslag.VerslagForm

    @classmethod
    def form_context(cls, doc):
        return verslag.verslag_context(doc)


class IacPlanStep(Step):
    name = 'iac-plan'
    title = _l('IAC-plan')
    form_class = iac_plan.IacPlanForm
    preview = 'iac-plan'
    roles = CLB_ROLES + SCHOOL_ROLES  # the klassenraad draws up the IAC

    @classmethod
    def applies(cls, doc):
        return dig(doc, ('verslag', 'soort')) == 'iac'


class LeersteunStep(Step):
    name = 'leersteun'
    title = _l('Leersteun')
    form_class = leersteun.LeersteunForm
    preview = 'leersteunafspraken'
    roles = EVERYONE

    @classmethod
    def applies(cls, doc):
        # Leersteun needs a verslag (a format rule) and a leersteuncentrum to give it.
        return bool(doc.get('verslag')) and bool(doc.get('leersteuncentrum') or doc.get('leersteun'))


class OudersStep(Step):
    name = 'ouders'
    title = _l('Ouders')
    form_class = oudersamenvatting.OudersamenvattingForm
    preview = 'oudersamenvatting'


class NalezenStep(Step):
    """The review: every answer, and per document what it still misses."""

    name = 'nalezen'
    title = _l('Nalezen')
    form_class = None
    preview = None
    roles = EVERYONE


class SamenwerkingStep(Step):
    """A step of the school-level agreement: school, leersteuncentrum and CLB all fill it in."""

    preview = 'samenwerkingsafspraken'
    roles = EVERYONE


class PartijenStep(SamenwerkingStep):
    name = 'partijen'
    title = _l('Partijen en looptijd')
    form_class = samenwerking.PartijenForm


class AfsprakenStep(SamenwerkingStep):
    name = 'afspraken'
    title = _l('Afspraken')
    form_class = samenwerking.AfsprakenForm


class ContactenStep(SamenwerkingStep):
    name = 'contacten'
    title = _l('Contactpersonen en ondertekening')
    form_class = samenwerking.ContactenForm


class Flow:
    """An ordered registry of steps; next and previous skip the steps that do not apply or are not for the role."""

    def __init__(self, steps: tuple[type[Step], ...]):
        self.steps = steps
        self.names = tuple(step.name for step in steps)
        self._by_name = {step.name: step for step in steps}

    def get(self, name: str) -> type[Step] | None:
        """Return the step called `name`, or None."""
        return self._by_name.get(name)

    def available(self, doc: dict[str, Any], role: str | None = None) -> list[type[Step]]:
        """Return the steps that apply to `doc` and that `role` may open (any role when None), in order."""
        return [step for step in self.steps if step.applies(doc) and (role is None or role in step.roles)]

    def next_step(self, current: str, doc: dict[str, Any], role: str | None = None) -> str | None:
        """Return the first later step that is available, or None after the last one."""
        position = self.names.index(current)
        return next((s.name for s in self.available(doc, role) if self.names.index(s.name) > position), None)

    def prev_step(self, current: str, doc: dict[str, Any], role: str | None = None) -> str | None:
        """Return the nearest earlier step that is available, or None before the first one."""
        position = self.names.index(current)
        return next((s.name for s in reversed(self.available(doc, role)) if self.names.index(s.name) < position),
                    None)

    def nearest(self, current: str, doc: dict[str, Any], role: str | None = None) -> str | None:
        """Return the step to show instead of `current` when it is not available: the next one, else the previous."""
        return self.next_step(current, doc, role) or self.prev_step(current, doc, role)

    def step_for_path(self, tokens: list[str | int]) -> tuple[type[Step], tuple[str, ...] | None]:
        """Return the step that edits document path `tokens`, and the path of its field that holds it (if any)."""
        best: tuple[type[Step], tuple[str, ...]] | None = None
        for step in self.steps:
            for name in step.form_class.field_names() if step.form_class else ():
                path = step.form_class.path_of(name)
                if tuple(tokens[:len(path)]) == path and (best is None or len(path) > len(best[1])):
                    best = (step, path)
        if best:
            return best
        # A missing object (say 'verslag'): the step whose fields live inside it.
        container = next((step for step in self.steps if step.form_class and any(
            step.form_class.path_of(name)[:len(tokens)] == tuple(tokens) for name in step.form_class.field_names())),
            None)
        return container or self.steps[0], None


# HGD order; written down here and nowhere else.
CASE_FLOW = Flow((AanmeldingStep, IntakeStep, StrategieStep, OnderzoekStep, IntegratieStep, AdviesStep, BesluitStep,
                  IacPlanStep, LeersteunStep, OudersStep, NalezenStep))
SAMENWERKING_FLOW = Flow((PartijenStep, AfsprakenStep, ContactenStep))
