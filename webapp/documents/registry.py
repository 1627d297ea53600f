"""The document registry: every kind Traject renders, who reads it and when it applies."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from webapp.documents import parents
from webapp.documents.context import Audience


CASE_FORMAT = 'traject-case/1'
SAMENWERKING_FORMAT = 'traject-samenwerking/1'


@dataclass(frozen=True)
class DocSpec:
    """One kind of document: its templates, its readers and the cases it applies to."""

    kind: str
    title: Any  # lazy string, shown in the UI
    formaat: str
    audience: Audience
    pdf: str  # template in templates_docs/pdf/
    docx: Callable[[dict[str, Any]], str]  # context -> template file in templates_docs/docx/
    applies: Callable[[dict[str, Any]], bool]
    not_applicable: Any  # lazy message when `applies` is false, or a function of the case returning one
    languages: tuple[str, ...] = ('nl',)

    def refusal(self, doc: dict[str, Any]) -> str:
        """Return why this document cannot be made from `doc` (yet), saying what is missing."""
        return str(self.not_applicable(doc) if callable(self.not_applicable) else self.not_applicable)


def _has(key: str) -> Callable[[dict[str, Any]], bool]:
    return lambda case: bool(case.get(key))


def parents_read_other_diagnoses(case: dict[str, Any]) -> bool:
    """Return whether the parents may read other diagnoses than the school (DOMAIN.md §6.1): then the verslag they
    get is one of their own, with the diagnoses shared with them, instead of the school's."""
    diagnosen = (case.get('traject') or {}).get('diagnosen') or []
    return bool(case.get('verslag')) and any(
        (d.get('delen_met_ouders') is True) != (d.get('delen_met_school') is True)
        for d in diagnosen if isinstance(d, dict))


DOCUMENTS: dict[str, DocSpec] = {spec.kind: spec for spec in (
    DocSpec(
        kind='verslag', title=_l('Verslag'), formaat=CASE_FORMAT, audience='school', pdf='verslag.html',
        docx=lambda ctx: f"verslag_{ctx['verslag']['soort']}.docx", applies=_has('verslag'),
        not_applicable=_l('Er is nog geen verslag: vul eerst de stap Besluit in.'),
    ),
    DocSpec(
        kind='verslag-ouders', title=_l('Verslag voor de ouders'), formaat=CASE_FORMAT, audience='ouders',
        pdf='verslag.html', docx=lambda ctx: f"verslag_{ctx['verslag']['soort']}.docx",
        applies=parents_read_other_diagnoses,
        not_applicable=_l('De ouders lezen hetzelfde verslag als de school: een aparte versie is niet nodig.'),
    ),
    DocSpec(
        kind='iac-plan', title=_l('IAC-plan'), formaat=CASE_FORMAT, audience='school', pdf='iac_plan.html',
        docx=lambda ctx: 'iac_plan.docx', applies=_has('iac_plan'),
        not_applicable=lambda doc: (
            _l('Het IAC-plan is nog leeg: vul de stap IAC-plan in, dan verschijnt het hier.')
            if (doc.get('verslag') or {}).get('soort') == 'iac' else
            _l('Een IAC-plan hoort alleen bij een IAC-verslag: kies eerst een IAC-verslag in de stap Besluit.')),
    ),
    DocSpec(
        kind='leersteunafspraken', title=_l('Leersteunafspraken'), formaat=CASE_FORMAT, audience='school',
        pdf='leersteunafspraken.html', docx=lambda ctx: 'leersteunafspraken.docx', applies=_has('leersteun'),
        not_applicable=_l('Er zijn nog geen leersteunafspraken in dit dossier.'),
    ),
    DocSpec(
        kind='ontbindende-voorwaarde', title=_l('Inschrijving onder ontbindende voorwaarde'), formaat=CASE_FORMAT, audience='school',
        pdf='ontbindende_voorwaarde.html', docx=lambda ctx: 'ontbindende_voorwaarde.docx',
        applies=lambda case: (case.get('verslag') or {}).get('soort') in ('iac', 'ov4')
        and (case.get('school') or {}).get('soort') == 'gewoon',
        not_applicable=_l('De ontbindende voorwaarde geldt alleen bij een IAC- of OV4-verslag in een school voor '
                          'gewoon onderwijs.'),
    ),
    DocSpec(
        kind='samenwerkingsafspraken', title=_l('Samenwerkingsafspraken'), formaat=SAMENWERKING_FORMAT,
        audience='school', pdf='samenwerkingsafspraken.html', docx=lambda ctx: 'samenwerkingsafspraken.docx',
        applies=lambda doc: True,
        not_applicable=_l('Samenwerkingsafspraken worden gemaakt uit een traject-samenwerking/1-bestand.'),
    ),
    DocSpec(
        kind='oudersamenvatting', title=_l('Samenvatting voor de ouders'), formaat=CASE_FORMAT, audience='ouders',
        pdf='oudersamenvatting.html',
        docx=lambda ctx: 'oudersamenvatting_rtl.docx' if ctx.get('dir') == 'rtl' else 'oudersamenvatting.docx',
        applies=_has('verslag'),
        not_applicable=_l('Een samenvatting voor de ouders volgt op een verslag: vul eerst de stap Besluit in.'),
        languages=parents.LANGUAGES + parents.BILINGUAL,  # 'ar+nl': the Arabic letter, then the Dutch one
    ),
)}


def kinds_for(doc: dict[str, Any]) -> list[str]:
    """Return the kinds that apply to `doc`, in registry order."""
    return [k for k, spec in DOCUMENTS.items() if spec.formaat == doc.get('formaat') and spec.applies(doc)]
