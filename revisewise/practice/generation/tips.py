"""Exam tips and common mistakes: true/false and "which is good exam technique" questions.

Wrong options are the unit's own common mistakes, rewritten as advice ("Treating X" becomes
"Treat X"): real wrong practices, never invented ones.
"""

from __future__ import annotations

import re

from revisewise.practice.generation import distractors, payloads
from revisewise.practice.generation.normalise import (
    clean,
    ensure_full_stop,
    gerund_to_imperative,
    imperative_to_gerund,
    sentence_case,
)
from revisewise.practice.generation.sources import Candidate, Source, UnitContent

# Pages phrase some mistakes as sentences about students; the practice itself is what we need.
_LEAD_INS = [
    (re.compile(r"^(?:Students|Many learners|Learners) often (\w+) "), "verb"),
    (re.compile(r"^(?:Many learners|Students|Learners) (\w+) "), "verb"),
    (re.compile(r"^(?:A frequent error|Another common mistake|A common mistake) is "), "drop"),
]
_TRAILING_VERDICT = re.compile(r"\s+is an? (?:critical |common |frequent )?(?:error|mistake)\b.*$")
# Advice built from these would read as absurd ("Fail to ...", "Confuse ...").
_NOT_ADVICE = {"fail", "not", "confuse", "ignore", "neglect", "overlook", "forget"}


def practice(text: str) -> str | None:
    """Return a mistake as the practice itself, starting with a gerund ("Treating ...")."""
    text = clean(text)
    for pattern, action in _LEAD_INS:
        match = pattern.match(text)
        if not match:
            continue
        rest = text[match.end() :]
        if action == "verb":
            text = f"{imperative_to_gerund(match[1])} {rest}"
        else:
            text = sentence_case(rest)
        break
    text = _TRAILING_VERDICT.sub("", text.rstrip("."))
    first = text.split(" ", 1)[0]
    if not (first.endswith("ing") or first == "Not"):
        return None
    return ensure_full_stop(sentence_case(text))


def as_advice(text: str) -> str | None:
    """Return a mistake as (bad) advice in the imperative, or None when it would read oddly."""
    gerund = practice(text)
    if gerund is None:
        return None
    first, _, rest = gerund.partition(" ")
    verb = gerund_to_imperative(first)
    if verb is None or verb.lower() in _NOT_ADVICE:
        return None
    rest = re.sub(
        r"(,\s+or(?:\s+conversely,)?\s+)([a-z]+ing)\b",
        lambda match: match[1] + (gerund_to_imperative(match[2]) or match[2]),
        rest,
    )
    return f"{verb} {rest}"


def generate(content: UnitContent) -> list[Candidate]:
    tips = content.of_kind("tip")
    mistakes = content.of_kind("mistake")
    candidates: list[Candidate] = [_tip_true_false(source) for source in tips]
    candidates += [item for item in map(_mistake_true_false, mistakes) if item]
    advice = [text for text in map(as_advice, (source.text for source in mistakes)) if text]
    for source in tips:
        if source.unit_id is None:
            # Shared tips already get a true/false item on every unit; one question is enough.
            continue
        question = _technique(source, advice)
        if question:
            candidates.append(question)
    return candidates


def _tip_true_false(source: Source) -> Candidate:
    tip = clean(source.text)
    return Candidate(
        rule="tip-true-false",
        source=source,
        item_type="true_false",
        stem=f'True or false? This is good exam technique for this unit: "{tip}"',
        payload={"answer": True},
        explanation=f"True: this is assessment guidance for this unit. {tip}",
    )


def _mistake_true_false(source: Source) -> Candidate | None:
    text = practice(source.text)
    if text is None:
        return None
    return Candidate(
        rule="mistake-true-false",
        source=source,
        item_type="true_false",
        stem=f'True or false? This is good practice in your assessment: "{text}"',
        payload={"answer": False},
        explanation=f"False: this is a common mistake. {ensure_full_stop(clean(source.text))}",
    )


def _technique(source: Source, advice: list[str]) -> Candidate | None:
    tip = clean(source.text)
    wrong = distractors.choose(answer=tip, pool=advice, count=3)
    if len(wrong) < 2:
        return None
    return Candidate(
        rule="tip-technique",
        source=source,
        item_type="mcq_single",
        stem="Which of these is good exam technique for this unit?",
        payload=payloads.single(answer=tip, distractors=wrong),
        explanation=f"This is the unit's assessment guidance; the other options are common "
        f"mistakes. {tip}",
    )
