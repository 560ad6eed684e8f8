"""Encrypt every authenticator secret at rest (Fernet, key derived from SECRET_KEY).

Reversible: going back decrypts them into the old clear-text column.
"""

from django.db import migrations, models

from revisewise.accounts.totp import totp_secret_open, totp_secret_seal


def _seal(apps, schema_editor):
    TotpDevice = apps.get_model("accounts", "TotpDevice")
    for device in TotpDevice.objects.all():
        device.secret_encrypted = totp_secret_seal(device.secret)
        device.save(update_fields=["secret_encrypted"])


def _open(apps, schema_editor):
    TotpDevice = apps.get_model("accounts", "TotpDevice")
    for device in TotpDevice.objects.all():
        device.secret = totp_secret_open(device.secret_encrypted)
        device.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_rate_limit_hits_and_sign_in_pruning")]

    operations = [
        migrations.AddField(
            model_name="totpdevice",
            name="secret_encrypted",
            field=models.CharField(default="", max_length=255),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="totpdevice",
            name="secret",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(_seal, _open),
        migrations.RemoveField(model_name="totpdevice", name="secret"),
    ]
