"""Nalezen: which problems each step has, and per document what it still misses, in plain Dutch.

Everything is derived from `check(doc)`: a problem's JSON path says which step and which field it belongs to
(the step forms know their paths). A small table adds what the format leaves optional but a document needs.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forms.base import StepForm, anchor_of, dig, parse_path
from webapp.caseformat import Problem, check, warnings
from webapp.documents import DOCUMENTS
from webapp.wizard.steps import Flow, Step


@dataclass(frozen=True)
class Expected:
    """A part the case format leaves optional but the trajectory needs once `needed(doc)` holds."""

    path: str
    needed: Callable[[dict[str, Any]], bool]


# The format cannot require these: a case without a verslag is valid, it just has no documents yet.
EXPECTED = (
    Expected('verslag', lambda doc: True),
    Expected('iac_plan', lambda doc: dig(doc, ('verslag', 'soort')) == 'iac'),
    Expected('leersteun', lambda doc: bool(doc.get('leersteuncentrum')) and bool(doc.get('verslag'))),
)


@dataclass(frozen=True)
class KindParts:
    """Per document kind: when the case should have it, and the parts of the case it is built from."""

    wanted: Callable[[dict[str, Any]], bool]
    parts: tuple[str, ...]


KIND_PARTS = {
    'verslag': KindParts(lambda doc: True, (
        'leerling', 'school', 'clb', 'betrokkenen', 'traject', 'aanpassingen', 'overleg', 'verslag')),
    'iac-plan': KindParts(lambda doc: dig(doc, ('verslag', 'soort')) == 'iac' or 'iac_plan' in doc, (
        'leerling', 'school', 'clb', 'betrokkenen', 'verslag', 'aanpassingen', 'overleg', 'iac_plan')),
    'leersteunafspraken': KindParts(lambda doc: bool(doc.get('leersteuncentrum') or doc.get('leersteun')), (
        'leerling', 'school', 'clb', 'leersteuncentrum', 'verslag', 'traject.hulpvragen', 'traject.behoeften',
        'leersteun')),
    'oudersamenvatting': KindParts(lambda doc: bool(doc.get('verslag')), (
        'leerling', 'ouders', 'clb', 'betrokkenen', 'verslag', 'traject.beeldvorming', 'traject.diagnosen',
        'traject.behoeften', 'aanpassingen', 'leersteun', 'oudersamenvatting')),
}

# Where each document shows a warning: the verslag's evidence, and the IAC plan's goals and certificate.
WARNING_PARTS = {
    'verslag': ('traject.diagnosen', 'overleg', 'verslag'),
    'iac-plan': ('iac_plan',),
}

# Plain sentences for the problems users meet most; any other problem is phrased from the field's labels.
SENTENCES = {
    'verslag': _l('Het besluit ontbreekt: vul de stap Besluit in.'),
    'iac_plan': _l('Het IAC-plan ontbreekt: vul de stap IAC-plan in.'),
    'leersteun': _l('De leersteunafspraken ontbreken: vul de stap Leersteun in.'),
    'overleg': _l('Een adviesgesprek met de ouders en de leerling ontbreekt.'),
    'traject.hulpvragen': _l('Een hulpvraag ontbreekt.'),
    'traject.behoeften': _l('Een onderwijsbehoefte ontbreekt.'),
    'traject.strategie': _l('De strategie ontbreekt: hypothesen, onderzoeksvragen en of onderzoek nodig is.'),
    'traject.strategie.onderzoek_nodig': _l('Het antwoord op de vraag of extra onderzoek nodig is ontbreekt.'),
    'verslag.motivering': _l('De motivering waarom leersteun nodig is ontbreekt.'),
    'verslag.motivering_disproportioneel': _l('De motivering waarom het gemeenschappelijk curriculum niet haalbaar '
                                              'is ontbreekt.'),
    'verslag.advies': _l('Het advies van het CLB ontbreekt.'),
    'iac_plan.doelen': _l('Het IAC-plan heeft nog geen doel.'),
    'leersteun.vormen': _l('Er is nog geen vorm van leersteun beschreven.'),
}


@dataclass(frozen=True)
class Missing:
    """One thing to fix, in plain Dutch, with the step and field that fix it."""

    text: str
    step: str
    anchor: str | None


@dataclass
class DocumentCheck:
    """The completeness of one document kind."""

    kind: str
    title: Any
    missing: list[Missing] = field(default_factory=list)
    others: int = 0  # problems elsewhere in the case: a document is only made from a valid case
    ready: bool = False
    # What the format accepts but a CLB should look at before signing (case-format.md, warnings); never blocks.
    warnings: list[Missing] = field(default_factory=list)


def expected_problems(doc: dict[str, Any]) -> list[Problem]:
    """Return the parts the trajectory needs by now but `doc` does not have yet.

    Before the verslag exists, that includes what the format will ask of the other steps once it does (an
    adviesgesprek): a step is only complete when it is complete for the documents it feeds.
    """
    missing = [Problem(e.path, _('ontbreekt')) for e in EXPECTED if e.path not in doc and e.needed(doc)]
    if 'verslag' not in doc:
        now = check(doc)
        missing += [p for p in check({**doc, 'verslag': {}}) if not _within(p.path, ('verslag',)) and p not in now]
    return missing


class Reviewer:
    """Describes the problems of one document, building each step's form once."""

    def __init__(self, flow: Flow, doc: dict[str, Any]):
        self.flow = flow
        self.doc = doc
        self._forms: dict[str, StepForm] = {}

    def form(self, step: type[Step]) -> StepForm:
        """Return `step`'s form filled from the document."""
        if step.name not in self._forms:
            self._forms[step.name] = step.form_class.from_document(self.doc, **step.form_context(self.doc))
        return self._forms[step.name]

    def step_of(self, problem: Problem) -> type[Step]:
        """Return the step where `problem` is fixed."""
        return self.flow.step_for_path(parse_path(problem.path))[0]

    def describe(self, problem: Problem, *, warning: bool = False) -> Missing:
        """Return `problem` as a plain sentence that links to the field to fix; a warning always says its reason."""
        tokens = parse_path(problem.path)
        step, field_path = self.flow.step_for_path(tokens)
        found, trail = (None, [])
        if field_path is not None:
            found, trail = self.form(step).locate(tokens[len(field_path) - 1:])
        anchor = anchor_of(found) if found is not None else None
        absent = dig_path(self.doc, tokens) in (None, '', [])
        part = ' – '.join(trail) or str(step.title)
        if warning:
            text = _('{part}: {message}.').format(part=part, message=problem.message.rstrip('.'))
        elif problem.path in SENTENCES and (absent or problem.path in ('overleg', 'traject.behoeften')):
            text = str(SENTENCES[problem.path])
        elif absent:
            text = _('{part} ontbreekt.').format(part=part)
        else:
            text = _('{part}: {message}.').format(part=part, message=problem.message.rstrip('.'))
        return Missing(text, step.name, anchor)


def path_label(flow: Flow, path: str) -> str:
    """Return a JSON path as the wizard's labels name it ('ouders[0].voorkeurtaal' -> 'Ouder 1 – Voorkeurtaal').

    For people: the command line keeps the path. A path no step edits stays as it is.
    """
    tokens = parse_path(path)
    step, field_path = flow.step_for_path(tokens)
    if field_path is None or not path:
        return path
    form = step.form_class(None, **{key: None for key in step.form_class.context_keys})
    found, trail = form.locate(tokens[len(field_path) - 1:], grow=True)
    return ' – '.join(trail) if found is not None and trail else path


def dig_path(doc: Any, tokens: list[str | int]) -> Any:
    """Return the value at a parsed JSON path, or None if it is not there."""
    for token in tokens:
        if isinstance(token, int):
            doc = doc[token] if isinstance(doc, list) and token < len(doc) else None
        else:
            doc = doc.get(token) if isinstance(doc, dict) else None
    return doc


def problems_by_step(flow: Flow, problems: list[Problem]) -> dict[str, list[Problem]]:
    """Return the problems grouped by the name of the step that fixes them."""
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(flow.step_for_path(parse_path(problem.path))[0].name, []).append(problem)
    return grouped


def document_checks(flow: Flow, doc: dict[str, Any], format_problems: list[Problem]) -> list[DocumentCheck]:
    """Return, per document kind this case should get, what it still misses and whether it can be made.

    `format_problems` is `check(doc)`: any of them blocks every document, since documents are made from valid
    cases only; a missing expected part (say the IAC plan) blocks its own document.
    """
    reviewer = Reviewer(flow, doc)
    problems = expected_problems(doc) + format_problems
    cautions = warnings(doc)
    checks = []
    for kind, parts in KIND_PARTS.items():
        spec = DOCUMENTS.get(kind)
        if spec is None or not parts.wanted(doc):
            continue
        # In the order of the wizard, so the list reads as the way to go.
        mine = sorted((p for p in problems if _within(p.path, parts.parts)),
                      key=lambda p: flow.names.index(reviewer.step_of(p).name))
        checks.append(DocumentCheck(
            kind=kind, title=spec.title, missing=[reviewer.describe(p) for p in mine],
            others=len([p for p in format_problems if p not in mine]),
            ready=not format_problems and spec.applies(doc),
            warnings=[reviewer.describe(w, warning=True) for w in cautions if _within(w.path, WARNING_PARTS.get(kind, ()))]))
    return checks


def _within(path: str, parts: tuple[str, ...]) -> bool:
    return any(path == part or path.startswith((part + '.', part + '[')) for part in parts)
