"""Step 7, besluit: the verslag (GC, IAC or OV4), its type, motivations and advies."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FormField
from wtforms.validators import ValidationError

from forms.base import Required, RequiredWhen, RowForm, StepForm, dig, require
from forms.fields import ChoiceField, IsoDateField, LongTextField, TextField


class OndertekenaarForm(RowForm):
    """Who signs the attest for the CLB besides the verantwoordelijke: optional, but whole once begun."""

    optional_group = True

    naam = TextField(_l('Naam'), [Required()])
    functie = TextField(_l('Functie'), [Required()], description=_l('Bijvoorbeeld "directeur" of "gemandateerde".'))


class VorigVerslagForm(RowForm):
    """The verslag this one replaces: optional, but whole once begun."""

    optional_group = True

    soort = ChoiceField(_l('Soort verslag'), [Required()], enum='VERSLAG_SOORTEN')
    type = ChoiceField(_l('Type'), [Required()], enum='VERSLAG_TYPES')
    opleidingsvorm = ChoiceField(_l('Opleidingsvorm'), enum='OPLEIDINGSVORMEN')
    datum = IsoDateField(_l('Datum'), [Required()])
    reden = ChoiceField(_l('Reden'), [Required()], enum='VORIG_VERSLAG_REDENEN')


class VerslagForm(StepForm):
    """The decision; the format's consistency rules are the validate_ methods below."""

    root = ('verslag',)
    context_keys = ('onderwijsniveau', 'has_adviesgesprek', 'has_iac_plan')

    soort = ChoiceField(_l('Soort verslag'), [Required()], enum='VERSLAG_SOORTEN')
    type = ChoiceField(_l('Type'), [Required()], enum='VERSLAG_TYPES', description=_l(
        'Type basisaanbod kan enkel bij een IAC-verslag.'))
    opleidingsvorm = ChoiceField(_l('Opleidingsvorm'), [RequiredWhen(_l(
        'het een IAC- of OV4-verslag is'))], enum='OPLEIDINGSVORMEN', description=_l(
        'Secundair onderwijs: OV1, OV2 of OV3 bij een IAC-verslag, OV4 bij een OV4-verslag, geen bij een GC-verslag.'))
    datum = IsoDateField(_l('Datum van het verslag'), [Required()])
    ingangsdatum = IsoDateField(_l('Geldt vanaf'), description=_l('Leeg: de datum van het verslag.'))
    status = ChoiceField(_l('Status'), enum='VERSLAG_STATUSSEN', description=_l('Leeg: geldig.'))
    verantwoordelijke = TextField(_l('Verantwoordelijke CLB-medewerker'), [Required()])
    ondertekenaar = FormField(OndertekenaarForm, _l('Ondertekenaar van het attest'), description=_l(
        'De CLB-directeur of een gemandateerde, naast de verantwoordelijke.'))
    hgd_samenvatting = LongTextField(_l('Samenvatting van het handelingsgericht diagnostisch traject'), description=_l(
        'Welke fasen, wanneer, welke bronnen en welk onderzoek. Komt in het verslag.'))
    vorig_verslag = FormField(VorigVerslagForm, _l('Vorig verslag'), description=_l(
        'Het verslag dat dit verslag vervangt (omzetting, typewijziging, overgang naar het secundair).'))
    motivering = LongTextField(_l('Motivering: waarom is leersteun nodig?'), [Required()])
    motivering_disproportioneel = LongTextField(
        _l('Motivering: waarom is het gemeenschappelijk curriculum niet haalbaar?'), [RequiredWhen(_l(
            'het een IAC- of OV4-verslag is'))], description=_l(
            'De aanpassingen zijn disproportioneel of onvoldoende: leg uit waarom.'))
    advies = LongTextField(_l('Advies'), [Required()], description=_l('Het handelingsgericht advies van het CLB.'))
    herzien_tegen = IsoDateField(_l('Herzien tegen'), description=_l(
        'Wanneer het CLB, de school, de ouders en de leerling het verslag opnieuw bekijken.'))

    def apply_context(self, onderwijsniveau=None, **context):
        if onderwijsniveau in ('kleuter', 'lager'):
            self.drop('opleidingsvorm')

    @classmethod
    def document_values(cls, doc):
        values = super().document_values(doc)
        if not values['verantwoordelijke']:
            # The CLB worker of the trajectory usually signs: offer that name.
            values['verantwoordelijke'] = next((b.get('naam') for b in doc.get('betrokkenen') or []
                                                if isinstance(b, dict) and b.get('rol') == 'clb-medewerker'), None)
        return values

    def validate_soort(self, field):
        if field.data == 'ov4' and self.context['onderwijsniveau'] in ('kleuter', 'lager'):
            raise ValidationError(_('Een OV4-verslag kan enkel voor een leerling in het secundair onderwijs.'))
        if field.data and field.data != 'iac' and self.context['has_iac_plan']:
            raise ValidationError(_('Dit dossier heeft een IAC-plan, en dat kan enkel bij een IAC-verslag. Maak de '
                                    'stap IAC-plan eerst leeg, of kies IAC.'))
        if field.data and not self.context['has_adviesgesprek']:
            require(_('Een verslag vraagt minstens één adviesgesprek: voeg het toe in de stap Advies.'))

    def validate_type(self, field):
        if field.data == 'basisaanbod' and self.soort.data in ('gc', 'ov4'):
            raise ValidationError(_('Type basisaanbod kan enkel bij een IAC-verslag.'))

    def validate_opleidingsvorm(self, field):
        soort, vorm = self.soort.data, field.data
        if soort == 'gc' and vorm:
            raise ValidationError(_('Een GC-verslag heeft geen opleidingsvorm.'))
        if soort == 'ov4' and vorm != 'ov4':
            self._wrong_vorm(vorm, _("Een OV4-verslag heeft opleidingsvorm 'ov4' nodig."))
        if soort == 'iac' and self.context['onderwijsniveau'] == 'secundair' and vorm not in ('ov1', 'ov2', 'ov3'):
            self._wrong_vorm(vorm, _("Een IAC-verslag in het secundair onderwijs heeft opleidingsvorm 'ov1', 'ov2' of "
                                     "'ov3' nodig."))

    @staticmethod
    def _wrong_vorm(vorm, message):
        # An empty opleidingsvorm is missing (fine while saving unfinished work); a wrong one is an error.
        if vorm:
            raise ValidationError(message)
        require(message)

    def validate_motivering_disproportioneel(self, field):
        if self.soort.data in ('iac', 'ov4') and not field.data:
            require(_('Verplicht bij een IAC- of OV4-verslag: waarom het gemeenschappelijk curriculum met redelijke '
                      'aanpassingen niet haalbaar is.'))


def verslag_context(doc) -> dict:
    """Return the keywords VerslagForm needs from the rest of the case."""
    return {
        'onderwijsniveau': dig(doc, ('leerling', 'onderwijsniveau')),
        'has_adviesgesprek': any(isinstance(o, dict) and o.get('soort') == 'adviesgesprek'
                                 for o in doc.get('overleg') or []),
        'has_iac_plan': doc.get('iac_plan') is not None,
    }
