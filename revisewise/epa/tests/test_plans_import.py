from __future__ import annotations

from pathlib import Path

import pytest

from revisewise.content.models import Qualification
from revisewise.content.services import content_import_paths, qualification_export_yaml
from revisewise.content.tests.factories import SEEDS_DIR
from revisewise.epa.models import AssessmentMethod, AssessmentPlan, GradeBoundary, MethodKind
from revisewise.epa.services import DEMO_PLANS_DIR, plans_seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded_plans():
    assert content_import_paths(paths=[SEEDS_DIR]).ok
    return plans_seed_demo()


def test_it_imports_the_demo_plans_with_their_facts(seeded_plans):
    assert seeded_plans == 2
    st0070 = AssessmentPlan.objects.get(standard_code="ST0070")
    test = st0070.methods.get(kind=MethodKind.KNOWLEDGE_TEST)
    assert (test.question_count, test.duration_minutes, test.question_kind) == (
        50,
        60,
        "mcq_four_option",
    )
    assert [(b.grade, b.min_marks, b.max_marks) for b in test.boundaries.all()] == [
        ("Fail", 0, 29),
        ("Pass", 30, 39),
        ("Distinction", 40, 50),
    ]
    assert st0070.qualification.reference == "ST0070"
    assert st0070.source_date == "2020-09"
    st0071 = AssessmentPlan.objects.get(standard_code="ST0071")
    assert st0071.qualification.slug == "highfield-level-3-diploma-for-customer-service-skills-rqf"
    assert [m.kind for m in st0071.methods.all()] == [
        "observation_with_questions",
        "project_with_interview",
        "professional_discussion",
    ]
    discussion = st0071.methods.get(kind="professional_discussion")
    assert discussion.duration_minutes is None
    assert "not found" in discussion.uncertain_note
    assert all(m.source for m in AssessmentMethod.objects.all())


def test_it_is_idempotent(seeded_plans):
    uuids = sorted(str(u) for u in AssessmentMethod.objects.values_list("uuid", flat=True))
    assert plans_seed_demo() == 2
    assert sorted(str(u) for u in AssessmentMethod.objects.values_list("uuid", flat=True)) == uuids
    assert GradeBoundary.objects.count() == 3


def test_export_import_export_is_byte_identical(seeded_plans, tmp_path):
    first = qualification_export_yaml(qualifications=Qualification.objects.all())
    assert "revisewise_plan: 1" in first
    (tmp_path / "all.yaml").write_text(first)
    AssessmentPlan.objects.all().delete()
    report = content_import_paths(paths=[tmp_path / "all.yaml"])
    assert report.ok, report.errors
    assert AssessmentPlan.objects.count() == 2
    assert qualification_export_yaml(qualifications=Qualification.objects.all()) == first


PLAN = """\
---
revisewise_plan: 1
qualification: {slug}
standard:
  code: ST0070
  title: Business administrator
source:
  title: Assessment plan
grades: [Fail, Pass, Distinction]
methods:
- kind: knowledge_test
  name: Knowledge test
  duration_minutes: 60
  question_count: 50
  question_kind: mcq_four_option
  source: Section 3
  boundaries:
  - {{grade: Fail, min: 0, max: 29}}
  - {{grade: Pass, min: 30, max: 39}}
  - {{grade: Distinction, min: 40, max: 50}}
"""


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("slug", "no-such-qualification"), 2, "no qualification with the slug"),
        (("min: 30, max: 39", "min: 31, max: 39"), 11, "gap or overlap at 30 marks"),
        (("max: 50", "max: 49"), 11, "end at 49 marks, not at the question count 50"),
        (("grade: Pass,", "grade: Merit,"), 19, "'Merit' is not one of the plan's grades"),
        (("kind: knowledge_test", "kind: exam"), 11, "unknown method kind 'exam'"),
        (("duration_minutes: 60", "duration_minutes: -5"), 11, "whole number above 0"),
        (("  duration_minutes: 60\n", ""), 11, "needs 'question_count' and 'duration_minutes'"),
        (("  source: Section 3\n", ""), 11, "'source' is required"),
        (("grades: [Fail, Pass, Distinction]", "grades: Fail"), 2, "'grades' must be a list"),
    ],
)
def test_bad_plans_name_file_and_line_and_write_nothing(
    seeded_plans, tmp_path, change, line, message
):
    AssessmentPlan.objects.all().delete()
    text = PLAN.format(slug="business-administrator-level-3-st0070")
    if change[0] == "slug":
        text = PLAN.format(slug=change[1])
    else:
        assert change[0] in text
        text = text.replace(change[0], change[1])
    Path(tmp_path / "plan.yaml").write_text(text)

    report = content_import_paths(paths=[tmp_path / "plan.yaml"])

    assert not report.ok
    (error,) = report.errors
    assert (error.file, error.line) == ("plan.yaml", line)
    assert message in error.reason
    assert AssessmentPlan.objects.count() == 0


def test_a_good_plan_file_imports(seeded_plans, tmp_path):
    AssessmentPlan.objects.all().delete()
    (tmp_path / "plan.yaml").write_text(PLAN.format(slug="business-administrator-level-3-st0070"))
    assert content_import_paths(paths=[tmp_path / "plan.yaml"]).ok
    assert AssessmentPlan.objects.get().methods.get().boundaries.count() == 3


def test_the_demo_plans_folder_holds_one_file_per_standard():
    assert sorted(p.name for p in DEMO_PLANS_DIR.glob("*.yaml")) == ["ST0070.yaml", "ST0071.yaml"]
