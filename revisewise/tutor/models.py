"""The tutor's retrieval index (one row per passage of content) and learners' conversations.

A passage is derived data (it can be rebuilt from the content at any time), so rows are updated
in place by `tutor_index_refresh`, which re-embeds only passages whose text or model changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from revisewise.content.models import ContentItem, Qualification, Unit
from revisewise.core.models import PublicModel, TimeStampedModel


class Passage(TimeStampedModel):
    """A retrievable piece of content: a unit's synopsis, one item, or an overview paragraph."""

    # Stable identity across refreshes: "item:<uuid>", "synopsis:<uuid>", "overview:<uuid>:<n>".
    source_key = models.CharField(max_length=120, unique=True)
    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="tutor_passages"
    )
    # Null for the qualification's own content, which belongs to every unit of it.
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="tutor_passages"
    )
    content_item = models.ForeignKey(
        ContentItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tutor_passages",
    )
    # The section heading as the seed pages name it, e.g. "Common Mistakes".
    section = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    # Indexed with the text but never shown: for a criterion, the objective it assesses.
    context = models.TextField(blank=True, default="")
    # sha256 of what is indexed and the embedding model: a change of either means re-embedding.
    content_hash = models.CharField(max_length=64)
    embedding = models.BinaryField()
    embedding_model = models.CharField(max_length=300)

    class Meta:
        ordering = ["qualification_id", "unit_id", "section", "position", "pk"]
        indexes = [models.Index(fields=["qualification", "unit"])]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:60]}"


class Conversation(PublicModel):
    """One learner's thread of questions to the tutor; only that learner can read it."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutor_conversations"
    )
    # The qualification the learner asked about first; searched first for every question.
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tutor_conversations",
    )
    title = models.CharField(max_length=120)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["learner", "-updated_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tutor:conversation", args=[self.uuid])


class Role(models.TextChoices):
    LEARNER = "learner", _("You")
    TUTOR = "tutor", _("Tutor")


class AnswerMode(models.TextChoices):
    OFFLINE = "offline", _("Answered from the course notes (offline)")
    LLM = "llm", _("Answered with the AI model, from the course notes")


class Message(PublicModel):
    """One turn of a conversation, never edited: the learner's question or the tutor's answer.

    `citations` holds, for a tutor message, a list of {"text", "quote", "label", "url"}: the
    sentence shown (offline: the quoted passage; AI: the model's point) and the checked quote and
    unit section it comes from. `notice` says why the AI model did not answer, when it did not.
    `text` is a refusal, the "not found" message, or the lead-in of an answer with parts.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField(blank=True)
    mode = models.CharField(max_length=10, choices=AnswerMode.choices, blank=True)
    citations = models.JSONField(default=list, blank=True)
    practice = models.JSONField(default=list, blank=True)
    notice = models.CharField(max_length=300, blank=True)
    # The prompt file that produced an AI answer, e.g. "tutor_answer.v2".
    prompt_key = models.CharField(max_length=60, blank=True)
    # For an answer: the earlier question the learner's question was read as a follow-up to.
    follows = models.TextField(blank=True, default="")
    # For an answer: what the learner should know about its sources ("Your course notes do not
    # define NPS", "Your units give two versions of LATER: ..."), from the content's own words.
    # `text` holds an answer's lead-in ("CSAT and NPS, as your unit defines them:") when it has one.
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["learner", "tutor"]), name="tutor_message_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(role="learner", mode="") | models.Q(role="tutor"),
                name="tutor_message_mode_only_for_answers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:60]}"

    @property
    def is_answer(self) -> bool:
        return self.role == Role.TUTOR


class UnitDraftStatus(models.TextChoices):
    DRAFT = "draft", _("Waiting for an author")
    APPROVED = "approved", _("Approved: the unit was created")
    DISCARDED = "discarded", _("Discarded")


class UnitDraft(PublicModel):
    """A new unit the AI model drafted from an author's specification, waiting for approval.

    `content` holds the model's checked reply (synopsis, concepts, mistakes, tips); `findings`
    the content lint's findings about the draft. Nothing here is visible to learners until an
    author approves it, which creates the real unit and its items.
    """

    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="tutor_unit_drafts"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="tutor_unit_drafts",
    )
    title = models.CharField(max_length=300)
    objectives = models.JSONField(default=list)
    criteria = models.JSONField(default=list)
    content = models.JSONField(default=dict)
    findings = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=UnitDraftStatus.choices, default=UnitDraftStatus.DRAFT
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="tutor_drafts"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "approved", "discarded"]),
                name="tutor_unit_draft_status_known",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_errors(self) -> bool:
        return any(finding.get("severity") == "error" for finding in self.findings)
