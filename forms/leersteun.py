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


class PeriodeForm(RowForm):
    """The period of the agreed leersteun: optional, but whole once begun."""

    optional_group = True

    van = IsoDateField(_l('Van'), [Required()])
    tot = IsoDateField(_l('Tot'), [Required()])


class OndertekeningForm(RowForm):
    """Someone who agreed to the leersteun."""

    naam = TextField(_l('Naam'), [Required()])
    functie = TextField(_l('Functie'), [Required()])
    organisatie = TextField(_l('Organisatie'), [Required()])


class LeersteunForm(StepForm):
    """The leersteun agreements."""

    root = ('leersteun',)

    aanvraagdatum = IsoDateField(_l('Datum van de aanvraag'), [Required()], description=_l(
        'De datum waarop de school de leersteun aanvroeg.'))
    opstartdatum = IsoDateField(_l('Datum van de opstart'))
    leerondersteuner = TextField(_l('Leerondersteuner'), [Required()])
    vormen = RowList(FormField(VormForm), _l('Vormen van leersteun'), min_entries=1, row_label=_l('Vorm'),
                     add_label=_l('Vorm toevoegen'), description=_l('Minstens één.'))
    rollen = RowList(FormField(RolForm), _l('Wie doet wat'), row_label=_l('Rol'), add_label=_l('Rol toevoegen'))
    ouderbetrokkenheid = LongTextField(_l('Betrokkenheid van de ouders'))
    evaluatiedata = RowList(IsoDateField(_l('Evaluatiedatum')), _l('Evaluatiedata'), row_label=_l('Evaluatiedatum'),
                            add_label=_l('Evaluatiedatum toevoegen'))
    periode = FormField(PeriodeForm, _l('Periode van de leersteun'))
    stopcriteria = LongTextField(_l('Wanneer de leersteun afbouwt of stopt'))
    ondertekening = RowList(FormField(OndertekeningForm), _l('Ondertekening'), row_label=_l('Ondertekenaar'),
                            add_label=_l('Ondertekenaar toevoegen'), description=_l(
                                'Wie akkoord ging: school, leersteuncentrum, CLB en ouders.'))
