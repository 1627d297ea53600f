"""`traject share create|revoke|list`: parents' links from the command line, for the same CLB work as the case page."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp import db
from webapp.db import MAX_RECORD_NUMBER
from webapp.cli import InputError, fails_cleanly, local_time
from webapp.models import Case
from webapp.services import links, mail


ACTOR = 'cli'


def _case(case_id: int) -> Case:
    case = db.session().get(Case, case_id)
    if case is None or case.deleted_at is not None:
        raise InputError(_('Dossier {id} bestaat niet.').format(id=case_id))
    return case


@click.group('share')
def share_group() -> None:
    """Links for parents: make, revoke and list them."""


@share_group.command('create')
@click.argument('case_id', type=click.IntRange(1, MAX_RECORD_NUMBER))
@click.option('--ouder', type=click.IntRange(1, 1000), required=True, help='Welke ouder van het dossier, vanaf 1.')
@click.option('--days', type=click.IntRange(1, links.MAX_DAYS), default=links.DEFAULT_DAYS, show_default=True, help='Hoe lang de link werkt.')
@click.option('--brief', 'cover', type=click.Path(dir_okay=False),
              help='Schrijf de begeleidende brief met QR-code (PDF) naar dit bestand.')
@with_appcontext
@fails_cleanly
def share_create_command(case_id: int, ouder: int, days: int, cover: str | None) -> None:
    """Make a link for one parent of a final case; the link itself is the last line printed."""
    db.upgrade()
    session = db.session()
    case = _case(case_id)
    try:
        link, token = links.create_link(session, case, ouder, days=days, actor=ACTOR)
    except links.LinkRefused as exc:
        session.rollback()
        raise InputError(str(exc))
    session.commit()
    click.echo(_('Link {id} voor ouder {ouder}, geldig tot {tot}.').format(
        id=link.id, ouder=ouder, tot=local_time(link.expires_at)))
    try:
        if links.mail_link(session, case, link, token, actor=ACTOR):
            click.echo(_('De link is per e-mail naar de ouder gestuurd.'))
        session.commit()
    except mail.MailError as exc:
        session.rollback()
        click.echo(_('De e-mail kon niet verstuurd worden: {reason}').format(reason=exc), err=True)
    if cover:
        Path(cover).write_bytes(links.cover_letter(session, case, link, token))
        click.echo(_('Begeleidende brief geschreven naar {path}.').format(path=cover))
    click.echo(links.link_url(token))


@share_group.command('revoke')
@click.argument('link_id', type=click.IntRange(1, MAX_RECORD_NUMBER))
@with_appcontext
@fails_cleanly
def share_revoke_command(link_id: int) -> None:
    """Revoke a link: it opens nothing from now on."""
    db.upgrade()
    session = db.session()
    from webapp.models import ParentLink
    link = session.get(ParentLink, link_id)
    if link is None:
        raise InputError(_('Link {id} bestaat niet.').format(id=link_id))
    links.revoke_link(session, session.get(Case, link.case_id), link_id, actor=ACTOR)
    session.commit()
    click.echo(_('Link {id} is ingetrokken.').format(id=link_id))


@share_group.command('list')
@click.argument('case_id', type=click.IntRange(1, MAX_RECORD_NUMBER))
@with_appcontext
@fails_cleanly
def share_list_command(case_id: int) -> None:
    """List a case's links: number, parent, state, expiry and last use."""
    db.upgrade()
    session = db.session()
    states = {'actief': _('actief'), 'ingetrokken': _('ingetrokken'), 'verlopen': _('verlopen')}
    for link in links.links_of(session, _case(case_id)):
        used = local_time(link.last_used_at) if link.last_used_at else _('nog niet')
        click.echo(_('{id}\touder {ouder}\t{state}\ttot {tot}\tlaatst gebruikt: {used}').format(
            id=link.id, ouder=link.ouder, state=states[links.link_state(link)], tot=local_time(link.expires_at),
            used=used))
