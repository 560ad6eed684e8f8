"""Authenticator secrets are encrypted at rest, survive a key rotation, and were migrated."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from cryptography.fernet import InvalidToken
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from revisewise.accounts import totp
from revisewise.accounts.models import TotpDevice
from revisewise.accounts.services import totp_device_verify
from revisewise.accounts.tests.factories import UserFactory

SECRET = "JBSWY3DPEHPK3PXP"
OLD_KEY = "o" * 60
NEW_KEY = "n" * 60


def _code() -> str:
    return totp.totp_code(secret=SECRET, unix_time=time.time())


@pytest.mark.django_db
def test_it_stores_the_secret_encrypted_and_checks_codes_with_it():
    device = TotpDevice.objects.create(
        user=UserFactory.create(), secret_encrypted=totp.totp_secret_seal(SECRET)
    )

    stored = TotpDevice.objects.values_list("secret_encrypted", flat=True).get(pk=device.pk)

    assert SECRET not in stored
    assert TotpDevice.objects.get(pk=device.pk).secret == SECRET
    assert totp_device_verify(user=device.user, code=_code())


@pytest.mark.django_db
def test_it_keeps_working_across_a_key_rotation(settings):
    settings.SECRET_KEY = OLD_KEY
    device = TotpDevice.objects.create(
        user=UserFactory.create(), secret_encrypted=totp.totp_secret_seal(SECRET)
    )
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert totp_device_verify(user=device.user, code=_code())

    out = StringIO()
    call_command("reseal_totp_secrets", stdout=out)
    settings.SECRET_KEY_FALLBACKS = []

    assert "Re-encrypted 1 authenticator secrets" in out.getvalue()
    assert TotpDevice.objects.get(pk=device.pk).secret == SECRET


@pytest.mark.django_db
def test_it_cannot_read_a_secret_without_its_key(settings):
    settings.SECRET_KEY = OLD_KEY
    device = TotpDevice.objects.create(
        user=UserFactory.create(), secret_encrypted=totp.totp_secret_seal(SECRET)
    )
    settings.SECRET_KEY = NEW_KEY

    with pytest.raises(InvalidToken):
        _ = TotpDevice.objects.get(pk=device.pk).secret


@pytest.mark.django_db
def test_it_changes_nothing_on_a_dry_run(settings):
    device = TotpDevice.objects.create(
        user=UserFactory.create(), secret_encrypted=totp.totp_secret_seal(SECRET)
    )
    before = TotpDevice.objects.values_list("secret_encrypted", flat=True).get(pk=device.pk)

    call_command("reseal_totp_secrets", "--dry-run", stdout=StringIO())

    after = TotpDevice.objects.values_list("secret_encrypted", flat=True).get(pk=device.pk)
    assert after == before


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_secrets_and_reverses():
    before, after = (
        ("accounts", "0004_rate_limit_hits_and_sign_in_pruning"),
        (
            "accounts",
            "0005_encrypt_totp_secrets",
        ),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    user = old_apps.get_model("accounts", "User").objects.create(
        username="migrated", email="migrated@example.org"
    )
    old_apps.get_model("accounts", "TotpDevice").objects.create(user_id=user.pk, secret=SECRET)

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    executor.loader.build_graph()

    device = TotpDevice.objects.get(user__email="migrated@example.org")
    assert SECRET not in device.secret_encrypted
    assert device.secret == SECRET

    executor = MigrationExecutor(connection)
    executor.migrate([before])
    reverted = executor.loader.project_state([before]).apps.get_model("accounts", "TotpDevice")
    assert reverted.objects.get(user_id=user.pk).secret == SECRET
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
