"""Authors review, edit, approve and retire practice items here."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from revisewise.practice.generation.validator import validate
from revisewise.practice.models import Item
from revisewise.practice.services import item_approve, item_retire, item_update


class ItemForm(forms.ModelForm):
    """Edit the question; the validator checks it before it is saved."""

    class Meta:
        model = Item
        fields = ["stem", "payload", "explanation"]
        widgets = {"stem": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        reasons = validate(
            item_type=self.instance.item_type,
            stem=cleaned.get("stem", ""),
            payload=cleaned.get("payload") or {},
            source_text=self.instance.source_sentence,
        )
        if reasons:
            raise ValidationError(reasons)
        return cleaned


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    form = ItemForm
    list_display = ["short_stem", "item_type", "status", "unit", "source_section", "updated_at"]
    list_filter = ["status", "item_type", "unit__qualification", "unit", "source_section"]
    search_fields = ["stem", "source_sentence", "uuid"]
    list_select_related = ["unit"]
    actions = ["approve_items", "retire_items"]
    readonly_fields = [
        "uuid",
        "item_type",
        "status",
        "reasons",
        "unit",
        "objective",
        "source_item",
        "source_section",
        "source_sentence",
        "source_key",
        "content_hash",
        "generator_version",
        "reviewed_by",
        "reviewed_at",
        "is_edited",
        "learner_view",
    ]
    fieldsets = [
        (None, {"fields": ["uuid", "item_type", "status", "reasons", "stem", "payload"]}),
        (_("Feedback"), {"fields": ["explanation"]}),
        (
            _("Provenance"),
            {
                "fields": [
                    "unit",
                    "objective",
                    "source_item",
                    "source_section",
                    "source_sentence",
                    "source_key",
                    "content_hash",
                    "generator_version",
                ]
            },
        ),
        (_("Review"), {"fields": ["reviewed_by", "reviewed_at", "is_edited", "learner_view"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("Stem"))
    def short_stem(self, item: Item) -> str:
        return item.stem.splitlines()[-1][:90]

    @admin.display(description=_("Why it is held back"))
    def reasons(self, item: Item) -> str:
        return "; ".join(item.rejection_reasons) or "-"

    @admin.display(description=_("What learners see before answering"))
    def learner_view(self, item: Item) -> str:
        return format_html("<pre>{}</pre>", json.dumps(item.presentation(), indent=2))

    def save_model(self, request: HttpRequest, obj: Item, form: Any, change: bool) -> None:
        item_update(
            item=obj,
            author=request.user,  # type: ignore[arg-type]
            stem=form.cleaned_data["stem"],
            payload=form.cleaned_data["payload"],
            explanation=form.cleaned_data["explanation"],
        )

    @admin.action(description=_("Approve the selected items"))
    def approve_items(self, request: HttpRequest, queryset: QuerySet[Item]) -> None:
        approved = 0
        for item in queryset:
            try:
                item_approve(item=item, author=request.user)  # type: ignore[arg-type]
                approved += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{item}: {'; '.join(error.messages)}", level=messages.WARNING
                )
        self.message_user(request, _("%d item(s) approved.") % approved)

    @admin.action(description=_("Retire the selected items"))
    def retire_items(self, request: HttpRequest, queryset: QuerySet[Item]) -> None:
        for item in queryset:
            item_retire(item=item, author=request.user)  # type: ignore[arg-type]
        self.message_user(request, _("%d item(s) retired.") % queryset.count())
