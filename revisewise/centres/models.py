"""Assignments: a tutor asks a cohort to practise a unit or a set of questions by a date.

Completion is never stored: it is derived from the learners' practice attempts since the
assignment was set (`selectors.assignment_progress_for_cohort`), so there is no per-learner row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from revisewise.core.models import PublicModel


class Assignment(PublicModel):
    """Practise a unit (all its questions) or a chosen set of questions by `due_date`."""

    cohort = models.ForeignKey(
        "accounts.Cohort", on_delete=models.CASCADE, related_name="assignments"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments_set",
    )
    title = models.CharField(max_length=200)
    # Either a unit or a set of items (never both): services.assignment_create checks it.
    unit = models.ForeignKey(
        "content.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    items = models.ManyToManyField("practice.Item", blank=True, related_name="assignments")
    due_date = models.DateField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="assignment_title_not_empty"),
        ]
        indexes = [models.Index(fields=["cohort", "retired_at", "due_date"])]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_date:%d %B %Y})"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None
