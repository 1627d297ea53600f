"""The beheerder of one organisation: its accounts, and nothing else (no case data, no other organisation).

Disable or enable an account, reset its second factor or its password (a temporary one, shown once), change its
role within the organisation. Each change that alters what the account may do ends its logins at once.
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp import db
from webapp.access import ORGANISATION_KIND, ROLES
from webapp.auth import current_user
from webapp.models import User
from webapp.services import audit, mfa
from webapp.services import users as user_service


bp = Blueprint('admin', __name__, url_prefix='/beheer')


def roles_for(user: User) -> list[str]:
    """Return the roles an account of `user`'s organisation may have."""
    kind = user.organisation.kind if user.organisation else None
    return [role for role in ROLES if ORGANISATION_KIND[role] in (None, kind)]


def get_account_or_404(user_id: int) -> User:
    """Return an account of the beheerder's own organisation; any other account does not exist for them."""
    me = current_user()
    account = db.session().get(User, user_id)
    if account is None or me.organisation_id is None or account.organisation_id != me.organisation_id:
        abort(404)
    return account


@bp.route('/accounts')
def list_users():
    """The accounts of the beheerder's organisation."""
    me = current_user()
    accounts = user_service.organisation_users(db.session(), me.organisation_id) if me.organisation_id else []
    return render_template('admin/list.html', accounts=accounts, organisation=me.organisation)


@bp.route('/accounts/<int:user_id>', methods=['GET', 'POST'])
def manage_user(user_id: int):
    """One account: its state, and the buttons that change it."""
    me, account, dbs = current_user(), get_account_or_404(user_id), db.session()
    if request.method == 'POST':
        action = request.form.get('action')
        if account.id == me.id:
            # A beheerder could lock themselves out; their own account is changed through "Mijn account".
            flash(_('Uw eigen account wijzigt u via "Mijn account".'), 'error')
            return redirect(url_for('admin.manage_user', user_id=account.id))
        detail = {'account': account.username}
        if action in ('disable', 'enable'):
            user_service.set_active(dbs, account, action == 'enable')
            audit.record(dbs, f'account-{action}d', actor=me.username, user_id=me.id, detail=detail)
            if action == 'disable':
                message = _('Account {username} is uitgeschakeld; zijn aanmeldingen zijn beëindigd.')
            else:
                message = _('Account {username} is weer ingeschakeld.')
        elif action == 'reset-totp':
            user_service.reset_totp(dbs, account)
            audit.record(dbs, 'totp-reset', actor=me.username, user_id=me.id, detail=detail)
            message = _('De tweestapsverificatie van {username} is gewist: bij de volgende aanmelding stelt '
                        '{username} ze opnieuw in.')
        elif action == 'role':
            try:
                if request.form.get('role') not in roles_for(me):
                    raise user_service.UserError(_('Kies een rol uit de lijst.'))
                user_service.set_role(dbs, account, request.form['role'])
            except user_service.UserError as exc:
                dbs.rollback()
                flash(_('Rol: {problem}').format(problem=exc), 'error')
                return redirect(url_for('admin.manage_user', user_id=account.id))
            audit.record(dbs, 'role-changed', actor=me.username, user_id=me.id, detail={**detail, 'role': account.role})
            message = _('{username} heeft nu de rol {role}; zijn aanmeldingen zijn beëindigd.')
        elif action == 'reset-password':
            password = user_service.reset_password(dbs, account)
            audit.record(dbs, 'password-reset', actor=me.username, user_id=me.id, detail=detail)
            dbs.commit()
            # Shown once, in this answer only: never put in a redirect, a cookie or a log.
            response = current_app.make_response(render_template(
                'admin/manage.html', account=account, roles=roles_for(me), temporary_password=password,
                codes_left=mfa.recovery_codes_left(dbs, account)))
            response.headers['Cache-Control'] = 'no-store'
            return response
        else:
            abort(400)
        dbs.commit()
        flash(message.format(username=account.username, role=account.role), 'success')
        return redirect(url_for('admin.manage_user', user_id=account.id))
    return render_template('admin/manage.html', account=account, roles=roles_for(me), temporary_password=None,
                           codes_left=mfa.recovery_codes_left(dbs, account))
