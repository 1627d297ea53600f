"""The French UI uses one word for each domain term, from locales/fr/glossary, and never the renderings it bans."""
import re
from pathlib import Path

from babel.messages.pofile import read_po


LOCALES = Path(__file__).resolve().parents[1] / 'locales'
GLOSSARY = LOCALES / 'fr' / 'glossary'


def read_glossary(path: Path = GLOSSARY) -> tuple[list[tuple[str, str]], list[str]]:
    """Return ([(Dutch term, French term)], [banned French words]) from a glossary file."""
    terms, banned = [], []
    for line in path.read_text(encoding='utf-8').splitlines():
        line = line.split('#', 1)[0].strip()
        if line.startswith('!='):
            banned.append(line[2:].strip())
        elif '=' in line:
            dutch, french = (part.strip() for part in line.split('=', 1))
            terms.append((dutch, french))
    return terms, banned


def _normal(text: str) -> str:
    return ' '.join(text.replace('’', "'").replace('\u00a0', ' ').replace('\u202f', ' ').lower().split())


def _french_pattern(term: str) -> re.Pattern:
    # Each word may take a plural ending: "aménagements raisonnables" uses "aménagement raisonnable".
    words = [re.escape(word) + '[sx]?' for word in _normal(term).split()]
    return re.compile(r'\b' + r'\s+'.join(words) + r'\b')


def _dutch_pattern(term: str) -> re.Pattern:
    # The start of a word: "onderzoek" in "Onderzoeksvragen" and "leersteun" in "leersteunafspraken".
    return re.compile(r'(?<![\w])' + re.escape(term), re.IGNORECASE)


def _messages(domain: str):
    with (LOCALES / 'fr' / 'LC_MESSAGES' / f'{domain}.po').open('rb') as file:
        catalog = read_po(file)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        yield ids[0], [s for s in strings if s]


def glossary_problems(domain: str = 'messages') -> list[str]:
    """Return every French translation that does not use the glossary's term, or uses a banned word."""
    terms, banned = read_glossary()
    found = []
    for msgid, strings in _messages(domain):
        for french in map(_normal, strings):
            for dutch, term in terms:
                if _dutch_pattern(dutch).search(msgid) and not any(
                        _french_pattern(option).search(french) for option in term.split(' | ')):
                    found.append(f'{msgid!r}: "{dutch}" is "{term}" in French, not {french!r}')
            for word in banned:
                if _french_pattern(word).search(french):
                    found.append(f'{msgid!r}: {french!r} uses "{word}"')
    return found


def test_the_glossary_is_readable_and_names_the_terms_of_the_issue():
    terms, banned = read_glossary()
    assert dict(terms)['intake'] == 'analyse de la demande'
    assert dict(terms)['onderzoek'] == 'bilan' and dict(terms)['eindterm'] == 'socle de compétences'
    assert {'examen', 'objectif final', 'intake'} <= set(banned)


def test_every_french_ui_string_follows_the_glossary():
    assert glossary_problems('messages') == []


def test_the_french_letters_use_no_banned_word():
    # The parents' letter explains terms in plain words ("une réunion" for overleg), so only the bans apply.
    assert [p for p in glossary_problems('documents') if ' uses "' in p] == []


def test_the_check_catches_a_wrong_term(tmp_path, monkeypatch):
    # The check itself can fail: a translation with the banned "examen" and without "bilan" is reported.
    terms, banned = read_glossary()
    french = _normal('Ajouter un examen')
    assert not _french_pattern(dict(terms)['onderzoek']).search(french)
    assert _french_pattern('examen').search(french)
    assert _french_pattern('aménagement raisonnable').search(_normal('Aménagements raisonnables'))


def test_the_ui_and_the_letter_glossaries_agree():
    # locales/fr/glossary.json is the parents' letter's: where both name a term, the UI uses one of its forms.
    import json
    letter = json.loads((LOCALES / 'fr' / 'glossary.json').read_text(encoding='utf-8'))['termen']
    terms, _banned = read_glossary()
    shared = [(dutch, french) for dutch, french in terms if dutch in letter]
    assert {'verslag', 'leersteuncentrum', 'klassenraad', 'CLB'} <= {dutch for dutch, _french in shared}
    for dutch, french in shared:
        forms = [letter[dutch]['vertaling'], *letter[dutch]['vormen']]
        assert any(_normal(french) == _normal(form) for form in forms), (dutch, french, forms)
