"""The one base class of every wizard form, and what all of them share.

A step form's field names are case-format keys. `root` says under which object of the document they live (for
example `('verslag',)`); `paths` places single fields elsewhere. So `form.changes()` maps document paths to the
values to store, and `StepForm.from_document(doc)` fills a form from a stored case.
"""
import copy
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, Form, FormField, HiddenField
from wtforms.validators import StopValidation, ValidationError

from forms.fields import ChoiceField, IsoDateField, RowList, YesNoField, is_blank, plain


META_FIELDS = frozenset({'csrf_token', 'case_version', 'step_hash'})
ROW_VERBS = ('add', 'remove', 'up', 'down')

# "Bewaren en sluiten" stores what was typed, complete or not: required-field checks stand down, value checks
# (a real date, a known choice) still run.
_LENIENT: ContextVar[bool] = ContextVar('lenient', default=False)


@contextmanager
def lenient() -> Iterator[None]:
    """Within this block, missing required values are not errors."""
    token = _LENIENT.set(True)
    try:
        yield
    finally:
        _LENIENT.reset(token)


def require(message: str) -> None:
    """Report a missing value that a consistency rule asks for, unless incomplete input is being saved."""
    if _LENIENT.get():
        raise StopValidation()
    raise ValidationError(message)


class Required:
    """A value the case format requires; silent while saving incomplete input, and in an empty optional group."""

    field_flags = {'required': True}

    def __init__(self, message: Any = None):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.process_errors or field.data is False or not is_blank(field.data):
            return  # "nee" is an answer
        if _LENIENT.get() or (getattr(form, 'optional_group', False) and is_blank(form.data)):
            raise StopValidation()
        raise StopValidation(str(self.message) if self.message else _missing_message(field))


class RequiredWhen:
    """Marks a field that a consistency rule requires in some cases (the rule itself is a validate_ method).

    The label then says "(verplicht als ...)" instead of "(optioneel)": a worker should not read it as optional.
    """

    def __init__(self, condition: Any):
        self.field_flags = {'required_when': condition}

    def __call__(self, form, field) -> None:
        pass


class Internal:
    """Marks a field that stays in the CLB's own dossier: no document for the school or the parents shows it.

    The page says so beside the field (DOMAIN.md §6.1); the document context is what really leaves it out.
    """

    field_flags = {'internal': True}

    def __call__(self, form, field) -> None:
        pass


def _missing_message(field: Field) -> str:
    if isinstance(field, RowList):
        return _('Voeg minstens één rij toe.')
    if isinstance(field, (ChoiceField, YesNoField)):
        return _('Maak een keuze.')
    if isinstance(field, IsoDateField):
        return _('Vul een datum in.')
    return _('Vul dit veld in.')


class RowForm(Form):
    """Base of the forms inside a step form: one row of a list, or one object such as the school."""

    # An optional object (say the leersteuncentrum): left wholly empty, its required fields are not missing.
    optional_group = False


def dig(doc: Any, path: tuple[str, ...]) -> Any:
    """Return the value at `path` in nested dicts, or None if any part is missing."""
    for key in path:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def parse_path(path: str) -> list[str | int]:
    """Split a JSON path such as 'traject.behoeften[2].soort' into ['traject', 'behoeften', 2, 'soort']."""
    return [int(index) if index else key for key, index in re.findall(r'([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]', path)]


@dataclass(frozen=True)
class FieldError:
    """One message of the error summary: the element it links to and the text."""

    anchor: str
    text: str


class StepForm(FlaskForm):
    """A wizard step: fields named after case-format keys, placed in the document by `root` and `paths`."""

    root: ClassVar[tuple[str, ...]] = ()
    paths: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Keywords that describe the case rather than fill a field, e.g. onderwijsniveau='lager' (see apply_context).
    context_keys: ClassVar[tuple[str, ...]] = ()

    # The version of the case and a fingerprint of this step's stored values when the page was opened.
    case_version = HiddenField()
    step_hash = HiddenField()

    def __init__(self, formdata=None, **kwargs):
        context = {key: kwargs.pop(key, None) for key in self.context_keys}
        super().__init__(formdata, **kwargs)
        self.context = context
        self.dropped: list[str] = []
        self.apply_context(**context)

    def apply_context(self, **context: Any) -> None:
        """Delete the fields that do not apply to this case (subclasses call `drop`)."""

    def drop(self, name: str) -> None:
        """Delete field `name`: it is not shown, and saving removes its stored value."""
        del self[name]
        self.dropped.append(name)

    @classmethod
    def field_names(cls) -> list[str]:
        """Return the names of the fields that hold case data, in no particular order."""
        return [name for name in dir(cls) if name not in META_FIELDS and not name.startswith('_')
                and hasattr(getattr(cls, name), '_formfield')]

    @classmethod
    def path_of(cls, name: str) -> tuple[str, ...]:
        """Return the document path of field `name`."""
        return (*cls.paths.get(name, cls.root), name)

    @classmethod
    def document_values(cls, doc: dict[str, Any]) -> dict[str, Any]:
        """Return {field name: stored value} for every field of this form."""
        return {name: copy.deepcopy(dig(doc, cls.path_of(name))) for name in cls.field_names()}

    @classmethod
    def from_document(cls, doc: dict[str, Any], *, version: int | None = None, **context: Any) -> 'StepForm':
        """Return the form filled from a stored document (no request data: unticked boxes cannot wipe values)."""
        form = cls(None, data=cls.document_values(doc), **context)
        form.case_version.data = version
        form.step_hash.data = form.stored_hash(doc)
        return form

    def content_fields(self) -> list[Field]:
        """Return the fields that hold case data, in page order."""
        return [field for field in self if field.short_name not in META_FIELDS]

    def changes(self) -> dict[tuple[str, ...], Any]:
        """Return {document path: value to store, or None to remove} for everything this step edits."""
        out = {}
        for field in self.content_fields():
            value = plain(field.data)
            out[self.path_of(field.short_name)] = None if value == {} else value
        out.update({self.path_of(name): None for name in self.dropped})
        return out

    def stored_hash(self, doc: dict[str, Any]) -> str:
        """Return a fingerprint of what `doc` holds for this step, to notice a change made elsewhere."""
        names = [field.short_name for field in self.content_fields()] + self.dropped
        values = {'.'.join(self.path_of(name)): dig(doc, self.path_of(name)) for name in names}
        return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def check(self, *, complete: bool) -> bool:
        """Validate; with `complete` false, missing required values are allowed (saving unfinished work)."""
        for field in self.content_fields():
            if isinstance(field, RowList):
                field.drop_blank_rows()
        if complete:
            return self.validate()
        with lenient():
            return self.validate()

    def error_list(self) -> list[FieldError]:
        """Return every error message with the id of the element it belongs to, in page order."""
        found: list[FieldError] = []
        for field in self.content_fields():
            _collect_errors(field, [], found)
        return found

    def name_hints(self, voornaam: str | None) -> None:
        """Put the pupil's own first name in the hints that show an example ("{voornaam} heeft ... nodig")."""
        name = voornaam or _('de leerling')
        for field in _walk(self.content_fields()):
            if field.description and '{voornaam}' in str(field.description):
                field.description = str(field.description).replace('{voornaam}', name)

    def add_row(self, list_name: str) -> str | None:
        """Add an empty row to the list named `list_name`; return the new row's id, or None if there is no list."""
        rows = self.find_list(list_name)
        return rows.append_entry().id if rows is not None else None

    def find_list(self, name: str) -> RowList | None:
        """Return the list (possibly inside a row) whose input name is `name`."""
        return next((field for field in _walk(self.content_fields()) if isinstance(field, RowList)
                     and field.name == name), None)

    def locate(self, tokens: list[str | int], *, grow: bool = False) -> tuple[Field | None, list[str]]:
        """Return the field at `tokens` (a document path below `root`) and the labels leading to it.

        With `grow`, rows missing from a list are added (empty), to name a path in a document that has them.
        """
        field: Field | None = None
        trail: list[str] = []
        for token in tokens:
            if isinstance(field, RowList):
                while grow and isinstance(token, int) and token < 1000 and token >= len(field.entries):
                    field.append_entry()
                if not isinstance(token, int) or token >= len(field.entries):
                    break
                trail[-1] = f'{field.row_label} {token + 1}'
                field = field.entries[token]
                continue
            fields = self._fields if field is None else field.form._fields if isinstance(field, FormField) else {}
            if not isinstance(token, str) or token not in fields or token in META_FIELDS:
                break
            field = fields[token]
            trail.append(str(field.label.text))
        return field, trail


def anchor_of(field: Field) -> str:
    """Return the id an error link should jump to: the field, or the first option of a radio group."""
    return f'{field.id}-0' if isinstance(field, YesNoField) else field.id


def _walk(fields) -> Iterator[Field]:
    for field in fields:
        yield field
        if isinstance(field, FormField):
            yield from _walk(field.form)
        elif isinstance(field, RowList):
            yield from _walk(field.entries)


def _collect_errors(field: Field, trail: list[str], found: list[FieldError]) -> None:
    label = str(field.label.text)
    if isinstance(field, RowList):
        for position, entry in enumerate(field.entries):
            row = [*trail, f'{field.row_label} {position + 1}']
            if isinstance(entry, FormField):
                for sub in entry.form:
                    _collect_errors(sub, row, found)
            else:
                found += [FieldError(anchor_of(entry), _join(row, m)) for m in entry.errors]
        found += [FieldError(field.id, _join([*trail, label], m)) for m in field.errors if isinstance(m, str)]
    elif isinstance(field, FormField):
        for sub in field.form:
            _collect_errors(sub, [*trail, label], found)
    else:
        found += [FieldError(anchor_of(field), _join([*trail, label], m)) for m in field.errors]


def _join(trail: list[str], message: str) -> str:
    return _('{where}: {message}').format(where=' – '.join(trail), message=message)


def parse_row_action(action: str) -> tuple[str, str] | None:
    """Return (verb, target) of a list button such as 'add:behoeften' or 'up:behoeften-2', else None."""
    verb, _sep, target = action.partition(':')
    if verb not in ROW_VERBS or not re.fullmatch(r'[a-z_]+(-\d+-[a-z_]+)*' + ('' if verb == 'add' else r'-\d+'),
                                                 target):
        return None
    return verb, target


def move_rows(formdata: MultiDict, verb: str, target: str) -> MultiDict:
    """Return the posted fields with row `target` (e.g. 'behoeften-2') removed or moved one place up or down.

    Rows are numbered in the input names, and WTForms orders them by that number, so renaming the inputs is
    how a row moves; everything typed in any row is kept exactly as it was posted.
    """
    if verb == 'add':
        return formdata  # the new row is added to the bound form (StepForm.add_row)
    list_name, _sep, index = target.rpartition('-')
    i = int(index)
    j = {'up': i - 1, 'down': i + 1}.get(verb, i)
    if j < 0:
        return formdata

    def rename(key: str) -> str | None:
        if not key.startswith(list_name + '-'):
            return key
        head, sep, rest = key[len(list_name) + 1:].partition('-')
        if not head.isdigit():
            return key
        n = int(head)
        if verb == 'remove':
            if n == i:
                return None
            n -= n > i
        else:
            n = j if n == i else i if n == j else n
        return f'{list_name}-{n}{sep}{rest}'

    moved = MultiDict()
    for key, value in formdata.items(multi=True):
        if (new_key := rename(key)) is not None:
            moved.add(new_key, value)
    return moved
