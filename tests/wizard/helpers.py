"""Drive the wizard like a browser: read the fields a step page shows, change some, press a button."""
from html.parser import HTMLParser

from sqlalchemy import select

from webapp.models import Case


class _FormReader(HTMLParser):
    """Collect what a browser would submit from the form with id `form_id` (buttons aside)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ''

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'form':
            self.inside = attrs.get('id') == self.form_id
        if not self.inside or 'disabled' in attrs:
            return
        if tag == 'input' and attrs.get('name'):
            kind = attrs.get('type', 'text')
            if kind in ('checkbox', 'radio'):
                if 'checked' in attrs:
                    self.fields.append((attrs['name'], attrs.get('value', 'on')))
            elif kind not in ('submit', 'button', 'file'):
                self.fields.append((attrs['name'], attrs.get('value', '')))
        elif tag == 'select':
            self._select, self._options = attrs.get('name'), []
        elif tag == 'option' and self._select is not None:
            self._options.append((attrs.get('value', ''), 'selected' in attrs))
        elif tag == 'textarea':
            self._textarea, self._text = attrs.get('name'), ''

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == 'form':
            self.inside = False
        elif tag == 'select' and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == 'textarea' and self._textarea is not None:
            # Browsers drop the newline that follows <textarea>.
            text = self._text[2:] if self._text.startswith('\r\n') else self._text.removeprefix('\n')
            self.fields.append((self._textarea, text))
            self._textarea = None


def read_form(html: str, form_id: str = 'step-form') -> dict[str, str]:
    """Return {name: value} of what the form would submit."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return dict(reader.fields)


def submit(client, url: str, changes: dict[str, str] | None = None, action: str = 'volgende',
           drop: tuple[str, ...] = ()):
    """Open the step at `url`, change some fields (None clears one), press `action`; return the response."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    data = read_form(page.get_data(as_text=True))
    for name, value in (changes or {}).items():
        data[name] = '' if value is None else value
    for name in drop:
        data.pop(name, None)
    return client.post(url, data={**data, 'action': action})


def fetch(session, statement):
    """Return the first row of `statement`, read fresh and detached; the read's transaction is ended at once."""
    session.expire_all()
    found = session.scalar(statement)
    if found is not None:
        session.expunge(found)
    session.rollback()  # an open read keeps its snapshot: the next fetch must see the app's newer commits
    return found


def stored(session, case_id: int) -> dict:
    """Return the case document as stored now."""
    return fetch(session, select(Case).where(Case.id == case_id)).data


def step_url(case_id: int, step: str, **args) -> str:
    """Return the URL of a step."""
    query = '&'.join(f'{k}={v}' for k, v in args.items())
    return f'/cases/{case_id}/steps/{step}' + (f'?{query}' if query else '')
