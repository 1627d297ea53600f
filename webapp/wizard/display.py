"""How a stored answer reads on the review page and in a conflict: choice labels, dates in words, Ja/Nee."""
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from wtforms import BooleanField, Field, FieldList, FormField, SelectField

from forms.fields import IsoDateField, LinesField, YesNoField, is_blank


def display_value(field: Field) -> str | None:
    """Return a single field's value as a person reads it, or None when nothing was filled in."""
    data = field.data
    if isinstance(field, (YesNoField, BooleanField)):
        return None if data is None else _('Ja') if data else _('Nee')
    if is_blank(data):
        return None
    if isinstance(field, SelectField):
        return next((str(choice.label) for choice in field.iter_choices() if choice.selected), str(data))
    if isinstance(field, IsoDateField):
        return format_date(date.fromisoformat(data), 'long')
    if isinstance(field, LinesField):
        return ', '.join(data)
    return str(data)


def has_value(field: Field) -> bool:
    """Return whether a field (or any field inside it) holds something worth showing."""
    if isinstance(field, FormField):
        return any(has_value(sub) for sub in field.form)
    if isinstance(field, FieldList):
        return bool(field.entries)
    return display_value(field) is not None


def text_rows(field: Field, minimum: int = 4, maximum: int = 16) -> int:
    """Return how many rows a text area needs to show its text without scrolling (within bounds)."""
    text = field._value() or ''
    estimate = sum(1 + len(line) // 70 for line in text.split('\n'))
    return max(minimum, min(maximum, estimate + 1))
