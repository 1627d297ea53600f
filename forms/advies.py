"""Step 6, advies: goals, the reasonable adjustments with their weighing, and the meetings."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FormField

from forms.base import Internal, Required, RequiredWhen, RowForm, StepForm, require
from forms.fields import ChoiceField, IsoDateField, LinesField, LongTextField, RowList
from webapp.caseformat.enums import LABELS


class DoelForm(RowForm):
    """A goal of the trajectory."""

    termijn = ChoiceField(_l('Termijn'), [Required()], enum='TERMIJNEN')
    formulering = LongTextField(_l('Formulering'), [Required()])


_CRITERIA = LABELS['AFWEGING_CRITERIA']


class AfwegingForm(RowForm):
    """The six criteria by which a school weighs whether an adjustment is reasonable; each one optional."""

    kostprijs = LongTextField(_CRITERIA['kostprijs'])
    organisatie = LongTextField(_CRITERIA['organisatie'])
    frequentie_duur = LongTextField(_CRITERIA['frequentie_duur'])
    levenskwaliteit = LongTextField(_CRITERIA['levenskwaliteit'])
    omgeving = LongTextField(_CRITERIA['omgeving'])
    alternatieven = LongTextField(_CRITERIA['alternatieven'])


class AanpassingForm(RowForm):
    """An adjustment considered, its weighing and the verdict."""

    categorie = ChoiceField(_l('Soort aanpassing'), [Required()], enum='CATEGORIEEN')
    beschrijving = LongTextField(_l('Beschrijving'), [Required()])
    afweging = FormField(AfwegingForm, _l('Afweging'))
    oordeel = ChoiceField(_l('Oordeel'), [Required()], enum='OORDELEN')
    motivering = LongTextField(_l('Motivering van het oordeel'), [RequiredWhen(_l(
        'het oordeel niet "redelijk" is'))])

    def validate_motivering(self, field):
        if self.oordeel.data in ('disproportioneel', 'onvoldoende') and not field.data:
            require(_("Verplicht wanneer het oordeel niet 'redelijk' is."))


class OverlegForm(RowForm):
    """A meeting, with the positions of the parents and the pupil."""

    soort = ChoiceField(_l('Soort overleg'), [Required()], enum='OVERLEG_SOORTEN')
    datum = IsoDateField(_l('Datum'), [Required()])
    deelnemers = LinesField(_l('Deelnemers'), description=_l('Eén naam per regel.'))
    notulen = LongTextField(_l('Notulen'), [Internal()])
    standpunt_ouders = ChoiceField(_l('Standpunt van de ouders'), enum='STANDPUNTEN')
    standpunt_ouders_toelichting = LongTextField(_l('Standpunt van de ouders, in hun eigen woorden'), description=_l(
        'Komt in het verslag naast het standpunt.'))
    standpunt_leerling = LongTextField(_l('Standpunt van de leerling'))


class AdviesForm(StepForm):
    """Advies: doelen, aanpassingen and overleg."""

    paths = {'doelen': ('traject',)}

    doelen = RowList(FormField(DoelForm), _l('Doelen'), row_label=_l('Doel'), add_label=_l('Doel toevoegen'))
    aanpassingen = RowList(FormField(AanpassingForm), _l('Redelijke aanpassingen'), row_label=_l('Aanpassing'),
                           add_label=_l('Aanpassing toevoegen'),
                           description=_l('Elke aanpassing die overwogen werd, met de afweging en het oordeel.'))
    overleg = RowList(FormField(OverlegForm), _l('Overleg'), row_label=_l('Overleg'),
                      add_label=_l('Overleg toevoegen'),
                      description=_l('Een verslag vraagt minstens één adviesgesprek.'))
