"""End-point assessment: assessment plans as sourced data, and timed mock knowledge tests.

An `AssessmentPlan` is what an apprenticeship standard's assessment plan says about its
end-point assessment: its methods (`AssessmentMethod`), and for each its duration, number and
kind of questions, grade boundaries (`GradeBoundary`) and grading rules, each with where the
fact comes from and a note when it is uncertain.

A `MockTest` is one learner's sitting of a mock knowledge test: its items fixed at start, its
deadline stored (`started_at` + duration), its answers appended as `MockAnswer` rows. The
latest counting answer per question is the one that is marked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from revisewise.core.models import PublicModel


class MethodKind(models.TextChoices):
    KNOWLEDGE_TEST = "knowledge_test", "Knowledge test"
    OBSERVATION_WITH_QUESTIONS = (
        "observation_with_questions",
        "Practical observation with questions",
    )
    PROJECT_WITH_INTERVIEW = "project_with_interview", "Work-based project with interview"
    PROJECT_PRESENTATION = "project_presentation", "Project presentation with questions"
    PORTFOLIO_INTERVIEW = "portfolio_interview", "Portfolio-based interview"
    PROFESSIONAL_DISCUSSION = "professional_discussion", "Professional discussion"
    OTHER = "other", "Other"


class QuestionKind(models.TextChoices):
    NONE = "", "Not stated"
    MCQ_FOUR_OPTION = "mcq_four_option", "Multiple choice, four options, one correct"
    OPEN = "open", "Open questions asked by the assessor"
    COMPETENCY = "competency", "Competency-based questions"


class AssessmentPlan(PublicModel):
    """One qualification's end-point assessment plan, with the document it comes from."""

    qualification = models.OneToOneField(
        "content.Qualification", on_delete=models.CASCADE, related_name="assessment_plan"
    )
    standard_code = models.CharField(max_length=20)
    standard_title = models.CharField(max_length=300)
    # The document every fact comes from unless a method names another.
    source_title = models.CharField(max_length=500)
    source_version = models.CharField(max_length=100, blank=True)
    source_date = models.CharField(max_length=20, blank=True, help_text="YYYY, YYYY-MM or date")
    source_url = models.URLField(max_length=500, blank=True)
    grades = models.JSONField(
        default=list, help_text="The overall grades, lowest first, e.g. Fail, Pass, Distinction."
    )
    notes = models.TextField(blank=True)
    # Where the plan was authored: the YAML file and line, or "admin".
    source_file = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["standard_code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(standard_code=""), name="assessmentplan_has_standard_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard_code} assessment plan"

    @property
    def knowledge_test(self) -> AssessmentMethod | None:
        return next(
            (m for m in self.methods.all() if m.kind == MethodKind.KNOWLEDGE_TEST),
            None,
        )


class AssessmentMethod(PublicModel):
    """One assessment method of a plan; every fact carries its source or an uncertainty note."""

    plan = models.ForeignKey(AssessmentPlan, on_delete=models.CASCADE, related_name="methods")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=40, choices=MethodKind.choices)
    name = models.CharField(max_length=300)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    question_count = models.PositiveIntegerField(null=True, blank=True)
    question_kind = models.CharField(
        max_length=30, choices=QuestionKind.choices, default=QuestionKind.NONE, blank=True
    )
    grading_rules = models.TextField(blank=True)
    # Where in the source the facts above are stated (section, page), and corroborating sources.
    source = models.TextField(blank=True)
    # Set when a fact is uncertain: which one, and why. Shown beside the method.
    uncertain_note = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MethodKind.values), name="assessmentmethod_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(question_kind__in=QuestionKind.values),
                name="assessmentmethod_question_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0),
                name="assessmentmethod_duration_positive",
            ),
            models.CheckConstraint(
                condition=Q(question_count__isnull=True) | Q(question_count__gt=0),
                name="assessmentmethod_question_count_positive",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(kind="knowledge_test"),
                name="assessmentmethod_one_knowledge_test_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GradeBoundary(models.Model):
    """Marks from `min_marks` to `max_marks` (inclusive) earn `grade` on one method."""

    method = models.ForeignKey(
        AssessmentMethod, on_delete=models.CASCADE, related_name="boundaries"
    )
    grade = models.CharField(max_length=40)
    min_marks = models.PositiveIntegerField()
    max_marks = models.PositiveIntegerField()

    class Meta:
        ordering = ["method", "min_marks"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_marks__gte=F("min_marks")), name="gradeboundary_min_not_above_max"
            ),
            models.UniqueConstraint(fields=["method", "grade"], name="gradeboundary_grade_unique"),
            models.UniqueConstraint(
                fields=["method", "min_marks"], name="gradeboundary_min_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.min_marks}-{self.max_marks}"


class FinishReason(models.TextChoices):
    SUBMITTED = "submitted", "Submitted by the learner"
    TIMED_OUT = "timed_out", "Time ran out"


class MockTest(PublicModel):
    """A learner's timed mock knowledge test: items fixed and deadline stored at start."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mock_tests"
    )
    qualification = models.ForeignKey(
        "content.Qualification", on_delete=models.CASCADE, related_name="mock_tests"
    )
    method = models.ForeignKey(AssessmentMethod, on_delete=models.PROTECT, related_name="mocks")
    # Item uuids (as strings) in the order they are asked.
    item_order = models.JSONField(default=list)
    # What the plan asks for; item_order may be shorter when the bank is small.
    planned_count = models.PositiveIntegerField()
    duration_seconds = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    # The plan's boundaries as used for this mock: [{"grade", "min", "max"}] over `plan_total`.
    boundaries = models.JSONField(default=list)
    plan_total = models.PositiveIntegerField()
    # Plain words about how the mock differs from the plan (small bank, configured small).
    assembly_note = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finish_reason = models.CharField(max_length=20, choices=FinishReason.choices, blank=True)
    # Written once, at finalising.
    correct_count = models.PositiveIntegerField(null=True, blank=True)
    grade = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=F("started_at")), name="mocktest_deadline_after_start"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True, correct_count__isnull=True, grade="")
                | Q(finished_at__isnull=False, correct_count__isnull=False),
                name="mocktest_result_with_finish",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("started_at")),
                name="mocktest_finishes_after_start",
            ),
        ]
        indexes = [models.Index(fields=["learner", "qualification", "started_at"])]

    def __str__(self) -> str:
        return f"Mock test of {self.learner} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def question_count(self) -> int:
        return len(self.item_order)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> float:
        if self.correct_count is None or not self.item_order:
            return 0.0
        return round(100 * self.correct_count / len(self.item_order), 1)


class MockAnswer(models.Model):
    """One answer given to one question of a mock: appended, never rewritten.

    A learner may change an answer before the deadline: the latest counting row for a position
    is the one marked. An answer that arrives after the deadline is kept (`counts` false) so
    nothing the learner sent is lost, but it is never marked.
    """

    mock = models.ForeignKey(MockTest, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveIntegerField()
    item = models.ForeignKey("practice.Item", on_delete=models.PROTECT, related_name="mock_answers")
    response = models.JSONField()
    is_correct = models.BooleanField()
    counts = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["mock", "position", "created_at", "pk"]
        indexes = [models.Index(fields=["mock", "position"])]

    def __str__(self) -> str:
        return f"Answer to question {self.position + 1} of {self.mock_id}"
