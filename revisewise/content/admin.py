"""Django admin for authors: qualifications and units with their items, and the history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from revisewise.content.models import (
    AwardingBody,
    ContentItem,
    ContentRevision,
    Qualification,
    SourceDocument,
    Subject,
    Unit,
)
from revisewise.content.services.authoring import content_items_save, content_save_revision
from revisewise.content.services.common import content_item_key


class ContentItemFormSet(forms.BaseInlineFormSet):
    """Refuse two items of one kind that say the same thing (they would share a key)."""

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("kind"):
                continue
            key = content_item_key(
                kind=data["kind"], name=data.get("name", ""), text=data.get("text", "")
            )
            if (data["kind"], key) in seen:
                raise forms.ValidationError(
                    "Two items of the same kind say the same thing; remove one of them."
                )
            seen.add((data["kind"], key))


class ContentItemInline(admin.TabularInline):
    model = ContentItem
    formset = ContentItemFormSet
    fields = ("kind", "position", "name", "text", "source_file", "source_line")
    readonly_fields = ("source_file", "source_line")
    extra = 0
    ordering = ("kind", "position", "pk")


class SharedItemInline(ContentItemInline):
    """The qualification's own items (generic tips, misconceptions), shown on every unit."""

    fk_name = "qualification"
    verbose_name = "shared item"
    verbose_name_plural = "shared items (shown on every unit)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContentItem]:
        return super().get_queryset(request).filter(unit__isnull=True)


class RevisionRecordingAdmin(admin.ModelAdmin):
    """Save items through the content services and record a revision after every save."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not ContentItem:
            super().save_formset(request, form, formset, change)
            return
        items = formset.save(commit=False)
        parent = form.instance
        unit = parent if isinstance(parent, Unit) else None
        content_items_save(
            qualification=parent.qualification if unit else parent,
            unit=unit,
            items=items,
            deleted=formset.deleted_objects,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        parent = form.instance
        unit = parent if isinstance(parent, Unit) else None
        content_save_revision(
            qualification=parent.qualification if unit else parent,
            unit=unit,
            author=str(request.user),
        )


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(AwardingBody)
class AwardingBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Qualification)
class QualificationAdmin(RevisionRecordingAdmin):
    list_display = ("title", "awarding_body", "level", "qualification_type", "family")
    list_filter = ("awarding_body", "subject", "qualification_type", "level")
    search_fields = ("title", "reference")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("uuid",)
    inlines = (SharedItemInline,)


@admin.register(Unit)
class UnitAdmin(RevisionRecordingAdmin):
    list_display = ("title", "qualification", "position")
    list_filter = ("qualification",)
    list_select_related = ("qualification",)
    search_fields = ("title", "synopsis")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("uuid", "stated_counts")
    inlines = (ContentItemInline,)


@admin.register(ContentRevision)
class ContentRevisionAdmin(admin.ModelAdmin):
    """The history is append-only: authors can read it but never change it."""

    list_display = ("__str__", "origin", "summary", "created_at")
    list_filter = ("qualification",)
    list_select_related = ("qualification", "unit")
    readonly_fields = (
        "qualification",
        "unit",
        "origin",
        "summary",
        "snapshot_sha256",
        "snapshot",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("path", "format", "unit", "updated_at")
    list_filter = ("format",)
    readonly_fields = ("path", "sha256", "format", "unit", "parsed", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
