"""Sending one plain e-mail through the SMTP server of TRAJECT_MAIL_URL (smtp://host:port, smtps:// for TLS)."""
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit


class MailError(Exception):
    """The message could not be handed to the SMTP server."""


def configured(config) -> bool:
    """Return whether an SMTP server is configured."""
    return bool(config.get('TRAJECT_MAIL_URL'))


def send(config, to: str, subject: str, body: str, *, language: str = 'nl') -> None:
    """Send a plain-text message to `to`; raise MailError if the server cannot be reached or refuses it."""
    url = urlsplit(config['TRAJECT_MAIL_URL'])
    if url.scheme not in ('smtp', 'smtps') or not url.hostname:
        raise MailError(f'TRAJECT_MAIL_URL must look like smtp://host:port, not {url.scheme}://')
    message = EmailMessage()
    message['From'] = config.get('TRAJECT_MAIL_FROM') or 'traject@localhost'
    message['To'] = to
    message['Subject'] = subject
    message['Date'] = formatdate(localtime=True)
    message['Message-ID'] = make_msgid(domain='traject')
    message['Content-Language'] = language
    message.set_content(body)
    smtp_class = smtplib.SMTP_SSL if url.scheme == 'smtps' else smtplib.SMTP
    try:
        with smtp_class(url.hostname, url.port or (465 if url.scheme == 'smtps' else 25), timeout=10) as server:
            if url.username:
                server.login(unquote(url.username), unquote(url.password or ''))
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(str(exc)) from exc
