"""Read-only admin views of the marking ledger, for support: rows change only through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from revisewise.marking.models import MachineMark, MarkFlag, PersonMark, WrittenAnswer


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PersonMarkInline(admin.TabularInline):
    """Every tutor's mark of the answer, oldest first: the last is the one that counts."""

    model = PersonMark
    fk_name = "answer"
    fields = ("uuid", "created_at", "tutor", "label", "score", "revises", "comment")
    readonly_fields = fields
    ordering = ("created_at", "id")
    extra = 0
    can_delete = False
    verbose_name_plural = "Tutors' marks (history)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WrittenAnswer)
class WrittenAnswerAdmin(_ReadOnly):
    list_display = ("uuid", "learner", "status", "marking_attempts", "created_at", "marked_at")
    list_filter = ("status",)
    search_fields = ("uuid",)
    inlines = (PersonMarkInline,)


@admin.register(MachineMark)
class MachineMarkAdmin(_ReadOnly):
    list_display = ("uuid", "label", "score", "grade_band", "engine_name", "engine_version")
    list_filter = ("label", "engine_version")


@admin.register(MarkFlag)
class MarkFlagAdmin(_ReadOnly):
    list_display = ("uuid", "learner", "created_at")


@admin.register(PersonMark)
class PersonMarkAdmin(_ReadOnly):
    list_display = ("uuid", "answer", "tutor", "label", "score", "revises", "created_at")
    list_filter = ("label",)
    list_select_related = ("answer", "tutor", "revises")
    search_fields = ("uuid", "answer__uuid")
