"""Keep the token of a parents' link out of every log line: the access logs of werkzeug and gunicorn log paths."""
import logging
import re

from gunicorn.glogging import Logger as GunicornLogger


# A token is 43 URL-safe characters; anything after /o/ is hidden, so a mistyped or longer one is hidden too.
TOKEN_IN_PATH = re.compile(r'(/o/)[^/\s?#"]+')
HIDDEN = r'\1[link]'


def redact(text: str) -> str:
    """Return `text` with the token of every parents' link path replaced by '[link]'."""
    return TOKEN_IN_PATH.sub(HIDDEN, text)


class RedactTokens(logging.Filter):
    """A logging filter that rewrites each record's message without tokens (and keeps the record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if '/o/' in message:
            record.msg, record.args = redact(message), ()
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger whose access-log fields (request line, path, query, referrer) never hold a token."""

    def atoms(self, resp, req, environ, request_time):
        """Return gunicorn's access-log atoms with every token hidden."""
        found = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) and '/o/' in value else value
                for key, value in found.items()}


def install() -> None:
    """Put the filter on the loggers that write request paths: werkzeug's development server, gunicorn, and the app's
    own logger (an error report may name the request)."""
    for name in ('werkzeug', 'gunicorn.access', 'gunicorn.error', 'webapp'):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
