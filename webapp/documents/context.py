"""One case document -> one plain dict that every template of every kind reads (DOCX and PDF alike).

The context holds only str, int, bool, None, date, list and dict: rendering cannot touch the database, so it can
run in a worker. What an audience may not see (DOMAIN.md §6) is left out here and nowhere else.
"""
import copy
import re
from contextlib import contextmanager
from datetime import date
from typing import Any, Iterator, Literal

from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.caseformat.enums import label
from webapp.documents import parents, statements
from webapp.documents.env import format_long_date
from webapp.documents.sections import add_headings


Audience = Literal['clb', 'school', 'leersteuncentrum', 'ouders']

# Control characters other than line feed: docxtpl turns \a, \f and \t into paragraph, page and tab breaks, and
# the others are not valid XML. Tabs become spaces; carriage returns are dropped (\r\n -> \n).
_CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')
_DATE_KEYS = {'datum', 'geboortedatum', 'aanmeldingsdatum', 'herzien_tegen', 'klassenraad_datum', 'aanvraagdatum',
              'opstartdatum', 'ingangsdatum'}
_DATE_LIST_KEYS = {'evaluatiemomenten', 'evaluatiedata'}


def clean_text(value: str) -> str:
    """Return `value` with Windows line ends, tabs and control characters made harmless for DOCX and PDF."""
    return _CONTROL.sub('', value.replace('\r\n', '\n').replace('\r', '\n').replace('\t', ' '))


def to_plain(value: Any, key: str = '') -> Any:
    """Recursively copy JSON data: text cleaned, ISO dates under date keys turned into `date` objects."""
    if isinstance(value, dict):
        return {k: to_plain(v, k) for k, v in value.items() if k != 'extra'}
    if isinstance(value, list):
        return [_to_date(v) if key in _DATE_LIST_KEYS else to_plain(v) for v in value]
    if isinstance(value, str):
        return _to_date(value) if key in _DATE_KEYS else clean_text(value)
    return value


def _to_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def full_name(person: dict[str, Any]) -> str:
    """Return "voornaam achternaam"."""
    return f"{person.get('voornaam', '')} {person.get('achternaam', '')}".strip()


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def verslag_title(soort: str) -> str:
    """Return the short legal name of a verslag of `soort`, which leads its title (DOMAIN.md §4, Titles)."""
    return {'gc': _('GC-verslag'), 'iac': _('IAC-verslag'), 'ov4': _('OV4-verslag')}[soort]


def verslag_subtitle(soort: str) -> str | None:
    """Return the long legal name under the title; the long form of the OV4-verslag is not confirmed, so none."""
    return {
        'gc': _('Verslag dat leidt tot een gemeenschappelijk traject'),
        'iac': _('Verslag dat leidt tot een individueel traject'),
    }.get(soort)


def may_see_diagnose(diagnose: dict[str, Any], audience: Audience) -> bool:
    """Return whether `audience` may read `diagnose`; the leersteuncentrum reads what the school may."""
    if audience == 'clb':
        return True
    flag = 'delen_met_ouders' if audience == 'ouders' else 'delen_met_school'
    return diagnose.get(flag) is True


@contextmanager
def dutch() -> Iterator[None]:
    """Make labels and headings Dutch, whatever language the person clicking "download" uses for the UI."""
    with force_locale('nl'):
        yield


def build_document_context(doc: dict[str, Any], kind: str, *, audience: Audience, final: bool = False,
                           today: date | None = None, language: str = 'nl', version: int | None = None
                           ) -> dict[str, Any]:
    """Return the plain data both templates of `kind` read, with only what `audience` may see.

    `versie` is the number of the frozen version being rendered (None for a live render): the footer names it.
    `lang` is the document's language and `koppen`/`secties` its numbered headings; the parents' letter brings its
    own, in the parents' language (`ar` for the bilingual `ar+nl`).
    """
    with dutch():
        ctx = _build(doc, kind, audience=audience, final=final, today=today or date.today())
    if kind == 'oudersamenvatting':
        # The parents' letter is written in their language, from what this audience may see (parents.py).
        ctx.update(parents.build(ctx, language))
    ctx.setdefault('lang', language)
    # Only a final document is a version: a draft keeps its CONCEPT mark and the day it was made.
    ctx['versie'] = version if final else None
    if 'koppen' not in ctx:
        add_headings(ctx, kind)
    return ctx


def _build(doc: dict[str, Any], kind: str, *, audience: Audience, final: bool, today: date) -> dict[str, Any]:
    if doc.get('formaat') == 'traject-samenwerking/1':
        return {'kind': kind, 'concept': not final, 'vandaag': today, 'audience': audience,
                'samenwerking': _samenwerking(to_plain(doc))}
    case = to_plain(doc)
    traject = case['traject']
    verslag = case.get('verslag')
    leerling = case['leerling']
    peildatum = (verslag or {}).get('datum') or today
    leerling.update(naam=full_name(leerling), leeftijd=age_on(leerling['geboortedatum'], peildatum))
    leerling['bekwaam'] = leerling['leeftijd'] >= 12
    leerling['onderwijsniveau_label'] = label('ONDERWIJSNIVEAUS', leerling['onderwijsniveau'])
    betrokkenen = [dict(b, rol_label=label('ROLLEN', b['rol'])) for b in case.get('betrokkenen') or []]
    overleg = [_overleg(o) for o in sorted(case.get('overleg') or [], key=lambda o: o['datum'])]
    aanpassingen = [_aanpassing(a) for a in case.get('aanpassingen') or []]
    ouders = [dict(o, relatie_label=label('RELATIES', o['relatie'])) for o in case.get('ouders') or []]
    return {
        'kind': kind,
        'audience': audience,
        'concept': not final,
        'vandaag': today,
        'leerling': leerling,
        'ouders': ouders,
        'school': case['school'],
        'clb': case['clb'],
        'leersteuncentrum': case.get('leersteuncentrum'),
        'betrokkenen': betrokkenen,
        'clb_medewerker': next((b for b in betrokkenen if b['rol'] == 'clb-medewerker'), None),
        'traject': {
            'aanmeldingsdatum': traject['aanmeldingsdatum'],
            'aanmelder': traject['aanmelder'],
            'aanmelder_label': label('AANMELDERS', traject['aanmelder']),
            'aanleiding': traject['aanleiding'],
            'hulpvragen': [dict(h, van_label=label('HULPVRAAG_VAN', h['van'])) for h in traject['hulpvragen']],
            'voorgeschiedenis': traject.get('voorgeschiedenis'),
            'zorgcontinuum': _by_fase(traject.get('zorgcontinuum') or []),
            'beeldvorming': _beeldvorming(traject.get('beeldvorming') or []),
            'diagnosen': [d for d in traject.get('diagnosen') or [] if may_see_diagnose(d, audience)],
            'behoeften': _behoeften(traject.get('behoeften') or []),
            'doelen': [dict(d, termijn_label=label('TERMIJNEN', d['termijn'])) for d in traject.get('doelen') or []],
        },
        'aanpassingen': aanpassingen,
        'redelijke_aanpassingen': [a for a in aanpassingen if a['oordeel'] == 'redelijk'],
        'overleg': overleg,
        'adviesgesprekken': [o for o in overleg if o['soort'] == 'adviesgesprek'],
        'klassenraden': [o for o in overleg if o['soort'] == 'klassenraad'],
        'verslag': _verslag(verslag, leerling, case['school'], case['clb']) if verslag else None,
        'iac_plan': _iac_plan(case['iac_plan'], leerling) if case.get('iac_plan') else None,
        'leersteun': _leersteun(case['leersteun'], traject) if case.get('leersteun') else None,
        'ontbindende_voorwaarde': _ontbindende_voorwaarde(verslag, leerling, case['school'], overleg, aanpassingen)
        if verslag and verslag['soort'] in ('iac', 'ov4') else None,
        'oudersamenvatting': case.get('oudersamenvatting') or {},
    }


def _overleg(o: dict[str, Any]) -> dict[str, Any]:
    # Meeting notes (notulen) are CLB-internal (DOMAIN.md §6.1) and never reach a document.
    return {
        'soort': o['soort'],
        'soort_label': label('OVERLEG_SOORTEN', o['soort']),
        'datum': o['datum'],
        'deelnemers': o['deelnemers'],
        'standpunt_ouders': o.get('standpunt_ouders'),
        'standpunt_ouders_label': label('STANDPUNTEN', o['standpunt_ouders']) if o.get('standpunt_ouders') else None,
        'standpunt_leerling': o.get('standpunt_leerling'),
        'standpunt_ouders_toelichting': o.get('standpunt_ouders_toelichting'),
    }


def _aanpassing(a: dict[str, Any]) -> dict[str, Any]:
    afweging = a.get('afweging') or {}
    return {
        'categorie': a['categorie'],
        'categorie_label': label('CATEGORIEEN', a['categorie']),
        'beschrijving': a['beschrijving'],
        'afweging': [{'criterium': key, 'label': label('AFWEGING_CRITERIA', key), 'tekst': afweging[key]}
                     for key in ('kostprijs', 'organisatie', 'frequentie_duur', 'levenskwaliteit', 'omgeving',
                                 'alternatieven') if afweging.get(key)],
        'oordeel': a['oordeel'],
        'oordeel_label': label('OORDELEN', a['oordeel']),
        'motivering': a.get('motivering'),
    }


def _by_fase(maatregelen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups = []
    for fase in ('brede-basiszorg', 'verhoogde-zorg', 'uitbreiding-van-zorg'):
        items = [dict(m, categorie_label=label('CATEGORIEEN', m['categorie'])) for m in maatregelen
                 if m['fase'] == fase]
        if items:
            groups.append({'fase': fase, 'label': label('ZORG_FASEN', fase), 'maatregelen': items})
    return groups


def _beeldvorming(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Strengths first, per context, in the order the contexts are listed in the format.
    groups = []
    for context in ('leerling', 'onderwijsleersituatie', 'thuiscontext'):
        in_context = [i['beschrijving'] for i in items if i['context'] == context]
        if in_context:
            groups.append({
                'context': context,
                'label': label('BEELD_CONTEXTEN', context),
                'stimulerend': [i['beschrijving'] for i in items if i['context'] == context
                                and i['soort'] == 'stimulerend'],
                'belemmerend': [i['beschrijving'] for i in items if i['context'] == context
                                and i['soort'] == 'belemmerend'],
            })
    return groups


def _behoeften(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    labelled = [dict(b, soort_label=label('BEHOEFTE_SOORTEN', b['soort'])) for b in items]
    return {
        'onderwijs': [b for b in labelled if b['soort'] in ('onderwijsbehoefte', 'opvoedingsbehoefte')],
        'ondersteuning': [b for b in labelled if b['soort'].startswith('ondersteuningsbehoefte-')],
        'ouders': [b for b in labelled if b['soort'] == 'ondersteuningsbehoefte-ouders'],
        'alle': labelled,
    }


def _verslag(v: dict[str, Any], leerling: dict[str, Any], school: dict[str, Any], clb: dict[str, Any]) -> dict[str, Any]:
    soort = v['soort']
    opgeheven = v.get('status') == 'opgeheven'
    vorig = v.get('vorig_verslag')
    titel = verslag_title(soort)
    return dict(
        v,
        # An opgeheven verslag says so wherever its title is printed: on every page, and where a plan rests on it.
        titel=_('%(titel)s (opgeheven)', titel=titel) if opgeheven else titel,
        ondertitel=verslag_subtitle(soort),
        opgeheven=opgeheven,
        ingangsdatum=v.get('ingangsdatum') or v['datum'],
        hgd_samenvatting=v.get('hgd_samenvatting'),
        ondertekenaar=v.get('ondertekenaar'),
        vorig_verslag=vorig,
        vervangt=statements.vervangt(vorig, format_long_date(vorig['datum'])) if vorig else None,
        reikwijdte=statements.reikwijdte(v, leerling),
        herziening=statements.herziening(format_long_date(v['herzien_tegen'])) if v.get('herzien_tegen') else None,
        motivering_kop=statements.motivering_kop(soort),
        mogelijk=statements.mogelijk(v, leerling, school) if soort in ('iac', 'ov4') else None,
        attest_verklaring=statements.attest_verklaring(clb['naam'], label('VERSLAG_SOORTEN', soort),
                                                       leerling['naam']),
        soort_label=label('VERSLAG_SOORTEN', v['soort']),
        type_label=label('VERSLAG_TYPES', v['type']),
        opleidingsvorm=v.get('opleidingsvorm'),
        opleidingsvorm_label=label('OPLEIDINGSVORMEN', v['opleidingsvorm']) if v.get('opleidingsvorm') else None,
        motivering_disproportioneel=v.get('motivering_disproportioneel'),
        herzien_tegen=v.get('herzien_tegen'),
        heeft_attest=v['soort'] in ('iac', 'ov4'),
        attest_titel=_attest_title(soort, opgeheven),
    )


def _attest_title(soort: str, opgeheven: bool) -> str | None:
    titel = {'iac': _('Attest bij het IAC-verslag'), 'ov4': _('Attest bij het OV4-verslag')}.get(soort)
    return _('%(titel)s (opgeheven)', titel=titel) if titel and opgeheven else titel


def _iac_plan(plan: dict[str, Any], leerling: dict[str, Any]) -> dict[str, Any]:
    domeinen: dict[str, list[dict[str, Any]]] = {}
    for nummer, doel in enumerate(plan['doelen'], start=1):
        evaluaties = [dict(e, beslissing_label=label('BESLISSINGEN', e['beslissing']))
                      for e in doel.get('evaluaties') or []]
        domeinen.setdefault(doel['domein'], []).append(
            dict(doel, nummer=nummer, bron_label=label('BRONNEN', doel['bron']), code=doel.get('code'),
                 evaluaties=evaluaties))
    return dict(
        plan,
        domeinen=[{'domein': d, 'doelen': items} for d, items in domeinen.items()],
        netwerkpartners=plan.get('netwerkpartners') or [],
        studiebekrachtiging_label=statements.studiebekrachtiging(plan, leerling)['label'],
        studiebekrachtiging_tekst=statements.studiebekrachtiging(plan, leerling)['tekst'],
        gc_domeinen=plan.get('gc_domeinen') or [],
        gc_domeinen_tekst=statements.gc_domeinen(plan.get('gc_domeinen') or [], leerling['voornaam']),
        bronnen_tekst=statements.bronnen_secundair() if leerling['onderwijsniveau'] == 'secundair' else None,
        vastgelegd=statements.klassenraad_vastgelegd(format_long_date(plan['klassenraad_datum'])),
        evaluaties_tot_nu=sorted(
            ({'datum': e['datum'], 'doel': doel['formulering'], 'resultaat': e['resultaat'],
              'beslissing_label': label('BESLISSINGEN', e['beslissing'])}
             for doel in plan['doelen'] for e in doel.get('evaluaties') or []), key=lambda e: e['datum']),
    )


def _leersteun(ls: dict[str, Any], traject: dict[str, Any]) -> dict[str, Any]:
    return dict(
        ls,
        opstartdatum=ls.get('opstartdatum'),
        vormen=[dict(v, soort_label=label('LEERSTEUN_SOORTEN', v['soort'])) for v in ls['vormen']],
        rollen=ls.get('rollen') or [],
        ouderbetrokkenheid=ls.get('ouderbetrokkenheid'),
        aanvraag=statements.leersteun_aanvraag(format_long_date(ls['aanvraagdatum'])),
        # `van` is also the key of a hulpvraag's asker, so the period's dates are converted here, not by key.
        periode={k: _to_date(d) for k, d in ls['periode'].items()} if ls.get('periode') else None,
        stopcriteria=ls.get('stopcriteria'),
        ondertekening=ls.get('ondertekening') or [],
        vragen_school=[dict(h, van_label=label('HULPVRAAG_VAN', h['van'])) for h in traject['hulpvragen']
                       if h['van'] in ('leerkracht', 'school')],
        behoeften_school=[dict(b, soort_label=label('BEHOEFTE_SOORTEN', b['soort']))
                          for b in traject.get('behoeften') or []
                          if b['soort'] in ('ondersteuningsbehoefte-leerkracht', 'ondersteuningsbehoefte-schoolteam')],
    )


def _ontbindende_voorwaarde(verslag: dict[str, Any], leerling: dict[str, Any], school: dict[str, Any],
                            overleg: list[dict[str, Any]], aanpassingen: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(
        statements.ontbindende_voorwaarde(leerling, school, label('VERSLAG_SOORTEN', verslag['soort'])),
        overleg=[o for o in overleg if o['soort'] == 'ontbindende-voorwaarde'],
        aanpassingen=aanpassingen,
    )


def _samenwerking(doc: dict[str, Any]) -> dict[str, Any]:
    return dict(doc, vestigingen=doc.get('vestigingen') or [], schoolbestuur=doc.get('schoolbestuur'),
                pbd=doc.get('pbd'))


def shareable_case(doc: dict[str, Any], audience: Audience, kind: str | None = None,
                   language: str = 'nl') -> dict[str, Any]:
    """Return the part of `doc` that `audience` may receive inside a PDF of `kind`; the CLB gets the whole document.

    The embedded JSON is as readable as the page text, so it follows DOMAIN.md §6.1: strategie, onderzoek,
    toestemmingen, meeting notes, unshared diagnoses and `extra` stay CLB-internal. A document also carries no more
    than its pages draw on: the letter only the parents it is written to, the leersteunafspraken no diagnoses. The
    result is still a valid traject-case/1 document; what was left out is listed in `extra.traject.weggelaten`, so
    `traject import` of such a PDF can say which parts it did not carry.
    """
    if audience == 'clb' or doc.get('formaat') != 'traject-case/1':
        return doc
    shared = _audience_view(doc, audience)
    left_out = []
    if kind == 'oudersamenvatting':
        addressed = parents.recipients_of(shared.get('ouders') or [], language)
        if len(addressed) < len(shared.get('ouders') or []):
            shared['ouders'] = addressed
            left_out.append('ouders')
    if kind == 'leersteunafspraken' and (shared.get('traject') or {}).get('diagnosen'):
        shared['traject']['diagnosen'] = []
        left_out.append('traject.diagnosen')
    if left_out:
        shared['extra'] = {'traject': {'weggelaten': left_out}}
    return shared


def _audience_view(doc: dict[str, Any], audience: Audience) -> dict[str, Any]:
    """Return a copy of `doc` without what `audience` may not see (DOMAIN.md §6.1)."""
    shared = copy.deepcopy(doc)
    for key in ('toestemmingen', 'extra'):
        shared.pop(key, None)
    traject = shared.get('traject') or {}
    traject.pop('onderzoek', None)
    if isinstance(traject.get('strategie'), dict):
        traject['strategie'].update(hypothesen=[], onderzoeksvragen=[])
    if 'diagnosen' in traject:
        traject['diagnosen'] = [d for d in traject['diagnosen'] or [] if may_see_diagnose(d, audience)]
    for overleg in shared.get('overleg') or []:
        overleg.pop('notulen', None)
    return shared
