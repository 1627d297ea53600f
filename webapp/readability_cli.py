"""`traject readability FILE`: the plain-language report of a case on the command line (DOMAIN.md §5).

The same report as the wizard's Ouders step: the Flesch-Douma score of the Dutch parents' letter with its plain
label, the average sentence length, the longest sentences, the jargon words with plain alternatives, and a
suggestion for every behoefte, goal or other text of the CLB worker that is hard to read. It advises and never
blocks; `--strict` makes a letter below the targets exit with code 1 (for scripts and CI).
"""
import json
from pathlib import Path

import click
from flask_babel import gettext as _

from webapp.caseformat import CaseFormatError, check, parse_json
from webapp.services.readability import check_case


class _InputError(click.ClickException):
    """Invalid input: printed without a traceback, exit code 1 (as the other commands in webapp/cli.py)."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


@click.command('readability')
@click.argument('file', type=click.Path(dir_okay=False))
@click.option('--json', 'as_json', is_flag=True, help='Schrijf het rapport als JSON.')
@click.option('--strict', is_flag=True, help='Eindig met code 1 als de brief de doelen niet haalt.')
def readability_command(file: str, as_json: bool, strict: bool) -> None:
    """Check how easy the parents' letter and the texts parents read are (Flesch-Douma, jargon)."""
    doc = _read_case(file)
    result = check_case(doc)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for line in format_report(result):
            click.echo(line)
    if strict and not result['brief_ok']:
        raise SystemExit(1)


def _read_case(file: str) -> dict:
    try:
        raw = Path(file).read_bytes()
        if raw.startswith(b'%PDF'):
            from webapp.documents.pdf import extract_case
            doc = extract_case(raw)
            if doc is None:
                raise _InputError(_('Deze PDF bevat geen dossier van Traject.'))
        else:
            doc = parse_json(raw)
        problems = check(doc)
    except CaseFormatError as exc:
        problems = exc.problems
    except (OSError, UnicodeDecodeError) as exc:
        raise _InputError(_('Kan het bestand niet lezen: {reason}').format(reason=exc))
    if problems:
        raise _InputError(_('Het bestand is ongeldig:') + '\n' + '\n'.join(f'  {p}' for p in problems))
    if doc.get('formaat') != 'traject-case/1':
        raise _InputError(_('De leesbaarheid wordt gemeten op een traject-case/1-bestand.'))
    return doc


def format_report(result: dict) -> list[str]:
    """Return the report as lines of plain Dutch text."""
    lines = []
    letter = result['brief']
    if letter is None:
        lines.append(result['melding'])
    else:
        ok, not_ok = _('gehaald'), _('niet gehaald')
        lines += [
            _('Brief aan de ouders (Nederlands)'),
            '  ' + _('Flesch-Douma: {score} ({label}); doel: {doel} of meer: {oordeel}').format(
                score=_number(letter['score']), label=letter['label'], doel=_number(letter['doel_score']),
                oordeel=ok if letter['score_ok'] else not_ok),
            '  ' + _('Gemiddelde zinslengte: {n} woorden; doel: {doel} of minder: {oordeel}').format(
                n=_number(letter['gemiddelde_zinslengte']), doel=_number(letter['doel_zinslengte']),
                oordeel=ok if letter['zinslengte_ok'] else not_ok),
            '  ' + _('{zinnen} zinnen, {woorden} woorden').format(zinnen=letter['zinnen'], woorden=letter['woorden']),
        ]
        if letter['lange_zinnen']:
            lines.append('  ' + _('Lange zinnen (meer dan {max} woorden):').format(max=letter['max_zinslengte']))
            lines += [f"    - ({z['woorden']}) {z['zin']}" for z in letter['lange_zinnen']]
        if letter['jargon']:
            lines.append('  ' + _('Vaktaal en afkortingen, met een eenvoudiger woord:'))
            for hit in letter['jargon']:
                note = ' ' + _('(uitgelegd in de woordenlijst)') if hit.get('uitgelegd') else ''
                lines.append(f"    - {', '.join(hit['vormen'])} ({hit['aantal']}×): {hit['alternatief']}{note}")
    hard = [field for field in result['velden'] if field['suggesties']]
    lines.append(_('Teksten die ouders lezen: {n} van {total} kunnen eenvoudiger').format(
        n=len(hard), total=len(result['velden'])))
    for field in hard:
        lines.append(f"  {field['label']} ({field['pad']}): {_shorten(field['tekst'])}")
        lines += [f'    · {tip}' for tip in field['suggesties']]
    return lines


def _number(value: float) -> str:
    # Dutch decimal comma, and "60" rather than "60,0" for a target.
    return f'{value:.1f}'.replace('.', ',').removesuffix(',0')


def _shorten(text: str, limit: int = 80) -> str:
    text = ' '.join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(' ', 1)[0] + ' …'
