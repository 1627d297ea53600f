"""Step 2, intake: the questions for help, the history and what the school already did (the zorgcontinuüm)."""
from flask_babel import lazy_gettext as _l
from wtforms import FormField

from forms.base import Required, RowForm, StepForm
from forms.fields import ChoiceField, LongTextField, RowList, TextField


class HulpvraagForm(RowForm):
    """A question for help, and who asks it."""

    van = ChoiceField(_l('Van wie'), [Required()], enum='HULPVRAAG_VAN')
    vraag = LongTextField(_l('Vraag'), [Required()])


class ZorgmaatregelForm(RowForm):
    """A measure the school took, and its effect."""

    fase = ChoiceField(_l('Fase van het zorgcontinuüm'), [Required()], enum='ZORG_FASEN')
    categorie = ChoiceField(_l('Soort maatregel'), [Required()], enum='CATEGORIEEN')
    maatregel = LongTextField(_l('Maatregel'), [Required()])
    periode = TextField(_l('Periode'), [Required()], description=_l('Bijvoorbeeld "sinds het 4de leerjaar".'))
    effect = LongTextField(_l('Effect'), [Required()])


class IntakeForm(StepForm):
    """Intake: the hulpvragen, the history and the zorgcontinuüm."""

    root = ('traject',)

    hulpvragen = RowList(FormField(HulpvraagForm), _l('Hulpvragen'), min_entries=1, row_label=_l('Hulpvraag'),
                         add_label=_l('Hulpvraag toevoegen'),
                         description=_l('Van de leerling, de ouders, de leerkracht of de school. Minstens één.'))
    voorgeschiedenis = LongTextField(_l('Voorgeschiedenis'), description=_l(
        'Schoolloopbaan, eerdere hulp, verwachtingen en verklaringen van de betrokkenen.'))
    zorgcontinuum = RowList(FormField(ZorgmaatregelForm), _l('Zorgcontinuüm'), row_label=_l('Maatregel'),
                            add_label=_l('Maatregel toevoegen'),
                            description=_l('Wat werd al gedaan: de maatregelen uit de brede basiszorg, de verhoogde '
                                           'zorg en de uitbreiding van zorg, met hun effect.'))
