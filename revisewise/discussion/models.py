"""Discussion practice: a session of competency prompts, the answers given and their marks.

- `DiscussionSession`: one practice discussion on one unit; the prompts are snapshotted when it
  starts (text and the content rows they cite), so later content edits never change what the
  learner was asked or what their answers were marked against.
- `DiscussionAnswer`: one written answer to one prompt (append-only; answering a prompt again
  adds a row, the newest is the one shown). Stored before it is marked.
- `DiscussionMark`: one run of the marking engine on one answer (append-only; a re-mark is a
  new row), with the engine's name and version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from revisewise.core.models import PublicModel

MAX_ANSWER_CHARS = 10_000
DEFAULT_TIME_GUIDANCE_MINUTES = 60


class DiscussionSession(PublicModel):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_sessions"
    )
    qualification = models.ForeignKey(
        "content.Qualification", on_delete=models.CASCADE, related_name="discussion_sessions"
    )
    unit = models.ForeignKey(
        "content.Unit", on_delete=models.CASCADE, related_name="discussion_sessions"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    time_guidance_minutes = models.PositiveSmallIntegerField()
    # Where the guidance comes from: the assessment plan's method and source, or "default".
    time_guidance_source = models.CharField(max_length=500)
    # [Prompt.as_json(), ...] in the order they are asked.
    prompts = models.JSONField()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("started_at")),
                name="discussion_session_finishes_after_start",
            ),
            models.CheckConstraint(
                condition=Q(time_guidance_minutes__gte=1),
                name="discussion_session_guidance_positive",
            ),
        ]
        indexes = [models.Index(fields=["learner", "started_at"])]

    def __str__(self) -> str:
        return f"Discussion on {self.unit_id} by {self.learner_id}"

    @property
    def prompt_count(self) -> int:
        return len(self.prompts)


class DiscussionAnswer(PublicModel):
    session = models.ForeignKey(DiscussionSession, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    prompt_key = models.CharField(max_length=80)
    prompt_text = models.TextField()
    text = models.TextField()

    class Meta:
        ordering = ["position", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__gte=1), name="discussion_answer_position_from_one"
            ),
        ]
        indexes = [models.Index(fields=["session", "position", "created_at"])]

    def __str__(self) -> str:
        return f"Answer {self.position} of session {self.session_id}"


class DiscussionMark(PublicModel):
    answer = models.ForeignKey(DiscussionAnswer, on_delete=models.CASCADE, related_name="marks")
    engine_name = models.CharField(max_length=80)
    engine_version = models.CharField(max_length=40)
    label = models.CharField(max_length=20)
    score = models.FloatField()
    grade_band = models.CharField(max_length=20, blank=True)
    # {"pass": MarkResult as JSON, "distinction": MarkResult as JSON, "structure": [...]}.
    result = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="discussion_mark_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.score:.2f}) by {self.engine_name} {self.engine_version}"
