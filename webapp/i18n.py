"""Babel for the UI: Dutch (nl-BE) unless the user chose another language."""
from flask import Flask, current_app, has_request_context, session
from flask_babel import Babel, format_date, format_datetime, get_locale

from webapp.documents.env import LOCALES_DIR, babel_locale


def select_locale() -> str:
    """Return the locale of the UI language the user chose, else Dutch (nl_BE): the working language of every CLB."""
    # Without a request: the command line, in the language it was started with (webapp.cli.cli_language).
    chosen = session.get('lang') if has_request_context() else current_app.config.get('CLI_LANGUAGE')
    lang = chosen if chosen in current_app.config['LANGUAGES'] else 'nl'
    # The same locales as the documents: dates as a Belgian user expects ("6 Dec 2026", not the American "Dec 6,
    # 2026"). The catalogs stay per language: gettext falls back from en_GB to en.
    return babel_locale(lang)


def init_app(app: Flask) -> None:
    """Install Flask-Babel with the project's catalogs."""
    app.config.setdefault('BABEL_TRANSLATION_DIRECTORIES', str(LOCALES_DIR))
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(get_locale=get_locale, format_date=format_date, format_datetime=format_datetime)
