"""FSRS cards, their append-only review logs, learner settings, parameters and exam plans.

A card's state (stability, difficulty, due, ...) is derived: it can be rebuilt at any time by
replaying its current review logs (`services.card_rebuild`). The logs themselves are never
changed: a correction (a tutor's moderation that changes a rating) appends a new log and marks
the old one superseded by it, and a database trigger (migrations 0002 and 0003) refuses any
other UPDATE of a review log row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from revisewise.core.models import TimeStampedModel
from revisewise.scheduling.memory import (
    DEFAULT_DESIRED_RETENTION,
    MAX_DESIRED_RETENTION,
    MIN_DESIRED_RETENTION,
)

DEFAULT_DAILY_CAPACITY = 50


class CardState(models.IntegerChoices):
    LEARNING = 1, "Learning"
    REVIEW = 2, "Review"
    RELEARNING = 3, "Relearning"


class ReviewRating(models.IntegerChoices):
    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"


class ReviewSource(models.TextChoices):
    PRACTICE = "practice", "Practice session"
    FLASHCARD = "flashcard", "Flashcard self-rating"
    MOCK = "mock", "Mock exam"
    WRITTEN = "written", "Marked written answer"
    IMPORT = "import", "Imported history"


class Card(TimeStampedModel):
    """One learner's memory of one practice item, as FSRS-6 models it."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards"
    )
    item = models.ForeignKey("practice.Item", on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=CardState.choices, default=CardState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    review_count = models.PositiveIntegerField(default=0)
    lapse_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "item"], name="card_learner_item_unique"),
            models.CheckConstraint(
                condition=Q(state__in=CardState.values), name="card_state_known"
            ),
            models.CheckConstraint(
                condition=Q(stability__isnull=True) | Q(stability__gt=0),
                name="card_stability_positive",
            ),
            models.CheckConstraint(
                condition=Q(difficulty__isnull=True) | Q(difficulty__gte=1, difficulty__lte=10),
                name="card_difficulty_in_range",
            ),
            models.CheckConstraint(
                condition=Q(lapse_count__lte=models.F("review_count")),
                name="card_lapses_within_reviews",
            ),
        ]
        indexes = [models.Index(fields=["learner", "due"])]

    def __str__(self) -> str:
        return f"{self.learner} / item {self.item_id}"

    @property
    def is_new(self) -> bool:
        return self.last_review is None


class ReviewLogQuerySet(models.QuerySet["ReviewLog"]):
    def current(self) -> ReviewLogQuerySet:
        """The reviews that count: those no correction has superseded."""
        return self.filter(superseded_by__isnull=True)


class ReviewLog(models.Model):
    """One review of a card: append-only (a trigger refuses UPDATE but setting superseded_by).

    A corrected review is not deleted: `superseded_by` points to the review that replaces it,
    and everything that reads reviews to schedule, fit or count uses `ReviewLog.objects.current()`.
    """

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="review_logs")
    rating = models.PositiveSmallIntegerField(choices=ReviewRating.choices)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # Fractional days since the card's previous review; null for its first review.
    elapsed_days = models.FloatField(null=True, blank=True)
    # FSRS's predicted probability of recall just before this review; null for the first.
    retrievability_before = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=ReviewSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # The review that corrects this one (same card, time and facts, another rating). Set once,
    # from null, in the transaction that appends the correction: the only UPDATE the trigger
    # allows. One-to-one: a correction replaces exactly one review.
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="supersedes",
    )

    objects = ReviewLogQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(superseded_by=models.F("pk")),
                name="reviewlog_not_superseded_by_itself",
            ),
            models.CheckConstraint(
                condition=Q(rating__in=ReviewRating.values), name="reviewlog_rating_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ReviewSource.values), name="reviewlog_source_known"
            ),
            models.CheckConstraint(
                condition=Q(elapsed_days__isnull=True) | Q(elapsed_days__gte=0),
                name="reviewlog_elapsed_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(retrievability_before__isnull=True)
                | Q(retrievability_before__gte=0, retrievability_before__lte=1),
                name="reviewlog_retrievability_probability",
            ),
            models.CheckConstraint(
                condition=Q(elapsed_days__isnull=True, retrievability_before__isnull=True)
                | Q(elapsed_days__isnull=False, retrievability_before__isnull=False),
                name="reviewlog_first_review_has_no_prediction",
            ),
        ]
        indexes = [models.Index(fields=["card", "reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} at {self.reviewed_at:%Y-%m-%d %H:%M}"

    @property
    def is_recalled(self) -> bool:
        return self.rating != ReviewRating.AGAIN


class LearnerSchedulingSettings(TimeStampedModel):
    """A learner's scheduling preferences: the retention they aim for and their daily time."""

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scheduling_settings"
    )
    desired_retention = models.FloatField(default=DEFAULT_DESIRED_RETENTION)
    # How many items (new plus reviews) the learner can do in a day.
    daily_capacity = models.PositiveIntegerField(default=DEFAULT_DAILY_CAPACITY)

    class Meta:
        verbose_name_plural = "learner scheduling settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    desired_retention__gte=MIN_DESIRED_RETENTION,
                    desired_retention__lte=MAX_DESIRED_RETENTION,
                ),
                name="settings_desired_retention_in_range",
            ),
            models.CheckConstraint(
                condition=Q(daily_capacity__gte=1), name="settings_daily_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Scheduling settings of {self.learner}"


class LearnerSchedulerParameters(models.Model):
    """FSRS-6 parameters fitted to one learner's reviews: append-only, the newest is used."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scheduler_parameters"
    )
    parameters = models.JSONField()
    review_count = models.PositiveIntegerField()
    optimised_at = models.DateTimeField()
    fsrs_version = models.CharField(max_length=20)

    class Meta:
        ordering = ["-optimised_at", "-pk"]
        get_latest_by = ["optimised_at", "pk"]
        verbose_name_plural = "learner scheduler parameters"
        indexes = [models.Index(fields=["learner", "-optimised_at"])]

    def __str__(self) -> str:
        return f"Parameters of {self.learner} from {self.review_count} reviews"


class ExamPlan(TimeStampedModel):
    """The date a learner sits the exam for a qualification; the plan is computed from it."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_plans"
    )
    qualification = models.ForeignKey(
        "content.Qualification", on_delete=models.CASCADE, related_name="exam_plans"
    )
    exam_date = models.DateField()

    class Meta:
        ordering = ["exam_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "qualification"], name="examplan_learner_qualification_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.qualification} on {self.exam_date:%d %B %Y}"
