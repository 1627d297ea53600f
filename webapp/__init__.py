"""Traject: one HGD case record, every document the decreet leersteun asks for."""
import os
from pathlib import Path

from flask import Flask

from webapp import config as _config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask app: config, database, i18n, CLI and blueprints, in that order."""
    return build_app(test_config, require_secret=True)


def build_app(test_config: dict | None = None, *, require_secret: bool) -> Flask:
    """Build the app; command-line tools that serve nothing may run without a secret key."""
    app = Flask(__name__, instance_path=os.environ.get('TRAJECT_INSTANCE') or str(Path.cwd() / 'instance'))
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
    )
    if test_config is None:
        app.config.from_pyfile('config.py', silent=True)
        _config.apply_environment(app.config)
    else:
        app.config.from_mapping(test_config)
    if not app.config['SECRET_KEY']:
        app.config['SECRET_KEY'] = _config.load_secret_key(app.instance_path, create=False)
    if not app.config['SECRET_KEY']:
        if require_secret and not (app.debug or app.testing):
            raise _config.ConfigError('SECRET_KEY ontbreekt: zet SECRET_KEY of maak instance/secret_key aan '
                                      '(make run doet dat).')
        app.config['SECRET_KEY'] = 'dev-only-not-secret'

    from webapp import cli, db, i18n, jobs, views
    db.init_app(app)
    i18n.init_app(app)
    cli.init_app(app)
    views.init_app(app)
    jobs.init_app(app)
    return app
