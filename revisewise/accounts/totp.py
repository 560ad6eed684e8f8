"""Time-based one-time passwords (RFC 6238 over RFC 4226) with the standard library only."""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

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
