"""Time-based one-time passwords (RFC 6238 over RFC 4226) with the standard library, and the
encryption of their secrets at rest (Fernet, with a key derived from SECRET_KEY)."""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

STEP_SECONDS = 30
DIGITS = 6
WINDOW_STEPS = 1


def totp_new_secret() -> str:
    """Return a fresh 160-bit secret in unpadded base32, as authenticator apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper().replace(" ", "")
    padded += "=" * (-len(padded) % 8)
    return base64.b32decode(padded)


def hotp(*, key: bytes, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    """Return the RFC 4226 one-time password for `counter`."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def totp_step(*, unix_time: float) -> int:
    """Return the 30-second time step that `unix_time` falls in."""
    return int(unix_time // STEP_SECONDS)


def totp_code(*, secret: str, unix_time: float) -> str:
    """Return the six-digit code an authenticator app shows at `unix_time`."""
    return hotp(key=_key(secret), counter=totp_step(unix_time=unix_time))


def totp_match_step(*, secret: str, code: str, unix_time: float) -> int | None:
    """Return the time step whose code equals `code` within ±1 step of now, or None."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    now = totp_step(unix_time=unix_time)
    for step in range(now - WINDOW_STEPS, now + WINDOW_STEPS + 1):
        if hmac.compare_digest(hotp(key=key, counter=step), code):
            return step
    return None


def totp_uri(*, secret: str, account: str, issuer: str = "Revisewise") -> str:
    """Return the otpauth:// URI that authenticator apps read from a QR code or by hand."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def _fernet_for(secret_key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"revisewise totp secrets"
    ).derive(secret_key.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernets() -> MultiFernet:
    # The current key encrypts; old keys (SECRET_KEY_FALLBACKS) still decrypt after a rotation.
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([_fernet_for(key) for key in keys])


def totp_secret_seal(secret: str) -> str:
    """Encrypt an authenticator secret for storage, with the current SECRET_KEY."""
    return _fernets().encrypt(secret.encode("ascii")).decode("ascii")


def totp_secret_open(sealed: str) -> str:
    """Decrypt a stored authenticator secret with the current or a fallback SECRET_KEY.

    Raises cryptography.fernet.InvalidToken if no key opens it (the key was lost).
    """
    return _fernets().decrypt(sealed.encode("ascii")).decode("ascii")


def totp_secret_reseal(sealed: str) -> str:
    """Re-encrypt a stored secret with the current key (after rotating SECRET_KEY)."""
    return _fernets().rotate(sealed.encode("ascii")).decode("ascii")
