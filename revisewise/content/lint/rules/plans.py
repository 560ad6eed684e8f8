"""RW4xx: content that contradicts its qualification's end-point assessment plan.

A qualification with an assessment plan (the epa app) states how learners are assessed: its
methods, the knowledge test's questions and time, the grades awarded. Revision content that says
otherwise teaches learners to expect an assessment they will not sit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from revisewise.content.lint.corpus import Located, located_texts
from revisewise.content.lint.registry import rule
from revisewise.content.lint.types import Corpus, PlanDoc, Problem, Severity

NUMBER_WORDS = {
    "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "ninety": 90, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
}  # fmt: skip
_NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Words that place a sentence in the knowledge test, and words that place it elsewhere.
_TEST = re.compile(r"\b(knowledge test|multiple[- ]choice|exam|examination|test)\b", re.I)
_OTHER_METHOD = re.compile(
    r"\b(interview|discussion|presentation|observation|project|portfolio)\b", re.I
)
_QUESTIONS = re.compile(
    rf"\b{_NUMBER}\s+(?:(?:four|4)[- ]option\s+)?(?:multiple[- ]choice\s+)?questions\b", re.I
)
_DURATION = re.compile(rf"\b{_NUMBER}[\s-]*(minutes?|mins?|hours?)\b", re.I)
_GRADE = re.compile(r"\b(Merit|Distinction\*|Distinction star)(?!\w)|\bmerit grade\b")
_KNOWLEDGE_TEST = re.compile(
    r"\b(knowledge test|multiple[- ]choice (?:test|exam|questions?)|written (?:exam|test)|"
    r"exam paper|online test)s?\b",
    re.I,
)
_EXAM_WORDING = re.compile(r"\b(exams?|examinations?|examiners?|assignments?)\b", re.I)


def _number(value: str) -> int:
    return NUMBER_WORDS[value.lower()] if value.lower() in NUMBER_WORDS else int(value)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _planned(corpus: Corpus) -> Iterator[tuple[Located, PlanDoc]]:
    for found in located_texts(corpus):
        if found.qualification.plan is not None:
            yield found, found.qualification.plan


def _problem(found: Located, message: str) -> Problem:
    return Problem(
        message=message,
        qualification=found.qualification.slug,
        unit=found.unit.slug if found.unit else "",
        section=found.section,
        source=found.path,
        line=found.line,
    )


def _cite(plan: PlanDoc) -> str:
    return f"{plan.standard_code} assessment plan"


@rule("RW401", Severity.ERROR, "A grade the assessment plan does not award")
def grade_not_in_plan(corpus: Corpus) -> Iterator[Problem]:
    """Content promising a grade (Merit, Distinction*) that the end-point assessment does not
    award: learners aim for, and quote, a grade that does not exist."""
    for found, plan in _planned(corpus):
        named = {m.group(0).replace(" grade", "").title() for m in _GRADE.finditer(found.text)}
        missing = sorted(g for g in named if g not in plan.grades)
        if missing:
            yield _problem(
                found,
                f"Names the grade {', '.join(repr(g) for g in missing)}, but the {_cite(plan)} "
                f"awards only {', '.join(plan.grades)}: '{found.text[:160]}'.",
            )


@rule("RW402", Severity.ERROR, "Knowledge test described differently from the plan")
def knowledge_test_facts(corpus: Corpus) -> Iterator[Problem]:
    """A different number of questions or a different time for the knowledge test than the
    plan states: learners pace themselves on the wrong numbers."""
    for found, plan in _planned(corpus):
        test = plan.knowledge_test
        if test is None:
            continue
        for sentence in _sentences(found.text):
            if not _TEST.search(sentence) or _OTHER_METHOD.search(sentence):
                continue
            for match in _QUESTIONS.finditer(sentence):
                count = _number(match.group(1))
                if test.question_count and count != test.question_count:
                    yield _problem(
                        found,
                        f"Says the knowledge test has {count} questions; the {_cite(plan)} "
                        f"says {test.question_count}: '{sentence[:160]}'.",
                    )
            for match in _DURATION.finditer(sentence):
                minutes = _number(match.group(1)) * (60 if match.group(2)[0] in "hH" else 1)
                if test.duration_minutes and minutes != test.duration_minutes:
                    yield _problem(
                        found,
                        f"Says the knowledge test lasts {match.group(0)}; the {_cite(plan)} "
                        f"says {test.duration_minutes} minutes: '{sentence[:160]}'.",
                    )


@rule("RW403", Severity.ERROR, "A knowledge test the plan does not have")
def knowledge_test_not_in_plan(corpus: Corpus) -> Iterator[Problem]:
    """Content describing a knowledge test or multiple-choice exam for a standard whose
    end-point assessment has none: learners revise for the wrong assessment."""
    for found, plan in _planned(corpus):
        if plan.knowledge_test is None and (match := _KNOWLEDGE_TEST.search(found.text)):
            methods = ", ".join(m.name.lower() for m in plan.methods)
            yield _problem(
                found,
                f"Mentions a {match.group(0).lower()}, but the {_cite(plan)} has no knowledge "
                f"test (its methods: {methods}): '{found.text[:160]}'.",
            )


@rule("RW404", Severity.WARNING, "Exam wording for an assessment without an exam")
def exam_wording_without_exam(corpus: Corpus) -> Iterator[Problem]:
    """Exams, examiners and assignments in content for a standard assessed by observation,
    project and discussion: the advice may be right, but it describes another kind of
    assessment (an independent assessor, not an examiner, grades the end-point assessment)."""
    for found, plan in _planned(corpus):
        if plan.knowledge_test is not None or _KNOWLEDGE_TEST.search(found.text):
            continue
        words = sorted({m.group(0).lower() for m in _EXAM_WORDING.finditer(found.text)})
        if words:
            yield _problem(
                found,
                f"Speaks of {', '.join(repr(w) for w in words)}, but the {_cite(plan)} has no "
                f"exam: '{found.text[:160]}'.",
            )
