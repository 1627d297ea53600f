"""Login, logout and the one decorator every page uses: nothing is open without a login."""
import functools
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from webapp import db
from webapp.models import User
from webapp.services.users import authenticate


bp = Blueprint('auth', __name__)


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l('Gebruikersnaam'), validators=[DataRequired(_l('Vul uw gebruikersnaam in.'))])
    password = PasswordField(_l('Wachtwoord'), validators=[DataRequired(_l('Vul uw wachtwoord in.'))])


def current_user() -> User | None:
    """Return the logged-in user of this request, or None."""
    if 'user' not in g:
        user_id = session.get('user_id')
        g.user = db.session().get(User, user_id) if user_id else None
    return g.user


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
            lang = session.get('lang')
            session.clear()
            session['user_id'] = user.id
            if lang:
                session['lang'] = lang
            session.permanent = True
            return redirect(_safe_next(request.args.get('next')))
        form.password.errors.append(_('Gebruikersnaam of wachtwoord is niet juist.'))
    return render_template('auth/login.html', form=form)


@bp.route('/logout', methods=['POST'])
def logout():
    """Log out; the POST carries a CSRF token so another site cannot log the user out."""
    lang = session.get('lang')
    session.clear()
    if lang:
        session['lang'] = lang
    flash(_('U bent afgemeld.'), 'info')
    return redirect(url_for('auth.login'))


@bp.route('/taal/<lang>', methods=['POST'])
def set_language(lang: str):
    """Switch the UI language for this browser."""
    from flask import current_app
    if lang not in current_app.config['LANGUAGES']:
        abort(404)
    session['lang'] = lang
    # `next` in the query string: the wizard re-posts its step form here after keeping the typed text.
    return redirect(_safe_next(request.form.get('next') or request.args.get('next')))
