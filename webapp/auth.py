"""Login, logout and the one decorator every page uses: nothing is open without a login."""
import functools
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from webapp import db
from webapp.access import permits
from webapp.models import LoginSession, User
from webapp.services import audit, mfa, sessions, throttle
from webapp.services.users import UserError, authenticate, change_password


bp = Blueprint('auth', __name__)

# Public routes that serve a login whose password was right but whose second factor is not yet given (or not yet
# set up): they check that half-finished login themselves, and send anyone without one to the login page.
HALF_LOGIN_ROUTES = frozenset({'auth.second_factor', 'auth.enrol_totp'})


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l('Gebruikersnaam'), validators=[DataRequired(_l('Vul uw gebruikersnaam in.'))])
    password = PasswordField(_l('Wachtwoord'), validators=[DataRequired(_l('Vul uw wachtwoord in.'))])


class CodeForm(FlaskForm):
    """The code of the authenticator app, or a recovery code."""

    code = StringField(_l('Code'), validators=[DataRequired(_l('Vul de code in.'))])


class PasswordChangeForm(FlaskForm):
    """A new password, confirmed by the current one."""

    current = PasswordField(_l('Huidig wachtwoord'), validators=[DataRequired(_l('Vul uw huidige wachtwoord in.'))])
    new = PasswordField(_l('Nieuw wachtwoord'), validators=[DataRequired(_l('Vul een nieuw wachtwoord in.'))])
    repeat = PasswordField(_l('Nieuw wachtwoord, nog eens'), validators=[
        DataRequired(_l('Vul het nieuwe wachtwoord nog eens in.')),
        EqualTo('new', _l('De twee nieuwe wachtwoorden zijn niet gelijk.'))])


def current_user() -> User | None:
    """Return the logged-in user of this request, or None (also while the second factor is still asked)."""
    if 'user' not in g:
        g.user, g.expired_user = None, None
        login = sessions.find(db.session(), session.get('sid'))
        if login is not None:
            _check_login(login)
    return g.user


def expired_user() -> User | None:
    """Return the user whose login just ran out of idle time in this browser: their typed text is kept for them."""
    current_user()
    return g.expired_user


def _check_login(login) -> None:
    config = current_app.config
    user = db.session().get(User, login.user_id)
    if user is None or not user.active:
        return
    state = sessions.state(login, idle=config['IDLE_TIMEOUT'], lifetime=config['PERMANENT_SESSION_LIFETIME'])
    if state == 'idle' and login.mfa_passed:
        # Only a login that had passed the second factor: a password alone never stands for the user.
        g.expired_user = user
    elif state == 'active' and login.mfa_passed:
        g.user = user
        g.login = login
        # A background autosave is not the user at the keyboard: only real requests keep the login alive.
        if request.form.get('action') != 'concept' and sessions.touch(db.session(), login):
            db.session().commit()


def begin_login(user: User, *, mfa_passed: bool) -> None:
    """Start a server-side login for `user` in this browser, keeping only the chosen UI language."""
    lang = session.get('lang')
    session.clear()
    session['sid'] = sessions.start(db.session(), user, mfa_passed=mfa_passed)
    if lang:
        session['lang'] = lang
    session.permanent = True
    g.pop('user', None)


def end_login() -> None:
    """End this browser's login (server-side too), keeping only the chosen UI language."""
    login = sessions.find(db.session(), session.get('sid'))
    if login is not None:
        sessions.end(db.session(), login)
    lang = session.get('lang')
    session.clear()
    if lang:
        session['lang'] = lang
    g.pop('user', None)


def login_required(view):
    """Send anonymous visitors to the login page, and back here afterwards."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for('auth.login', next=request.full_path if request.method == 'GET' else None))
        return view(*args, **kwargs)
    return wrapper


def _safe_next(target: str | None, user: User | None = None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith('/') and not target.startswith('//') and not urlsplit(target).netloc:
        return target
    return landing_page(user)


def landing_page(user: User | None) -> str:
    """Return where `user` starts: the case list, or for a beheerder the accounts of their organisation."""
    if user is not None and not permits(user, 'case.list') and permits(user, 'users.manage'):
        return url_for('admin.list_users')
    return url_for('cases.list_cases')


def _address() -> str:
    # The peer's address; behind a reverse proxy, configure ProxyFix so that this is the client's.
    return request.remote_addr or '-'


def _throttled(verdict: throttle.Verdict) -> str:
    """Return the message for an attempt that has to wait (the same for known and unknown usernames)."""
    seconds = max(1, int(verdict.wait.total_seconds() + 0.999))
    wait = f'{(seconds + 59) // 60} min' if seconds >= 60 else f'{seconds} s'
    if verdict.locked:
        return _('Te veel mislukte pogingen: aanmelden is tijdelijk geblokkeerd. Probeer het opnieuw over {wait}.'
                 ).format(wait=wait)
    return _('Te veel mislukte pogingen na elkaar. Wacht {wait} en probeer het dan opnieuw.').format(wait=wait)


def _record_failure(username: str, action: str, user: User | None = None) -> None:
    """Count a failed password or code for the throttle and the audit trail; audit a lock it causes."""
    dbs, address, name = db.session(), _address(), throttle.normalise(username)
    locked = throttle.record(dbs, name, address, success=False)
    audit.record(dbs, action, actor=name, user_id=user.id if user else None, detail={'address': address})
    if locked:
        audit.record(dbs, 'login-locked', actor=name, user_id=user.id if user else None, detail={'address': address})


def _pending_login() -> tuple[LoginSession, User] | None:
    """Return this browser's half-finished login (password right, second factor not yet) and its user, or None."""
    login = sessions.find(db.session(), session.get('sid'))
    if login is None or login.mfa_passed:
        return None
    config = current_app.config
    user = db.session().get(User, login.user_id)
    if user is None or not user.active or sessions.state(
            login, idle=config['IDLE_TIMEOUT'], lifetime=config['PERMANENT_SESSION_LIFETIME']) != 'active':
        return None
    return login, user


def _finish_login(user: User, how: str) -> None:
    """Open the full login of `user` (a new session token), count the success and audit it; commit."""
    begin_login(user, mfa_passed=True)
    throttle.record(db.session(), user.username, _address(), success=True)
    audit.record(db.session(), 'login', actor=user.username, user_id=user.id, detail={'mfa': how})
    db.session().commit()


@bp.route('/login', methods=['GET', 'POST'])
def login():
    """Show the login form and check the password; the second factor follows on its own page."""
    form = LoginForm()
    if form.validate_on_submit():
        verdict = throttle.check(db.session(), form.username.data, _address())
        if not verdict.allowed:
            form.password.errors.append(_throttled(verdict))
            return render_template('auth/login.html', form=form), 429
        user = authenticate(db.session(), form.username.data, form.password.data)
        if user is None:
            _record_failure(form.username.data, 'login-failed')
            db.session().commit()
            form.password.errors.append(_('Gebruikersnaam of wachtwoord is niet juist.'))
            return render_template('auth/login.html', form=form)
        next_url = request.args.get('next')
        if user.totp_secret or current_app.config['TRAJECT_MFA'] != 'optional':
            # Nothing opens until the second factor is given, or enrolled when the account has none yet.
            begin_login(user, mfa_passed=False)
            db.session().commit()
            return redirect(url_for('auth.second_factor' if user.totp_secret else 'auth.enrol_totp', next=next_url))
        _finish_login(user, 'none')
        return redirect(_safe_next(next_url, user))
    return render_template('auth/login.html', form=form)


@bp.route('/login/code', methods=['GET', 'POST'])
def second_factor():
    """Ask the authenticator code (or a recovery code) of a login whose password was right."""
    pending = _pending_login()
    if pending is None:
        user = current_user()
        return redirect(landing_page(user) if user else url_for('auth.login'))
    _login, user = pending
    next_url = request.args.get('next')
    if not user.totp_secret:
        return redirect(url_for('auth.enrol_totp', next=next_url))
    if request.method == 'POST' and request.form.get('action') == 'cancel':
        end_login()
        db.session().commit()
        return redirect(url_for('auth.login'))
    form = CodeForm()
    if form.validate_on_submit():
        dbs = db.session()
        verdict = throttle.check(dbs, user.username, _address())
        if not verdict.allowed:
            form.code.errors.append(_throttled(verdict))
            return render_template('auth/second_factor.html', form=form), 429
        how = 'totp' if mfa.is_totp_code(form.code.data) else 'recovery'
        if mfa.verify_totp(user, form.code.data) if how == 'totp' else mfa.use_recovery_code(dbs, user, form.code.data):
            if how == 'recovery':
                audit.record(dbs, 'recovery-code-used', actor=user.username, user_id=user.id)
            _finish_login(user, how)
            if how == 'recovery':  # after the login began: beginning one clears what the cookie held
                flash(_('U meldde aan met een herstelcode; u heeft er nog {n}. Nieuwe codes krijgt u als de beheerder '
                        'uw tweestapsverificatie opnieuw instelt.').format(n=mfa.recovery_codes_left(dbs, user)),
                      'info')
            return redirect(_safe_next(next_url, user))
        _record_failure(user.username, 'mfa-failed', user)
        dbs.commit()
        form.code.errors.append(_('Deze code is niet juist, of werd al gebruikt.'))
    return render_template('auth/second_factor.html', form=form)


@bp.route('/account/tweestapsverificatie', methods=['GET', 'POST'])
def enrol_totp():
    """Set up the authenticator app: a QR code, confirmed with a first code; then the recovery codes, once.

    Open to a full login (from "Mijn account") and to a login whose password was right but that has no second
    factor yet, when the second factor is required: such a login can do nothing else until this is done.
    """
    user = current_user()
    pending = user is None
    if not pending:
        login_row = g.login
    else:
        pending = _pending_login()
        if pending is None:
            return redirect(url_for('auth.login'))
        login_row, user = pending
    if user.totp_secret:
        return redirect(url_for('auth.account') if current_user() else url_for('auth.second_factor'))
    secret = mfa.enrolment_secret(current_app.config['SECRET_KEY'], login_row.token_hash)
    form = CodeForm()
    if form.validate_on_submit():
        dbs = db.session()
        verdict = throttle.check(dbs, user.username, _address())
        if not verdict.allowed:
            form.code.errors.append(_throttled(verdict))
            return _enrol_page(form, user, secret), 429
        codes = mfa.enrol(dbs, user, secret, form.code.data)
        if codes is None:
            dbs.rollback()  # the account stays as it was
            _record_failure(user.username, 'mfa-failed', user)
            dbs.commit()
            form.code.errors.append(_('Deze code is niet juist. Kijk of de klok van uw toestel juist staat en probeer '
                                      'de code die de app nu toont.'))
        else:
            audit.record(dbs, 'mfa-enrolled', actor=user.username, user_id=user.id)
            if pending:
                _finish_login(user, 'totp')
            else:
                begin_login(user, mfa_passed=True)  # a new session token now that the login is stronger
                dbs.commit()
            response = current_app.make_response(render_template(
                'auth/recovery_codes.html', codes=codes, next_url=_safe_next(request.args.get('next'), user)))
            response.headers['Cache-Control'] = 'no-store'
            return response
    return _enrol_page(form, user, secret)


def _enrol_page(form: CodeForm, user: User, secret: str) -> str:
    uri = mfa.provisioning_uri(secret, user.username)
    return render_template('auth/enrol.html', form=form, qr=mfa.qr_svg(uri),
                           secret=' '.join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                           pending=current_user() is None)


@bp.route('/account', methods=['GET', 'POST'])
def account():
    """Mijn account: change the password (ends every other login) and see the second factor's state."""
    user, dbs = current_user(), db.session()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        verdict = throttle.check(dbs, user.username, _address())
        if not verdict.allowed:
            form.current.errors.append(_throttled(verdict))
        elif not user.check_password(form.current.data):
            _record_failure(user.username, 'password-change-failed', user)
            dbs.commit()
            form.current.errors.append(_('Het huidige wachtwoord is niet juist.'))
        else:
            try:
                change_password(dbs, user, form.new.data)
            except UserError as exc:
                form.new.errors.append(str(exc))
            else:
                # Every login ended, this one too: a fresh one keeps this browser in.
                begin_login(user, mfa_passed=True)
                audit.record(dbs, 'password-changed', actor=user.username, user_id=user.id)
                dbs.commit()
                flash(_('Uw wachtwoord is gewijzigd. Andere aanmeldingen met dit account zijn beëindigd.'), 'success')
                return redirect(url_for('auth.account'))
    return render_template('auth/account.html', form=form, user=user,
                           codes_left=mfa.recovery_codes_left(dbs, user) if user.totp_secret else None)


@bp.route('/logout', methods=['POST'])
def logout():
    """Log out; the POST carries a CSRF token so another site cannot log the user out."""
    user = current_user()
    idle = request.form.get('reden') == 'inactief'
    audit.record(db.session(), 'logout', actor=user.username, user_id=user.id, detail={'idle': True} if idle else None)
    end_login()
    db.session().commit()
    if idle:
        # The idle timer of the page: log in again and be back on the same step, with what was typed.
        flash(_('U bent afgemeld omdat u een tijd niets deed. Wat u typte, is bewaard: meld u opnieuw aan.'), 'info')
        return redirect(url_for('auth.login', next=_safe_next(request.form.get('next'))))
    flash(_('U bent afgemeld.'), 'info')
    return redirect(url_for('auth.login'))


@bp.route('/sessie/verlengen', methods=['POST'])
def keep_alive():
    """Keep the login alive ("Blijf aangemeld" in the idle warning); answers with the seconds left."""
    sessions.touch(db.session(), g.login, force=True)
    db.session().commit()
    return {'seconds_left': int(current_app.config['IDLE_TIMEOUT'].total_seconds())}


@bp.route('/taal/<lang>', methods=['POST'])
def set_language(lang: str):
    """Switch the UI language for this browser."""
    if lang not in current_app.config['LANGUAGES']:
        abort(404)
    session['lang'] = lang
    # `next` in the query string: the wizard re-posts its step form here after keeping the typed text.
    return redirect(_safe_next(request.form.get('next') or request.args.get('next')))
