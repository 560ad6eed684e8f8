from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "revisewise.privacy"
    label = "privacy"
    verbose_name = "Privacy"
