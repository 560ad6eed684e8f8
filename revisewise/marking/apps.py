from __future__ import annotations

from django.apps import AppConfig


class MarkingConfig(AppConfig):
    name = "revisewise.marking"
    label = "marking"
    verbose_name = "Marking"
