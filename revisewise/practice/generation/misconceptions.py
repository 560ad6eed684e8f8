"""Misconception/correction pairs: true/false, "which is the misconception" and select-all."""

from __future__ import annotations

from revisewise.practice.generation import distractors, payloads
from revisewise.practice.generation.normalise import ensure_full_stop, overlap
from revisewise.practice.generation.sources import Candidate, Source, UnitContent


def true_statements(sources: list[Source], *, besides: set[str]) -> list[str]:
    """Return the first sentence of each correction: true statements taken from the content."""
    statements = []
    for source in sources:
        if source.label in besides or not source.text:
            continue
        statement = ensure_full_stop(_first_sentence(source.text))
        if 30 <= len(statement) <= 160 and not statement.startswith(("While ", "Although ")):
            statements.append(statement)
    return statements


def _first_sentence(text: str) -> str:
    head, _, _ = text.partition(". ")
    return head.strip()


def generate(content: UnitContent) -> list[Candidate]:
    own = _distinct(content.of_kind("misconception"))
    pool = content.pool_of_kind("misconception")
    candidates: list[Candidate] = []
    for source in own:
        statement = ensure_full_stop(source.name)
        correction = ensure_full_stop(source.text)
        candidates.append(
            Candidate(
                rule="misconception-true-false",
                source=source,
                item_type="true_false",
                stem=f"True or false? {statement}",
                payload={"answer": False},
                explanation=f"False: this is a common misconception. {correction}",
            )
        )
        wrong = distractors.choose(
            answer=statement,
            pool=[
                text
                for text in true_statements(pool, besides={source.label})
                if overlap(text, statement) < 0.3
            ],
            count=3,
        )
        if len(wrong) >= 2:
            candidates.append(
                Candidate(
                    rule="misconception-which",
                    source=source,
                    item_type="mcq_single",
                    stem="Which of these statements is a misconception?",
                    payload=payloads.single(answer=statement, distractors=wrong),
                    explanation=f"'{source.name}' is a misconception. {correction}",
                )
            )
    if len(own) >= 2:
        candidates.append(_select_all(own, pool))
    return [candidate for candidate in candidates if candidate is not None]


def _distinct(sources: list[Source]) -> list[Source]:
    seen: set[str] = set()
    result = []
    for source in sources:
        if source.name and source.label not in seen:
            seen.add(source.label)
            result.append(source)
    return result


def _select_all(own: list[Source], pool: list[Source]) -> Candidate:
    answers = [ensure_full_stop(source.name) for source in own[:3]]
    statements = [
        text
        for text in true_statements(pool, besides=set())
        if all(overlap(text, answer) < 0.3 for answer in answers)
    ]
    target = sorted(answers, key=len)[len(answers) // 2]
    wrong = distractors.choose(answer=target, pool=statements, count=2, excluded=answers)
    return Candidate(
        rule="misconception-select",
        source=own[0],
        item_type="mcq_multi",
        stem="Which of these statements are misconceptions? Select all that apply.",
        payload=payloads.multi(answers=answers, distractors=wrong),
        explanation=" ".join(
            f"'{source.name}' is a misconception: {ensure_full_stop(source.text)}"
            for source in own[:3]
        ),
        source_sentence=" ".join(source.sentence for source in own[:3]),
    )
