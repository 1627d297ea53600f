"""Steps 3 and 4, strategie and onderzoek: what to find out, and what the onderzoek found."""
import copy

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FormField
from wtforms.validators import ValidationError

from forms.base import Required, RowForm, StepForm, dig
from forms.fields import IsoDateField, LongTextField, RowList, TextField, YesNoField


class StrategieForm(StepForm):
    """Strategie: hypotheses, research questions, and whether extra onderzoek is needed."""

    root = ('traject', 'strategie')
    context_keys = ('has_onderzoek',)

    hypothesen = RowList(LongTextField(_l('Hypothese')), _l('Hypothesen'), row_label=_l('Hypothese'),
                         add_label=_l('Hypothese toevoegen'))
    onderzoeksvragen = RowList(LongTextField(_l('Onderzoeksvraag')), _l('Onderzoeksvragen'),
                               row_label=_l('Onderzoeksvraag'), add_label=_l('Onderzoeksvraag toevoegen'))
    onderzoek_nodig = YesNoField(_l('Is extra onderzoek nodig?'), [Required()])

    def validate_onderzoek_nodig(self, field):
        if field.data is False and self.context['has_onderzoek']:
            raise ValidationError(_('Er zijn al onderzoeksresultaten ingevuld. Maak de stap Onderzoek eerst leeg, of '
                                    'kies "Ja".'))


class OnderzoekItemForm(RowForm):
    """The answer to one research question."""

    vraag = LongTextField(_l('Onderzoeksvraag'), [Required()])
    methode = LongTextField(_l('Methode'), [Required()])
    uitvoerder = TextField(_l('Uitgevoerd door'), [Required()])
    datum = IsoDateField(_l('Datum'), [Required()])
    resultaat = LongTextField(_l('Resultaat'), [Required()])


class OnderzoekForm(StepForm):
    """Onderzoek: one answer per research question."""

    root = ('traject',)

    onderzoek = RowList(FormField(OnderzoekItemForm), _l('Onderzoek'), row_label=_l('Onderzoek'),
                        add_label=_l('Onderzoek toevoegen'),
                        description=_l('Per onderzoeksvraag: de methode, wie het deed, wanneer en het resultaat.'))

    @classmethod
    def document_values(cls, doc):
        values = super().document_values(doc)
        if not values['onderzoek']:
            # Start from the questions asked in the strategie step: one answer per question.
            vragen = dig(doc, ('traject', 'strategie', 'onderzoeksvragen')) or []
            values['onderzoek'] = [{'vraag': vraag} for vraag in copy.deepcopy(vragen)]
        return values
