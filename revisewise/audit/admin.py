from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from revisewise.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the log is append-only; only account deletion rewrites a label."""

    list_display = ["created_at", "actor_label", "action", "subject_label", "centre"]
    list_filter = ["action", "centre"]
    search_fields = ["actor_label", "subject_label"]
    date_hierarchy = "created_at"
    raw_id_fields = ["actor", "subject", "centre"]
    readonly_fields = [
        "created_at",
        "actor",
        "actor_label",
        "action",
        "subject",
        "subject_label",
        "centre",
        "detail",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
