"""The parents' letter (oudersamenvatting) in the parent's own language: plain data that both templates print.

`build(ctx, language)` turns the context that context.py filtered for the audience 'ouders' into `brief`: a letter
made of sections, each a list of blocks. Both the PDF and the DOCX template print these blocks one by one, so the
two formats always say the same thing, and `letter_text` gives the readability check exactly what parents read.

- Text that Traject writes goes through the 'documents' catalog of the letter's language. It is written at B1
  ("duidelijke taal", DOMAIN.md §5): short active sentences, "u" and "uw kind", abbreviations explained.
- Text that the CLB worker typed stays as typed, in Dutch, in blocks of soort 'vrij'. The templates mark it
  lang="nl" (and left-to-right in an Arabic letter); a non-Dutch letter says that these parts are in Dutch.

The letter's strings are marked by the helpers that translate them (`t`, `s`, `p`, `sub`) and by `N_`: the
extraction command in locales/babel-documents.cfg names them as keywords.

Blocks (`soort`): 'alinea' {delen}, 'tussenkop' {tekst}, 'lijst' {items: [delen]}, 'gegevens' {regels: [delen]}
and 'vrij' {items: [{label, tekst, details: [delen]}]}. `delen` is a list of {tekst, vet}: the parts of a sentence,
with the key words bold, as the B1 guidelines ask.

A language code 'xx+nl' asks for the bilingual letter: the letter in xx, then the same letter in Dutch, so the
parent and the school read the same thing (`brieven` holds both; `brief` is the first).
"""
import logging
import re
from datetime import date
from typing import Any, Callable

from babel import Locale, UnknownLocaleError
from babel.lists import format_list

from webapp.documents.env import babel_locale, document_translations, format_long_date
from webapp.documents.plainlanguage import jargon_hits


logger = logging.getLogger(__name__)

# The languages Traject writes the letter in, and their writing direction: one line per language. Each has its
# translations in locales/<lang>/LC_MESSAGES/documents.po and its word choices in locales/<lang>/glossary.json
# (locales/README.md says how to add one).
LETTER_LANGUAGES = {
    'nl': 'ltr',
    'fr': 'ltr',
    'en': 'ltr',
    'tr': 'ltr',
    'ar': 'rtl',
    'pl': 'ltr',
    'uk': 'ltr',
    'ro': 'ltr',
    'ru': 'ltr',
    'bg': 'ltr',
    'fa': 'rtl',
    'prs': 'rtl',
    'es': 'ltr',
    'pt': 'ltr',
    'ps': 'rtl',
    'so': 'ltr',
    'ti': 'ltr',
}
LANGUAGES = tuple(LETTER_LANGUAGES)
BILINGUAL = tuple(f'{lang}+nl' for lang in LANGUAGES if lang != 'nl')
# Also for a code that is not (yet) a letter language, so that a right-to-left name or text is isolated correctly.
RTL_LANGUAGES = frozenset({'ar', 'fa', 'he', 'ur', 'ps', 'prs', 'ckb', 'yi'}
                          | {lang for lang, way in LETTER_LANGUAGES.items() if way == 'rtl'})
# Grammatical gender in a translation: '{geslacht, select, meisje {...} jongen {...} other {...}}' (ICU's select).
# 'other' is the phrasing that needs no gender, for 'x' and for a case without `leerling.geslacht`.
GENDER_SELECT = re.compile(r'\{geslacht, select,((?:\s*\w+\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}')
_GENDER_BRANCH = re.compile(r'(\w+)\s*\{((?:[^{}]|\{\w+\})*)\}')
VBC_URL = ('https://www.agodi.be/commissies/vlaamse-bemiddelingscommissie/'
           'verloop-bemiddeling-bij-vlaamse-bemiddelingscommissie')

# Unicode isolation (FSI ... PDI) keeps a Dutch name, date or number in the right order inside Arabic text.
# Measured: WeasyPrint 70 ignores <bdi> across inline boxes but honours these characters, and so does Word.
_FSI, _PDI = '\u2068', '\u2069'
_RTL_CHARS = re.compile('[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]')


def N_(message: str) -> str:
    """Mark `message` for the catalog; it is translated later, in the letter's language."""
    return message


# Plain words instead of the legal labels of the case format (DOMAIN.md §5.2).
TYPE_HULP = {
    'basisaanbod': N_('hulp bij het leren'),
    '2': N_('hulp bij een verstandelijke beperking'),
    '3': N_('hulp bij emoties en gedrag'),
    '4': N_('hulp bij bewegen (een motorische beperking)'),
    '6': N_('hulp bij zien (een visuele beperking)'),
    '7-auditief': N_('hulp bij horen (een auditieve beperking)'),
    '7-stos': N_('hulp bij spreken en taal'),
    '9': N_('hulp bij autisme'),
}
CATEGORIE_LABELS = {
    'remedierend': N_('Extra oefenen'),
    'differentierend': N_('Aangepaste opdrachten'),
    'compenserend': N_('Een hulpmiddel'),
    'dispenserend': N_('Een deel niet moeten doen'),
    'andere': N_('Een andere aanpassing'),
}
LEERSTEUN_LABELS = {
    'leerlinggericht': N_('Hulp voor {kind}'),
    'leerkrachtgericht': N_('Hulp voor de leerkracht'),
    'schoolteamgericht': N_('Hulp voor het schoolteam'),
}
CONTEXT_LABELS = {
    'leerling': N_('Bij {kind} zelf'),
    'onderwijsleersituatie': N_('Op school'),
    'thuiscontext': N_('Thuis'),
}
# The word list: the Dutch terms parents meet in this letter and in the verslag, explained in their language. Keys
# are terms of readability.JARGON (found in the letter) or terms the letter always uses.
WOORDEN = {
    'CLB': N_('centrum voor leerlingenbegeleiding. Het CLB begeleidt uw kind en de school.'),
    'leersteuncentrum': N_('de dienst die uw kind en de school extra helpt.'),
    'leersteun': N_('de extra hulp van het leersteuncentrum, voor uw kind en de school.'),
    'leerondersteuner': N_('de persoon van het leersteuncentrum die uw kind en de leerkracht helpt.'),
    'LSC': N_('leersteuncentrum: de dienst die uw kind en de school extra helpt.'),
    'GC': N_('gemeenschappelijk curriculum: dezelfde leerdoelen als de andere leerlingen.'),
    'IAC': N_('individueel aangepast curriculum: een eigen leerprogramma met aangepaste doelen.'),
    'OV4': N_('opleidingsvorm 4: dezelfde leerstof als in het gewoon secundair onderwijs, in een school voor '
              'buitengewoon onderwijs.'),
    'opleidingsvorm': N_('een richting in het buitengewoon secundair onderwijs.'),
    'BuO': N_('buitengewoon onderwijs: scholen voor kinderen die veel extra hulp nodig hebben.'),
    'HGD': N_('de gesprekken en het onderzoek van het CLB over wat uw kind nodig heeft.'),
    'type': N_('het type zegt waarover de extra hulp gaat.'),
    'redelijke aanpassingen': N_('aanpassingen op school, zodat uw kind goed kan leren.'),
    'remediëren': N_('extra oefenen.'),
    'differentiëren': N_('de opdracht aanpassen aan uw kind.'),
    'compenseren': N_('een hulpmiddel gebruiken, zoals een laptop.'),
    'dispenseren': N_('een deel niet moeten doen.'),
    'disproportioneel': N_('te zwaar voor de school.'),
    'klassenraad': N_('de leerkrachten die samen over uw kind beslissen.'),
    'ontbindende voorwaarde': N_('de school beslist binnen 60 dagen of ze de aanpassingen kan doen.'),
    'zorgcontinuüm': N_('de stappen van extra zorg op school.'),
    'brede basiszorg': N_('wat de school voor alle kinderen doet.'),
    'verhoogde zorg': N_('extra hulp van de school zelf.'),
    'uitbreiding van zorg': N_('extra hulp van de school, samen met het CLB.'),
    'MDO': N_('een overleg met iedereen die uw kind begeleidt.'),
    'handelingsgericht': N_('gericht op wat uw kind nodig heeft.'),
    'multidisciplinair': N_('met hulpverleners van verschillende beroepen.'),
    'zorgcoördinator': N_('de persoon op school die de extra zorg regelt.'),
    'evaluatie': N_('samen bekijken hoe het gaat.'),
    'attest van verworven bekwaamheden': N_('een attest dat zegt wat uw kind geleerd heeft. Het is geen gewoon '
                                            'diploma.'),
    'studiebekrachtiging': N_('het diploma of attest dat uw kind krijgt.'),
    'eindterm': N_('een leerdoel dat de overheid vastlegt.'),
    'hulpvraag': N_('de vraag waarmee u, uw kind of de school naar het CLB kwam.'),
}
_ALWAYS_EXPLAINED = ('CLB', 'leersteuncentrum')
_AND_BEFORE_ISOLATE = re.compile('((?:^|\\s)[\u0648])' + _FSI)
_PARENTS_NEED = re.compile(r'De ouders hebben (.+\bnodig\b.*)', re.DOTALL)
_THIRD_PERSON = re.compile(r'\b(?:ze|zij|hen|hun|ouders)\b', re.IGNORECASE)
# ISO 639-3 codes the case format allows where Babel names the language by another code.
_BABEL_LANGUAGE_CODES = {'prs': 'fa_AF'}
_SOORT_TERMS = {'gc': 'GC', 'iac': 'IAC', 'ov4': 'OV4'}


def resolve_gender(text: str, geslacht: str | None) -> str:
    """Return `text` with each gender select replaced by its branch for `geslacht` ('meisje', 'jongen') or 'other'."""
    def pick(match: re.Match) -> str:
        branches = dict(_GENDER_BRANCH.findall(match.group(1)))
        return branches.get(geslacht or 'other', branches['other'])
    return GENDER_SELECT.sub(pick, text)


def direction(language: str) -> str:
    """Return 'rtl' for a language written right to left, else 'ltr'."""
    return 'rtl' if language.split('+')[0] in RTL_LANGUAGES else 'ltr'


def split_language(language: str) -> tuple[str, bool]:
    """Return (the letter's language, whether the Dutch letter follows it) for a code such as 'ar' or 'ar+nl'."""
    first, _plus, second = language.partition('+')
    return first, second == 'nl' and first != 'nl'


def build(ctx: dict[str, Any], language: str = 'nl') -> dict[str, Any]:
    """Return the parents' part of the context: `brief`, `brieven`, `lang`, `dir`, `koppen` and `secties`."""
    lang, bilingual = split_language(language)
    letters = [LetterWriter(ctx, lang, bilingual=bilingual).letter()]
    if bilingual:
        # The same letter for the same parents, so that they and the school read the same thing.
        letters.append(LetterWriter(ctx, 'nl', bilingual=True, readers=lang).letter())
    first = letters[0]
    return {
        'lang': lang,
        'dir': first['dir'],
        'tweetalig': bilingual,
        'vrije_tekst_nl': first['vrije_tekst_nl'],
        'brief': first,
        'brieven': letters,
        # `section`, not `s`: `s` is an extraction keyword (self.s), and Babel 2.19 reads s['kop'] as a message.
        'koppen': {section['sleutel']: section['kop'] for section in first['secties']},
        'secties': [section['kop'] for section in first['secties']],
    }


def letter_text(brief: dict[str, Any]) -> str:
    """Return the body of a letter as plain text, one line per heading, paragraph or list item."""
    lines = [brief['aanhef']]
    lines += [_plain(p) for p in brief['inleiding']]
    for section in brief['secties']:
        lines.append(section['kop'])
        for block in section['blokken']:
            lines += _block_lines(block)
    lines += [brief['groet'], *brief['ondertekening']]
    return '\n'.join(strip_isolates(line) for line in lines if line)


def summary_languages(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the summaries a case asks for: Dutch first, then each other language once.

    Each item: `taal` (what Traject writes), `gevraagd` (the codes asked for that fell back to it) and `terugval`
    (True when a language Traject cannot write fell back to Dutch; `fallback_message` says so to the user).
    """
    summary = doc.get('oudersamenvatting') or {}
    asked = summary.get('talen') or [o.get('voorkeurtaal') or 'nl' for o in doc.get('ouders') or []]
    result: dict[str, dict[str, Any]] = {'nl': {'taal': 'nl', 'gevraagd': [], 'terugval': False}}
    for code in asked:
        target = code if code in LANGUAGES else 'nl'
        item = result.setdefault(target, {'taal': target, 'gevraagd': [], 'terugval': False})
        if code not in item['gevraagd'] and code != target:
            item['gevraagd'].append(code)
            item['terugval'] = True
    return list(result.values())


def fallback_message(code: str, ui_language: str = 'nl') -> str:
    """Return the UI message that a summary in `code` cannot be written and the Dutch one is used instead."""
    from flask_babel import gettext

    return gettext('Traject kan de samenvatting nog niet in het %(taal)s schrijven. De ouders krijgen de '
                   'Nederlandse versie. Bespreek de brief met hen, zo nodig met een tolk.',
                   taal=language_name(code, ui_language))


def language_name(code: str, in_language: str = 'nl') -> str:
    """Return the name of language `code` in `in_language` ("Frans"), or the code itself if Babel has none."""
    try:
        return Locale.parse(babel_locale(in_language)).languages.get(_BABEL_LANGUAGE_CODES.get(code, code), code)
    except (ValueError, UnknownLocaleError):
        return code


# One cached catalog per language, shared with the templates' environment.
_translations = document_translations


class LetterWriter:
    """Writes one letter in one language from the parents' context."""

    def __init__(self, ctx: dict[str, Any], lang: str, *, bilingual: bool, readers: str | None = None):
        self.ctx = ctx
        self.lang = lang
        self.readers = readers or lang  # whose language decides the recipients
        self.bilingual = bilingual
        self.dir = direction(lang)
        self.gettext: Callable[[str], str] = _translations(lang).gettext
        self.kind = ctx['leerling']['voornaam']
        self.geslacht = ctx['leerling'].get('geslacht')
        self.explained: list[str] = []  # the terms of the word list, set by word_list()

    # ---- text helpers ----

    def _(self, message: str) -> str:
        """Return `message` in the letter's language, in the grammatical gender of the child where it needs one."""
        return resolve_gender(self.gettext(message), self.geslacht)

    def iso(self, value: Any) -> str:
        """Return `value` as text, isolated from the sentence around it when its direction differs.

        A Dutch name in Arabic text, or an Arabic name in French text, keeps its own order; an Arabic date in an
        Arabic sentence needs nothing (and LibreOffice drops a space inside such an isolate).
        """
        text = '' if value is None else str(value)
        if text and (self.dir == 'rtl') != bool(_RTL_CHARS.search(text)):
            return f'{_FSI}{text}{_PDI}'
        return text

    def t(self, message: str, **values: Any) -> list[dict[str, Any]]:
        """Return translated `message` as parts: **bold** key words marked, values filled in and isolated."""
        filled = {key: self.iso(value) for key, value in values.items()}
        filled.setdefault('kind', self.iso(self.kind))
        parts = self._(message).split('**')
        return [{'tekst': part.format(**filled), 'vet': i % 2 == 1} for i, part in enumerate(parts) if part]

    def s(self, message: str, **values: Any) -> str:
        """Return translated `message` as plain text, values filled in."""
        return _plain(self.t(message, **values))

    def label(self, table: dict[str, str], code: str) -> str:
        """Return the plain label of `code` in `table` (marked with N_), translated, `{kind}` filled in."""
        return self.s(table[code])

    def date(self, value: date | None) -> str:
        """Return `value` as a long date in the letter's language."""
        return format_long_date(value, self.lang)

    def p(self, message: str, **values: Any) -> dict[str, Any]:
        """Return a paragraph block."""
        return {'soort': 'alinea', 'delen': self.t(message, **values)}

    def sub(self, message: str, **values: Any) -> dict[str, Any]:
        """Return a small heading inside a section."""
        return {'soort': 'tussenkop', 'tekst': self.s(message, **values)}

    def free(self, texts: list[str], labels: list[str | None] | None = None,
             details: list[list[list[dict[str, Any]]]] | None = None) -> dict[str, Any]:
        """Return a block of the CLB worker's own Dutch text, as typed; labels and details are Traject's."""
        return {'soort': 'vrij', 'items': [
            {'label': (labels or [None] * len(texts))[i], 'tekst': text,
             'details': (details or [[]] * len(texts))[i]}
            for i, text in enumerate(texts)]}

    # ---- the letter ----

    def letter(self) -> dict[str, Any]:
        """Return the whole letter: header, greeting, sections and closing."""
        ctx = self.ctx
        verslag = ctx['verslag']
        names = self.recipients()
        vrije_tekst_nl = self.lang != 'nl'
        sections = [
            ('waarom', self.s('Waarom krijgt u deze brief?'), self.why(verslag)),
            ('gezien', self.s('Wat zagen we samen?'), self.seen()),
            ('nodig', self.s('Wat heeft {kind} nodig?'), self.needs()),
            ('doen', self.s('Wat doen de school, het leersteuncentrum en het CLB?'), self.support(verslag)),
            ('ouders', self.s('Wat kan u doen?'), self.parents()),
            ('data', self.s('Wanneer kijken we opnieuw samen?'), self.dates(verslag)),
            ('rechten', self.s('Uw rechten'), self.rights()),
            ('contact', self.s('Contact'), self.contact()),
        ]
        toelichting = (ctx.get('oudersamenvatting') or {}).get('toelichting')
        if toelichting:
            sections.append(('woord', self.s('Een persoonlijk woord van het CLB'), self.personal(toelichting)))
        body = [{'sleutel': key, 'kop': heading, 'blokken': blocks} for key, heading, blocks in sections]
        words = self.word_list(body)
        if words:  # always, as the letter always uses 'CLB'
            body.append({'sleutel': 'woorden', 'kop': self.s('Woordenlijst'), 'blokken': words})
        return {
            'taal': self.lang,
            'dir': self.dir,
            'vrije_tekst_nl': vrije_tekst_nl,
            'nl_label': self.s('In het Nederlands geschreven') if vrije_tekst_nl else '',
            'titel': self.s('Brief voor de ouders'),
            'onderwerp': self.iso(ctx['leerling']['naam']),
            'kenmerken': [self.s('Van: {clb}', clb=ctx['clb']['naam']),
                          self.s('Datum: {datum}', datum=self.date(ctx['vandaag']))],
            'aan': (self.s('Aan: {namen}', namen=self.join(names)) if names
                    else self.s('Aan: de ouders van {kind}')),
            'aanhef': self.s('Beste {namen},', namen=self.join(names)) if names else self.s('Beste ouders,'),
            'inleiding': self.introduction(),
            'kader': self.dutch_notice() if vrije_tekst_nl else [],
            'secties': body,
            'uitgelegd': self.explained,
            'groet': self.s('Met vriendelijke groeten,'),
            'ondertekening': [self.iso(verslag['verantwoordelijke']), self.iso(ctx['clb']['naam'])],
        }

    def recipients(self) -> list[str]:
        """Return the parents this letter is for: those who read its language, else every parent."""
        return [o['naam'] for o in recipients_of(self.ctx.get('ouders') or [], self.readers)]

    def join(self, names: list[str]) -> str:
        """Return "A en B" in the letter's language."""
        joined = format_list([self.iso(n) for n in names], locale=babel_locale(self.lang)) if names else ''
        # Arabic writes "و" against the next word; against an isolated Latin name it needs a space ("Maes و Bart").
        # subn, not sub: `sub` is one of the catalog's extraction keywords (LetterWriter.sub).
        return _AND_BEFORE_ISOLATE.subn(r'\1 ' + _FSI, joined)[0]

    def introduction(self) -> list[list[dict[str, Any]]]:
        """Return the opening paragraphs: the main message first."""
        opening = [
            self.t('In deze brief leest u wat we samen over **{kind}** hebben besproken.'),
            self.t('U leest ook wat er nu gebeurt en wat u zelf kan doen.'),
        ]
        if self.readers != self.lang:
            opening.insert(0, self.t('Dit is dezelfde brief in het Nederlands.'))
        return opening

    def dutch_notice(self) -> list[list[dict[str, Any]]]:
        """Return the notice of a non-Dutch letter: which parts are Dutch, and where the Dutch letter is."""
        return [
            self.t('**Sommige delen van deze brief zijn in het Nederlands.** Het CLB schreef die delen zelf over uw '
                   'kind. U vindt ze in een grijs kader.'),
            self.t('De Nederlandse versie van deze brief staat achteraan.') if self.bilingual
            else self.t('Deze brief bestaat ook in het Nederlands. Vraag die versie gerust aan het CLB.'),
            self.t('Wilt u hulp van een tolk? Zeg het aan het CLB.'),
        ]

    def why(self, verslag: dict[str, Any]) -> list[dict[str, Any]]:
        """Return section 1: why you receive this letter, fixed text per soort of verslag."""
        blocks = [
            self.p('Het **CLB** begeleidt uw kind en de school. CLB betekent: centrum voor leerlingenbegeleiding.'),
            self.p('Het CLB schreef op {datum} een verslag over {kind}.', datum=self.date(verslag['datum'])),
        ]
        soort = verslag['soort']
        if soort == 'gc':
            blocks += [
                self.p('Het is een **GC-verslag**. Met dit verslag werkt {kind} aan dezelfde leerdoelen als de '
                       'andere leerlingen.'),
                self.p('De school past wel een paar dingen aan. En {kind} krijgt extra hulp van het '
                       'leersteuncentrum.'),
            ]
        elif soort == 'iac':
            blocks += [
                self.p('Het is een **IAC-verslag**. Met dit verslag krijgt {kind} een eigen leerprogramma met '
                       'aangepaste doelen.'),
                self.p('De doelen van de klas zijn nu te moeilijk, ook met extra hulp. Een eigen leerprogramma kan '
                       'in een gewone school. Het kan ook in een school voor buitengewoon onderwijs.'),
            ]
        else:
            blocks += [
                self.p('Het is een **OV4-verslag**. Met dit verslag leert {kind} dezelfde leerstof als in het '
                       'gewoon secundair onderwijs.'),
                self.p('Dat kan in een gewone school, met aanpassingen. Het kan ook in een school voor buitengewoon '
                       'onderwijs, in opleidingsvorm 4.'),
            ]
        if soort in ('iac', 'ov4'):
            blocks += [
                self.p('**U kiest de school.** Het CLB en de school helpen u graag bij die keuze.'),
                self.p('Schrijft u {kind} met dit verslag in een gewone school in? Dan beslist die school binnen '
                       '**60 dagen** of ze de aanpassingen kan doen.'),
            ]
        blocks += [
            self.p('Het verslag gaat over **{hulp}**.', hulp=self.label(TYPE_HULP, verslag['type'])),
            self.p('U krijgt van het CLB een kopie van het hele verslag. Deze brief vat het verslag kort samen.'),
        ]
        return blocks

    def seen(self) -> list[dict[str, Any]]:
        """Return section 2: what we saw together, strengths first, and the diagnoses parents may read."""
        traject = self.ctx['traject']
        groups = traject['beeldvorming']
        blocks: list[dict[str, Any]] = []
        if groups:
            blocks.append(self.p('We keken samen naar wat goed gaat en naar wat moeilijk is. We beginnen met wat '
                                 'goed gaat.'))
        for soort, heading in (('stimulerend', N_('Wat goed gaat')), ('belemmerend', N_('Wat moeilijk is'))):
            # One block per heading; the context ("Op school") labels the first item of its group.
            texts = [text for g in groups for text in g[soort]]
            if texts:
                labels = [self.label(CONTEXT_LABELS, g['context']) if i == 0 else None
                          for g in groups for i, _text in enumerate(g[soort])]
                blocks += [self.sub(heading), self.free(texts, labels=labels)]
        if traject['diagnosen']:
            # Issue 13, item 7: the explanation for parents, where the CLB wrote one, instead of a test report's words.
            blocks += [self.sub('Diagnose'), self.p('Deskundigen stelden dit vast:'),
                       self.free([d.get('uitleg_voor_ouders') or d['omschrijving'] for d in traject['diagnosen']])]
        if not blocks:
            blocks.append(self.p('Het verslag beschrijft dit nog niet. Het CLB vertelt u er graag meer over.'))
        return blocks

    def needs(self) -> list[dict[str, Any]]:
        """Return section 3: what the child needs to learn, and at home."""
        behoeften = self.ctx['traject']['behoeften']['alle']
        blocks = []
        for soort, message in (('onderwijsbehoefte', N_('Om goed te leren, heeft {kind} dit nodig:')),
                               ('opvoedingsbehoefte', N_('Thuis en in de opvoeding heeft {kind} dit nodig:'))):
            texts = [b['formulering'] for b in behoeften if b['soort'] == soort]
            if texts:
                blocks += [self.p(message), self.free(texts)]
        return blocks

    def support(self, verslag: dict[str, Any]) -> list[dict[str, Any]]:
        """Return section 4: what the school, the leersteuncentrum and the CLB do."""
        ctx = self.ctx
        blocks = [self.sub('De school')]
        aanpassingen = ctx['redelijke_aanpassingen']
        if aanpassingen:
            blocks += [
                self.p('De school past dit aan, zodat {kind} goed kan leren:'),
                self.free([a['beschrijving'] for a in aanpassingen],
                          labels=[self.label(CATEGORIE_LABELS, a['categorie']) for a in aanpassingen]),
            ]
        else:
            blocks.append(self.p('In het verslag staan nog geen aanpassingen van de school.'))
        blocks += [self.sub('Het leersteuncentrum'),
                   self.p('Het **leersteuncentrum** geeft extra hulp aan {kind} en aan de school.')]
        if ctx.get('leersteuncentrum'):
            blocks.append(self.p('Het leersteuncentrum van de school heet {naam}.',
                                 naam=ctx['leersteuncentrum']['naam']))
        leersteun = ctx.get('leersteun')
        if leersteun:
            vormen = leersteun['vormen']
            blocks += [
                self.p('**{naam}** is de leerondersteuner. Die persoon helpt {kind} en de leerkracht.',
                       naam=leersteun['leerondersteuner']),
                self.p('Dit doet het leersteuncentrum:'),
                self.free([v['doel'] for v in vormen],
                          labels=[self.label(LEERSTEUN_LABELS, v['soort']) for v in vormen],
                          details=[[self.t('Hoe vaak: {wat}', wat=v['frequentie']),
                                    self.t('Waar: {wat}', wat=v['locatie'])] for v in vormen]),
            ]
        else:
            blocks.append(self.p('De afspraken met het leersteuncentrum zijn nog niet klaar. De school of het CLB '
                                 'vertelt u er meer over.'))
        blocks += [self.sub('Het CLB'), self.p('Dit is het advies van het CLB:'), self.free([verslag['advies']]),
                   self.p('Het CLB volgt de hulp aan {kind} verder op.')]
        return blocks

    def parents(self) -> list[dict[str, Any]]:
        """Return section 5: what you can do."""
        ctx = self.ctx
        blocks = [self.p('U kent {kind} het best. Uw hulp is dus belangrijk.')]
        own = [_as_you(b['formulering']) for b in ctx['traject']['behoeften']['ouders']]
        if own:
            blocks += [self.p('Dit heeft u zelf nodig. De school en het CLB helpen u daarbij:'), self.free(own)]
        betrokkenheid = (ctx.get('leersteun') or {}).get('ouderbetrokkenheid')
        if betrokkenheid:
            blocks += [self.p('Zo werkt u samen met de school en het leersteuncentrum:'), self.free([betrokkenheid])]
        blocks.append({'soort': 'lijst', 'items': [
            self.t('Praat thuis met {kind} over school.'),
            self.t('Vertel aan de school wat u thuis ziet.'),
            self.t('Kom naar de gesprekken. Past een datum niet? Zeg het dan.'),
            self.t('Heeft u een vraag? Stel ze gerust.'),
        ]})
        return blocks

    def dates(self, verslag: dict[str, Any]) -> list[dict[str, Any]]:
        """Return section 6: when we look at it again (leersteun, IAC plan, review of the verslag)."""
        ctx = self.ctx
        plans: dict[date, list[str]] = {}
        # Only what lies ahead: the sentences are in the future tense, and a past meeting is no news for parents.
        for day in (ctx.get('leersteun') or {}).get('evaluatiedata') or []:
            plans.setdefault(day, []).append(self.s('We bekijken de hulp van het leersteuncentrum.'))
        for day in (ctx.get('iac_plan') or {}).get('evaluatiemomenten') or []:
            plans.setdefault(day, []).append(self.s('We bekijken het eigen leerprogramma van {kind}.'))
        if verslag.get('herzien_tegen'):
            plans.setdefault(verslag['herzien_tegen'], []).append(self.s('Het CLB bekijkt het verslag opnieuw.'))
        plans = {day: what for day, what in plans.items() if day >= ctx['vandaag']}
        if not plans:
            return [self.p('Er zijn nog geen nieuwe data afgesproken. De school of het CLB laat ze u weten.')]
        items = []
        for day in sorted(plans):
            items.append(self.t('**{datum}**:', datum=self.date(day)) + [{'tekst': ' ' + ' '.join(plans[day]),
                                                                           'vet': False}])
        return [
            self.p('We kijken regelmatig samen of de hulp goed werkt. Dit zijn de afgesproken data:'),
            {'soort': 'lijst', 'items': items},
            self.p('Wilt u erbij zijn? Vraag het aan de school.'),
        ]

    def rights(self) -> list[dict[str, Any]]:
        """Return section 7: the parents' rights (DOMAIN.md §5.4); mediation and enrolment only with IAC and OV4."""
        leerling = self.ctx['leerling']
        toegang_buo = self.ctx['verslag']['soort'] in ('iac', 'ov4')
        blocks = [
            self.p('U heeft altijd deze rechten.'),
            self.p('**Een gesprek vragen.** Bent u het niet eens met het verslag? Vraag dan een gesprek met het CLB '
                   'en de school. Vindt u samen geen oplossing? Dan beslist het CLB over het verslag.'),
            self.p('**Een klacht indienen.** De school en het CLB hebben elk een klachtenprocedure. Vraag hoe die '
                   'werkt.'),
            self.p('Gaat uw klacht over de hulp van het leersteuncentrum? Praat dan eerst met het leersteuncentrum. '
                   'Lukt dat niet? Schrijf dan een brief aan de directeur van het leersteuncentrum.'),
        ]
        if toegang_buo:
            # The Vlaamse Bemiddelingscommissie mediates only about a verslag that gives access to buitengewoon
            # onderwijs (IAC, OV4), between parents, school and CLB (DOMAIN.md glossary; issue 13, item 1).
            blocks += [
                self.p('**Bemiddeling.** Bent u het na de klachtenprocedure nog altijd niet eens over het verslag? '
                       'Dan kan u de **Vlaamse Bemiddelingscommissie** om hulp vragen. Die commissie praat met u, met '
                       'de school en met het CLB. Samen zoekt u een oplossing. De commissie beslist niet in uw '
                       'plaats.'),
                self.p('Meer uitleg vindt u op {url}', url=VBC_URL),
                self.p('**Een school weigert of stopt de inschrijving.** Weigert een school om {kind} in te schrijven? '
                       'Of stopt de school de inschrijving na de 60 dagen? Dan krijgt u die beslissing op papier, met '
                       'de reden.'),
                self.p('Dan kan u een klacht indienen bij de **Commissie inzake Leerlingenrechten**. Doe dat snel: '
                       'er geldt een termijn. Heeft uw gemeente een **LOP** (lokaal overlegplatform)? Dan kan het LOP '
                       'ook bemiddelen.'),
            ]
        blocks += [
            self.p('**Vragen over leersteun.** Het leersteuncentrum heeft een infopunt voor ouders. Daar kan u met '
                   'uw vragen terecht.'),
            self.p('**Het dossier inkijken.** U mag het dossier van het CLB over uw kind inkijken. Dat gebeurt in '
                   'een gesprek op het CLB, binnen 10 werkdagen na uw vraag.'),
            self.p('{kind} is 12 jaar of ouder. Daarom moet {kind} eerst akkoord gaan.') if leerling['bekwaam']
            else self.p('Vanaf 12 jaar moet uw kind daar zelf mee akkoord gaan.'),
        ]
        if leerling['bekwaam'] or leerling['onderwijsniveau'] == 'secundair':
            blocks.append(self.p('**Als {kind} 18 jaar wordt.** Dan is {kind} meerderjarig en beslist {kind} zelf, '
                                 'bijvoorbeeld over de school en over het dossier van het CLB. U krijgt dan alleen '
                                 'informatie als {kind} dat goed vindt.'))
        return blocks

    def contact(self) -> list[dict[str, Any]]:
        """Return section 8: whom to contact at the CLB (the CLB worker), and the school."""
        ctx = self.ctx
        clb, medewerker = ctx['clb'], ctx.get('clb_medewerker')
        blocks = [self.p('Heeft u een vraag? Neem dan contact op met **{naam}** van {clb}.', naam=medewerker['naam'],
                         clb=clb['naam']) if medewerker
                  else self.p('Heeft u een vraag? Neem dan contact op met **{clb}**.', clb=clb['naam'])]
        blocks.append({'soort': 'gegevens', 'regels': self.details(clb)})
        school = ctx['school']
        blocks.append(self.p('U kan ook terecht bij de school van {kind}: {school}.', school=school['naam']))
        if school.get('telefoon'):
            blocks.append({'soort': 'gegevens', 'regels': [self.t('Telefoon: {wat}', wat=school['telefoon'])]})
        return blocks

    def details(self, org: dict[str, Any]) -> list[list[dict[str, Any]]]:
        """Return the phone, e-mail and address lines of an organisation, where known."""
        lines = []
        for key, message in (('telefoon', N_('Telefoon: {wat}')), ('email', N_('E-mail: {wat}')),
                             ('adres', N_('Adres: {wat}'))):
            if org.get(key):
                lines.append(self.t(message, wat=org[key]))
        return lines

    def personal(self, toelichting: str) -> list[dict[str, Any]]:
        """Return the CLB worker's personal word, as written."""
        writer = (self.ctx.get('clb_medewerker') or {}).get('naam') or self.ctx['verslag']['verantwoordelijke']
        blocks = [self.p('Dit schreef {naam} zelf, in het Nederlands:', naam=writer)] if self.lang != 'nl' else []
        return blocks + [self.free([toelichting])]

    def word_list(self, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the word list: terms this letter cannot avoid, each explained in the letter's language."""
        dutch_text = '\n'.join(item['tekst'] for section in body for block in section['blokken']
                               if block['soort'] == 'vrij' for item in block['items'])
        terms = list(_ALWAYS_EXPLAINED) + [_SOORT_TERMS[self.ctx['verslag']['soort']]]
        if self.ctx.get('leersteun'):
            terms.append('leerondersteuner')
        terms += [hit['term'] for hit in jargon_hits(dutch_text)]
        terms = [t for t in dict.fromkeys(terms) if t in WOORDEN]
        self.explained = terms
        intro = (N_('Deze woorden vindt u misschien moeilijk. Hier leest u wat ze betekenen.') if self.lang == 'nl'
                 else N_('Deze Nederlandse woorden ziet u in de brief of in het verslag. Hier leest u wat ze '
                         'betekenen.'))
        return [self.p(intro), {'soort': 'lijst', 'items': [
            self.t('**{woord}**: {uitleg}', woord=term, uitleg=self.label(WOORDEN, term)) for term in terms]}]


def _as_you(text: str) -> str:
    """Return a need of the parents written as "De ouders hebben ... nodig" as "U heeft ... nodig" (issue 13, item 7).

    Only when nothing else in the text refers to the parents in the third person ("zodat ze thuis ..."): then the
    text stays as the CLB worker wrote it, and the readability check asks for "u".
    """
    match = _PARENTS_NEED.fullmatch(text.strip())
    if not match or _THIRD_PERSON.search(match.group(1)):
        return text
    return f'U heeft {match.group(1)}'


def recipients_of(ouders: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Return the parents a letter in `language` ('ar', 'ar+nl') is for: those who read it, else every parent."""
    readers = _supported(language.split('+')[0])
    own = [o for o in ouders if _supported(o.get('voorkeurtaal')) == readers]
    return own or list(ouders)


def _supported(code: str | None) -> str:
    return code if code in LANGUAGES else 'nl'


def _plain(parts: list[dict[str, Any]]) -> str:
    return ''.join(part['tekst'] for part in parts)


def strip_isolates(text: str) -> str:
    """Return `text` without the Unicode isolates that keep names apart in a right-to-left sentence."""
    return text.replace(_FSI, '').replace(_PDI, '')


def _block_lines(block: dict[str, Any]) -> list[str]:
    soort = block['soort']
    if soort == 'alinea':
        return [_plain(block['delen'])]
    if soort == 'tussenkop':
        return [block['tekst']]
    if soort == 'lijst':
        return [_plain(item) for item in block['items']]
    if soort == 'gegevens':
        return [_plain(line) for line in block['regels']]
    lines = []
    for item in block['items']:
        lines += [item['label'] or '', item['tekst'], *(_plain(d) for d in item['details'])]
    return lines
