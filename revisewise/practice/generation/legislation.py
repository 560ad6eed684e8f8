"""Legislation named with its year ("Equality Act 2010"): year cloze and "which Act" questions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from revisewise.practice.generation import payloads
from revisewise.practice.generation.sources import Candidate, Source, UnitContent
from revisewise.practice.generation.validator import BLANK

ACT = re.compile(r"\b(?P<name>(?:[A-Z][a-z]+ )+Act) (?P<year>(?:19|20)\d{2})\b")


@dataclass(frozen=True)
class Act:
    name: str
    year: str
    source: Source


def find_acts(sources: list[Source]) -> list[Act]:
    found: dict[str, Act] = {}
    for source in sources:
        for match in ACT.finditer(f"{source.name} {source.text}"):
            found.setdefault(match["name"], Act(match["name"], match["year"], source))
    return list(found.values())


def generate(content: UnitContent) -> list[Candidate]:
    pool = find_acts(list(content.pool))
    candidates: list[Candidate] = []
    for act in find_acts(list(content.sources)):
        explanation = f"The {act.name} {act.year} is named in this unit's content."
        candidates.append(
            Candidate(
                rule="act-year-cloze",
                source=act.source,
                variant=act.name,
                item_type="cloze",
                stem=f"Complete the name of this legislation: the {act.name} {BLANK}.",
                payload=payloads.cloze(answer=act.year, accepted=[act.year]),
                explanation=explanation,
            )
        )
        others = sorted(
            {other.name for other in pool if other.name != act.name and other.year != act.year}
        )
        if len(others) >= 2:
            candidates.append(
                Candidate(
                    rule="act-which",
                    source=act.source,
                    variant=act.name,
                    item_type="mcq_single",
                    stem=f"Which of these Acts relevant to customer service dates from {act.year}?",
                    payload=payloads.single(answer=act.name, distractors=others[:3]),
                    explanation=explanation,
                )
            )
    return candidates
