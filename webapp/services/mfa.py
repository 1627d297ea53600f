"""The second factor: TOTP (RFC 6238, as in every authenticator app) and single-use recovery codes.

A code is accepted for the time step before and after the current one (clock drift), and never twice: the step of
the last accepted code is stored, and a code of that step or an earlier one is refused.
"""
import base64
import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.models import RecoveryCode, User
from webapp.models.case import utcnow


ISSUER = 'Traject'
STEP_SECONDS = 30
RECOVERY_CODES = 10
# 16 characters from 31 (no 0/o, 1/l/i): about 79 bits, hashed with a unique salt (ASVS 2.6.2).
RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
# Salted PBKDF2 with a modest cost: the codes are random, not chosen, and a login may try all ten hashes.
RECOVERY_HASH = 'pbkdf2:sha256:20000'


def enrolment_secret(key: str, login_token_hash: str) -> str:
    """Return the TOTP secret offered while enrolling in this login (base32, 160 bits).

    Derived from the app's key and this login, so it stays the same when the page is reloaded, a new login gets a
    new one, and the secret is never put in a cookie before it is confirmed.
    """
    digest = hmac.new(key.encode(), b'totp-enrolment:' + login_token_hash.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def provisioning_uri(secret: str, username: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """Return the QR code of `uri` as inline SVG (drawn here: no image is fetched from anywhere)."""
    return segno.make(uri, error='m').svg_inline(scale=5, dark='#000', light='#fff', omitsize=False)


def is_totp_code(code: str) -> bool:
    """Return whether `code` has the form of a TOTP code (six digits, spaces allowed)."""
    return re.fullmatch(r'\d{6}', _compact(code)) is not None


def verify_totp(user: User, code: str, *, secret: str | None = None, at: float | None = None) -> bool:
    """Accept a code of `user`'s secret (or `secret` while enrolling) once; remember its time step (no flush)."""
    secret = secret or user.totp_secret
    code = _compact(code)
    if not secret or not is_totp_code(code):
        return False
    totp = pyotp.TOTP(secret)
    now_step = int((time.time() if at is None else at) // STEP_SECONDS)
    for step in (now_step - 1, now_step, now_step + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            user.totp_last_step = step
            return True
    return False


def enrol(session: Session, user: User, secret: str, code: str) -> list[str] | None:
    """Confirm enrolment with a first code: store the secret and return fresh recovery codes, or None; flush."""
    user.totp_last_step = None
    if not verify_totp(user, code, secret=secret):
        return None
    user.totp_secret = secret
    return new_recovery_codes(session, user)


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace `user`'s recovery codes by ten new ones; return them (shown once, only hashes are kept); flush."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ['-'.join(''.join(secrets.choice(RECOVERY_ALPHABET) for _i in range(4)) for _j in range(4))
             for _k in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=generate_password_hash(_compact(c), method=RECOVERY_HASH))
                    for c in codes)
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    """Accept one unused recovery code of `user` and mark it used; return whether it matched; flush."""
    code = _compact(code)
    if len(code) != 16:
        return False
    for row in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                          RecoveryCode.used_at.is_(None))):
        if check_password_hash(row.code_hash, code):
            row.used_at = utcnow()
            session.flush()
            return True
    return False


def recovery_codes_left(session: Session, user: User) -> int:
    """Return how many unused recovery codes `user` has."""
    return len(session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                             RecoveryCode.used_at.is_(None))).all())


def _compact(code: str) -> str:
    # People type codes with spaces or dashes, and capitals: none of that matters.
    return re.sub(r'[\s-]', '', code or '').lower()
