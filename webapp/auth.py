"""Login, logout and the one decorator every page uses: nothing is open without a login."""
import functools
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from webapp import db
from webapp.models import User
from webapp.services import audit, sessions
from webapp.services.users import authenticate


bp = Blueprint('auth', __name__)


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l('Gebruikersnaam'), validators=[DataRequired(_l('Vul uw gebruikersnaam in.'))])
    password = PasswordField(_l('Wachtwoord'), validators=[DataRequired(_l('Vul uw wachtwoord in.'))])


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
    if state == 'idle':
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


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith('/') and not target.startswith('//') and not urlsplit(target).netloc:
        return target
    return url_for('cases.list_cases')


@bp.route('/login', methods=['GET', 'POST'])
def login():
    """Show the login form and log the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), form.username.data, form.password.data)
        if user is not None:
            begin_login(user, mfa_passed=True)
            audit.record(db.session(), 'login', actor=user.username, user_id=user.id)
            db.session().commit()
            return redirect(_safe_next(request.args.get('next')))
        audit.record(db.session(), 'login-failed', actor=(form.username.data or '').strip().lower()[:120])
        db.session().commit()
        form.password.errors.append(_('Gebruikersnaam of wachtwoord is niet juist.'))
    return render_template('auth/login.html', form=form)


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
    return redirect(_safe_next(request.form.get('next')))
