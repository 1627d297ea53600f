"""The UI catalogs: messages.pot follows the source, and French and English translate every string of it.

Dutch (nl-BE) is the source language: the msgids are the Dutch text, and 'nl' has no catalog. The 'documents'
domain (the parents' letter) has its own catalogs and tests; this file is about the 'messages' domain only.
"""
import html
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from wtforms import FieldList, FormField, HiddenField
from wtforms.fields.core import UnboundField

from tests.conftest import PASSWORD
from tests.helpers import ROOT
from tests.wizard.helpers import submit
from webapp import db
from webapp.caseformat.enums import LABELS
from webapp.services.users import create_user
from webapp.wizard.steps import CASE_FLOW, SAMENWERKING_FLOW


LOCALES = ROOT / 'locales'
POT = LOCALES / 'messages.pot'
LANGUAGES = ('fr', 'en')
PLURAL_FORMS = {'fr': 'nplurals=2; plural=(n > 1);', 'en': 'nplurals=2; plural=(n != 1);'}

# %(name)s and %(num)d (Python and Jinja), a bare %s or %d, and {name} (str.format); '{}' counts as a placeholder too.
PLACEHOLDER = re.compile(r'%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}')

# Strings of the wizard picked by hand from forms/ and webapp/wizard/steps.py: step titles, labels, buttons and
# the validation messages that are raised inside methods (the collected ones below cannot see those).
KNOWN_WIZARD_STRINGS = (
    # webapp/wizard/steps.py
    'Aanmelding', 'Intake', 'Strategie', 'Onderzoek', 'Integratie', 'Advies', 'Besluit (verslag)', 'IAC-plan',
    'Leersteun', 'Ouders', 'Nalezen', 'Partijen en looptijd', 'Afspraken', 'Contactpersonen en ondertekening',
    # webapp/templates/wizard/step.html
    'Volgende', 'Vorige', 'Bewaren en sluiten', 'Stap %(n)d van %(total)d',
    # forms/base.py and forms/fields.py
    'Vul dit veld in.', 'Maak een keuze.', 'Vul een datum in.', 'Voeg minstens één rij toe.', '{where}: {message}',
    'Geef een bestaande datum, bijvoorbeeld 14/03/2026.', 'Kies een waarde uit de lijst.',
    'Deze tekst is te lang (maximaal %(max)d tekens).', '– kies –', 'Ja', 'Nee', 'Rij toevoegen',
    # validate_* methods in forms/
    'Een studierichting kan enkel voor een leerling in het secundair onderwijs.',
    '"{value}" is niet de naam van een ouder of van de leerling; kies uit: {names}.',
    'Er zijn al onderzoeksresultaten ingevuld. Maak de stap Onderzoek eerst leeg, of kies "Ja".',
    "Minstens één behoefte van soort 'onderwijsbehoefte' is nodig.",
    "Verplicht wanneer het oordeel niet 'redelijk' is.",
    'Een OV4-verslag kan enkel voor een leerling in het secundair onderwijs.',
    'Een verslag vraagt minstens één adviesgesprek: voeg het toe in de stap Advies.',
    'Type basisaanbod kan enkel bij een IAC-verslag.', 'Een GC-verslag heeft geen opleidingsvorm.',
    "Een OV4-verslag heeft opleidingsvorm 'ov4' nodig.",
    'Verplicht bij een IAC- of OV4-verslag: waarom het gemeenschappelijk curriculum met redelijke aanpassingen '
    'niet haalbaar is.',
    'Schrijf het schooljaar als twee opeenvolgende jaren, bijvoorbeeld 2026-2027.',
    # format labels
    'type 9 (autismespectrumstoornis)', 'opleidingsvorm 4 (gemeenschappelijk curriculum met aanpassingen)',
)


def msgid_key(message) -> str | tuple[str, ...]:
    """Return a hashable msgid: the string, or (singular, plural)."""
    return message.id if isinstance(message.id, str) else tuple(message.id)


def read_catalog(path: Path):
    with path.open('rb') as fh:
        return read_po(fh)


def msgids(catalog) -> set:
    return {msgid_key(m) for m in catalog if m.id}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def extract_command(output: Path) -> list[str]:
    """Return the Makefile's i18n-extract command for the UI strings, writing to `output` instead."""
    makefile = (ROOT / 'Makefile').read_text(encoding='utf-8').replace('\\\n', ' ')
    line = next(line for line in makefile.splitlines()
                if 'pybabel extract' in line and 'locales/babel.cfg' in line)
    args = shlex.split(line.split('pybabel', 1)[1])
    position = args.index('-o')
    args[position + 1] = str(output)
    return [sys.executable, '-m', 'babel.messages.frontend', *args]


@pytest.fixture(scope='module')
def pot():
    return read_catalog(POT)


@pytest.fixture(scope='module')
def catalogs():
    return {lang: read_catalog(LOCALES / lang / 'LC_MESSAGES' / 'messages.po') for lang in LANGUAGES}


@pytest.fixture(scope='module')
def compiled():
    """Make sure every messages.mo exists and is not older than its .po (make test compiles them too)."""
    for lang in LANGUAGES:
        po = LOCALES / lang / 'LC_MESSAGES' / 'messages.po'
        mo = po.with_suffix('.mo')
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        partial = mo.with_name(f'.messages.{os.getpid()}.mo')
        with partial.open('wb') as fh:
            write_mo(fh, read_catalog(po))
        partial.replace(mo)  # atomic: a test running in parallel never reads half a file


# (a) messages.pot is up to date


def test_messages_pot_is_up_to_date_with_the_source(tmp_path, pot):
    fresh = tmp_path / 'messages.pot'
    result = subprocess.run(extract_command(fresh), cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    source = msgids(read_catalog(fresh))
    committed = msgids(pot)
    assert len(source) > 500
    assert not source - committed, f'run make i18n-update: new strings {sorted(map(str, source - committed))}'
    assert not committed - source, f'run make i18n-update: stale strings {sorted(map(str, committed - source))}'


# (b) French and English translate everything, keep every placeholder and have nothing fuzzy


@pytest.mark.parametrize('lang', LANGUAGES)
def test_catalog_has_exactly_the_msgids_of_the_pot(lang, pot, catalogs):
    catalog = catalogs[lang]
    assert msgids(catalog) == msgids(pot)
    assert str(catalog.locale) == lang
    assert catalog.plural_forms == PLURAL_FORMS[lang]
    assert not catalog.obsolete


@pytest.mark.parametrize('lang', LANGUAGES)
def test_every_msgid_has_a_translation_and_nothing_is_fuzzy(lang, catalogs):
    catalog = catalogs[lang]
    assert not catalog.fuzzy, 'the header is marked fuzzy'
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = catalog.num_plurals if message.pluralizable else 1
        if len(strings) != expected or not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f'{lang}: untranslated {untranslated}'
    assert not fuzzy, f'{lang}: fuzzy {fuzzy}'


@pytest.mark.parametrize('lang', LANGUAGES)
def test_translations_keep_the_placeholders(lang, catalogs):
    wrong = []
    for message in catalogs[lang]:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = placeholders(ids[-1])
        for text in strings:
            # A plural form may leave out %(num)d ("one problem"), but it never adds or renames a placeholder.
            found = placeholders(text)
            allowed = found == expected or (message.pluralizable and set(found) <= set(expected))
            # Jinja formats every template string with %: a stray % would break the page.
            stray = PLACEHOLDER.sub('', text).count('%') != PLACEHOLDER.sub('', ids[-1]).count('%')
            if not allowed or stray:
                wrong.append((message.id, text))
    assert not wrong, f'{lang}: placeholders differ: {wrong}'


@pytest.mark.parametrize('lang', LANGUAGES)
def test_babel_finds_no_format_errors(lang, catalogs):
    assert [(m.id, [str(e) for e in errors]) for m, errors in catalogs[lang].check()] == []


# (c) the language switch


def login(client):
    response = client.post('/login', data={'username': 'beheerder', 'password': PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def beheerder(app):
    """Create an account without keeping an app context open (Flask-Babel caches the locale in `g`)."""
    with app.app_context():
        from webapp.services.cases import get_organisation
        get_organisation(db.session(), 'clb', {'naam': 'CLB Test'})
        create_user(db.session(), 'beheerder', PASSWORD, role='clb-medewerker', organisation='CLB Test')
        db.session().commit()


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def untranslated_on(text: str, catalog) -> list[str]:
    """Return the Dutch msgids (longer ones, without placeholders) that appear as such in `text`."""
    return [m.id for m in catalog if isinstance(m.id, str) and len(m.id) >= 12 and ' ' in m.id
            and not PLACEHOLDER.search(m.id) and m.string != m.id and m.id in text]


def test_the_default_language_is_dutch(client, compiled):
    page = page_text(client.get('/login'))
    assert '<html lang="nl-BE">' in page
    assert 'Aanmelden bij Traject' in page and 'Gebruikersnaam' in page


@pytest.mark.parametrize('lang, tag, heading, label', [
    ('fr', 'fr-BE', 'Se connecter à Traject', 'Nom d’utilisateur'),
    ('en', 'en-GB', 'Log in to Traject', 'Username'),
])
def test_switching_the_language_translates_the_login_page(client, compiled, catalogs, lang, tag, heading, label):
    response = client.post(f'/taal/{lang}', data={'next': '/login'})
    assert response.status_code == 302 and response.headers['Location'] == '/login'
    page = page_text(client.get('/login'))
    assert f'<html lang="{tag}">' in page
    assert f'<h1>{heading}</h1>' in page
    assert label in page  # a lazy form label
    assert 'Aanmelden bij Traject' not in page
    assert untranslated_on(page, catalogs[lang]) == []


@pytest.mark.parametrize('lang, shown', [
    ('nl', '23 februari 2099'),
    ('fr', '23 février 2099'),
    ('en', '23 February 2099'),  # British order: not the American 'February 23, 2099'
])
def test_dates_in_the_ui_are_written_as_in_belgium(logged_in, create_case, dummy_case, compiled, lang, shown):
    for key in ('iac_plan', 'leersteun'):
        dummy_case.pop(key, None)
    dummy_case['verslag']['herzien_tegen'] = '2099-02-23'
    create_case(dummy_case)
    logged_in.post(f'/taal/{lang}', data={'next': '/'})
    page = page_text(logged_in.get('/'))
    assert shown in page
    assert 'aria-current="true">{}<'.format({'nl': 'Nederlands', 'fr': 'Français', 'en': 'English'}[lang]) in page


def test_an_unknown_language_is_refused(client):
    assert client.post('/taal/de', data={'next': '/login'}).status_code == 404


@pytest.mark.parametrize('lang, expected', [
    ('fr', ('Étape 1 sur', '<h1 id="step-title">Demande</h1>', 'Complétez ce champ.', 'Faites un choix.',
            'Il y a ', 'Enregistrer et fermer', 'Élève – Nom de famille')),
    ('en', ('Step 1 of', '<h1 id="step-title">Referral</h1>', 'Fill in this field.', 'Make a choice.',
            'There are ', 'Save and close', 'Pupil – Surname')),
])
def test_the_wizard_and_its_validation_messages_follow_the_language(client, beheerder, compiled, catalogs, lang,
                                                                     expected):
    login(client)
    client.post(f'/taal/{lang}', data={'next': '/'})
    cases = page_text(client.get('/'))
    assert untranslated_on(cases, catalogs[lang]) == []
    response = submit(client, '/cases/nieuw', action='volgende')
    assert response.status_code == 422
    page = page_text(response)
    for text in expected:
        assert text in page, text
    assert 'Vul dit veld in.' not in page
    assert untranslated_on(page, catalogs[lang]) == []


# (d) every step title, label and validation message of the wizard is in both catalogs


def _lazy_strings_of_form(form_class, seen: set) -> list:
    """Return the lazy strings a form class declares: labels, descriptions, row and add labels, messages."""
    if form_class in seen:
        return []
    seen.add(form_class)
    found = []

    def visit(unbound, row=False):
        args = list(unbound.args)
        if issubclass(unbound.field_class, FormField):
            found.extend(_lazy_strings_of_form(args.pop(0), seen))
        elif issubclass(unbound.field_class, FieldList):
            visit(args.pop(0), row=True)  # the field of each row
        label = args[0] if args else unbound.kwargs.get('label')
        if label is not None or not (row and issubclass(unbound.field_class, FormField)):
            found.append(label)  # a row of several fields is titled by the list's row_label
        found.extend(unbound.kwargs[key] for key in ('description', 'row_label', 'add_label') if key in unbound.kwargs)
        validators = args[1] if len(args) > 1 else unbound.kwargs.get('validators') or []
        found.extend(v.message for v in validators if getattr(v, 'message', None) is not None)

    for name in dir(form_class):
        attribute = getattr(form_class, name, None)
        if isinstance(attribute, UnboundField) and not issubclass(attribute.field_class, HiddenField):
            visit(attribute)
    return found


def wizard_lazy_strings() -> list:
    """Return the step titles and every lazy string of the wizard's forms, and every enumeration label."""
    seen: set = set()
    strings = []
    for flow in (CASE_FLOW, SAMENWERKING_FLOW):
        for step in flow.steps:
            strings.append(step.title)
            if step.form_class is not None:
                strings.extend(_lazy_strings_of_form(step.form_class, seen))
    strings.extend(label for labels in LABELS.values() for label in labels.values())
    return strings


def test_every_wizard_string_is_declared_lazily():
    plain = [s for s in wizard_lazy_strings() if not isinstance(s, LazyString)]
    assert plain == [], 'wrap these in lazy_gettext (_l) so they can be translated'


@pytest.mark.parametrize('lang', LANGUAGES)
def test_every_wizard_string_is_translated_at_runtime(app, compiled, catalogs, lang):
    catalog = catalogs[lang]
    strings = wizard_lazy_strings()
    assert len(strings) > 200
    with app.test_request_context():
        for lazy in strings:
            with force_locale('nl'):
                msgid = str(lazy)
            assert msgid in catalog, msgid
            with force_locale(lang):
                assert str(lazy) == catalog[msgid].string, msgid


@pytest.mark.parametrize('lang', LANGUAGES)
def test_known_wizard_strings_are_translated(lang, catalogs):
    catalog = catalogs[lang]
    for msgid in KNOWN_WIZARD_STRINGS:
        assert msgid in catalog, msgid
        assert catalog[msgid].string.strip(), msgid


def test_a_few_translations_read_as_agreed(catalogs):
    fr, en = catalogs['fr'], catalogs['en']
    assert fr['Nalezen'].string == 'Relecture' and en['Nalezen'].string == 'Review'
    assert fr['Bewaren en sluiten'].string == 'Enregistrer et fermer' and en['Bewaren en sluiten'].string == \
        'Save and close'
    assert fr['concept'].string == 'brouillon' and en['concept'].string == 'draft'
    assert fr['definitief'].string == 'définitif' and en['definitief'].string == 'final'
    assert fr['IAC-verslag'].string == 'Rapport IAC' and en['IAC-verslag'].string == 'IAC report'
    assert fr['Leersteuncentrum'].string == 'Centre de soutien à l’apprentissage'
    assert en['Zorgcoördinator'].string == 'Care coordinator'
    assert fr['type 9 (autismespectrumstoornis)'].string == 'type 9 (trouble du spectre de l’autisme)'
    assert en['type 9 (autismespectrumstoornis)'].string == 'type 9 (autism spectrum disorder)'
