"""Step 10, ouders: the wishes for the parents' plain-language summary."""
from flask_babel import lazy_gettext as _l

from forms.base import StepForm
from forms.fields import LanguageField, LongTextField, RowList


class OudersamenvattingForm(StepForm):
    """The languages of the summary and a personal word."""

    root = ('oudersamenvatting',)

    talen = RowList(LanguageField(_l('Taal')), _l('Talen van de samenvatting'), row_label=_l('Taal'),
                    add_label=_l('Taal toevoegen'), description=_l(
                        'Leeg: de voorkeurtaal van elke ouder. Nederlands komt er altijd bij.'))
    toelichting = LongTextField(_l('Persoonlijk woord'), description=_l(
        'Een persoonlijk woord van de CLB-medewerker. Het wordt niet vertaald: schrijf het kort en eenvoudig, in '
        'korte zinnen, zodat een tolk of een vertaalapp het goed kan overbrengen.'))
