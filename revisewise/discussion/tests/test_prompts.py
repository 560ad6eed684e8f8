from __future__ import annotations

from revisewise.discussion.prompts import (
    Source,
    assign_criteria,
    criterion_core,
    criterion_question,
    objective_question,
    prompts_for_session,
    prompts_for_unit,
)
from revisewise.discussion.tests.factories import CRITERIA, GUIDANCE, OBJECTIVES

OBJECTIVE_ROWS = [Source(id=10 + i, text=text) for i, text in enumerate(OBJECTIVES)]
CRITERION_ROWS = [Source(id=20 + i, text=text) for i, text in enumerate(CRITERIA)]
GUIDANCE_ROWS = [Source(id=30 + i, text=text) for i, text in enumerate(GUIDANCE)]


def _prompts():
    return prompts_for_unit(
        objectives=OBJECTIVE_ROWS, criteria=CRITERION_ROWS, guidance=GUIDANCE_ROWS
    )


def test_it_builds_one_prompt_per_objective_then_one_per_criterion():
    prompts = _prompts()

    assert [p.basis for p in prompts] == ["objective", "objective", "criterion", "criterion"]
    assert [p.source.id for p in prompts] == [10, 11, 20, 21]


def test_it_quotes_the_content_it_cites_in_every_question():
    for prompt in _prompts():
        cited = prompt.source.text
        wording = criterion_core(cited) if prompt.basis == "criterion" else cited
        # The question frames the content's own words; it adds no facts of its own.
        core = wording.split(" ", 1)[1].rstrip(".")
        assert core in prompt.text
        assert prompt.text.endswith("What did you do, and why?")


def test_it_marks_each_objective_against_the_criterion_it_shares_words_with():
    escalation, relationship = _prompts()[:2]

    assert escalation.pass_criteria == (CRITERION_ROWS[0],)
    assert relationship.pass_criteria == (CRITERION_ROWS[1],)
    assert escalation.distinction_criteria[0] == GUIDANCE_ROWS[0]
    assert relationship.distinction_criteria[0] == GUIDANCE_ROWS[1]


def test_it_is_deterministic():
    first, second = _prompts(), _prompts()

    assert [p.as_json() for p in first] == [p.as_json() for p in second]
    assert len({p.key for p in first}) == len(first)


def test_it_changes_a_prompts_key_when_its_source_text_changes():
    changed = [Source(id=10, text=OBJECTIVES[0] + " in a call centre"), OBJECTIVE_ROWS[1]]
    before = _prompts()[0].key
    after = prompts_for_unit(objectives=changed, criteria=CRITERION_ROWS, guidance=())[0].key

    assert before != after


def test_it_turns_objectives_into_competency_questions():
    assert objective_question("Understand customer retention") == (
        "Tell me about a time your work depended on understanding customer retention. "
        "What did you do, and why?"
    )
    assert objective_question("Be able to develop effective relationships with customers") == (
        "Tell me about a time you had to develop effective relationships with customers. "
        "What did you do, and why?"
    )
    assert objective_question("Understand Customer Relationship Management (CRM)").startswith(
        "Tell me about a time your work depended on understanding Customer Relationship"
    )


def test_it_turns_criteria_into_questions_without_the_assessors_preamble():
    assert criterion_question(CRITERIA[0]).startswith(
        "Give me an example from your own work of articulating clear escalation criteria"
    )
    assert "Award credit" not in criterion_question(CRITERIA[0])
    question = criterion_question(
        "Assess the learner's ability to review customer history before making referrals."
    )
    assert question.startswith("Describe a situation where you had to review customer history")


def test_it_chooses_objectives_first_and_clamps_the_session_length():
    prompts = _prompts()

    assert [p.source.id for p in prompts_for_session(prompts, count=3)] == [10, 11, 20]
    assert len(prompts_for_session(prompts, count=1)) == 2
    assert len(prompts_for_session(prompts, count=99)) == 4


def test_a_criterion_stays_with_its_own_objective_when_a_neighbour_shares_a_word():
    objectives = [
        Source(id=1, text="Understand customer complaints"),
        Source(id=2, text="Understand authority limits and commercial factors"),
    ]
    criteria = [
        Source(id=3, text="Award credit for explaining complaints and authority limits."),
        Source(id=4, text="Award credit for evaluating commercial factors."),
    ]

    assigned = assign_criteria(objectives, criteria)

    assert {key: [c.id for c in value] for key, value in assigned.items()} == {1: [3], 2: [4]}
