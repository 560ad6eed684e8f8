from __future__ import annotations

from django.apps import AppConfig


class EpaConfig(AppConfig):
    name = "revisewise.epa"
    label = "epa"
    verbose_name = "End-point assessment"
