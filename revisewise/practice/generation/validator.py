"""Reject items a careful author would reject, and say why."""

from __future__ import annotations

from typing import Any

from revisewise.practice.generation.normalise import fold, overlap

BLANK = "_____"
MIN_STEM_CHARACTERS = 12
MIN_OPTIONS = 3
# The correct option is "longest by a clear margin" when it beats the next by both of these.
LONGEST_RATIO = 1.5
LONGEST_CHARACTERS = 15
# Two options this close in content words say the same thing.
SAME_MEANING = 0.85


def validate(*, item_type: str, stem: str, payload: dict[str, Any], source_text: str) -> list[str]:
    """Return the reasons to reject an item; an empty list means it is valid."""
    reasons: list[str] = []
    if len(stem.strip()) < MIN_STEM_CHARACTERS or len(stem.split()) < 2:
        reasons.append("stem is empty or too short")
    checker = _CHECKS.get(item_type)
    if checker is None:
        return [*reasons, f"unknown item type {item_type!r}"]
    reasons.extend(checker(stem, payload, source_text))
    return reasons


def _leaks(answer: str, stem: str) -> bool:
    folded = fold(answer)
    return len(folded) >= 3 and f" {folded} " in f" {fold(stem)} "


def _option_problems(options: list[str]) -> list[str]:
    reasons = []
    if len(options) < MIN_OPTIONS:
        reasons.append(f"fewer than {MIN_OPTIONS} options")
    if any(not option.strip() for option in options):
        reasons.append("an option is empty")
    if len(set(options)) < len(options):
        reasons.append("duplicate options")
    elif len({fold(option) for option in options}) < len(options):
        reasons.append("options differ only in case or punctuation")
    return reasons


def _check_single(stem: str, payload: dict[str, Any], _source: str) -> list[str]:
    options = payload.get("options", [])
    texts = [option["text"] for option in options]
    reasons = _option_problems(texts)
    correct = [option["text"] for option in options if option["id"] == payload.get("answer")]
    if len(correct) != 1:
        return [*reasons, "a single-answer item needs exactly one correct option"]
    answer = correct[0]
    others = [text for text in texts if text != answer]
    if _leaks(answer, stem):
        reasons.append("answer leaked in the stem")
    if any(overlap(answer, other) >= SAME_MEANING for other in others):
        reasons.append("two correct answers: a distractor says the same as the answer")
    longest_other = max((len(text) for text in others), default=0)
    if len(answer) > LONGEST_RATIO * longest_other and (
        len(answer) - longest_other >= LONGEST_CHARACTERS
    ):
        reasons.append("the correct answer is the longest option by a clear margin")
    return reasons


def _check_multi(stem: str, payload: dict[str, Any], _source: str) -> list[str]:
    options = payload.get("options", [])
    texts = [option["text"] for option in options]
    reasons = _option_problems(texts)
    ids = {option["id"] for option in options}
    answers = set(payload.get("answers", []))
    if not answers or not answers <= ids:
        reasons.append("a multi-select item needs correct options among its options")
    elif answers == ids:
        reasons.append("every option is correct")
    for option in options:
        if option["id"] in answers and _leaks(option["text"], stem):
            reasons.append("answer leaked in the stem")
            break
    return reasons


def _check_true_false(_stem: str, payload: dict[str, Any], _source: str) -> list[str]:
    return [] if isinstance(payload.get("answer"), bool) else ["true/false answer is not a boolean"]


def _check_cloze(stem: str, payload: dict[str, Any], source: str) -> list[str]:
    reasons = []
    answer = str(payload.get("answer", ""))
    if not answer.strip():
        return ["cloze has no answer"]
    if BLANK not in stem:
        reasons.append("cloze stem has no blank")
    if _leaks(answer, stem):
        reasons.append("answer leaked in the stem")
    if f" {fold(answer)} " not in f" {fold(source)} ":
        reasons.append("cloze answer is not in the source")
    return reasons


def _check_ordering(stem: str, payload: dict[str, Any], _source: str) -> list[str]:
    steps = [step["text"] for step in payload.get("steps", [])]
    reasons = []
    if len(steps) < 3:
        reasons.append("ordering needs at least 3 steps")
    if len({fold(step) for step in steps}) < len(steps):
        reasons.append("duplicate steps")
    if steps and _leaks(" ".join(steps), stem):
        reasons.append("answer leaked in the stem")
    return reasons


def _check_matching(_stem: str, payload: dict[str, Any], _source: str) -> list[str]:
    pairs = payload.get("pairs", [])
    reasons = []
    if len(pairs) < 3:
        reasons.append("matching needs at least 3 pairs")
    lefts = {fold(pair["left"]) for pair in pairs}
    rights = {fold(pair["right"]) for pair in pairs}
    if len(lefts) < len(pairs) or len(rights) < len(pairs):
        reasons.append("duplicate options")
    return reasons


def _check_flashcard(_stem: str, payload: dict[str, Any], _source: str) -> list[str]:
    return [] if str(payload.get("back", "")).strip() else ["flashcard has no back"]


def _check_written(_stem: str, payload: dict[str, Any], _source: str) -> list[str]:
    if not [point for point in payload.get("marking_points", []) if point.strip()]:
        return ["written question has no marking points"]
    return []


_CHECKS = {
    "flashcard": _check_flashcard,
    "mcq_single": _check_single,
    "mcq_multi": _check_multi,
    "true_false": _check_true_false,
    "cloze": _check_cloze,
    "ordering": _check_ordering,
    "matching": _check_matching,
    "written": _check_written,
}
