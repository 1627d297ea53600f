"""The school-level samenwerkingsafspraken (traject-samenwerking/1), in three short steps."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FormField
from wtforms.validators import ValidationError

from forms.aanmelding import OrganisatieForm, SchoolForm
from forms.base import Required, RowForm, StepForm
from forms.fields import LongTextField, RowList, TextField


class PbdForm(OrganisatieForm):
    """The pedagogische begeleidingsdienst, as a party: optional, but named once anything about it is filled in."""

    optional_group = True


class VestigingForm(RowForm):
    """A site (vestigingsplaats) the agreement covers."""

    naam = TextField(_l('Naam'), [Required()])
    instellingsnummer = TextField(_l('Instellingsnummer'), [Required()])
    adres = TextField(_l('Adres'), [Required()])


class PartijenForm(StepForm):
    """Who agrees, for which school year."""

    schooljaar = TextField(_l('Schooljaar'), [Required()], description=_l('Bijvoorbeeld 2026-2027.'))
    school = FormField(SchoolForm, _l('School'))
    leersteuncentrum = FormField(OrganisatieForm, _l('Leersteuncentrum'))
    clb = FormField(OrganisatieForm, _l('CLB'))
    pbd = FormField(PbdForm, _l('Pedagogische begeleidingsdienst'))
    schoolbestuur = TextField(_l('Schoolbestuur'))
    vestigingen = RowList(FormField(VestigingForm), _l('Vestigingsplaatsen'), row_label=_l('Vestigingsplaats'),
                          add_label=_l('Vestigingsplaats toevoegen'))

    def validate_schooljaar(self, field):
        match = re.fullmatch(r'([0-9]{4})-([0-9]{4})', field.data or '')
        if field.data and not (match and int(match[2]) == int(match[1]) + 1):
            raise ValidationError(_('Schrijf het schooljaar als twee opeenvolgende jaren, bijvoorbeeld 2026-2027.'))


class AfsprakenForm(StepForm):
    """The agreements themselves, in the order of the document."""

    procedure_leersteunvraag = LongTextField(_l('Procedure voor een leersteunvraag'), [Required()])
    toegang_verslag = LongTextField(_l('Toegang tot het verslag'), [Required()], description=_l(
        'Hoe het leersteuncentrum het verslag te zien krijgt (IRIS, Diplon).'))
    vormen_van_leersteun = LongTextField(_l('Vormen van leersteun'), [Required()], description=_l(
        'Met de prioritering en de rol van de leersteunraad.'))
    communicatie_ouders = LongTextField(_l('Communicatie met ouders'), [Required()], description=_l(
        'Met het infopunt van het leersteuncentrum.'))
    gegevensdeling = LongTextField(_l('Gegevensdeling'), [Required()])
    klachten = LongTextField(_l('Klachten'), [Required()])
    evaluatie_afspraken = LongTextField(_l('Evaluatie van de afspraken'), [Required()])


class ContactpersoonForm(RowForm):
    """A contact person of one of the parties."""

    naam = TextField(_l('Naam'), [Required()])
    rol = TextField(_l('Rol'), [Required()])
    organisatie = TextField(_l('Organisatie'), [Required()])
    email = TextField(_l('E-mail'), [Required()])
    telefoon = TextField(_l('Telefoon'), [Required()])


class OverlegmomentForm(RowForm):
    """A recurring meeting."""

    wat = TextField(_l('Wat'), [Required()])
    wanneer = TextField(_l('Wanneer'), [Required()])
    wie = TextField(_l('Wie'), [Required()])


class OndertekenaarForm(RowForm):
    """Someone who signs for a party."""

    naam = TextField(_l('Naam'), [Required()])
    functie = TextField(_l('Functie'), [Required()])
    organisatie = TextField(_l('Organisatie'), [Required()])


class ContactenForm(StepForm):
    """Contact persons, meetings and signatures."""

    contactpersonen = RowList(FormField(ContactpersoonForm), _l('Contactpersonen'), row_label=_l('Contactpersoon'),
                              add_label=_l('Contactpersoon toevoegen'))
    overlegmomenten = RowList(FormField(OverlegmomentForm), _l('Overlegmomenten'), row_label=_l('Overlegmoment'),
                              add_label=_l('Overlegmoment toevoegen'), description=_l('Met het CLB en de PBD.'))
    ondertekening = RowList(FormField(OndertekenaarForm), _l('Ondertekening'), row_label=_l('Ondertekenaar'),
                            add_label=_l('Ondertekenaar toevoegen'))
