"""RW4xx: content against its qualification's assessment plan (rules on plain data, no database)."""

from __future__ import annotations

import pytest

from revisewise.content.lint.runner import corpus_lint
from revisewise.content.lint.types import Corpus, MethodDoc, PlanDoc
from revisewise.content.tests.test_lint_rules import qualification, section, unit

ST0070 = PlanDoc(
    standard_code="ST0070",
    grades=("Fail", "Pass", "Distinction"),
    methods=(
        MethodDoc("knowledge_test", "Knowledge test", 60, 50),
        MethodDoc("portfolio_interview", "Portfolio-based interview", 45, None),
    ),
)
ST0071 = PlanDoc(
    standard_code="ST0071",
    grades=("Fail", "Pass", "Distinction"),
    methods=(
        MethodDoc("observation_with_questions", "Practical observation with questions", 60),
        MethodDoc("professional_discussion", "Professional discussion"),
    ),
)


def codes(plan: PlanDoc | None, *tips: str) -> list[tuple[str, int | None, str]]:
    found = qualification(unit("admin", section("Assessment Guidance", *tips)), plan=plan)
    report = corpus_lint(corpus=Corpus(qualifications=(found,)))
    return [(f.code, f.line, f.message) for f in report.findings if f.code.startswith("RW4")]


def test_it_reports_a_merit_grade_the_plan_does_not_award():
    ((code, line, message),) = codes(ST0070, "Aim for a Merit by linking theory to practice.")
    assert (code, line) == ("RW401", 12)
    assert "'Merit'" in message
    assert "awards only Fail, Pass, Distinction" in message


def test_it_accepts_the_plans_own_grades_and_merit_as_a_common_word():
    assert codes(ST0070, "A Distinction needs 40 marks; a Pass needs 30.") == []
    assert codes(ST0070, "Judge each idea on its merits.") == []


@pytest.mark.parametrize(
    ("tip", "expected"),
    [
        ("The knowledge test has 40 multiple-choice questions.", "has 40 questions"),
        ("You have 90 minutes for the multiple-choice test.", "lasts 90 minutes"),
        ("The exam lasts 2 hours, so pace yourself.", "lasts 2 hours"),
        ("The knowledge test is sixty questions long: sixty questions in all.", "has 60 questions"),
    ],
)
def test_it_reports_a_knowledge_test_described_differently(tip, expected):
    found = codes(ST0070, tip)
    assert [code for code, _, _ in found] == ["RW402"] * len(found)
    assert found
    assert expected in found[0][2]


def test_it_accepts_the_plans_numbers_and_times_of_other_methods():
    assert codes(ST0070, "The knowledge test is 50 questions in 60 minutes.") == []
    assert codes(ST0070, "The test takes one hour: fifty questions.") == []
    assert codes(ST0070, "The interview lasts 45 minutes; the test is separate.") == []


def test_it_reports_a_knowledge_test_claimed_for_a_standard_without_one():
    found = codes(ST0071, "Practise the multiple-choice questions before the knowledge test.")
    assert [code for code, _, _ in found] == ["RW403"]
    assert "has no knowledge test" in found[0][2]
    assert "practical observation with questions" in found[0][2]


def test_it_warns_about_exam_wording_for_a_standard_without_an_exam():
    found = codes(ST0071, "Examiners value real examples.", "Observe the customer closely.")
    assert [(code, line) for code, line, _ in found] == [("RW404", 12)]
    assert "'examiners'" in found[0][2]


def test_a_standard_with_a_knowledge_test_may_speak_of_exams():
    assert codes(ST0070, "Examiners value real examples in the exam.") == []


def test_content_without_a_plan_is_not_checked():
    assert codes(None, "Aim for a Merit in the 40-question knowledge test.") == []
