"""Plain language for parents (DOMAIN.md §5): Flesch-Douma, sentence lengths and jargon, for Dutch text only.

The helper advises and never blocks: the CLB worker sees the score of the Dutch parents' letter, its longest
sentences and every jargon word with a plain alternative, and a suggestion for each behoefte or goal that is hard
to read. `check_case` builds the letter from the same context as the documents, so it measures exactly the text
that parents get.
"""
import logging
import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.documents import parents
from webapp.documents.context import build_document_context
# The jargon list, words, sentences and syllables live with the documents, which need them too (the word list).
from webapp.documents.plainlanguage import JARGON, Jargon, jargon_hits, split_sentences, syllables, words


logger = logging.getLogger(__name__)

# Targets for duidelijke taal (DOMAIN.md §5.1, §5.3).
TARGET_SCORE = 60.0
MAX_AVERAGE_LENGTH = 15.0
MAX_SENTENCE_LENGTH = 20

# Douma's norm table: the lower bound of each band, highest first.
DOUMA_BANDS = (
    (90.0, _l('zeer gemakkelijk')),
    (80.0, _l('gemakkelijk')),
    (70.0, _l('tamelijk gemakkelijk')),
    (60.0, _l('normaal')),
    (45.0, _l('tamelijk moeilijk')),
    (30.0, _l('moeilijk')),
    (float('-inf'), _l('zeer moeilijk')),
)


def flesch_douma(text: str) -> float:
    """Return the Flesch-Douma score: 206.84 - 0.77 x syllables per 100 words - 0.93 x average sentence length.

    Raises ValueError for a text without words, which has no score.
    """
    sentences = split_sentences(text)
    counted = [w for s in sentences for w in words(s)]
    if not counted:
        raise ValueError('a text without words has no Flesch-Douma score')
    per_100_words = 100 * sum(syllables(w) for w in counted) / len(counted)
    return 206.84 - 0.77 * per_100_words - 0.93 * (len(counted) / len(sentences))


def douma_label(score: float) -> str:
    """Return Douma's plain label for `score` ("normaal" from 60 to 70)."""
    return str(next(label for bound, label in DOUMA_BANDS if score >= bound))


def report(text: str) -> dict[str, Any]:
    """Return the plain-language report of a Dutch `text` (see the keys below); `score` is None without words."""
    sentences = split_sentences(text)
    lengths = [len(words(s)) for s in sentences]
    total = sum(lengths)
    score = round(flesch_douma(text), 1) if total else None
    average = round(total / len(sentences), 1) if sentences else 0.0
    long_ones = sorted(((n, s) for n, s in zip(lengths, sentences) if n > MAX_SENTENCE_LENGTH),
                       key=lambda item: -item[0])
    return {
        'score': score,
        'label': douma_label(score) if score is not None else '',
        'score_ok': score is not None and score >= TARGET_SCORE,
        'zinnen': len(sentences),
        'woorden': total,
        'gemiddelde_zinslengte': average,
        'zinslengte_ok': average <= MAX_AVERAGE_LENGTH,
        'lange_zinnen': [{'zin': s, 'woorden': n} for n, s in long_ones],
        'jargon': jargon_hits(text),
        'doel_score': TARGET_SCORE,
        'doel_zinslengte': MAX_AVERAGE_LENGTH,
        'max_zinslengte': MAX_SENTENCE_LENGTH,
    }


def check_text(text: str, *, behoefte: bool = False, diagnose: bool = False) -> dict[str, Any]:
    """Return `report(text)` plus `suggesties`: plain advice on what to change, in Dutch (the text is Dutch)."""
    result = report(text)
    tips = []
    for long_one in result['lange_zinnen']:
        tips.append(_('Maak deze zin korter of splits hem in twee zinnen ({n} woorden): "{zin}"').format(
            n=long_one['woorden'], zin=_shorten(long_one['zin'])))
    for hit in result['jargon']:
        tips.append(_('Schrijf "{woord}" eenvoudiger, bijvoorbeeld: {alternatief}.').format(
            woord=hit['vormen'][0], alternatief=hit['alternatief']))
    if result['score'] is not None and not result['score_ok'] and not tips:
        tips.append(_('Gebruik kortere en meer alledaagse woorden (score {score}: {label}).').format(
            score=_number(result['score']), label=result['label']))
    if diagnose and result['jargon']:
        tips.append(_('Schrijf bij deze diagnose een uitleg voor de ouders: de brief toont dan die uitleg.'))
    if behoefte and text.strip() and not re.search(r'\bnodig\b', text, re.IGNORECASE):
        tips.append(_('Schrijf een behoefte zoals ouders ze lezen: "... heeft ... nodig".'))
    result['suggesties'] = tips
    return result


def check_case(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the readability of what parents read in `doc`: the Dutch letter, and each behoefte and goal.

    Keys: `brief` (the `report` of the whole Dutch letter, the CLB worker's own words included, or None when the
    case has no verslag yet), `brief_ok`, `melding` (why there is no letter), and `velden`: one `check_text` result
    per behoefte, goal and other text of the CLB worker that parents read, with its JSON path.
    """
    letter, message = None, None
    if doc.get('verslag'):
        try:
            ctx = build_document_context(doc, 'oudersamenvatting', audience='ouders', language='nl')
            letter = report(parents.letter_text(ctx['brief']))
            # Terms the letter's word list explains are shown as such: the CLB worker need not act on them.
            for hit in letter['jargon']:
                hit['uitgelegd'] = hit['term'] in ctx['brief']['uitgelegd']
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            # A draft in the wizard may still miss required parts; the field checks below still help.
            logger.info('No parents letter for the readability check: %s', type(error).__name__)
            message = _('De brief kan nog niet gemaakt worden: vul eerst de verplichte velden in.')
    else:
        message = _('De brief aan de ouders volgt op het verslag: vul eerst de stap Besluit in.')
    return {
        'brief': letter,
        'brief_ok': bool(letter and letter['score_ok'] and letter['zinslengte_ok']),
        'melding': message,
        'velden': [dict(check_text(text, behoefte=kind == 'behoefte', diagnose=kind == 'diagnose'), pad=path,
                        soort=kind, label=label, tekst=text)
                   for path, kind, label, text in _parent_texts(doc)],
    }


def _parent_texts(doc: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Return (JSON path, kind, label, text) of every free text of the CLB worker that parents read."""
    traject = doc.get('traject') or {}
    found: list[tuple[str, str, str, str]] = []

    def add(path: str, kind: str, label: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            found.append((path, kind, label, value))

    def each(items: Any) -> list[tuple[int, dict[str, Any]]]:
        return [(i, item) for i, item in enumerate(items or [], start=1) if isinstance(item, dict)]

    for n, item in each(traject.get('behoeften')):
        add(f'traject.behoeften[{n - 1}].formulering', 'behoefte', _('Behoefte {n}').format(n=n),
            item.get('formulering'))
    for n, item in each(traject.get('doelen')):
        add(f'traject.doelen[{n - 1}].formulering', 'doel', _('Doel {n}').format(n=n), item.get('formulering'))
    for n, item in each((doc.get('iac_plan') or {}).get('doelen')):
        add(f'iac_plan.doelen[{n - 1}].formulering', 'doel', _('Doel {n} van het IAC-plan').format(n=n),
            item.get('formulering'))
    for n, item in each(traject.get('diagnosen')):
        if item.get('delen_met_ouders') is True:
            # The letter prints the explanation for parents when there is one, else the diagnosis as written.
            key = 'uitleg_voor_ouders' if item.get('uitleg_voor_ouders') else 'omschrijving'
            add(f'traject.diagnosen[{n - 1}].{key}', 'diagnose' if key == 'omschrijving' else 'tekst',
                _('Diagnose {n}').format(n=n), item.get(key))
    for n, item in each(traject.get('beeldvorming')):
        add(f'traject.beeldvorming[{n - 1}].beschrijving', 'tekst', _('Beeldvorming {n}').format(n=n),
            item.get('beschrijving'))
    for n, item in each(doc.get('aanpassingen')):
        if item.get('oordeel') == 'redelijk':
            add(f'aanpassingen[{n - 1}].beschrijving', 'tekst', _('Aanpassing {n}').format(n=n),
                item.get('beschrijving'))
    for n, item in each((doc.get('leersteun') or {}).get('vormen')):
        add(f'leersteun.vormen[{n - 1}].doel', 'tekst', _('Vorm van leersteun {n}').format(n=n), item.get('doel'))
    add('leersteun.ouderbetrokkenheid', 'tekst', _('Betrokkenheid van de ouders'),
        (doc.get('leersteun') or {}).get('ouderbetrokkenheid'))
    add('verslag.advies', 'tekst', _('Advies'), (doc.get('verslag') or {}).get('advies'))
    add('oudersamenvatting.toelichting', 'tekst', _('Persoonlijk woord'),
        (doc.get('oudersamenvatting') or {}).get('toelichting'))
    return found


def _shorten(sentence: str, limit: int = 90) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(' ', 1)[0] + ' …'


def _number(value: float) -> str:
    # Dutch decimal comma; the UI is Dutch by default and the score is about Dutch text.
    return f'{value:.1f}'.replace('.', ',')


# The plain-language names that callers used to import from here.
__all__ = ['JARGON', 'Jargon', 'check_case', 'check_text', 'douma_label', 'flesch_douma', 'jargon_hits', 'report',
           'split_sentences', 'syllables', 'words']
