"""What the product stores about marking: the answer ledger, machine marks, flags, moderation.

The engine itself (`engine.py` and friends) knows nothing of these rows; `services.py` maps
between them and the engine's frozen dataclasses.

- `WrittenAnswer` is the ledger row of one acknowledged written answer (one per practice
  `Attempt` of a written item). It carries the marking status, how many times marking was
  tried, and the time by which the current try must finish; a periodic sweep re-queues rows whose
  time ran out. Every row ends `marked` (by the engine), `marked_by_person` (by a tutor, after
  the engine gave up) or `needs_person` (waiting for one of those). It also links the FSRS review
  its grade wrote, so a tutor's later verdict can correct that review.
- `MachineMark` is one run of the engine on one answer (append-only; a re-mark is a new row).
- `MarkFlag` is a learner saying "I disagree with this mark" (append-only).
- `Moderation` is a tutor confirming or overriding a machine mark, per marking point, with a
  comment (append-only; the newest row for a mark is the one the learner sees).
- `PersonMark` is a tutor marking an answer the engine gave up on, per marking point, with
  comments (there is no machine mark to confirm or override). A tutor revises it with a later
  `PersonMark` that names the one it revises (append-only; the newest is the one that counts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from revisewise.core.models import PublicModel

MARK_LABELS = ["correct", "partially_correct", "incorrect", "contradictory"]


class MarkingStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be marked"
    MARKING = "marking", "Being marked"
    MARKED = "marked", "Marked"
    NEEDS_PERSON = "needs_person", "Needs a person to mark it"
    MARKED_BY_PERSON = "marked_by_person", "Marked by a tutor"


class WrittenAnswer(PublicModel):
    attempt = models.OneToOneField(
        "practice.Attempt", on_delete=models.CASCADE, related_name="written_answer"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="written_answers"
    )
    item = models.ForeignKey(
        "practice.Item", on_delete=models.PROTECT, related_name="written_answers"
    )
    text = models.TextField()
    status = models.CharField(
        max_length=20, choices=MarkingStatus.choices, default=MarkingStatus.QUEUED
    )
    marking_attempts = models.PositiveSmallIntegerField(default=0)
    # While `marking`: the time by which this try must finish, else the sweep re-queues it.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    # The FSRS review this answer's grade wrote. Review logs are append-only: a tutor's verdict
    # that changes the rating supersedes that log with a corrected one (ReviewLog.superseded_by)
    # and this link moves to the corrected log.
    review_log = models.OneToOneField(
        "scheduling.ReviewLog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="written_answer",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MarkingStatus.values), name="written_answer_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=MarkingStatus.MARKING) | Q(lease_expires_at__isnull=False),
                name="written_answer_marking_has_lease",
            ),
            models.CheckConstraint(
                condition=~Q(status=MarkingStatus.MARKED) | Q(marked_at__isnull=False),
                name="written_answer_marked_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=MarkingStatus.MARKED_BY_PERSON) | Q(marked_at__isnull=False),
                name="written_answer_person_marked_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "lease_expires_at"]),
            models.Index(fields=["learner", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Written answer {self.uuid} ({self.status})"


class MachineMark(PublicModel):
    """One run of the marking engine on one answer; never updated."""

    answer = models.ForeignKey(WrittenAnswer, on_delete=models.CASCADE, related_name="marks")
    engine_name = models.CharField(max_length=80)
    engine_version = models.CharField(max_length=40)
    label = models.CharField(max_length=20)
    score = models.FloatField()
    grade_band = models.CharField(max_length=20, blank=True)
    # The engine's full result as plain JSON: point verdicts with evidence spans,
    # misconceptions shown, feedback, flags (see `services` for the shape).
    result = models.JSONField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="machine_mark_score_in_range"
            ),
            models.CheckConstraint(
                condition=Q(label__in=MARK_LABELS),
                name="machine_mark_label_valid",
            ),
            # The engine is deterministic: one run per answer and engine version is the
            # ledger's "marked exactly once"; a re-mark by a newer engine is a new row.
            models.UniqueConstraint(
                fields=["answer", "engine_name", "engine_version"],
                name="machine_mark_one_per_answer_and_engine",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.score:.2f}) by {self.engine_name} {self.engine_version}"


class MarkFlag(PublicModel):
    """A learner disagreeing with a machine mark; a tutor's moderation answers it."""

    mark = models.ForeignKey(MachineMark, on_delete=models.CASCADE, related_name="flags")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mark_flags"
    )
    reason = models.TextField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Flag on {self.mark_id} by {self.learner_id}"


class ModerationDecision(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed the machine mark"
    OVERRIDDEN = "overridden", "Changed the machine mark"


class Moderation(PublicModel):
    """A tutor's verdict on a machine mark, per marking point; the newest row wins."""

    mark = models.ForeignKey(MachineMark, on_delete=models.CASCADE, related_name="moderations")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderations_made",
    )
    decision = models.CharField(max_length=20, choices=ModerationDecision.choices)
    # [{"point": str, "machine": verdict, "tutor": verdict, "comment": str}, ...]
    point_verdicts = models.JSONField(default=list)
    label = models.CharField(max_length=20)
    score = models.FloatField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="moderation_score_in_range"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=ModerationDecision.values),
                name="moderation_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.mark_id}"


class PersonMark(PublicModel):
    """A tutor's mark of an answer the engine could not mark, per marking point; never updated.

    The first is written in the transaction that moves the answer from `needs_person` to
    `marked_by_person`; a revision is a later row that `revises` the mark it replaces. Each mark
    is revised at most once and each answer has one first mark, so the history is one line
    and its newest row (the one no row revises) is the mark that counts.
    """

    answer = models.ForeignKey(WrittenAnswer, on_delete=models.CASCADE, related_name="person_marks")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="person_marks_made",
    )
    # The mark this one replaces; unique, so two tutors cannot both revise the same mark.
    revises = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="revised_by"
    )
    # [{"point": str, "verdict": "met" | "partly_met" | "not_met", "comment": str}, ...]
    point_verdicts = models.JSONField(default=list)
    label = models.CharField(max_length=20)
    score = models.FloatField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="person_mark_score_in_range"
            ),
            models.CheckConstraint(
                condition=Q(label__in=MARK_LABELS), name="person_mark_label_valid"
            ),
            # One tutor's first mark per answer; every later one revises an earlier one.
            models.UniqueConstraint(
                fields=["answer"],
                condition=Q(revises__isnull=True),
                name="person_mark_one_first_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.score:.2f}) by a tutor on {self.answer_id}"
