"""Build item payloads in their documented shapes (see docs/practice-items.md)."""

from __future__ import annotations

from typing import Any

from revisewise.practice.generation.normalise import short_id


def option(text: str) -> dict[str, str]:
    return {"id": short_id("option", text), "text": text}


def single(*, answer: str, distractors: list[str]) -> dict[str, Any]:
    """mcq_single: options in canonical order (answer first), the answer's option id."""
    options = [option(answer), *(option(text) for text in distractors)]
    return {"options": options, "answer": options[0]["id"]}


def multi(*, answers: list[str], distractors: list[str]) -> dict[str, Any]:
    """mcq_multi: options in canonical order (answers first), the correct option ids."""
    correct = [option(text) for text in answers]
    return {
        "options": [*correct, *(option(text) for text in distractors)],
        "answers": [entry["id"] for entry in correct],
    }


def ordering(steps: list[str]) -> dict[str, Any]:
    """ordering: steps in their correct order."""
    return {"steps": [option(text) for text in steps]}


def matching(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """matching: each pair's left (prompt) and right (match), each side with its own id."""
    return {
        "pairs": [
            {
                "left_id": short_id("left", left),
                "left": left,
                "right_id": short_id("right", right),
                "right": right,
            }
            for left, right in pairs
        ]
    }


def cloze(*, answer: str, accepted: list[str]) -> dict[str, Any]:
    """cloze: the answer and other accepted answers (typed, matched tolerantly)."""
    others = [text for text in dict.fromkeys(accepted) if text.lower() != answer.lower()]
    return {"answer": answer, "accepted": others}
