"""Blueprints, CSRF protection and friendly error pages: no request ever ends in a traceback."""
from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException


csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Register CSRF protection, the blueprints and the error pages."""
    from webapp import auth, cases
    from webapp.wizard import samenwerking, views as wizard
    csrf.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(samenwerking.bp)

    @app.context_processor
    def inject_user():
        from webapp.documents import DOCUMENTS
        return {'current_user': auth.current_user(), 'documents_registry': DOCUMENTS}

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_template('error.html', title=_('Sessie verlopen'), message=_(
            'Uw sessie is verlopen of het formulier is te oud. Laad de pagina opnieuw en probeer het nog eens.')), 400

    @app.errorhandler(HTTPException)
    def http_error(exc):
        messages = {404: _('Deze pagina bestaat niet, of u heeft er geen toegang toe.'),
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
