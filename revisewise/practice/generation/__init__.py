"""The offline item generator: plain data in (a unit's content), candidate items out.

Deterministic and without network: the same content always yields the same candidates, in the
same order, with the same source keys. Storage is `revisewise.practice.services`' business.
"""

from __future__ import annotations

from revisewise.practice.generation import (
    concepts,
    legislation,
    misconceptions,
    named_models,
    objectives,
    tips,
)
from revisewise.practice.generation.sources import GENERATOR_VERSION, Candidate, UnitContent
from revisewise.practice.generation.validator import validate

GENERATORS = (
    concepts.generate,
    named_models.generate,
    legislation.generate,
    misconceptions.generate,
    tips.generate,
    objectives.generate,
)

__all__ = ["GENERATOR_VERSION", "Candidate", "UnitContent", "generate_unit"]


def generate_unit(content: UnitContent) -> list[Candidate]:
    """Return every candidate for the unit, validated, with its objective mapped."""
    unit_objectives = objectives.objectives_of(content)
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for generator in GENERATORS:
        for candidate in generator(content):
            if candidate.source_key in seen:
                continue
            seen.add(candidate.source_key)
            if candidate.objective_pk is None:
                target = objectives.closest(
                    f"{candidate.stem} {candidate.source.sentence}", unit_objectives
                )
                candidate.objective_pk = target.source.pk if target else None
            candidate.rejection_reasons = validate(
                item_type=candidate.item_type,
                stem=candidate.stem,
                payload=candidate.payload,
                source_text=candidate.source_sentence or candidate.source.sentence,
            )
            candidates.append(candidate)
    return candidates
