"""A pupil's data on the case page: hand the whole dossier over as one ZIP, and delete a case (with a confirmation)."""
from io import BytesIO

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from webapp import db
from webapp.auth import current_user, login_required
from webapp.cases import get_case_or_404
from webapp.services import audit, erasure, handover


bp = Blueprint('gdpr', __name__)


class DeleteForm(FlaskForm):
    """The confirmation of a delete: a box the user ticks, so one click never deletes a case."""

    bevestig = BooleanField(_l('Ik begrijp dat dit dossier meteen verdwijnt en na 30 dagen definitief gewist wordt.'),
                            validators=[DataRequired(_l('Vink het vakje aan om het verwijderen te bevestigen.'))])


@bp.route('/cases/<int:case_id>/gegevens.zip')
@login_required
def export_case(case_id: int):
    """Download everything Traject keeps about the case as one ZIP with a README in Dutch (the CLB's hand-over)."""
    case, user = get_case_or_404(case_id), current_user()
    session = db.session()
    # Audited before the ZIP is made: the hand-over's own row is in the audit.csv it holds.
    audit.record(session, 'gdpr-export', actor=user.username, user_id=user.id, item=case)
    session.commit()  # no write transaction stays open while a version's missing documents are rendered
    data = handover.build_zip(session, case)
    session.commit()
    return send_file(BytesIO(data), mimetype='application/zip', as_attachment=True,
                     download_name=f'dossier-{case_id}-gegevens.zip')


@bp.route('/cases/<int:case_id>/verwijderen', methods=['GET', 'POST'])
@login_required
def delete_case(case_id: int):
    """Ask for confirmation, then delete the case: gone at once, erased for good after 30 days."""
    case, user = get_case_or_404(case_id), current_user()
    form = DeleteForm()
    if form.validate_on_submit():
        erasure.delete_case(db.session(), case, actor=user.username, user_id=user.id)
        db.session().commit()
        flash(_('Het dossier is verwijderd. Het wordt na {days} dagen definitief gewist.').format(
            days=erasure.ERASE_AFTER.days), 'success')
        return redirect(url_for('cases.list_cases'))
    return render_template('cases/delete.html', case=case, form=form, days=erasure.ERASE_AFTER.days), \
        400 if form.is_submitted() else 200
