"""Field types of the wizard: each one holds its value exactly as the case format stores it.

A text field holds a cleaned string or None, a date field an ISO date string, a choice field an enum value, a
list field a list. So `form.data` can go into the case document without conversion.
"""
import re
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Choice, FieldList, FormField, RadioField, SelectChoice, SelectField, StringField, \
    TextAreaField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import DateInput

from webapp.caseformat.enums import choices as enum_choices
from webapp.documents.parents import language_name


MAX_TEXT = 10_000  # the case format's limit per text field
# Word pastes vertical tabs (soft line breaks) and form feeds (page breaks): both become line breaks.
_BREAKS = re.compile('[\x0b\x0c]')
# Every other control character except tab, carriage return and line feed is refused by the format.
_CONTROL = re.compile('[\x00-\x08\x0e-\x1f\x7f]')


def clean_text(value: str | None) -> str | None:
    """Return `value` with Word's breaks as line breaks, other control characters gone, trimmed; None if empty."""
    if value is None:
        return None
    value = _CONTROL.sub('', _BREAKS.sub('\n', value.replace('\r\n', '\n').replace('\r', '\n'))).strip()
    return value or None


class MaxLength(Length):
    """The format's length limit, checked on save only: no `maxlength` on the input.

    With `maxlength` the browser cuts a long paste mid-word without a word, and this message never shows. The page
    gets `data-max-length` instead, for a live counter near the limit (wizard.js).
    """

    def __init__(self, max: int = MAX_TEXT):
        super().__init__(max=max, message=_l('Deze tekst is te lang (maximaal %(max)d tekens).'))
        self.field_flags = {}


def _limited(validators, render_kw: dict | None) -> tuple[list, dict]:
    return [*(validators or []), MaxLength()], {'data-max-length': MAX_TEXT, **(render_kw or {})}


class TextField(StringField):
    """One line of free text; empty means None."""

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs):
        validators, render_kw = _limited(validators, render_kw)
        super().__init__(label, validators, filters=[clean_text], render_kw=render_kw, **kwargs)


class LongTextField(TextAreaField):
    """Free text over several lines; empty means None."""

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs):
        validators, render_kw = _limited(validators, render_kw)
        super().__init__(label, validators, filters=[clean_text], render_kw=render_kw, **kwargs)


class LinesField(TextAreaField):
    """A list of short texts typed one per line (for example the participants of a meeting)."""

    def process_data(self, value):
        self.data = [str(v) for v in value] if isinstance(value, list) else []

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = [line for line in (clean_text(v) for v in valuelist[0].splitlines()) if line]

    def _value(self):
        return self.raw_data[0] if self.raw_data else '\n'.join(self.data or [])


_DATE_FORMATS = ('%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y')


def parse_date(text: str) -> str:
    """Return `text` as an ISO date; accept 2026-03-14 and the Belgian 14/03/2026. Raise ValueError otherwise."""
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day.isoformat()
    raise ValueError(text)


class IsoDateField(StringField):
    """A date as `<input type=date>`; holds an ISO string such as '2026-03-14', or None."""

    widget = DateInput()

    def process_data(self, value):
        try:
            self.data = parse_date(value) if isinstance(value, str) else None
        except ValueError:
            self.data = None

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else '').strip()
        self.data = None
        if text:
            try:
                self.data = parse_date(text)
            except ValueError:
                raise ValueError(_('Geef een bestaande datum, bijvoorbeeld 14/03/2026.')) from None

    def _value(self):
        return self.raw_data[0] if self.raw_data else (self.data or '')


class ChoiceField(SelectField):
    """A select list of one enumeration of the case format, with an empty first option; empty means None."""

    def __init__(self, label=None, validators=None, enum: str | None = None, options=None, **kwargs):
        pairs = options if options is not None else enum_choices(enum)
        super().__init__(label, validators, choices=[
            SelectChoice('', _l('– kies –')), *(SelectChoice(value, text) for value, text in pairs)], **kwargs)

    def process_data(self, value):
        self.data = str(value) if value not in (None, '') else None
        if self.data is not None and self.data not in self.values():
            # A value this list does not offer (say an unusual language code) stays visible and selectable.
            self.choices = [*self.choices, SelectChoice(self.data, self.data)]

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist[0] or None

    def values(self) -> list[str]:
        """Return the allowed values, without the empty option."""
        return [c.value for c in self.choices if c.value]

    def pre_validate(self, form):
        if self.data is not None and self.data not in self.values():
            raise ValidationError(_('Kies een waarde uit de lijst.'))


class YesNoField(RadioField):
    """A yes/no question as two radio buttons; holds True, False or None (not answered)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=[SelectChoice('ja', _l('Ja')), SelectChoice('nee', _l('Nee'))],
                         **kwargs)

    def process_data(self, value):
        self.data = value if isinstance(value, bool) else None

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = {'ja': True, 'nee': False}.get(valuelist[0])

    def iter_choices(self):
        return [Choice(value=c.value, label=c.label, selected=self.data is (c.value == 'ja'), render_kw={})
                for c in self.choices]

    def pre_validate(self, form):
        pass


class CheckField(BooleanField):
    """A checkbox. Required yes/no facts hold False when unticked; an `optional` one holds None (not stored)."""

    def __init__(self, label=None, validators=None, *, optional: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.optional = optional

    def process_data(self, value):
        self.data = True if value is True else None if self.optional else False

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.optional and not self.data:
            self.data = None


# Languages parents in Flanders most often ask for; any other ISO 639 code stays possible through import.
LANGUAGES = ('nl', 'fr', 'en', 'de', 'ar', 'tr', 'pl', 'ro', 'bg', 'uk', 'ru', 'es', 'it', 'pt', 'sq', 'so', 'ti',
             'am', 'prs', 'ps', 'fa', 'ku', 'ur', 'hi', 'zh')


def language_options() -> list[tuple[str, str]]:
    """Return (code, name) pairs of the common languages, named in the UI's language ('Dari (prs)', not 'prs')."""
    ui = get_locale().language
    return [(code, f'{language_name(code, ui)} ({code})') for code in LANGUAGES]


class LanguageField(ChoiceField):
    """An ISO 639 language code, chosen by name."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, options=language_options(), **kwargs)


class RowList(FieldList):
    """A list that grows and shrinks on the page; each row is a fieldset titled '<row_label> <n>'."""

    def __init__(self, unbound_field, label=None, validators=None, *, row_label=None, add_label=None, **kwargs):
        super().__init__(unbound_field, label, validators, **kwargs)
        self.row_label = row_label or label
        self.add_label = add_label or _l('Rij toevoegen')

    def drop_blank_rows(self) -> None:
        """Forget rows nothing was typed in (keeping `min_entries` rows to type in), here and in nested lists."""
        kept = [entry for entry in self.entries if has_input(entry)]
        kept += [entry for entry in self.entries if entry not in kept][:max(0, self.min_entries - len(kept))]
        self.entries = kept
        for entry in self.entries:
            if isinstance(entry, FormField):
                for sub in entry.form:
                    if isinstance(sub, RowList):
                        sub.drop_blank_rows()


def has_input(field) -> bool:
    """Return whether anything was typed or chosen in `field` (an invalid date counts: it must be shown again)."""
    if isinstance(field, FormField):
        return any(has_input(sub) for sub in field.form)
    if isinstance(field, FieldList):
        return any(has_input(entry) for entry in field.entries)
    if isinstance(field, BooleanField):
        return bool(field.data)
    raw = getattr(field, 'raw_data', None)
    return any(str(value).strip() for value in raw) if raw is not None else not is_blank(field.data)


def is_blank(value) -> bool:
    """Return whether nothing was filled in: None, empty text, False, or containers of only such values."""
    if isinstance(value, dict):
        return all(is_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(is_blank(v) for v in value)
    if isinstance(value, str):
        return not value.strip()
    return value is None or value is False


def plain(value):
    """Return form data as the case format stores it: empty optional values and blank rows left out."""
    if isinstance(value, dict):
        cleaned = {k: plain(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [item for item in (plain(v) for v in value) if not is_blank(item)]
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
