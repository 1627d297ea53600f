"""HTTP glue of the samenwerkingsafspraken: their list and their short wizard, on the case wizard's step engine."""
from flask import Blueprint, abort, render_template

from webapp import db
from webapp.access import organisation_kind, permits, visible_samenwerkingen
from webapp.auth import current_user, login_required
from webapp.cases import get_samenwerking_or_404
from webapp.models import Samenwerking
from webapp.services.cases import SAMENWERKING_FORMAT
from webapp.views import csrf
from webapp.wizard.records import SamenwerkingRecord
from webapp.wizard.steps import SAMENWERKING_FLOW
from webapp.wizard.views import keeps_input, preview_response, run_step


bp = Blueprint('samenwerking', __name__)


def _new_document() -> dict:
    """Return a new samenwerking with the user's own organisation filled in as the party it is."""
    doc = {'formaat': SAMENWERKING_FORMAT}
    user = current_user()
    kind = organisation_kind(user)
    if user.organisation is not None and kind is not None:
        org = user.organisation
        doc[kind] = {k: v for k, v in (('naam', org.naam), ('instellingsnummer', org.instellingsnummer)) if v}
    return doc


def _key(user, item_id: int | None = None, **_kwargs) -> dict | None:
    # Only a samenwerking this user may edit gets a draft (a new one: any party may start it).
    if not permits(user, 'samenwerking.edit'):
        return None
    if item_id is None:
        return {'samenwerking_id': None}
    found = db.session().scalar(visible_samenwerkingen(user).where(Samenwerking.id == item_id))
    return {'samenwerking_id': item_id} if found is not None else None


@bp.route('/samenwerkingen')
@login_required
def list_samenwerkingen():
    """List the samenwerkingsafspraken the user's organisation is a party to."""
    items = db.session().scalars(visible_samenwerkingen(current_user())
                                 .order_by(Samenwerking.schooljaar.desc(), Samenwerking.id.desc())).all()
    return render_template('samenwerking/list.html', items=items)


@bp.route('/samenwerkingen/nieuw', methods=['GET', 'POST'])
@csrf.exempt  # checked by keeps_input, after the input has been kept
@keeps_input(SAMENWERKING_FLOW, _key)
def new_samenwerking():
    """Step 1 of new samenwerkingsafspraken; saving it creates the record."""
    return run_step(SamenwerkingRecord(None, _new_document()), SAMENWERKING_FLOW.names[0])


@bp.route('/samenwerkingen/<int:item_id>/steps/<step>', methods=['GET', 'POST'])
@csrf.exempt  # checked by keeps_input, after the input has been kept
@keeps_input(SAMENWERKING_FLOW, _key)
def edit_step(item_id: int, step: str):
    """Show or save one step of the samenwerkingsafspraken."""
    return run_step(SamenwerkingRecord(get_samenwerking_or_404(item_id)), step)


@bp.route('/samenwerkingen/<int:item_id>/preview')
@login_required
def preview_samenwerking(item_id: int):
    """Return the live HTML preview of the samenwerkingsafspraken."""
    item = get_samenwerking_or_404(item_id)
    if item.data.get('formaat') != SAMENWERKING_FORMAT:
        abort(404)
    return preview_response(item.data, 'samenwerkingsafspraken', final=False)
