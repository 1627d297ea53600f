"""A pupil's data on the command line: `traject gdpr export|retention`, `traject delete` and `traject maintenance`."""
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import format_date
from flask_babel import gettext as _

from webapp import db
from webapp.cli import InputError, fails_cleanly, find_record
from webapp.models import Case
from webapp.services import audit, erasure, handover


def find_case(session, ident: str) -> Case:
    """Find a stored, not deleted case by its number or the `id` of its file (never a samenwerking)."""
    found = find_record(session, ident)
    if not isinstance(found, Case):
        raise InputError(_('Geen dossier gevonden met nummer of id "{ident}".').format(ident=ident))
    return found


@click.group('gdpr')
def gdpr_group() -> None:
    """A pupil's data: hand a dossier over, and the cases past their retention."""


@gdpr_group.command('export')
@click.argument('ident')
@click.option('-o', '--output', required=True, type=click.Path(dir_okay=False), help='Het ZIP-bestand.')
@with_appcontext
@fails_cleanly
def gdpr_export_command(ident: str, output: str) -> None:
    """Write everything Traject keeps about one case as a ZIP, with a README (LEESMIJ.txt) in Dutch."""
    db.upgrade()
    session = db.session()
    case = find_case(session, ident)
    # Audited before the ZIP is made: the hand-over's own row is in the audit.csv it holds.
    audit.record(session, 'gdpr-export', actor='cli', item=case)
    session.commit()  # no write transaction stays open while a version's missing documents are rendered
    data = handover.build_zip(session, case)
    session.commit()
    Path(output).write_bytes(data)
    Path(output).chmod(0o600)  # it holds the whole dossier
    click.echo(_('Gegevens van dossier {ref} geschreven naar {path} ({size} kB).').format(
        ref=case.id, path=output, size=round(len(data) / 1024)))


@gdpr_group.command('retention')
@click.option('--purge', is_flag=True, help='Wis de dossiers voorbij de bewaartermijn definitief.')
@click.option('--confirm', is_flag=True, help='Nodig bij --purge: bevestigt het definitief wissen.')
@with_appcontext
@fails_cleanly
def gdpr_retention_command(purge: bool, confirm: bool) -> None:
    """List the cases past their retention (DOMAIN.md §6.5); with --purge --confirm, erase them for good."""
    db.upgrade()
    session = db.session()
    due = erasure.retention_due(session)
    unknown = erasure.without_birth_date(session)
    if unknown:
        # Stated, not erased: without a birth date the age rule cannot be checked.
        click.echo(_('Zonder geldige geboortedatum, dus nooit vanzelf gewist: dossier(s) {refs}.').format(
            refs=', '.join(map(str, unknown))))
    if not due:
        click.echo(_('Geen dossiers voorbij de bewaartermijn.'))
        return
    click.echo(_('{n} dossier(s) voorbij de bewaartermijn:').format(n=len(due)))
    for item in due:
        click.echo(describe_retention(item))
    if not purge:
        return
    if not confirm:
        raise InputError(_('Niets gewist. Met --purge --confirm worden deze {n} dossier(s) definitief gewist, met een '
                           'auditregel per dossier.').format(n=len(due)))
    erased = erasure.purge_retention(session, actor='cli')
    session.commit()
    click.echo(_('{n} dossier(s) definitief gewist.').format(n=len(erased)))


def describe_retention(item: erasure.Retention) -> str:
    """Return one line of the retention list: the case, its dates and the rule that decides."""
    case = item.case
    name = f'{case.leerling_voornaam} {case.leerling_achternaam}'.strip()
    rule = (_('{age} jaar geworden').format(age=erasure.MINIMUM_AGE_BUITENGEWOON if item.buitengewoon
                                            else erasure.MINIMUM_AGE) if item.reason == 'age'
            else _('{years} jaar na de laatste activiteit').format(years=erasure.RETENTION_YEARS))
    line = _('  dossier {ref} ({name}): laatste activiteit {activity}, geboren {born}, mag gewist worden sinds '
             '{since} ({rule})').format(ref=case.id, name=name, activity=format_date(item.last_activity, 'long'),
                                        born=format_date(item.geboortedatum, 'long'),
                                        since=format_date(item.erase_from, 'long'), rule=rule)
    return line + (' · ' + _('buitengewoon onderwijs') if item.buitengewoon else '')


@click.command('delete')
@click.argument('ident')
@click.option('--yes', is_flag=True, help='Niet om bevestiging vragen.')
@with_appcontext
@fails_cleanly
def delete_command(ident: str, yes: bool) -> None:
    """Delete a case: gone at once, erased for good after 30 days by `traject maintenance`."""
    db.upgrade()
    session = db.session()
    case = find_case(session, ident)
    if not yes:
        click.confirm(_('Dossier {ref} verwijderen? Het verdwijnt meteen en wordt na {days} dagen definitief '
                        'gewist.').format(ref=case.id, days=erasure.ERASE_AFTER.days), abort=True)
    erasure.delete_case(session, case, actor='cli')
    session.commit()
    click.echo(_('Dossier {ref} is verwijderd; het wordt na {days} dagen definitief gewist.').format(
        ref=case.id, days=erasure.ERASE_AFTER.days))


@click.command('maintenance')
@with_appcontext
def maintenance_command() -> None:
    """Remove what outlived its period (drafts, links, deleted cases, logins, bulk ZIPs); safe to run from cron."""
    db.upgrade()
    from webapp.jobs.tasks import maintenance as run_maintenance
    removed = run_maintenance()
    labels = {'drafts': _('concepten'), 'parent_links': _('links voor ouders'),
              'deleted_cases': _('verwijderde dossiers (definitief gewist)'),
              'login_attempts': _('aanmeldpogingen'), 'login_sessions': _('verlopen aanmeldingen'),
              'bulk_jobs': _('bulktaken met hun ZIP'), 'rendered_documents': _('documenten in de cache')}
    for part, count in removed.items():
        click.echo(_('{what}: mislukt (zie het logboek)').format(what=labels[part]) if count is None
                   else _('{what}: {n} verwijderd').format(what=labels[part], n=count))
    if any(count is None for count in removed.values()):
        sys.exit(1)


COMMANDS = (gdpr_group, delete_command, maintenance_command)
