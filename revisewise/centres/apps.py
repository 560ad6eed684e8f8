from __future__ import annotations

from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "revisewise.centres"
    label = "centres"
    verbose_name = "Centres"
