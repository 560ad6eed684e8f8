"""Key concepts and key terms: flashcards, "which best describes" questions, cloze and matching."""

from __future__ import annotations

import re

from revisewise.practice.generation import distractors, payloads
from revisewise.practice.generation.normalise import content_tokens, fold, overlap
from revisewise.practice.generation.sources import Candidate, Source, UnitContent
from revisewise.practice.generation.validator import BLANK

# Words that every concept name in this domain shares; they do not make two concepts related.
GENERIC_NAME_WORDS = frozenset({"custom", "customer", "servic", "service", "skill", "and"})
MAX_NAME_WORDS = 8


def definitions(content: UnitContent, *, pool: bool = False) -> list[Source]:
    """Return concepts, and key terms that really are "term: definition" pairs."""
    sources = content.pool if pool else content.sources
    objectives = {fold(source.text) for source in sources if source.kind == "objective"}
    return [
        source
        for source in sources
        if source.kind in ("concept", "term")
        and source.name
        and source.text
        and len(source.name.split()) <= MAX_NAME_WORDS
        and fold(source.text) not in objectives
    ]


def related(first: Source, second: Source) -> bool:
    """Say whether two concepts are the same idea, or too close for one to be a fair distractor."""
    words_one = set(content_tokens(first.name)) - GENERIC_NAME_WORDS
    words_two = set(content_tokens(second.name)) - GENERIC_NAME_WORDS
    return first.label == second.label or bool(words_one & words_two)


def display_name(name: str) -> str:
    """Lower-case title-cased words for use inside a sentence, keeping acronyms."""
    words = []
    for word in name.split():
        core = word.strip("()")
        is_acronym = sum(char.isupper() for char in core) > 1
        words.append(word if is_acronym else word.lower())
    return " ".join(words)


def accepted_names(name: str) -> list[str]:
    without_brackets = re.sub(r"\s*\([^)]*\)", "", name).strip()
    acronyms = re.findall(r"\(([A-Z]{2,}s?)\)", name)
    acronyms += [acronym[:-1] for acronym in acronyms if acronym.endswith("s")]
    return [name, without_brackets, *acronyms, without_brackets.replace(" and ", " & ")]


def generate(content: UnitContent) -> list[Candidate]:
    own = definitions(content)
    pool = definitions(content, pool=True)
    candidates: list[Candidate] = []
    for source in own:
        candidates.append(_flashcard(source))
        candidates.append(_cloze(source))
        others = _distinct([other for other in pool if not related(other, source)])
        question = _describe(source, others)
        if question:
            candidates.append(question)
    if len(own) >= 4:
        candidates.append(_matching(own[:5]))
    return candidates


def _distinct(sources: list[Source]) -> list[Source]:
    """Keep one concept per idea, so two options never describe the same thing."""
    kept: list[Source] = []
    for source in sources:
        if not any(related(source, other) for other in kept):
            kept.append(source)
    return kept


def _flashcard(source: Source) -> Candidate:
    return Candidate(
        rule="concept-flashcard",
        source=source,
        item_type="flashcard",
        stem=f"What is meant by {display_name(source.name)}?",
        payload={"back": source.text},
        explanation=source.text,
    )


def _describe(source: Source, others: list[Source]) -> Candidate | None:
    wrong = distractors.choose(
        answer=source.text,
        pool=[other.text for other in others if overlap(other.text, source.text) < 0.35],
        count=3,
    )
    if len(wrong) < 2:
        return None
    return Candidate(
        rule="concept-describe",
        source=source,
        item_type="mcq_single",
        stem=f"Which of these best describes {display_name(source.name)}?",
        payload=payloads.single(answer=source.text, distractors=wrong),
        explanation=f"{source.name}: {source.text}",
    )


def _cloze(source: Source) -> Candidate:
    return Candidate(
        rule="concept-cloze",
        source=source,
        item_type="cloze",
        stem=f"Name the key concept described here.\n{BLANK}: {source.text}",
        payload=payloads.cloze(answer=source.name, accepted=accepted_names(source.name)),
        explanation=f"This describes {display_name(source.name)}.",
    )


def _matching(sources: list[Source]) -> Candidate:
    return Candidate(
        rule="concept-matching",
        source=sources[0],
        item_type="matching",
        stem="Match each key concept to its description.",
        payload=payloads.matching([(source.name, source.text) for source in sources]),
        explanation="; ".join(f"{source.name}: {source.text}" for source in sources),
        source_sentence=" ".join(source.sentence for source in sources),
    )
