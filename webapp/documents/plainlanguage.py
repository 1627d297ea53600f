"""Plain-language knowledge of Dutch text for parents (DOMAIN.md §5): the jargon list, words, sentences, syllables.

One module for what both the parents' letter (documents/parents.py: which terms its word list explains) and the
readability report (services/readability.py: score and suggestions) need, so that documents never import services.
Plain Python and Pyphen only: no Flask, no catalogs. The texts are Dutch, because the texts they judge are.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyphen


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


# Names of tests and handbooks that CLB workers copy from a report into a diagnosis ("totaal IQ 73, WISC-V-NL").
_TESTS = (r'WISC|WPPSI|WAIS|WNV|SON-R|KBC|CELF|AVI|DMT|EMT|KLEPEL|TTR|ADOS|ADI-R|NEPSY|CBCL|TRF|SDQ|BRIEF|PPVT|'
          r'IDS|BOS|CST|VMI|M-ABC|GMFCS|DSM|ICD|Raven|Bayley|Beery|Cito|Klepel|PI-dictee|Tempo-Test-Rekenen')
_TEST_SUFFIX = r'(?:-?(?:I{1,3}|IV|V|[0-9]+|NL|R|TR|II)\b)*'

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
    # Issue 13, item 7: a diagnosis copied from a test report is not B1. Parents read what it means for their child.
    Jargon('testnaam', 'zeg wat het onderzoek toonde, in gewone woorden, zonder de naam van de test of het handboek',
           (rf'(?:{_TESTS}){_TEST_SUFFIX}',), hoofdletters=True),
    Jargon('score', 'zeg wat de uitslag betekent voor uw kind, zonder cijfers of scores',
           (r'(?:[Tt]otaal |[Vv]erbaal |[Pp]erformaal )?IQ(?:[- ]?(?:van |= ?|: ?)?\d+)?', r'[Pp]ercentiel\w* ?\d*',
            r'[Pp]c\.? ?\d+', r'[TtZz]-scores?', r'[Ss]tandaardscores?', r'\d+ ?SD', r'[Bb]eheersingsniveau \w+'),
           hoofdletters=True),
    Jargon('de ouders', '"U heeft ... nodig", want de ouders lezen deze tekst zelf',
           (r'[Dd]e ouders (?:hebben|zijn|krijgen|willen|kunnen|moeten|vragen|weten|geven|werken|kiezen|steunen)',),
           hoofdletters=True),
)
# Any other word in capitals (two or more, digits allowed) is an abbreviation a parent may not know: "GMFCS", "TOS".
ABBREVIATION = Jargon('afkorting', 'schrijf het woord voluit, of leg de afkorting uit',
                      (r'[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*',), hoofdletters=True)

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


def jargon_hits(text: str) -> list[dict[str, Any]]:
    """Return every jargon term in `text`, in order of first use: term, plain alternative, forms found, count.

    Words in capitals that no entry knows are reported as 'afkorting'; addresses are no jargon.
    """
    text = _ADDRESSES.sub(' ', text)
    hits, covered = [], []
    for entry in JARGON:
        found = list(entry.pattern.finditer(text))
        if found:
            hits.append(_hit(entry, found))
            covered += [m.span() for m in found]
    unknown = [m for m in ABBREVIATION.pattern.finditer(text)
               if not any(start <= m.start() < end for start, end in covered)]
    if unknown:
        hits.append(_hit(ABBREVIATION, unknown))
    hits.sort(key=lambda hit: hit['positie'])
    for hit in hits:
        del hit['positie']
    return hits


def _hit(entry: Jargon, found: list[re.Match]) -> dict[str, Any]:
    forms = list(dict.fromkeys(m.group(0) for m in found))
    return {'term': entry.term, 'alternatief': entry.alternatief, 'vormen': forms, 'aantal': len(found),
            'positie': found[0].start()}
