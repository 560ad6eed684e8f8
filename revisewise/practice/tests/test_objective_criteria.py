from __future__ import annotations

import pytest

from revisewise.practice.generation.objectives import assign_criteria, generate, objectives_of
from revisewise.practice.generation.sources import Source, UnitContent
from revisewise.practice.services import unit_content_load


def _source(pk: int, kind: str, text: str, *, unit_id: int | None = 1) -> Source:
    return Source(pk=pk, key=str(pk), kind=kind, name="", text=text, unit_id=unit_id, position=pk)


def _content(*sources: Source) -> UnitContent:
    return UnitContent(unit_id=1, unit_title="Unit", sources=sources, pool=sources)


def _points_by_question(unit) -> dict[str, list[str]]:
    return {c.stem: c.payload["marking_points"] for c in generate(unit_content_load(unit=unit))}


@pytest.mark.django_db
def test_it_gives_each_seed_item_only_its_own_objectives_criteria(seeded_units):
    journey, performance, retention, relations = (_points_by_question(u) for u in seeded_units)
    commercial = journey[
        "Explain commercial factors and authority limits for delivering the required customer "
        "experience."
    ]
    assert [p.split()[0] for p in commercial] == ["Evaluating"]
    retention_item = retention[
        "Explain what is meant by customer retention and why it matters to an organisation."
    ]
    assert len(retention_item) == 1
    assert retention_item[0].startswith("Identifying at least two customer retention strategies")
    develop = relations["Describe how you would develop effective relationships with customers."]
    assert [p.split()[0] for p in develop] == ["Practical"]
    review = relations["Describe how you would review and improve relationships with customers."]
    assert [p.split()[0] for p in review] == ["Robust", "Evaluating"]
    assert [len(points) for points in performance.values()] == [2, 2]


@pytest.mark.django_db
def test_every_seed_criterion_marks_exactly_one_item(seeded_units):
    for unit in seeded_units:
        content = unit_content_load(unit=unit)
        assigned = assign_criteria(content, objectives_of(content))
        flat = [criterion.pk for run in assigned for criterion in run]
        own = [c.pk for c in content.of_kind("criterion") if c.unit_id == unit.pk]
        assert flat == own, unit.title


def test_it_keeps_page_order_when_a_neighbour_shares_a_word():
    content = _content(
        _source(1, "objective", "Understand customer complaints"),
        _source(2, "objective", "Understand authority limits and commercial factors"),
        _source(3, "criterion", "Award credit for explaining complaints and authority limits."),
        _source(4, "criterion", "Award credit for evaluating commercial factors."),
    )
    assigned = assign_criteria(content, objectives_of(content))
    assert [[c.pk for c in run] for run in assigned] == [[3], [4]]


def test_an_objective_without_a_criterion_of_its_own_gets_no_written_item():
    content = _content(
        _source(1, "objective", "Understand customer retention"),
        _source(2, "objective", "Understand customer satisfaction surveys"),
        _source(3, "objective", "Understand complaint handling"),
        _source(4, "criterion", "Award credit for explaining satisfaction surveys and NPS."),
        _source(5, "criterion", "Award credit for describing how complaints are handled."),
        _source(6, "criterion", "Award credit for a shared rule.", unit_id=None),
    )
    assigned = assign_criteria(content, objectives_of(content))
    assert [[c.pk for c in run] for run in assigned] == [[], [4], [5]]
    questions = [candidate.stem for candidate in generate(content)]
    assert len(questions) == 2
    assert not any("retention" in question for question in questions)


def test_the_assignment_is_deterministic_when_nothing_is_shared():
    content = _content(
        _source(1, "objective", "Understand alpha"),
        _source(2, "objective", "Understand beta"),
        _source(3, "criterion", "Award credit for gamma."),
        _source(4, "criterion", "Award credit for delta."),
        _source(5, "criterion", "Award credit for epsilon."),
    )
    first = assign_criteria(content, objectives_of(content))
    assert first == assign_criteria(content, objectives_of(content))
    assert [[c.pk for c in run] for run in first] == [[3], [4, 5]]
