from __future__ import annotations

from django.apps import AppConfig


class TutorConfig(AppConfig):
    name = "revisewise.tutor"
    label = "tutor"
    verbose_name = "Tutor"
