"""Traject: one HGD case record, every document the decreet leersteun asks for."""
import os
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from webapp import config as _config


class RecordNumber(IntegerConverter):
    """`<int:...>` in every route: a record number fits the database's integer column, or the URL does not exist.

    Without the bound, /cases/99999999999999999999 reached the database and failed there (an error page, not a 404).
    """

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        from webapp.db import MAX_RECORD_NUMBER
        kwargs.setdefault('max', MAX_RECORD_NUMBER)
        super().__init__(map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask app: config, database, i18n, CLI and blueprints, in that order."""
    return build_app(test_config, require_secret=True)


def build_app(test_config: dict | None = None, *, require_secret: bool) -> Flask:
    """Build the app; command-line tools that serve nothing may run without a secret key."""
    app = Flask(__name__, instance_path=os.environ.get('TRAJECT_INSTANCE') or str(Path.cwd() / 'instance'))
    app.url_map.converters['int'] = RecordNumber
    app.config.from_mapping(
        DATABASE_URL=_config.default_database_url(app.instance_path),
        SECRET_KEY=None,
        WTF_CSRF_TIME_LIMIT=None,  # drafts survive anyway; a token bound to the session is enough
        BABEL_DEFAULT_LOCALE='nl',
        BABEL_DEFAULT_TIMEZONE='Europe/Brussels',
        LANGUAGES=('nl', 'fr', 'en'),
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE='Lax',
        # A login ends after 30 idle minutes (with a warning two minutes before) and after 12 hours in any case.
        IDLE_TIMEOUT=timedelta(minutes=30),
        IDLE_WARNING=timedelta(minutes=2),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        TRAJECT_ENV='development',
        TRAJECT_MFA='required',
        # Parents' links (webapp/portal): the address they open, and the SMTP server that mails them (none: the
        # printed cover letter only). TRAJECT_MAIL_URL looks like smtp://host:25.
        TRAJECT_BASE_URL='http://127.0.0.1:5000',
        TRAJECT_MAIL_URL=None,
        TRAJECT_MAIL_FROM='traject@localhost',
    )
    if test_config is None:
        app.config.from_pyfile('config.py', silent=True)
        _config.apply_environment(app.config)
    else:
        app.config.from_mapping(test_config)
    if not app.config['SECRET_KEY']:
        app.config['SECRET_KEY'] = _config.load_secret_key(app.instance_path, create=False)
    _config.check_secret_key(app.config, require=require_secret and not (app.debug or app.testing))
    if app.config['TRAJECT_ENV'] == 'production':
        # Only over HTTPS, bound to this host: the __Host- prefix forbids a Domain attribute and needs Secure.
        app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME='__Host-traject',
                          SESSION_COOKIE_PATH='/')

    from webapp import cli, db, i18n, jobs, portal, views
    db.init_app(app)
    i18n.init_app(app)
    cli.init_app(app)
    views.init_app(app)
    jobs.init_app(app)
    portal.init_app(app)
    return app
