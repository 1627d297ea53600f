"""Machine checks of every letter catalog present (locales/*/LC_MESSAGES/documents.po), one language at a time.

Every placeholder and bold marker present, gender selects well formed, no Dutch left (except names and the Flemish
terms the glossary keeps), no string long enough to break the layout, and the glossary's terms used consistently.
A new language is checked as soon as its catalog and glossary exist (locales/README.md).
"""
import json
import re

import pytest
from babel.messages.pofile import read_po

from webapp.documents.env import LOCALES_DIR
from webapp.documents.parents import GENDER_SELECT, resolve_gender


CATALOGS = sorted(LOCALES_DIR.glob('*/LC_MESSAGES/documents.po'))
LANGS = [po.parts[-3] for po in CATALOGS]
PLACEHOLDER = re.compile(r'\{\w+\}|%\(\w+\)s')
GENDERS = ('meisje', 'jongen', None)
# The Dutch form of each glossary term, as the letter's msgids use it (the keys of every glossary.json).
TERMS = {
    'CLB': r'\bCLB\b',
    'leersteuncentrum': r'leersteuncentr',
    'IAC': r'\bIAC\b',
    'verslag': r'verslag',
    'klassenraad': r'klassenraad|leerkrachten die samen',
    'buitengewoon onderwijs': r'buitengewoon',
    'opleidingsvorm': r'opleidingsvorm|richting in het buitengewoon',
    'type': r'\btype\b',
    'advies': r'\badvies\b',
}
# Flemish names the letters keep in Dutch on purpose (beside a translation): never counted as Dutch left behind.
KEPT = ('Vlaamse Bemiddelingscommissie', 'Commissie inzake Leerlingenrechten', 'centrum voor leerlingenbegeleiding',
        'gemeenschappelijk curriculum', 'individueel aangepast curriculum', 'buitengewoon onderwijs',
        'opleidingsvorm', 'leersteuncentrum', 'leerondersteuner', 'verslag', 'infopunt', 'lokaal overlegplatform',
        '(type)')


def catalog(lang: str):
    with (LOCALES_DIR / lang / 'LC_MESSAGES' / 'documents.po').open('rb') as fh:
        return [m for m in read_po(fh, locale=lang) if m.id and m.string]


def glossary(lang: str) -> dict:
    path = LOCALES_DIR / lang / 'glossary.json'
    if not path.exists():
        pytest.fail(f'{path} is missing: every letter language has a glossary (locales/README.md)')
    return json.loads(path.read_text(encoding='utf-8'))


def variants(text: str) -> list[str]:
    """Return `text` as a girl, a boy and a child of unknown gender read it."""
    return list(dict.fromkeys(resolve_gender(text, g) for g in GENDERS))


def limit(msgid: str) -> int:
    """Return the longest translation the layout takes: headings and labels stay short, sentences may grow."""
    return max(2 * len(msgid), len(msgid) + 75) if len(msgid) > 40 else 60


@pytest.mark.parametrize('lang', LANGS)
def test_placeholders_bold_markers_and_gender_selects_are_intact(lang):
    # A glossary may allow leaving out a placeholder, with its reason (Polish: no case ending on a foreign name).
    optional = set(glossary(lang).get('weglaten', ()))
    for message in catalog(lang):
        if 'geslacht, select' in message.string:
            assert GENDER_SELECT.search(message.string), (lang, message.string)
            assert 'other {' in message.string, (lang, 'a select needs an "other" branch', message.string)
        for text in variants(message.string):
            assert 'select,' not in text, (lang, 'malformed gender select', message.string)
            found, wanted = set(PLACEHOLDER.findall(text)), set(PLACEHOLDER.findall(message.id))
            # A salutation may leave out the names where the language does ("Szanowni Państwo,").
            left_out = wanted - found
            assert found == wanted or (found < wanted and (message.id.startswith('Beste ') or left_out <= optional)), \
                (lang, message.id, text)
            assert text.count('**') == message.id.count('**') or (text.count('**') % 2 == 0 and text.count('**')), \
                (lang, 'bold markers', message.id, text)


@pytest.mark.parametrize('lang', LANGS)
def test_no_dutch_left_in_a_translation(lang):
    kept = KEPT + tuple(glossary(lang).get('behouden', ()))
    for message in catalog(lang):
        text = message.string
        for phrase in sorted(kept, key=len, reverse=True):
            text = text.replace(phrase, ' ')
        text = PLACEHOLDER.sub(' ', text)
        dutch = {w.lower() for w in re.findall(r'[^\W\d_]{4,}', PLACEHOLDER.sub(' ', message.id))}
        left = [w for w in re.findall(r'[^\W\d_]{4,}', text) if w.lower() in dutch]
        assert not left, (lang, left, message.id)


@pytest.mark.parametrize('lang', LANGS)
def test_no_translation_is_long_enough_to_break_the_layout(lang):
    for message in catalog(lang):
        for text in variants(message.string):
            assert len(text) <= limit(message.id), (lang, len(text), limit(message.id), message.id)


@pytest.mark.parametrize('lang', LANGS)
def test_glossary_terms_are_used_consistently(lang):
    terms = glossary(lang)['termen']
    assert set(terms) == set(TERMS), (lang, 'every glossary names the same terms')
    messages = catalog(lang)
    for term, entry in terms.items():
        forms = [re.compile(form, re.IGNORECASE) for form in entry['vormen']]
        wrong = [re.compile(form, re.IGNORECASE) for form in entry['verboden']]
        for message in messages:
            for text in variants(message.string):
                assert not [w.pattern for w in wrong if w.search(text)], (lang, term, 'avoided word', text)
                if re.search(TERMS[term], message.id):
                    assert any(f.search(text) for f in forms), (lang, term, entry['vormen'], message.id, text)
