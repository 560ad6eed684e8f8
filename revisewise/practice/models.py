"""Practice items: questions generated from a unit's content (or written by authors).

Payload shapes per item type (ids are stable hashes of the option text, never positions):
- flashcard:  {"back": str}
- mcq_single: {"options": [{"id", "text"}], "answer": id}
- mcq_multi:  {"options": [{"id", "text"}], "answers": [id, ...]}
- true_false: {"answer": bool}
- cloze:      {"answer": str, "accepted": [str, ...]}; the stem holds the blank "_____"
- ordering:   {"steps": [{"id", "text"}] in the correct order}
- matching:   {"pairs": [{"left_id", "left", "right_id", "right"}]}
- written:    {"marking_points": [str, ...], "model_answer": str}
Options are stored in canonical order (answers first); `presentation()` shuffles them.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from revisewise.core.models import PublicModel
from revisewise.practice.grading import Grade, grade


class ItemType(models.TextChoices):
    FLASHCARD = "flashcard", "Flashcard"
    MCQ_SINGLE = "mcq_single", "Multiple choice (one answer)"
    MCQ_MULTI = "mcq_multi", "Multiple choice (select all)"
    TRUE_FALSE = "true_false", "True or false"
    CLOZE = "cloze", "Fill in the blank"
    ORDERING = "ordering", "Put in order"
    MATCHING = "matching", "Matching"
    WRITTEN = "written", "Written answer"


class ItemStatus(models.TextChoices):
    AUTO_APPROVED = "auto_approved", "Auto-approved (valid)"
    APPROVED = "approved", "Approved by an author"
    DRAFT = "draft", "Draft (needs review)"
    REJECTED = "rejected", "Rejected by the validator"
    RETIRED = "retired", "Retired"


LEARNER_VISIBLE_STATUSES = (ItemStatus.AUTO_APPROVED, ItemStatus.APPROVED)


class Item(PublicModel):
    qualification = models.ForeignKey(
        "content.Qualification", on_delete=models.CASCADE, related_name="practice_items"
    )
    unit = models.ForeignKey(
        "content.Unit", on_delete=models.CASCADE, related_name="practice_items"
    )
    # The learning objective the item practises (mapped by similarity; null when none fits).
    objective = models.ForeignKey(
        "content.ContentItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practising_items",
    )
    item_type = models.CharField(max_length=20, choices=ItemType.choices)
    stem = models.TextField()
    payload = models.JSONField(default=dict)
    explanation = models.TextField(blank=True)

    # Provenance: where the item came from, shown in feedback.
    source_item = models.ForeignKey(
        "content.ContentItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="generated_items",
    )
    source_section = models.CharField(max_length=200, blank=True)
    source_sentence = models.TextField(blank=True)
    # Hash of generator rule + source ContentItem key (+ variant): the item's identity.
    source_key = models.CharField(max_length=64)
    # Hash of what the item was built from and shows: changes when it must be updated.
    content_hash = models.CharField(max_length=64, blank=True)
    generator_version = models.CharField(max_length=40, blank=True)

    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    rejection_reasons = models.JSONField(default=list, blank=True)
    # Set when the current status is an author's decision (approve, retire) or text an edit.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_items",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    is_edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["unit", "item_type", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "source_key"], name="item_unit_source_key"),
            models.CheckConstraint(
                condition=Q(item_type__in=ItemType.values), name="item_type_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="item_status_known"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.get_item_type_display()}: {self.stem[:70]}"

    @property
    def is_visible_to_learners(self) -> bool:
        return self.status in LEARNER_VISIBLE_STATUSES

    def presentation(self) -> dict[str, Any]:
        """Return what a learner sees before answering: never the answer key.

        Options, steps and matches are shuffled deterministically by the item's uuid, so a
        reload shows the same order.
        """
        shuffle = random.Random(self.uuid.int)
        shown: dict[str, Any] = {
            "uuid": str(self.uuid),
            "item_type": self.item_type,
            "stem": self.stem,
        }
        payload = self.payload
        if self.item_type in (ItemType.MCQ_SINGLE, ItemType.MCQ_MULTI):
            options = [{"id": entry["id"], "text": entry["text"]} for entry in payload["options"]]
            shuffle.shuffle(options)
            shown["options"] = options
        elif self.item_type == ItemType.ORDERING:
            steps = [{"id": entry["id"], "text": entry["text"]} for entry in payload["steps"]]
            shuffle.shuffle(steps)
            # A shuffle can land on the right order, which would give the answer away.
            if [step["id"] for step in steps] == [entry["id"] for entry in payload["steps"]]:
                steps = steps[1:] + steps[:1]
            shown["steps"] = steps
        elif self.item_type == ItemType.MATCHING:
            lefts = [{"id": pair["left_id"], "text": pair["left"]} for pair in payload["pairs"]]
            rights = [{"id": pair["right_id"], "text": pair["right"]} for pair in payload["pairs"]]
            shuffle.shuffle(lefts)
            shuffle.shuffle(rights)
            shown["lefts"], shown["rights"] = lefts, _unrevealing(rights, lefts, payload["pairs"])
        return shown

    def grade(self, response: Any) -> Grade:
        """Grade a learner's response against this item's key."""
        return grade(
            item_type=self.item_type,
            payload=self.payload,
            explanation=self.explanation,
            response=response,
        )


class SessionScope(models.TextChoices):
    UNIT = "unit", "One unit"
    QUALIFICATION = "qualification", "A whole qualification"
    DUE = "due", "Due now"


class PracticeSession(PublicModel):
    """A run of items fixed at start; its progress is derived from its attempts."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    scope = models.CharField(max_length=20, choices=SessionScope.choices)
    unit = models.ForeignKey(
        "content.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practice_sessions",
    )
    qualification = models.ForeignKey(
        "content.Qualification",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practice_sessions",
    )
    # Item uuids (as strings) in the order they are asked, interleaving units and types.
    item_order = models.JSONField(default=list)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=SessionScope.values), name="practicesession_scope_known"
            ),
            models.CheckConstraint(
                condition=~Q(scope=SessionScope.UNIT) | Q(unit__isnull=False),
                name="practicesession_unit_scope_has_unit",
            ),
            models.CheckConstraint(
                condition=~Q(scope=SessionScope.QUALIFICATION) | Q(qualification__isnull=False),
                name="practicesession_qualification_scope_has_qualification",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=models.F("started_at")),
                name="practicesession_finishes_after_start",
            ),
        ]
        indexes = [models.Index(fields=["learner", "started_at"])]

    def __str__(self) -> str:
        started = f"{self.started_at:%Y-%m-%d %H:%M}"
        return f"{self.get_scope_display()} session of {self.learner} at {started}"

    @property
    def item_count(self) -> int:
        return len(self.item_order)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Attempt(models.Model):
    """One answer to one item of a session: appended once, never rewritten.

    The response is stored first; its grade (is_correct, score, graded_at) is written once,
    straight after, and only while graded_at is still empty. Written answers stay ungraded
    here until the marking engine records its mark.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="attempts")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_attempts"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attempts")
    # Zero-based index into the session's item_order.
    position = models.PositiveIntegerField()
    response = models.JSONField()
    is_correct = models.BooleanField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # Issued with the form: a resubmit of the same form (reload, dropped connection) repeats it.
    client_token = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="attempt_one_per_session_position"
            ),
            models.UniqueConstraint(
                fields=["session", "client_token"], name="attempt_client_token_unique"
            ),
            models.CheckConstraint(
                condition=Q(graded_at__isnull=True, is_correct__isnull=True, score__isnull=True)
                | Q(
                    graded_at__isnull=False,
                    is_correct__isnull=False,
                    score__gte=0,
                    score__lte=1,
                ),
                name="attempt_graded_all_or_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.position + 1} of session {self.session_id}"

    @property
    def is_graded(self) -> bool:
        return self.graded_at is not None


def _unrevealing(
    rights: list[dict[str, str]], lefts: list[dict[str, str]], pairs: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Rotate shuffled right-hand sides until they neither sit beside their own left-hand side
    nor keep the stored order; either would give the answer away. A shuffle lands on one of
    them now and then (1 in 60 for five pairs)."""
    partner = {pair["left_id"]: pair["right_id"] for pair in pairs}
    aligned = [partner[left["id"]] for left in lefts]
    stored = [pair["right_id"] for pair in pairs]
    for turn in range(len(rights)):
        rotated = rights[turn:] + rights[:turn]
        ids = [right["id"] for right in rotated]
        if ids != aligned and ids != stored:
            return rotated
    return rights
