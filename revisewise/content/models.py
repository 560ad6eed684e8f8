"""The content model: subjects, awarding bodies, qualifications, units and their items.

A unit's sections (objectives, criteria, tips, ...) are rows of one table, `ContentItem`, told
apart by `kind`. Items that belong to the whole qualification (its generic tips and
misconceptions that repeat on every unit) have no unit and are shown on every unit of it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from revisewise.core.models import PublicModel, TimeStampedModel


class Subject(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AwardingBody(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "awarding bodies"

    def __str__(self) -> str:
        return self.name


class QualificationType(models.TextChoices):
    RQF_DIPLOMA = "rqf_diploma", "RQF diploma"
    RQF_CERTIFICATE = "rqf_certificate", "RQF certificate"
    RQF_AWARD = "rqf_award", "RQF award"
    APPRENTICESHIP_STANDARD = "apprenticeship_standard", "Apprenticeship standard"
    OTHER = "other", "Other"


class Qualification(PublicModel):
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="qualifications")
    awarding_body = models.ForeignKey(
        AwardingBody, on_delete=models.PROTECT, related_name="qualifications"
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    qualification_type = models.CharField(
        max_length=40, choices=QualificationType.choices, default=QualificationType.OTHER
    )
    # The standard's or qualification's reference, e.g. ST0070 or 603/xxxx/x; blank when unknown.
    reference = models.CharField(max_length=40, blank=True)
    # The family the awarding body files it under, e.g. "End-Point Assessment".
    family = models.CharField(max_length=200, blank=True)
    overview = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=8),
                name="qualification_level_between_1_and_8",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:qualification-detail", kwargs={"slug": self.slug})


class Unit(PublicModel):
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="units")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300)
    synopsis = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    # What the source page claimed ("4 Assessment Criteria", ...), kept so the lint can compare
    # the claims with the content. Pages never show these: they count the content itself.
    stated_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["qualification", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "slug"], name="unit_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "content:unit-detail",
            kwargs={"qualification_slug": self.qualification.slug, "slug": self.slug},
        )


class ItemKind(models.TextChoices):
    """A section of a unit. `name` and `text` mean different things per kind (see below)."""

    OBJECTIVE = "objective", "Learning objective"  # text
    CRITERION = "criterion", "Assessment criterion"  # text: an examiner marking point
    TIP = "tip", "Exam tip"  # text: exam tips and assessment guidance
    MISTAKE = "mistake", "Common mistake"  # text
    MISCONCEPTION = "misconception", "Misconception"  # name: the misconception; text: correction
    CONCEPT = "concept", "Key concept"  # name; text: explanation
    TERM = "term", "Key term"  # name; text: definition
    PREREQUISITE = "prerequisite", "Prerequisite"  # text
    FAQ = "faq", "Frequently asked question"  # name: question; text: answer


class ContentItem(PublicModel):
    """One bullet of a unit's section, or of the qualification's shared sections."""

    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="content_items"
    )
    # Null for content that belongs to the whole qualification and is shown on each unit.
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    # A stable identity for re-imports: a hash of the kind and the normalised name (or text).
    key = models.CharField(max_length=64)
    source_file = models.CharField(max_length=500, blank=True)
    source_line = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "key"],
                condition=Q(unit__isnull=False),
                name="content_item_unit_key_unique",
            ),
            models.UniqueConstraint(
                fields=["qualification", "kind", "key"],
                condition=Q(unit__isnull=True),
                name="content_item_qualification_key_unique",
            ),
            models.CheckConstraint(
                condition=~Q(name="") | ~Q(text=""), name="content_item_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["qualification", "kind"])]

    def __str__(self) -> str:
        return self.name or self.text[:80]

    @property
    def is_shared(self) -> bool:
        return self.unit_id is None


class SourceDocument(TimeStampedModel):
    """A file as it was last imported: its digest and what the importer read from it.

    The lint reads `parsed` to compare what different pages say about the same qualification
    (overviews, generic sections, counters), which the stored content keeps only once.
    """

    path = models.CharField(max_length=500, unique=True)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=20)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_documents"
    )
    parsed = models.JSONField(default=dict)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path


class ContentRevision(models.Model):
    """An append-only snapshot of a unit (or a qualification) after each change to it."""

    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="revisions"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    snapshot = models.JSONField()
    snapshot_sha256 = models.CharField(max_length=64)
    # Where the change came from: "import:<path>", "admin:<username>", "yaml:<path>".
    origin = models.CharField(max_length=500)
    summary = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit or self.qualification} @ {self.created_at:%Y-%m-%d %H:%M}"
