"""Plain language for parents (DOMAIN.md §5): Flesch-Douma, sentence lengths and jargon, for Dutch text only.

The helper advises and never blocks: the CLB worker sees the score of the Dutch parents' letter, its longest
sentences and every jargon word with a plain alternative, and a suggestion for each behoefte or goal that is hard
to read. `check_case` builds the letter from the same context as the documents, so it measures exactly the text
that parents get.
"""
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyphen
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


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


@dataclass(frozen=True)
class Jargon:
    """One term from the maintained jargon list, the plain Dutch to use instead, and the forms that match it."""

    term: str
    alternatief: str
    vormen: tuple[str, ...] = ()  # regular expressions; default: the term itself as a whole word
    hoofdletters: bool = False  # abbreviations match case-sensitively, so 'gc' in a word is no hit

    @property
    def pattern(self) -> re.Pattern:
        """Return the compiled pattern that finds the term and its forms as whole words."""
        return _compile(self)


# DOMAIN.md §5.2 plus the words CLB workers use most in verslagen (P: review the wording with a CLB).
JARGON: tuple[Jargon, ...] = (
    Jargon('CLB', 'het CLB (centrum voor leerlingenbegeleiding): de dienst die uw kind en de school begeleidt',
           hoofdletters=True),
    Jargon('HGD', 'de gesprekken en het onderzoek over wat uw kind nodig heeft',
           (r'HGD', r'[Hh]andelingsgericht diagnostisch traject'), hoofdletters=True),
    Jargon('GC', 'dezelfde leerdoelen als de andere leerlingen',
           (r'GC', r'[Gg]emeenschappelijk curriculum'), hoofdletters=True),
    Jargon('IAC', 'een eigen leerprogramma met aangepaste doelen',
           (r'IAC', r'[Ii]ndividueel aangepast curriculum'), hoofdletters=True),
    Jargon('OV4', 'dezelfde leerstof als in het gewoon secundair, in een school voor buitengewoon onderwijs',
           (r'OV4', r'[Oo]pleidingsvorm 4'), hoofdletters=True),
    Jargon('opleidingsvorm', 'de richting in het buitengewoon secundair onderwijs',
           (r'OV[123]', r'[Oo]pleidingsvorm(?:en)?(?! 4)'), hoofdletters=True),
    Jargon('LSC', 'het leersteuncentrum, dat uw kind en de school extra helpt', hoofdletters=True),
    Jargon('leersteun', 'extra hulp van het leersteuncentrum', (r'leersteun',)),
    Jargon('BuO', 'buitengewoon onderwijs: een school voor kinderen die veel extra hulp nodig hebben',
           (r'Bu(?:Ba|S)?O',), hoofdletters=True),
    Jargon('type', 'zeg waarover de hulp gaat ("hulp bij autisme"), en alleen als de ouders het al weten',
           (r'type (?:basisaanbod|[23469]|7(?:-auditief|-stos)?)',)),
    Jargon('redelijke aanpassingen', 'aanpassingen zodat uw kind goed kan leren', (r'redelijke aanpassing(?:en)?',)),
    Jargon('remediëren', 'extra oefenen', (r'remedi[eë]\w*', r'geremedieerd\w*')),
    Jargon('differentiëren', 'de opdracht aanpassen aan uw kind', (r'differenti[eë]\w*', r'gedifferentieerd\w*')),
    Jargon('compenseren', 'een hulpmiddel gebruiken', (r'compens\w*', r'gecompenseerd\w*')),
    Jargon('dispenseren', 'een deel niet moeten doen', (r'dispens\w*', r'gedispenseerd\w*')),
    Jargon('disproportioneel', 'te zwaar voor de school', (r'disproportion\w*',)),
    Jargon('klassenraad', 'de leerkrachten die samen over uw kind beslissen', (r'klassenraad\w*', r'klassenraden')),
    Jargon('ontbindende voorwaarde', 'de school beslist binnen 60 dagen of ze de aanpassingen kan doen',
           (r'ontbindende voorwaarde\w*',)),
    Jargon('zorgcontinuüm', 'de stappen van extra zorg op school', (r'zorgcontinu[uü]m',)),
    Jargon('brede basiszorg', 'wat de school voor alle kinderen doet', (r'brede basiszorg',)),
    Jargon('verhoogde zorg', 'extra hulp van de school zelf', (r'verhoogde zorg',)),
    Jargon('uitbreiding van zorg', 'extra hulp van de school samen met het CLB', (r'uitbreiding van (?:de )?zorg',)),
    Jargon('MDO', 'een overleg met iedereen die uw kind begeleidt', hoofdletters=True),
    Jargon('MDD', 'het dossier van het CLB', hoofdletters=True),
    Jargon('PBD', 'de dienst die de school begeleidt', hoofdletters=True),
    Jargon('handelingsgericht', 'gericht op wat uw kind nodig heeft',
           (r'handelingsgericht\w*', r'handelingsplanmatig\w*')),
    Jargon('multidisciplinair', 'met hulpverleners van verschillende beroepen', (r'multidisciplinair\w*',)),
    Jargon('zorgcoördinator', 'de persoon op school die de extra zorg regelt', (r'zorgco[oö]rdinator\w*',)),
    Jargon('evaluatie', 'samen bekijken hoe het gaat', (r'evaluatie\w*', r'evalu(?:eren|eert|eerde|eerden)',
                                                     r'geëvalueerd')),
    Jargon('attest van verworven bekwaamheden', 'een attest dat zegt wat uw kind geleerd heeft',
           (r'attest van verworven bekwaamheden',)),
    Jargon('studiebekrachtiging', 'het diploma of attest dat uw kind krijgt', (r'studiebekrachtiging\w*',)),
    Jargon('eindterm', 'een leerdoel van de overheid',
           (r'eindterm(?:en)?', r'minimumdoel(?:en)?', r'ontwikkelingsdoel(?:en)?', r'leerplandoel(?:en)?')),
    Jargon('beeldvorming', 'wat we samen zagen', (r'beeldvorming',)),
    Jargon('hulpvraag', 'uw vraag', (r'hulpvra(?:ag|gen)',)),
    Jargon('onderwijsbehoefte', 'wat uw kind nodig heeft om te leren',
           (r'onderwijsbehoefte\w*', r'opvoedingsbehoefte\w*', r'ondersteuningsbehoefte\w*')),
    Jargon('diagnostisch', 'het onderzoek naar wat uw kind moeilijk vindt', (r'diagnostisch\w*',)),
    Jargon('bekwame leerling', 'een kind van 12 jaar of ouder, dat zelf mee beslist', (r'bekwame? leerling\w*',)),
    Jargon('beroepsgeheim', 'het CLB mag niet zomaar vertellen wat het weet', (r'beroepsgeheim',)),
)

_ABBREVIATIONS = frozenset({
    'dr', 'drs', 'mr', 'mevr', 'dhr', 'bv', 'bijv', 'bvb', 'o.a', 'a.d.h.v', 'd.w.z', 'enz', 'etc', 'nr', 'ca', 'p',
    'blz', 'resp', 'incl', 'excl', 'max', 'min', 'i.p.v', 'm.a.w', 'o.m', 'e.a', 'vgl', 'tel', 'st',
})
# Addresses are not words a parent reads: they would count as long words.
_ADDRESSES = re.compile(r'\b(?:https?://|www\.)\S+|\S+@\S+\.\w+', re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
# A sentence ends at . ! ? (and closing quotes or brackets), before white space and a capital, digit or quote.
_END = re.compile(r"""([.!?…]+["'”’)\]]*)\s+(?=["'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9\u0400-\u042f])""")


@lru_cache(maxsize=None)
def _compile(entry: Jargon) -> re.Pattern:
    forms = entry.vormen or (re.escape(entry.term),)
    return re.compile(r'(?<![\w-])(?:%s)(?![\w])' % '|'.join(forms), 0 if entry.hoofdletters else re.IGNORECASE)


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    # left/right 1: count syllables at the edges of a word too ('o-ma'); the default 2 is for line breaking.
    return pyphen.Pyphen(lang='nl_NL', left=1, right=1)


@lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    """Return the syllables in `word`: Pyphen's Dutch hyphenation positions plus one, per part of a compound."""
    return sum(len(_hyphenator().positions(part)) + 1 for part in re.split(r"[-'’.]", word.lower()) if part)


def words(text: str) -> list[str]:
    """Return the words of `text`; web and e-mail addresses are left out."""
    return _WORD.findall(_ADDRESSES.sub(' ', text))


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text`: a line break always ends one (headings, list items), and so does . ! ?"""
    sentences = []
    for line in text.splitlines():
        start = 0
        for match in _END.finditer(line):
            before = line[start:match.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip('.') if before else ''
            # "dr. De Wilde", "bv. een laptop" and initials ("J. Peeters") do not end a sentence.
            if match.group(1) == '.' and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
                continue
            sentences.append(line[start:match.end(1)].strip())
            start = match.end()
        sentences.append(line[start:].strip())
    return [s for s in sentences if words(s)]


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


def jargon_hits(text: str) -> list[dict[str, Any]]:
    """Return every jargon term in `text`, in order of first use: term, plain alternative, forms found, count."""
    hits = []
    for entry in JARGON:
        found = [m for m in entry.pattern.finditer(text)]
        if found:
            forms = list(dict.fromkeys(m.group(0) for m in found))
            hits.append({'term': entry.term, 'alternatief': entry.alternatief, 'vormen': forms,
                         'aantal': len(found), 'positie': found[0].start()})
    hits.sort(key=lambda hit: hit['positie'])
    for hit in hits:
        del hit['positie']
    return hits


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


def check_text(text: str, *, behoefte: bool = False) -> dict[str, Any]:
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
    from webapp.documents import parents
    from webapp.documents.context import build_document_context

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
        'velden': [dict(check_text(text, behoefte=kind == 'behoefte'), pad=path, soort=kind, label=label, tekst=text)
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
