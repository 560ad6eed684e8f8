from __future__ import annotations

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "revisewise.discussion"
    label = "discussion"
    verbose_name = "Discussion practice"
