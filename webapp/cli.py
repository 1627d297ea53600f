"""The `traject` command line: check, import, export, list, render, demo and user management.

Exit codes: 0 success, 1 invalid input, 2 usage error (click's own). Bad input never prints a traceback.
It speaks the UI's languages: Dutch, or TRAJECT_TAAL=fr / en; click's own usage errors and --help too.
"""
import functools
import json
import os
import sys
from datetime import datetime, timezone
from gettext import NullTranslations
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils
from babel.support import Translations
from flask import Flask, current_app, has_app_context
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from webapp import db
from webapp.db import record_number
from webapp.access import ROLES, operator_cases
from webapp.caseformat import CaseFormatError, check, parse_json, regulation_problems, warnings
from webapp.models import Case, Samenwerking, User
from webapp.readability_cli import readability_command
from webapp.services import audit
from webapp.services import cases as case_service


DEMO_DIR = Path(__file__).parent / 'demo'
LOCALES_DIR = Path(__file__).resolve().parents[1] / 'locales'
# Where the CLB works: times on the command line are Belgian, as in the UI.
LOCAL_TIME = ZoneInfo('Europe/Brussels')
LANGUAGE_VARIABLE = 'TRAJECT_TAAL'
# Click's modules that say something to the user; each calls the `_` and `ngettext` it imported from gettext.
_CLICK_MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                  click.types, click.utils)


def cli_language() -> str:
    """Return the language of the command line: TRAJECT_TAAL if it is one of the UI's (nl, fr, en), else Dutch."""
    chosen = os.environ.get(LANGUAGE_VARIABLE, '').strip().lower()[:2]
    return chosen if chosen in ('nl', 'fr', 'en') else 'nl'


def translate_click(lang: str) -> None:
    """Make click's own messages (usage errors, --help) speak `lang`, from locales/<lang>/LC_MESSAGES/click.po.

    Click's strings are English and go through gettext, so one catalog per language translates every command's
    usage errors in one place. English keeps click's own text.
    """
    translations = NullTranslations() if lang == 'en' else Translations.load(str(LOCALES_DIR), [lang], 'click')
    for module in _CLICK_MODULES:
        if hasattr(module, '_'):
            module._ = translations.gettext
        if hasattr(module, 'ngettext'):
            module.ngettext = translations.ngettext


def local_time(moment: datetime) -> str:
    """Return a stored moment (UTC) as Brussels time, 'YYYY-MM-DD HH:MM'."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # SQLite gives back naive UTC
    return moment.astimezone(LOCAL_TIME).strftime('%Y-%m-%d %H:%M')


class InputError(click.ClickException):
    """Invalid input: printed without a traceback, exit code 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def fails_cleanly(func):
    """Turn known input errors into messages and exit code 1, and roll back whatever was half done."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CaseFormatError as exc:
            _rollback()
            raise InputError(_('Het bestand is ongeldig:') + '\n' + '\n'.join(f'  {p}' for p in exc.problems))
        except FileNotFoundError as exc:
            raise InputError(_('Het bestand {path} bestaat niet.').format(path=exc.filename))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(_('Kan het bestand niet lezen: {reason}').format(reason=exc))
        except SQLAlchemyError as exc:
            _rollback()
            raise InputError(_('De databank gaf een fout: {reason}').format(reason=exc.__class__.__name__))
    return wrapper


def _rollback() -> None:
    # Nothing is half stored: whatever the command flushed before the error is undone.
    if has_app_context():
        db.session().rollback()


def read_document(path: str) -> dict:
    """Read a case or samenwerking from a JSON file, or from the attachment of a PDF that Traject made."""
    raw = Path(path).read_bytes()
    if raw.startswith(b'%PDF'):
        from webapp.documents.pdf import extract_attachment
        raw = extract_attachment(raw)
        if raw is None:
            raise InputError(_('Deze PDF bevat geen dossier van Traject.'))
    # One parser for every way in (upload, file, PDF attachment): the same limits and checks.
    return parse_json(raw)


def find_record(session, ident: str) -> Case | Samenwerking:
    """Find a record by its number (`12`, `samenwerking-3`) or by the `id` of the file it came from."""
    if ident.isascii() and ident.isdigit():
        # A deleted case is gone for the command line too: it answers as for a number that never existed.
        number = record_number(ident)
        found = session.scalar(operator_cases().where(Case.id == number)) if number else None
    elif ident.startswith('samenwerking-') and ident.removeprefix('samenwerking-').isdigit():
        number = record_number(ident.removeprefix('samenwerking-'))
        found = session.get(Samenwerking, number) if number else None
    else:
        found = (session.scalar(operator_cases().where(Case.source_id == ident))
                 or session.scalar(select(Samenwerking).where(Samenwerking.source_id == ident)))
    if found is None:
        raise InputError(_('Geen dossier gevonden met nummer of id "{ident}".').format(ident=ident))
    return found


def record_ref(item: Case | Samenwerking) -> str:
    """Return how the CLI names a record: the case number, or samenwerking-N."""
    return str(item.id) if isinstance(item, Case) else f'samenwerking-{item.id}'


@click.command('check')
@click.argument('file', type=click.Path(dir_okay=False), required=False)
@fails_cleanly
def check_command(file: str | None) -> None:
    """Validate a case or samenwerking file and list its problems and warnings; without FILE, the stored cases.

    Warnings (case-format.md) do not make a file invalid: exit code 0. Without FILE, the stored cases that break a
    rule of the regulations are listed as needing attention (exit code 1 if there is one).
    """
    if file is None:
        sys.exit(_check_stored())
    doc = None
    try:
        doc = read_document(file)
        problems = check(doc)
    except CaseFormatError as exc:
        problems = exc.problems
    if problems:
        click.echo(_('{file}: {n} probleem/problemen').format(file=file, n=len(problems)))
        for problem in problems:
            click.echo(f'  {problem}')
        sys.exit(1)
    click.echo(_('{file}: geldig').format(file=file))
    _echo_warnings(warnings(doc))


def _echo_warnings(found: list) -> None:
    if found:
        click.echo(_('Let op ({n}):').format(n=len(found)))
        for warning in found:
            click.echo(f'  {warning}')


def _check_stored() -> int:
    """Print every stored case that needs attention or has warnings; return the exit code."""
    with current_app_or_cli().app_context():
        db.upgrade()
        cases = db.session().scalars(operator_cases().order_by(Case.id)).all()
        attention = 0
        for case in cases:
            broken, cautions = regulation_problems(case.data), warnings(case.data)
            if not (broken or cautions):
                continue
            name = f'{case.leerling_voornaam} {case.leerling_achternaam}'.strip()
            click.echo(_('dossier {ref} ({name}): aandacht nodig').format(ref=record_ref(case), name=name) if broken
                       else _('dossier {ref} ({name})').format(ref=record_ref(case), name=name))
            for problem in broken:
                click.echo(f'  {problem}')
            attention += bool(broken)
            _echo_warnings(cautions)
        click.echo(_('{n} van {total} dossiers hebben aandacht nodig.').format(n=attention, total=len(cases)))
    return 1 if attention else 0


def current_app_or_cli() -> Flask:
    """Return the running app, or build the CLI's app (check needs no app context for a file)."""
    return current_app._get_current_object() if has_app_context() else _create_cli_app()


@click.command('import')
@click.argument('file', type=click.Path(dir_okay=False))
@click.option('--replace', is_flag=True, help='Overschrijf het dossier dat dezelfde id al heeft.')
@with_appcontext
@fails_cleanly
def import_command(file: str, replace: bool) -> None:
    """Store a case or samenwerking; the last line printed is its number."""
    doc = read_document(file)
    left_out = ((doc.get('extra') or {}).get('traject') or {}).get('weggelaten') if isinstance(doc, dict) else None
    if left_out:
        # A document for the school or the parents carries only what its pages show.
        click.echo(_('Let op: dit document droeg niet het hele dossier; weggelaten: {parts}.').format(
            parts=', '.join(map(str, left_out))), err=True)
        if replace:
            raise InputError(_('Een onvolledig dossier overschrijft geen bewaard dossier (het zou {parts} wissen). '
                               'Importeer het volledige dossier (de JSON-export van het CLB).').format(
                parts=', '.join(map(str, left_out))))
    db.upgrade()
    session = db.session()
    try:
        item = case_service.import_document(session, doc, replace=replace)
    except case_service.DuplicateError as exc:
        raise InputError(_('Dit bestand (id "{id}") staat al in dossier {ref}. Gebruik --replace om het te '
                           'overschrijven.').format(id=doc.get('id'), ref=record_ref(exc.existing)))
    session.commit()
    click.echo(_('Opgeslagen als dossier {ref}.').format(ref=record_ref(item)) if replace is False
               else _('Dossier {ref} overschreven.').format(ref=record_ref(item)))
    click.echo(record_ref(item))


@click.command('export')
@click.argument('ident')
@click.option('-o', '--output', type=click.Path(dir_okay=False), help='Bestand (standaard: standaarduitvoer).')
@with_appcontext
@fails_cleanly
def export_command(ident: str, output: str | None) -> None:
    """Write a stored case or samenwerking as JSON."""
    db.upgrade()
    session = db.session()
    item = find_record(session, ident)
    text = json.dumps(case_service.export_document(item), ensure_ascii=False, indent=2) + '\n'
    audit.record(session, 'export', actor='cli', item=item)
    session.commit()
    if output:
        Path(output).write_text(text, encoding='utf-8')
    else:
        click.echo(text, nl=False)


@click.command('list')
@with_appcontext
@fails_cleanly
def list_command() -> None:
    """Show the stored cases and samenwerkingen."""
    db.upgrade()
    session = db.session()
    rows = session.scalars(operator_cases().order_by(Case.leerling_achternaam, Case.leerling_voornaam)).all()
    header = (_('nr'), _('leerling'), _('school'), _('fase'), _('verslag'), _('laatste wijziging'))
    table = [header] + [
        (str(c.id), f'{c.leerling_voornaam} {c.leerling_achternaam}', c.school.naam if c.school else '-', c.phase,
         ' '.join(filter(None, (c.verslag_soort and c.verslag_soort.upper(), c.verslag_type and
                                _('type {type}').format(type=c.verslag_type)))) or '-',
         local_time(c.updated_at))
        for c in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo('  '.join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for s in session.scalars(select(Samenwerking).order_by(Samenwerking.schooljaar)):
        click.echo(_('samenwerking-{id}  {school} – {lsc} – {clb}, {jaar}').format(
            id=s.id, school=s.school.naam, lsc=s.leersteuncentrum.naam, clb=s.clb.naam, jaar=s.schooljaar))


@click.command('demo')
@with_appcontext
@fails_cleanly
def demo_command() -> None:
    """Load the fictional demo cases and samenwerking (again: they are replaced, never duplicated)."""
    db.upgrade()
    session = db.session()
    for path in sorted(DEMO_DIR.glob('*.json')):
        item = case_service.import_document(session, parse_json(path.read_bytes()), replace=True)
        click.echo(f'{record_ref(item)}  {path.name}')
    session.commit()


@click.command('render')
@click.argument('file_or_id')
@click.option('--document', 'kind', required=True, help='verslag, iac-plan, leersteunafspraken, ...')
@click.option('--format', 'fmt', type=click.Choice(['docx', 'pdf']), required=True)
@click.option('--language', default='nl', show_default=True)
@click.option('--version', 'number', type=click.IntRange(min=1),
              help='Het opgeslagen document van deze versie (zie traject versions), byte voor byte.')
@click.option('-o', '--output', required=True, type=click.Path(dir_okay=False))
@with_appcontext
@fails_cleanly
def render_command(file_or_id: str, kind: str, fmt: str, language: str, number: int | None, output: str) -> None:
    """Render one document of a case file or stored case as DOCX or PDF; with --version, the stored one."""
    from webapp.documents import DocumentError, render
    from webapp.jobs.runner import RenderRefused
    from webapp.services import versions
    final, version = False, None
    if Path(file_or_id).is_file() and number is None:
        doc = read_document(file_or_id)
    else:
        db.upgrade()
        item = find_record(db.session(), file_or_id)
        doc, final = case_service.export_document(item), item.is_final
        # A final record's documents are its latest version's, as they were given out.
        version = versions.get_version(db.session(), item, number) if number else \
            versions.latest_version(db.session(), item) if final else None
        if number and version is None:
            raise InputError(_('--version: dossier {ref} heeft geen versie {n}. Zie traject versions {ref}.').format(
                ref=record_ref(item), n=number))
        db.session().commit()
    try:
        if version is not None:
            data = versions.version_document(db.session(), version, kind, fmt, language)
        else:
            data = render(doc, kind, fmt, language, final=final)
    except (DocumentError, RenderRefused) as exc:
        raise InputError(str(exc))
    Path(output).write_bytes(data)
    click.echo(_('{kind} geschreven naar {path} ({size} kB).').format(kind=kind, path=output,
                                                                     size=round(len(data) / 1024)))


@click.command('finalise')
@click.argument('ident')
@with_appcontext
@fails_cleanly
def finalise_command(ident: str) -> None:
    """Make a case (or samenwerking-N) final: freeze its next version and store every document of it."""
    from webapp.services import versions
    db.upgrade()
    session = db.session()
    item = find_record(session, ident)
    if item.is_final:
        latest = versions.latest_version(session, item)
        raise InputError(_('Dossier {ref} is al definitief (versie {n}). Begin eerst een nieuwe versie in de '
                           'app.').format(ref=record_ref(item), n=latest.number if latest else '?'))
    problems = check(item.data)
    if problems or (isinstance(item, Case) and 'verslag' not in item.data):
        raise InputError(_('Dossier {ref} is nog niet volledig en kan niet definitief worden:').format(
            ref=record_ref(item)) + ''.join(f'\n  {p}' for p in problems or [_('verslag: ontbreekt')]))
    if isinstance(item, Case):
        case_service.finalize_case(session, item, actor='cli')
    else:
        case_service.finalize_samenwerking(session, item, actor='cli')
    version = versions.latest_version(session, item)
    session.commit()
    click.echo(_('Dossier {ref}: versie {n} is definitief.').format(ref=record_ref(item), n=version.number))
    _echo_version_documents(versions.render_all(session, version))
    click.echo(version.number)


def _echo_version_documents(rows) -> None:
    for kind, fmt, language, digest in rows:
        click.echo(f'  {kind}.{fmt}  {language:<6} {digest or _("nog niet gemaakt")}')


@click.command('versions')
@click.argument('ident')
@with_appcontext
@fails_cleanly
def versions_command(ident: str) -> None:
    """List the versions of a case (or samenwerking-N) with their SHA-256, and the SHA-256 of their documents."""
    from webapp.services import versions
    db.upgrade()
    session = db.session()
    item = find_record(session, ident)
    found = versions.versions_of(session, item)
    if not found:
        click.echo(_('Dossier {ref} heeft nog geen versies (het werd nog niet definitief gemaakt).').format(
            ref=record_ref(item)))
        return
    for version in found:
        click.echo(_('versie {n}  {when}  {who}  {sha}').format(n=version.number, when=local_time(version.finalised_at),
                                                               who=version.finalised_by, sha=version.sha256))
        stored = versions.stored_documents(session, version)
        _echo_version_documents([(kind, fmt, language, getattr(stored.get((kind, fmt, language)), 'sha256', None))
                                 for kind, fmt, language in versions.document_set(version)])


@click.group('user')
def user_group() -> None:
    """Manage local accounts (installation-wide: every organisation)."""


def read_password(prompt: str) -> str:
    """Return a password asked twice on a terminal, or read from the first line of standard input otherwise.

    Never an option: a password on the command line ends up in the shell's history and in the process list.
    """
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=_('Nog eens'))
    line = sys.stdin.readline()
    if not line.strip():
        raise InputError(_('Wachtwoord: geen wachtwoord gelezen van de standaardinvoer.'))
    return line.rstrip('\r\n')


def _account(session, username: str) -> User:
    from webapp.services.users import find_user
    user = find_user(session, username)
    if user is None:
        raise InputError(_('Gebruikersnaam: geen account "{username}".').format(username=username))
    return user


@user_group.command('create')
@click.argument('username')
@click.option('--name', 'display_name', help='Naam zoals getoond in de app.')
@click.option('--role', type=click.Choice(ROLES), required=True, help='De rol van het account.')
@click.option('--organisatie', required=True, help='Naam of instellingsnummer van de eigen organisatie.')
@with_appcontext
@fails_cleanly
def user_create_command(username: str, display_name: str | None, role: str, organisatie: str) -> None:
    """Create a local account; the password is asked (or read from standard input)."""
    from webapp.services.users import UserError, create_user
    db.upgrade()
    session = db.session()
    password = read_password(_('Wachtwoord'))
    try:
        user = create_user(session, username, password, role=role, display_name=display_name,
                           organisation=organisatie)
    except UserError as exc:
        raise InputError(str(exc))
    audit.record(session, 'account-created', actor='cli', detail={'account': user.username, 'role': role})
    session.commit()
    click.echo(_('Account "{username}" aangemaakt.').format(username=user.username))


@user_group.command('list')
@with_appcontext
@fails_cleanly
def user_list_command() -> None:
    """Show every account: username, role, organisation, active or not, second factor set up or not."""
    db.upgrade()
    users = db.session().scalars(select(User).order_by(User.username)).all()
    header = (_('gebruikersnaam'), _('rol'), _('organisatie'), _('status'), _('tweestapsverificatie'))
    table = [header] + [(u.username, u.role, u.organisation.naam if u.organisation else '-',
                         _('actief') if u.active else _('uitgeschakeld'),
                         _('ingesteld') if u.totp_secret else _('niet ingesteld')) for u in users]
    _print_table(table)


def _change_account(username: str, action: str, change) -> User:
    # One transaction per change, audited as the command line's.
    db.upgrade()
    return _apply_change(username, action, change)


def _apply_change(username: str, action: str, change) -> User:
    session = db.session()
    user = _account(session, username)
    change(session, user)
    audit.record(session, action, actor='cli', detail={'account': user.username})
    session.commit()
    return user


@user_group.command('disable')
@click.argument('username')
@with_appcontext
@fails_cleanly
def user_disable_command(username: str) -> None:
    """Disable an account: it cannot log in, and its logins end at once."""
    from webapp.services.users import set_active
    user = _change_account(username, 'account-disabled', lambda session, u: set_active(session, u, False))
    click.echo(_('Account "{username}" is uitgeschakeld.').format(username=user.username))


@user_group.command('enable')
@click.argument('username')
@with_appcontext
@fails_cleanly
def user_enable_command(username: str) -> None:
    """Enable a disabled account again."""
    from webapp.services.users import set_active
    user = _change_account(username, 'account-enabled', lambda session, u: set_active(session, u, True))
    click.echo(_('Account "{username}" is ingeschakeld.').format(username=user.username))


@user_group.command('reset-password')
@click.argument('username')
@with_appcontext
@fails_cleanly
def user_reset_password_command(username: str) -> None:
    """Give an account a temporary password (asked, or read from standard input) and end its logins."""
    from webapp.services.users import UserError, reset_password
    db.upgrade()
    _account(db.session(), username)  # an unknown username is told before a password is asked
    password = read_password(_('Tijdelijk wachtwoord'))
    try:
        user = _apply_change(username, 'password-reset', lambda session, u: reset_password(session, u, password))
    except UserError as exc:
        raise InputError(str(exc))
    click.echo(_('Account "{username}" heeft een tijdelijk wachtwoord; bij de volgende aanmelding kiest het een '
                 'eigen wachtwoord.').format(username=user.username))


@user_group.command('reset-totp')
@click.argument('username')
@with_appcontext
@fails_cleanly
def user_reset_totp_command(username: str) -> None:
    """Forget an account's second factor and recovery codes: the next login sets it up again."""
    from webapp.services.users import reset_totp
    user = _change_account(username, 'totp-reset', reset_totp)
    click.echo(_('De tweestapsverificatie van "{username}" is gewist.').format(username=user.username))


@click.group('org')
def org_group() -> None:
    """Manage organisations: CLBs, schools and leersteuncentra."""


@org_group.command('create')
@click.argument('name')
@click.option('--kind', required=True, type=click.Choice(['clb', 'school', 'leersteuncentrum']),
              help='Soort organisatie.')
@click.option('--nummer', help='Instellingsnummer.')
@with_appcontext
@fails_cleanly
def org_create_command(name: str, kind: str, nummer: str | None) -> None:
    """Create an organisation (refused when one of that kind has the same name or number)."""
    from webapp.services.users import find_organisation
    db.upgrade()
    session = db.session()
    name, nummer = ' '.join(name.split()), (nummer or '').strip() or None
    if not name or len(name) > 300:
        raise InputError(_('Naam: geef een naam van 1 tot 300 tekens.'))
    if nummer is not None and (len(nummer) > 40 or not nummer.isalnum()):
        raise InputError(_('Nummer: een instellingsnummer bestaat uit hoogstens 40 letters en cijfers.'))
    existing = find_organisation(session, name, kind=kind) or (nummer and find_organisation(session, nummer,
                                                                                          kind=kind))
    if existing:
        raise InputError(_('Naam of nummer: er bestaat al een organisatie "{naam}" van deze soort.').format(
            naam=existing.naam))
    org = case_service.get_organisation(session, kind, {'naam': name, 'instellingsnummer': nummer or ''})
    audit.record(session, 'organisation-created', actor='cli', detail={'organisation': org.id, 'kind': kind})
    session.commit()
    click.echo(_('Organisatie "{naam}" aangemaakt.').format(naam=org.naam))


@org_group.command('list')
@with_appcontext
@fails_cleanly
def org_list_command() -> None:
    """Show every organisation: kind, number, name and how many accounts it has."""
    from webapp.models import Organisation
    db.upgrade()
    session = db.session()
    counts = dict(session.execute(select(User.organisation_id, func.count()).group_by(User.organisation_id)).all())
    rows = session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.naam)).all()
    table = [(_('soort'), _('nummer'), _('naam'), _('accounts'))] + [
        (o.kind, o.instellingsnummer or '-', o.naam, str(counts.get(o.id, 0))) for o in rows]
    _print_table(table)


def _print_table(table: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo('  '.join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


@click.command('migrate')
@with_appcontext
def migrate_command() -> None:
    """Bring the database up to date (new databases get the whole schema)."""
    db.upgrade()
    click.echo(_('Databank is bijgewerkt.'))


DEMO_CLB = {'naam': 'Vrij CLB Bosveld-Meerhoven', 'instellingsnummer': '131705'}  # as in webapp/demo/


@click.command('demo-account')
@with_appcontext
def demo_account_command() -> None:
    """Create the local demo account once and print how to log in (the password lives in instance/)."""
    import secrets
    from webapp.services.users import create_user
    db.upgrade()
    session = db.session()
    path = Path(current_app.instance_path) / 'demo_password'
    if session.scalar(select(User).where(User.username == 'demo')) is None:
        password = secrets.token_urlsafe(12)
        # A CLB worker of the demo CLB: the demo shows what a worker sees, not more.
        clb = case_service.get_organisation(session, 'clb', DEMO_CLB)
        session.flush()
        create_user(session, 'demo', password, role='clb-medewerker', organisation=clb.instellingsnummer,
                    display_name='Demo (CLB)')
        session.commit()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(password)
        path.chmod(0o600)
    password = path.read_text().strip() if path.exists() else _('(onbekend: maak een account met traject user create)')
    click.echo(_('Aanmelden op http://127.0.0.1:5000 met gebruikersnaam "demo" en wachtwoord {password}').format(
        password=password))


@click.group('audit')
def audit_group() -> None:
    """The audit trail: who did what with which case."""


@audit_group.command('export')
@click.option('--since', 'since', type=click.DateTime(formats=['%Y-%m-%d']), help='Vanaf deze datum (JJJJ-MM-DD).')
@click.option('-o', '--output', type=click.Path(dir_okay=False), required=True, help='Het CSV-bestand.')
@with_appcontext
@fails_cleanly
def audit_export_command(since, output: str) -> None:
    """Write the audit trail as CSV (ids, never names of pupils); times in Brussels time."""
    import csv
    from zoneinfo import ZoneInfo

    from webapp.models import AuditEvent
    db.upgrade()
    brussels = ZoneInfo('Europe/Brussels')
    query = select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)
    if since is not None:
        query = query.where(AuditEvent.at >= since.replace(tzinfo=brussels))
    count = 0
    with open(output, 'w', newline='', encoding='utf-8') as out:
        writer = csv.writer(out)
        writer.writerow(['id', 'tijdstip', 'gebruiker', 'gebruiker_id', 'actie', 'dossier', 'samenwerking',
                         'document', 'publiek', 'details'])
        for event in db.session().scalars(query).yield_per(500):
            at = event.at if event.at.tzinfo else event.at.replace(tzinfo=ZoneInfo('UTC'))
            writer.writerow([event.id, at.astimezone(brussels).isoformat(timespec='seconds'), event.actor,
                             event.user_id or '', event.action, event.case_id or '', event.samenwerking_id or '',
                             event.kind or '', event.audience or '',
                             json.dumps(event.detail, ensure_ascii=False) if event.detail else ''])
            count += 1
    click.echo(_('{n} regels geschreven naar {path}.').format(n=count, path=output))


COMMANDS = (check_command, import_command, export_command, list_command, demo_command, render_command,
            finalise_command, versions_command,
            user_group, org_group, migrate_command, demo_account_command, readability_command, audit_group)


def init_app(app: Flask) -> None:
    """Register the commands on `flask --app webapp`."""
    from webapp import gdpr_cli  # it builds on this module's helpers
    for command in COMMANDS + gdpr_cli.COMMANDS:
        app.cli.add_command(command)


def _create_cli_app() -> Flask:
    from webapp import build_app
    app = build_app(require_secret=False)
    app.config['CLI_LANGUAGE'] = cli_language()  # the messages of Traject itself (webapp.i18n.select_locale)
    # A command ends when its own work is done: no background renders from an import or the demo.
    app.config['PRERENDER'] = False
    return app


class TrajectGroup(FlaskGroup):
    """The `traject` command: click's messages in the command line's language before anything is parsed."""

    def main(self, *args, **kwargs):
        translate_click(cli_language())
        return super().main(*args, **kwargs)


main = TrajectGroup(name='traject', create_app=_create_cli_app, add_default_commands=True, load_dotenv=False,
                    help='Traject: HGD-dossiers, verslagen en leersteun vanaf de opdrachtregel.')
