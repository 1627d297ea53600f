"""Step 1, aanmelding: the pupil, the school, the CLB, the parents, the professionals, consents and the referral."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FormField
from wtforms.validators import ValidationError

from forms.base import Internal, Required, RowForm, StepForm
from forms.fields import CheckField, ChoiceField, IsoDateField, LanguageField, LongTextField, RowList, TextField


class LeerlingForm(RowForm):
    """The pupil."""

    voornaam = TextField(_l('Voornaam'), [Required()])
    achternaam = TextField(_l('Achternaam'), [Required()])
    geboortedatum = IsoDateField(_l('Geboortedatum'), [Required()])
    onderwijsniveau = ChoiceField(_l('Onderwijsniveau'), [Required()], enum='ONDERWIJSNIVEAUS')
    leerjaar = TextField(_l('Leerjaar'), [Required()], description=_l('Bijvoorbeeld "3de leerjaar" of "2de jaar '
                                                                     'A-stroom".'))
    klas = TextField(_l('Klas'))
    studierichting = TextField(_l('Studierichting'), description=_l('Alleen in het secundair onderwijs.'))
    thuistaal = TextField(_l('Thuistaal'))
    adres = TextField(_l('Adres'), description=_l('Komt op het attest bij een IAC- of OV4-verslag.'))
    geslacht = ChoiceField(_l('Geslacht'), enum='GESLACHTEN', description=_l(
        'Alleen om in de documenten de juiste woorden te kiezen, zoals in de brief aan de ouders in het Arabisch of '
        'het Pools. Zonder keuze gebruiken de documenten de voornaam.'))

    def validate_studierichting(self, field):
        if field.data and self.onderwijsniveau.data in ('kleuter', 'lager'):
            raise ValidationError(_('Een studierichting kan enkel voor een leerling in het secundair onderwijs.'))


class OrganisatieForm(RowForm):
    """A school, CLB or leersteuncentrum."""

    naam = TextField(_l('Naam'), [Required()])
    instellingsnummer = TextField(_l('Instellingsnummer'))
    adres = TextField(_l('Adres'))
    telefoon = TextField(_l('Telefoon'))
    email = TextField(_l('E-mail'))


class SchoolForm(OrganisatieForm):
    """The school: an organisation that is either gewoon or buitengewoon onderwijs."""

    soort = ChoiceField(_l('Soort onderwijs'), [Required()], enum='SCHOOL_SOORTEN')


class LeersteuncentrumForm(OrganisatieForm):
    """The school's leersteuncentrum: optional, but named once anything about it is filled in."""

    optional_group = True


class OuderForm(RowForm):
    """A parent or other opvoedingsverantwoordelijke."""

    naam = TextField(_l('Naam'), [Required()])
    relatie = ChoiceField(_l('Relatie tot de leerling'), [Required()], enum='RELATIES')
    voorkeurtaal = LanguageField(_l('Voorkeurtaal'), description=_l('De taal van de samenvatting voor deze ouder. '
                                                                   'Leeg: Nederlands.'))
    email = TextField(_l('E-mail'))
    telefoon = TextField(_l('Telefoon'))
    adres = TextField(_l('Adres'))
    tolk_nodig = CheckField(_l('Een tolk is nodig bij gesprekken'), optional=True)


class BetrokkeneForm(RowForm):
    """A professional involved."""

    naam = TextField(_l('Naam'), [Required()])
    rol = ChoiceField(_l('Rol'), [Required()], enum='ROLLEN')
    organisatie = TextField(_l('Organisatie'), description=_l('Bijvoorbeeld "CLB Antwerpen" of "logopedist '
                                                              '(zelfstandig)".'))


class ToestemmingForm(RowForm):
    """A consent given by a parent or by the pupil."""

    onderwerp = ChoiceField(_l('Onderwerp'), [Required()], enum='TOESTEMMING_ONDERWERPEN')
    gegeven_door = TextField(_l('Gegeven door'), [Required()], description=_l(
        'Precies de naam van een ouder, of de voornaam en achternaam van de leerling.'))
    datum = IsoDateField(_l('Datum'), [Required()])

    def validate_gegeven_door(self, field):
        # The step form holds the names this consent may refer to, as typed on the same page.
        step = self.meta._parent_form
        leerling = step.leerling.form
        if not (field.data and leerling.voornaam.data and leerling.achternaam.data):
            return
        names = [row.form.naam.data for row in step.ouders.entries if row.form.naam.data]
        names.append(f'{leerling.voornaam.data} {leerling.achternaam.data}')
        if field.data not in names:
            raise ValidationError(_('"{value}" is niet de naam van een ouder of van de leerling; kies uit: '
                                    '{names}.').format(value=field.data, names=', '.join(dict.fromkeys(names))))


class AanmeldingForm(StepForm):
    """Onthaal: who the pupil is, who is around the pupil, and why the pupil was referred."""

    paths = {'aanmeldingsdatum': ('traject',), 'aanmelder': ('traject',), 'aanleiding': ('traject',)}

    leerling = FormField(LeerlingForm, _l('Leerling'))
    school = FormField(SchoolForm, _l('School'))
    clb = FormField(OrganisatieForm, _l('CLB'))
    leersteuncentrum = FormField(LeersteuncentrumForm, _l('Leersteuncentrum'), description=_l(
        'Laat alle velden leeg als de school (nog) geen leersteuncentrum heeft.'))
    ouders = RowList(FormField(OuderForm), _l('Ouders'), row_label=_l('Ouder'), add_label=_l('Ouder toevoegen'),
                     description=_l('Ouders en andere opvoedingsverantwoordelijken, met hun voorkeurtaal.'))
    betrokkenen = RowList(FormField(BetrokkeneForm), _l('Betrokken professionals'), row_label=_l('Betrokkene'),
                          add_label=_l('Betrokkene toevoegen'))
    toestemmingen = RowList(FormField(ToestemmingForm), _l('Toestemmingen'), [Internal()], row_label=_l('Toestemming'),
                            add_label=_l('Toestemming toevoegen'))
    aanmeldingsdatum = IsoDateField(_l('Datum van aanmelding'), [Required()])
    aanmelder = ChoiceField(_l('Aangemeld door'), [Required()], enum='AANMELDERS')
    aanleiding = LongTextField(_l('Aanleiding'), [Required()], description=_l(
        'Waarom werd de leerling aangemeld? Wat is de vraag?'))
