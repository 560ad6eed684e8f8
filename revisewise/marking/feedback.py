"""Feedback built only from the unit's own words: points, corrections, guidance, model answer."""

from __future__ import annotations

from revisewise.marking.types import MarkingRequest, MisconceptionShown, PointVerdict

TOO_LONG_MESSAGE = (
    "Your answer is longer than {limit:,} characters, so it was not marked. "
    "Shorten it to the points the question asks for and submit it again."
)
EMPTY_MESSAGE = "No answer was given, so there was nothing to mark."
NON_ENGLISH_MESSAGE = "Your answer does not appear to be in English, so it could not be marked."
COPIED_MESSAGE = "Your answer repeats the question. Answer it in your own words."
OFF_TOPIC_MESSAGE = "Your answer does not address this question."
INJECTION_MESSAGE = "Instructions to the marker were ignored; only your answer was marked."
BARE_LIST_MESSAGE = "Listing the points is not enough: explain each one."
MISSING_IF_CORRECT_HEADING = "Not found in your answer in these words (check you made them):"


def build_feedback(
    *,
    request: MarkingRequest,
    verdicts: tuple[PointVerdict, ...],
    shown: tuple[MisconceptionShown, ...],
    flags: tuple[str, ...],
    is_correct: bool,
) -> str:
    """Return feedback whose content sentences are quoted from the request, never invented."""
    lines: list[str] = [m for f, m in _FLAG_MESSAGES if f in flags]
    met = [v.point for v in verdicts if v.verdict == "met"]
    partly = [v.point for v in verdicts if v.verdict == "partly_met"]
    missing = [v.point for v in verdicts if v.verdict == "not_met"]
    if met:
        lines.append("You covered:")
        lines.extend(f"- {p}" for p in met)
    if partly:
        lines.append("You partly covered (say more about):")
        lines.extend(f"- {p}" for p in partly)
    if missing:
        # A correct answer may make a point in words the engine did not match to it.
        lines.append(MISSING_IF_CORRECT_HEADING if is_correct else "Your answer is missing:")
        lines.extend(f"- {p}" for p in missing)
    for item in shown:
        lines.append(f"Misconception: {item.misconception.statement}")
        lines.append(f"Correction: {item.misconception.correction}")
    if request.distinction_criteria and not is_correct:
        lines.append("For a distinction:")
        lines.extend(f"- {c}" for c in request.distinction_criteria)
    if request.guidance:
        lines.append("Guidance:")
        lines.extend(f"- {g}" for g in request.guidance)
    if request.model_answer and not is_correct:
        lines.append(f"Model answer: {request.model_answer}")
    return "\n".join(lines)


_FLAG_MESSAGES = (
    ("empty", EMPTY_MESSAGE),
    ("non_english", NON_ENGLISH_MESSAGE),
    ("copied_question", COPIED_MESSAGE),
    ("off_topic", OFF_TOPIC_MESSAGE),
    ("injection_attempt", INJECTION_MESSAGE),
    ("bare_list", BARE_LIST_MESSAGE),
)
