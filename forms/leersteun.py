"""Step 9, leersteun: the per-pupil agreements with the leersteuncentrum."""
from flask_babel import lazy_gettext as _l
from wtforms import FormField

from forms.base import Required, RowForm, StepForm
from forms.fields import ChoiceField, IsoDateField, LongTextField, RowList, TextField


class VormForm(RowForm):
    """One form of leersteun."""

    soort = ChoiceField(_l('Soort leersteun'), [Required()], enum='LEERSTEUN_SOORTEN')
    doel = LongTextField(_l('Doel'), [Required()])
    frequentie = TextField(_l('Frequentie'), [Required()], description=_l('Bijvoorbeeld "2 keer per week, 50 '
                                                                         'minuten".'))
    locatie = TextField(_l('Waar'), [Required()])


class RolForm(RowForm):
    """Who does what."""

    wie = TextField(_l('Wie'), [Required()])
    taak = LongTextField(_l('Taak'), [Required()])


class LeersteunForm(StepForm):
    """The leersteun agreements."""

    root = ('leersteun',)

    aanvraagdatum = IsoDateField(_l('Datum van de aanvraag'), [Required()], description=_l(
        'De datum waarop de school de leersteun aanvroeg in Diplon.'))
    opstartdatum = IsoDateField(_l('Datum van de opstart'))
    leerondersteuner = TextField(_l('Leerondersteuner'), [Required()])
    vormen = RowList(FormField(VormForm), _l('Vormen van leersteun'), min_entries=1, row_label=_l('Vorm'),
                     add_label=_l('Vorm toevoegen'), description=_l('Minstens één.'))
    rollen = RowList(FormField(RolForm), _l('Wie doet wat'), row_label=_l('Rol'), add_label=_l('Rol toevoegen'))
    ouderbetrokkenheid = LongTextField(_l('Betrokkenheid van de ouders'))
    evaluatiedata = RowList(IsoDateField(_l('Evaluatiedatum')), _l('Evaluatiedata'), row_label=_l('Evaluatiedatum'),
                            add_label=_l('Evaluatiedatum toevoegen'))
