"""Blueprints, CSRF protection and friendly error pages: no request ever ends in a traceback."""
from flask import Flask, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException


csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Register CSRF protection, the blueprints and the error pages."""
    from webapp import admin, auth, cases, gdpr, versions
    from webapp.wizard import samenwerking, views as wizard
    csrf.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(gdpr.bp)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(samenwerking.bp)
    app.register_blueprint(versions.bp)

    app.before_request(_forget_the_last_requests_user)
    app.before_request(enforce_policy)
    app.after_request(security_headers)

    @app.context_processor
    def inject_user():
        from webapp.access import permits
        from webapp.documents import DOCUMENTS
        user = auth.current_user()
        return {'current_user': user, 'documents_registry': DOCUMENTS, 'can': lambda action: permits(user, action)}

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_template('error.html', title=_('Sessie verlopen'), message=_(
            'Uw sessie is verlopen of het formulier is te oud. Laad de pagina opnieuw en probeer het nog eens.')), 400

    @app.errorhandler(HTTPException)
    def http_error(exc):
        messages = {403: _('U heeft geen toegang tot deze actie.'),
                    404: _('Deze pagina bestaat niet, of u heeft er geen toegang toe.'),
                    405: _('Deze actie is hier niet mogelijk.'),
                    413: _('Het bestand is te groot (maximaal 5 MB).')}
        return render_template('error.html', title=str(exc.code), message=messages.get(
            exc.code, _('Er ging iets mis met deze aanvraag.'))), exc.code

    @app.errorhandler(Exception)
    def unexpected_error(exc):
        # Log the details for us; show the user a calm message, never a traceback.
        app.logger.exception('Unexpected error')
        from webapp import db
        db.session().rollback()
        return render_template('error.html', title=_('Er ging iets mis'), message=_(
            'Er ging iets mis aan onze kant. Wat u eerder bewaarde, is niet verloren.')), 500


def _forget_the_last_requests_user():
    # Who is logged in is worked out once per request (auth.current_user). A request inside an application context
    # that outlives it (a test holding one, a CLI command) must not inherit the previous request's user.
    from flask import g
    for name in ('user', 'expired_user', 'login'):
        g.pop(name, None)


def enforce_policy():
    """Ask the access policy about every request before its view runs: a route it does not know is refused.

    Anonymous visitors go to the login page. A wizard step's POST goes through, so that the step view can keep what
    was typed for the user whose session just expired (wizard.views.keeps_input).
    """
    from webapp import auth
    from webapp.access import PUBLIC, ROUTES, permits
    action = ROUTES.get(request.endpoint or '')
    if action is None:
        abort(404)
    if action == PUBLIC:
        return None
    user = auth.current_user()
    if user is None:
        if request.method == 'POST' and request.endpoint in KEEPS_INPUT:
            return None
        return redirect(url_for('auth.login', next=request.full_path if request.method == 'GET' else None))
    if not permits(user, action):
        from webapp import db
        from webapp.services import audit
        audit.record(db.session(), 'denied', actor=user.username, user_id=user.id,
                     detail={'endpoint': request.endpoint, 'action': action})
        db.session().commit()
        abort(403)
    if user.must_change_password and request.endpoint not in OPEN_WITH_TEMPORARY_PASSWORD:
        # Someone else set this password (a reset): the user chooses their own before anything else opens.
        return redirect(url_for('auth.account'))
    return None


# What a login with a temporary password may open: changing it, and leaving.
OPEN_WITH_TEMPORARY_PASSWORD = frozenset({'auth.account', 'auth.logout', 'auth.keep_alive', 'auth.set_language'})


# Routes whose POST keeps the typed text even when the session has just expired.
KEEPS_INPUT = frozenset({'wizard.edit_step', 'samenwerking.edit_step', 'samenwerking.new_samenwerking'})


# No inline script, nothing from another host, never inside another site's frame. The preview sets its own policy.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")


def security_headers(response):
    """Add the security headers to every response; pages and downloads with case data are never cached."""
    headers = response.headers
    headers.setdefault('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.setdefault('X-Frame-Options', 'DENY')
    headers['X-Content-Type-Options'] = 'nosniff'
    headers.setdefault('Referrer-Policy', 'same-origin')
    if request.endpoint != 'static':
        headers['Cache-Control'] = 'no-store'
    return response

