"""Assessment-plan documents of the canonical YAML format (docs/content-format.md).

A plan document (`revisewise_plan: 1`) names the qualification it belongs to by slug and lists
the end-point assessment's methods with their durations, questions, grade boundaries, grading
rules, sources and uncertainty notes. It is read into frozen dataclasses here; `epa.services`
writes it to the database and exports it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from revisewise.content.importers.canonical import _LineDict, _Reader

PLAN_MARKER = "revisewise_plan"
PLAN_VERSION = 1
METHOD_KINDS = (
    "knowledge_test",
    "observation_with_questions",
    "project_with_interview",
    "project_presentation",
    "portfolio_interview",
    "professional_discussion",
    "other",
)
QUESTION_KINDS = ("", "mcq_four_option", "open", "competency")


@dataclass(frozen=True)
class CanonicalBoundary:
    grade: str
    min_marks: int
    max_marks: int


@dataclass(frozen=True)
class CanonicalMethod:
    uuid: str | None
    kind: str
    name: str
    duration_minutes: int | None
    question_count: int | None
    question_kind: str
    boundaries: tuple[CanonicalBoundary, ...]
    grading_rules: str
    source: str
    uncertain: str
    line: int


@dataclass(frozen=True)
class CanonicalPlan:
    uuid: str | None
    qualification_slug: str
    standard_code: str
    standard_title: str
    source_title: str
    source_version: str
    source_date: str
    source_url: str
    grades: tuple[str, ...]
    notes: str
    methods: tuple[CanonicalMethod, ...]
    line: int


def is_plan_document(document: Any) -> bool:
    return isinstance(document, dict) and PLAN_MARKER in document


def read_plan(reader: _Reader, root: _LineDict) -> CanonicalPlan:
    """Validate one plan document; raise `ContentFileError` naming the line of a problem."""
    if root.get(PLAN_MARKER) != PLAN_VERSION:
        raise reader.fail(f"expected '{PLAN_MARKER}: {PLAN_VERSION}'", root.line)
    standard = reader.mapping(root.get("standard"), "'standard'", root.line)
    source = reader.mapping(root.get("source"), "'source'", root.line)
    grades = root.get("grades")
    if not isinstance(grades, list) or not grades or not all(isinstance(g, str) for g in grades):
        raise reader.fail("'grades' must be a list of grade names, lowest first", root.line)
    if len(set(grades)) != len(grades):
        raise reader.fail("'grades' lists a grade twice", root.line)
    methods = root.get("methods")
    if not isinstance(methods, list) or not methods:
        raise reader.fail("'methods' must be a list of assessment methods", root.line)
    read = tuple(_method(reader, m, root.line, tuple(grades)) for m in methods)
    tests = [m for m in read if m.kind == "knowledge_test"]
    if len(tests) > 1:
        raise reader.fail("a plan has at most one knowledge test", tests[1].line)
    date = source.get("date", "")
    return CanonicalPlan(
        uuid=reader.uuid(root),
        qualification_slug=reader.text(root, "qualification", required=True),
        standard_code=reader.text(standard, "code", required=True),
        standard_title=reader.text(standard, "title", required=True),
        source_title=reader.text(source, "title", required=True),
        source_version=reader.text(source, "version"),
        source_date=str(date) if date is not None else "",
        source_url=reader.text(source, "url"),
        grades=tuple(grades),
        notes=reader.text(root, "notes"),
        methods=read,
        line=root.line,
    )


def _whole(reader: _Reader, data: _LineDict, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise reader.fail(f"'{key}' must be a whole number above 0", data.line)
    return value


def _method(reader: _Reader, value: Any, line: int, grades: tuple[str, ...]) -> CanonicalMethod:
    data = reader.mapping(value, "a method", line)
    kind = reader.text(data, "kind", required=True)
    if kind not in METHOD_KINDS:
        raise reader.fail(
            f"unknown method kind {kind!r}; use one of {', '.join(METHOD_KINDS)}", data.line
        )
    question_kind = reader.text(data, "question_kind")
    if question_kind not in QUESTION_KINDS:
        choices = ", ".join(k for k in QUESTION_KINDS if k)
        raise reader.fail(
            f"unknown question kind {question_kind!r}; use one of {choices}", data.line
        )
    count = _whole(reader, data, "question_count")
    method = CanonicalMethod(
        uuid=reader.uuid(data),
        kind=kind,
        name=reader.text(data, "name", required=True),
        duration_minutes=_whole(reader, data, "duration_minutes"),
        question_count=count,
        question_kind=question_kind,
        boundaries=_boundaries(reader, data, count, grades),
        grading_rules=reader.text(data, "grading_rules"),
        source=reader.text(data, "source", required=True),
        uncertain=reader.text(data, "uncertain"),
        line=data.line,
    )
    if kind == "knowledge_test" and (count is None or method.duration_minutes is None):
        raise reader.fail(
            "a knowledge test needs 'question_count' and 'duration_minutes'", data.line
        )
    return method


def _boundaries(
    reader: _Reader, data: _LineDict, count: int | None, grades: tuple[str, ...]
) -> tuple[CanonicalBoundary, ...]:
    """Read boundaries: contiguous, from 0 to the question count, in the plan's grades."""
    value = data.get("boundaries")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise reader.fail("'boundaries' must be a list of {grade, min, max}", data.line)
    if count is None:
        raise reader.fail(
            "grade boundaries need a 'question_count' to count marks out of", data.line
        )
    result = []
    for entry in value:
        row = reader.mapping(entry, "a boundary", data.line)
        grade = reader.text(row, "grade", required=True)
        low, high = row.get("min"), row.get("max")
        if grade not in grades:
            raise reader.fail(f"grade {grade!r} is not one of the plan's grades", row.line)
        if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high):
            raise reader.fail("'min' and 'max' must be whole numbers with min <= max", row.line)
        result.append(CanonicalBoundary(grade, low, high))
    result.sort(key=lambda b: b.min_marks)
    expected = 0
    for boundary in result:
        if boundary.min_marks != expected:
            raise reader.fail(
                f"the boundaries leave a gap or overlap at {expected} marks: every mark from 0 "
                f"to {count} must earn exactly one grade",
                data.line,
            )
        expected = boundary.max_marks + 1
    if result and expected != count + 1:
        raise reader.fail(
            f"the boundaries end at {expected - 1} marks, not at the question count {count}",
            data.line,
        )
    return tuple(result)
