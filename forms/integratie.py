"""Step 5, integratie: the picture of the pupil in context, diagnoses, and the pupil's needs."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FormField

from forms.base import Required, RowForm, StepForm, require
from forms.fields import CheckField, ChoiceField, IsoDateField, LongTextField, RowList, TextField


class BeeldForm(RowForm):
    """A factor that helps or hinders the pupil, in one context."""

    context = ChoiceField(_l('Context'), [Required()], enum='BEELD_CONTEXTEN')
    soort = ChoiceField(_l('Helpt of belemmert'), [Required()], enum='BEELD_SOORTEN')
    beschrijving = LongTextField(_l('Beschrijving'), [Required()])


class DiagnoseForm(RowForm):
    """A diagnosis, and with whom it may be shared."""

    omschrijving = TextField(_l('Omschrijving'), [Required()])
    gesteld_door = TextField(_l('Gesteld door'), [Required()])
    datum = IsoDateField(_l('Datum'), [Required()])
    delen_met_school = CheckField(_l('Mag gedeeld worden met de school en het leersteuncentrum'))
    delen_met_ouders = CheckField(_l('Mag in de samenvatting voor de ouders'))
    uitleg_voor_ouders = LongTextField(_l('Uitleg voor de ouders'), description=_l(
        'Wat de diagnose betekent voor het kind, in gewone woorden, zonder testnamen of scores. De brief aan de '
        'ouders toont deze uitleg in plaats van de omschrijving.'))


class BehoefteForm(RowForm):
    """A need, written the handelingsgerichte way."""

    soort = ChoiceField(_l('Soort behoefte'), [Required()], enum='BEHOEFTE_SOORTEN')
    formulering = LongTextField(_l('Formulering'), [Required()], description=_l(
        'Handelingsgericht: "{voornaam} heeft ... nodig".'))


class IntegratieForm(StepForm):
    """Integratie: beeldvorming, diagnosen and behoeften."""

    root = ('traject',)

    beeldvorming = RowList(FormField(BeeldForm), _l('Beeldvorming'), row_label=_l('Factor'),
                           add_label=_l('Factor toevoegen'),
                           description=_l('Wat helpt (stimulerend) en wat belemmert, bij de leerling, in de klas en '
                                          'thuis.'))
    diagnosen = RowList(FormField(DiagnoseForm), _l('Diagnosen'), row_label=_l('Diagnose'),
                        add_label=_l('Diagnose toevoegen'),
                        description=_l('Een diagnose komt alleen in een document voor wie ze mag lezen.'))
    behoeften = RowList(FormField(BehoefteForm), _l('Behoeften'), min_entries=1, row_label=_l('Behoefte'),
                        add_label=_l('Behoefte toevoegen'),
                        description=_l('Minstens één onderwijsbehoefte.'))

    def validate_behoeften(self, field):
        if not any(row.form.soort.data == 'onderwijsbehoefte' for row in field.entries):
            require(_("Minstens één behoefte van soort 'onderwijsbehoefte' is nodig."))
