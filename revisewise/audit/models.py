"""Who viewed or changed whose learner data: an append-only log centre administrators can read."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    LEARNER_VIEWED = "learner_viewed", "Viewed a learner's progress"
    COHORT_VIEWED = "cohort_viewed", "Viewed a cohort dashboard"
    ANSWER_VIEWED = "answer_viewed", "Viewed a learner's written answer"
    MARK_MODERATED = "mark_moderated", "Moderated a machine mark"
    ANSWER_MARKED = "answer_marked", "Marked a written answer the engine could not mark"
    ANSWER_MARK_REVISED = "answer_mark_revised", "Revised a tutor's mark of a written answer"
    MODERATIONS_EXPORTED = "moderations_exported", "Exported moderations"
    DATA_EXPORTED = "data_exported", "Exported a learner's data"
    ACCOUNT_DELETED = "account_deleted", "Deleted a learner's account"
    ASSIGNMENT_SET = "assignment_set", "Set an assignment"
    MEMBERSHIP_CHANGED = "membership_changed", "Changed a membership"


class AuditEvent(models.Model):
    """One event; never updated. People are kept by label too, so the row outlives a deletion."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events_made",
    )
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events_about",
    )
    subject_label = models.CharField(max_length=254, blank=True)
    centre = models.ForeignKey(
        "accounts.Centre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"
            )
        ]
        indexes = [models.Index(fields=["centre", "created_at"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.subject_label}"

    @property
    def detail_text(self) -> str:
        """The detail in words, "key: value; ...", lists joined by commas (for the log page)."""
        parts = []
        for key, value in self.detail.items():
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            parts.append(f"{key.replace('_', ' ').capitalize()}: {shown}")
        return "; ".join(parts)
