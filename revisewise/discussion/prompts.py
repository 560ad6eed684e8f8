"""Competency-style discussion prompts, built from a unit's own objectives and criteria.

Pure Python, no ORM: callers pass the unit's content as `Source` rows. Nothing is invented: a
prompt is a fixed question frame ("Tell me about a time you had to ...") around the wording of
one learning objective or assessment criterion, and it cites that row and the criteria it is
marked against. The same content always gives the same prompts, keys and order.

- Pass criteria: the unit's assessment criteria. Each criterion is assigned to the objective it
  shares most words with (ties to the earlier objective); an objective left without one is
  marked against its closest criterion.
- Distinction criteria: the unit's assessment guidance (the source pages file it under
  "Guidance for achieving higher grades"): the one or two guidance rows closest to the prompt.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from revisewise.marking import text as t
from revisewise.practice.generation.objectives import criteria_runs

MIN_PROMPTS = 2
MAX_PROMPTS = 6
DEFAULT_PROMPTS = 4
DISTINCTION_PER_PROMPT = 2

CLOSING = "What did you do, and why?"
# Assessor phrasing at the start of a criterion, removed to leave what the learner must show.
_PREAMBLE = re.compile(
    r"^(?:(?:for|when|in)\b[^,]{0,80},\s*)?"
    r"(?:award credit for|credit (?:should be given|is awarded|is given) for|"
    r"assessors? (?:should|must) look for(?: evidence of)?|expect evidence of|look for evidence of|"
    r"the learner (?:should|must|can)|evidence of)\s+(?:(?:\w+ )?evidence of\s+)?",
    re.IGNORECASE,
)
_ABILITY = re.compile(r"^assess the learner'?s ability to\s+", re.IGNORECASE)
_UNDERSTAND_AND = re.compile(r"^understand and\s+", re.IGNORECASE)
_UNDERSTAND = re.compile(r"^(?:know and )?understand\s+", re.IGNORECASE)
_BE_ABLE_TO = re.compile(r"^be able to\s+", re.IGNORECASE)
_STARTS_WITH_CONDITION = re.compile(r"^(?:when|if|where|while|how|why|what)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """One content row a prompt can come from or be marked against."""

    id: int
    text: str


@dataclass(frozen=True)
class Prompt:
    key: str
    text: str
    # "objective" or "criterion": which kind of row the question is built from.
    basis: str
    source: Source
    objective: Source | None
    pass_criteria: tuple[Source, ...]
    distinction_criteria: tuple[Source, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "basis": self.basis,
            "source": _source_json(self.source),
            "objective": _source_json(self.objective) if self.objective else None,
            "pass_criteria": [_source_json(s) for s in self.pass_criteria],
            "distinction_criteria": [_source_json(s) for s in self.distinction_criteria],
        }


def _source_json(source: Source) -> dict[str, Any]:
    return {"id": source.id, "text": source.text}


def criterion_core(text: str) -> str:
    """Return what a criterion asks the learner to show, without the assessor's preamble."""
    stripped = text.strip()
    core = _ABILITY.sub("", stripped, count=1)
    if core == stripped:
        core = _PREAMBLE.sub("", stripped, count=1)
    core = core.strip()
    return core.rstrip(".") if core else stripped.rstrip(".")


def _lower_first(text: str) -> str:
    # Keep acronyms ("CRM") and names ("Customer Relationship Management") as written; lower
    # only an ordinary capitalised first word.
    words = text.split(" ", 2)
    is_name = len(words) > 1 and words[1][:1].isupper()
    if len(words[0]) > 1 and words[0][1:].islower() and not is_name:
        return text[0].lower() + text[1:]
    return text


def objective_question(objective: str) -> str:
    """Return the competency question for one learning objective."""
    text = objective.strip().rstrip(".")
    for pattern in (_UNDERSTAND_AND, _BE_ABLE_TO):
        if pattern.match(text):
            rest = _lower_first(pattern.sub("", text, count=1))
            return f"Tell me about a time you had to {rest}. {CLOSING}"
    if _UNDERSTAND.match(text):
        rest = _UNDERSTAND.sub("", text, count=1)
        return (
            "Tell me about a time your work depended on understanding "
            f"{_lower_first(rest)}. {CLOSING}"
        )
    if _STARTS_WITH_CONDITION.match(text):
        return f'Give me an example from your work of this: "{text}". {CLOSING}'
    return f"Tell me about a time you had to {_lower_first(text)}. {CLOSING}"


def criterion_question(criterion: str) -> str:
    """Return the competency question for one assessment criterion."""
    core = criterion_core(criterion)
    lead = [word.lower() for word in core.split(" ", 2)[:2]]
    if _ABILITY.match(criterion.strip()):
        return f"Describe a situation where you had to {_lower_first(core)}. {CLOSING}"
    if lead and (lead[0].endswith("ing") or (lead[0].endswith("ly") and lead[-1].endswith("ing"))):
        return f"Give me an example from your own work of {_lower_first(core)}. {CLOSING}"
    return f"Give me an example from your own work that shows {_lower_first(core)}. {CLOSING}"


def _stems(text: str) -> set[str]:
    return set(t.stems(t.content_words(text)))


def _overlap(a: str, b: str) -> int:
    return len(_stems(a) & _stems(b))


def _closest(target: str, candidates: Sequence[Source], count: int) -> tuple[Source, ...]:
    ranked = sorted(
        enumerate(candidates), key=lambda pair: (-_overlap(target, pair[1].text), pair[0])
    )
    return tuple(source for _index, source in ranked[:count])


def assign_criteria(
    objectives: Sequence[Source], criteria: Sequence[Source]
) -> dict[int, tuple[Source, ...]]:
    """Return, per objective id, its own criteria (each criterion used once; page order).

    The written practice items' rule (`practice.generation.objectives.criteria_runs`): the page
    lists criteria in the order of the objectives they assess, so they are cut into runs by the
    distinctive words they share. An objective with no criterion of its own gets none (no
    objective prompt), rather than a neighbour's.
    """
    runs = criteria_runs(
        [criterion_core(c.text) for c in criteria], [objective.text for objective in objectives]
    )
    return {
        objective.id: tuple(criteria[i] for i in run)
        for objective, run in zip(objectives, runs, strict=True)
    }


def _key(basis: str, source: Source) -> str:
    digest = hashlib.sha256(f"{basis}:{source.id}:{source.text}".encode()).hexdigest()
    return f"{basis[0]}{source.id}-{digest[:10]}"


def prompts_for_unit(
    *,
    objectives: Sequence[Source],
    criteria: Sequence[Source],
    guidance: Sequence[Source],
) -> list[Prompt]:
    """Return every prompt for a unit: one per objective, then one per criterion."""
    by_objective = assign_criteria(objectives, criteria)
    prompts: list[Prompt] = []
    for objective in objectives:
        points = by_objective.get(objective.id, ())
        target = " ".join([objective.text, *(c.text for c in points)])
        prompts.append(
            Prompt(
                key=_key("objective", objective),
                text=objective_question(objective.text),
                basis="objective",
                source=objective,
                objective=objective,
                pass_criteria=points,
                distinction_criteria=_closest(target, guidance, DISTINCTION_PER_PROMPT),
            )
        )
    for criterion in criteria:
        owner = next((o for o in objectives if criterion in by_objective.get(o.id, ())), None)
        prompts.append(
            Prompt(
                key=_key("criterion", criterion),
                text=criterion_question(criterion.text),
                basis="criterion",
                source=criterion,
                objective=owner,
                pass_criteria=(criterion,),
                distinction_criteria=_closest(criterion.text, guidance, DISTINCTION_PER_PROMPT),
            )
        )
    return prompts


def prompts_for_session(prompts: Sequence[Prompt], *, count: int) -> list[Prompt]:
    """Return `count` prompts: every objective first (in order), then criterion prompts."""
    count = max(MIN_PROMPTS, min(MAX_PROMPTS, count))
    by_objective = [p for p in prompts if p.basis == "objective"]
    by_criterion = [p for p in prompts if p.basis == "criterion"]
    return [*by_objective, *by_criterion][:count]
