from __future__ import annotations

import base64

import pytest

from revisewise.accounts import totp

SHA1_KEY = b"12345678901234567890"
SHA256_KEY = b"12345678901234567890123456789012"

# RFC 6238, appendix B (eight digits).
RFC_6238_VECTORS = [
    (59, "94287082", "46119246"),
    (1111111109, "07081804", "68084774"),
    (1111111111, "14050471", "67062674"),
    (1234567890, "89005924", "91819424"),
    (2000000000, "69279037", "90698825"),
    (20000000000, "65353130", "77737706"),
]


@pytest.mark.parametrize(("unix_time", "sha1_code", "sha256_code"), RFC_6238_VECTORS)
def test_it_matches_the_rfc_6238_test_vectors(unix_time, sha1_code, sha256_code):
    step = totp.totp_step(unix_time=unix_time)
    assert totp.hotp(key=SHA1_KEY, counter=step, digits=8) == sha1_code
    assert totp.hotp(key=SHA256_KEY, counter=step, digits=8, digest="sha256") == sha256_code


@pytest.mark.parametrize(("unix_time", "sha1_code", "sha256_code"), RFC_6238_VECTORS)
def test_it_shows_the_last_six_digits_for_a_base32_secret(unix_time, sha1_code, sha256_code):
    secret = base64.b32encode(SHA1_KEY).decode().rstrip("=")
    assert totp.totp_code(secret=secret, unix_time=unix_time) == sha1_code[-6:]


def test_it_accepts_one_step_either_side_and_no_further():
    secret = totp.totp_new_secret()
    now = 1_700_000_000
    for offset, expected in [(-30, True), (0, True), (30, True), (-60, False), (60, False)]:
        code = totp.totp_code(secret=secret, unix_time=now + offset)
        matched = totp.totp_match_step(secret=secret, code=code, unix_time=now)
        assert (matched is not None) is expected, offset


def test_it_returns_the_step_that_matched():
    secret = totp.totp_new_secret()
    code = totp.totp_code(secret=secret, unix_time=1_700_000_000 - 30)
    matched = totp.totp_match_step(secret=secret, code=code, unix_time=1_700_000_000)
    assert matched == totp.totp_step(unix_time=1_700_000_000) - 1


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_it_refuses_malformed_codes(code):
    assert totp.totp_match_step(secret=totp.totp_new_secret(), code=code, unix_time=0) is None


def test_it_builds_an_otpauth_uri():
    uri = totp.totp_uri(secret="JBSWY3DPEHPK3PXP", account="tara@example.org")
    assert uri.startswith("otpauth://totp/Revisewise%3Atara%40example.org?")
    assert "secret=JBSWY3DPEHPK3PXP" in uri
    assert "issuer=Revisewise" in uri
