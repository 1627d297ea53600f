"""Step 8, IAC-plan: the individueel aangepast curriculum, its goals and their evaluations."""
from flask_babel import lazy_gettext as _l
from wtforms import FormField

from forms.base import Required, RowForm, StepForm
from forms.fields import ChoiceField, IsoDateField, LinesField, LongTextField, RowList, TextField


class EvaluatieForm(RowForm):
    """One evaluation of a goal."""

    datum = IsoDateField(_l('Datum'), [Required()])
    resultaat = LongTextField(_l('Resultaat'), [Required()])
    beslissing = ChoiceField(_l('Beslissing'), [Required()], enum='BESLISSINGEN')


class IacDoelForm(RowForm):
    """A goal of the IAC, how it is worked on and how it went."""

    domein = TextField(_l('Domein'), [Required()], description=_l('Bijvoorbeeld "Wiskunde - getallen".'))
    bron = ChoiceField(_l('Bron'), [Required()], enum='BRONNEN')
    code = TextField(_l('Code'), description=_l('De code van het doel in de bron, als die er is.'))
    formulering = LongTextField(_l('Formulering'), [Required()])
    succescriterium = LongTextField(_l('Succescriterium'), [Required()])
    aanpak = LongTextField(_l('Aanpak'), [Required()])
    verantwoordelijke = TextField(_l('Verantwoordelijke'), [Required()])
    evaluaties = RowList(FormField(EvaluatieForm), _l('Evaluaties'), row_label=_l('Evaluatie'),
                         add_label=_l('Evaluatie toevoegen'))


class NetwerkpartnerForm(RowForm):
    """Someone who works on the IAC with the school."""

    naam = TextField(_l('Naam'), [Required()])
    rol = TextField(_l('Rol'), [Required()])


class IacPlanForm(StepForm):
    """The IAC plan, drawn up by the klassenraad."""

    root = ('iac_plan',)

    klassenraad_datum = IsoDateField(_l('Datum van de klassenraad'), [Required()])
    beginsituatie = LongTextField(_l('Beginsituatie'), [Required()])
    langetermijnperspectief = LongTextField(_l('Langetermijnperspectief'), [Required()])
    doelen = RowList(FormField(IacDoelForm), _l('Doelen'), min_entries=1, row_label=_l('Doel'),
                     add_label=_l('Doel toevoegen'), description=_l('Minstens één doel.'))
    gc_domeinen = LinesField(_l('Leergebieden waarin de leerling het gemeenschappelijk curriculum volgt'),
                             description=_l('Eén leergebied per regel.'))
    studiebekrachtiging = ChoiceField(_l('Studiebekrachtiging'), [Required()], enum='STUDIEBEKRACHTIGINGEN',
                                      description=_l('In het basisonderwijs: de beslissing van de klassenraad over '
                                                     'het getuigschrift basisonderwijs.'))
    evaluatiemomenten = RowList(IsoDateField(_l('Evaluatiemoment')), _l('Evaluatiemomenten'),
                                row_label=_l('Evaluatiemoment'), add_label=_l('Evaluatiemoment toevoegen'))
    netwerkpartners = RowList(FormField(NetwerkpartnerForm), _l('Netwerkpartners'), row_label=_l('Netwerkpartner'),
                              add_label=_l('Netwerkpartner toevoegen'))
