"""Grade a learner's response to any item type: pure Python, no database.

Responses per type: flashcard "again"/"hard"/"good"/"easy" (self-rating); mcq_single an option
id; mcq_multi a list of option ids; true_false a bool (or "true"/"false"); cloze the typed text;
ordering a list of step ids; matching a mapping of left id to right id; written the text (it is
stored for the marking engine and not graded here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from revisewise.practice.generation.normalise import damerau_levenshtein, fold

FLASHCARD_SCORES = {"again": 0.0, "hard": 0.5, "good": 1.0, "easy": 1.0}


@dataclass(frozen=True)
class Grade:
    is_correct: bool
    score: float
    expected: str
    explanation: str
    needs_marking: bool = False


def grade(*, item_type: str, payload: Mapping[str, Any], explanation: str, response: Any) -> Grade:
    """Grade `response`; malformed responses are wrong, never an error."""
    grader = _GRADERS[item_type]
    is_correct, score, expected = grader(payload, response)
    return Grade(
        is_correct=is_correct,
        score=round(score, 4),
        expected=expected,
        explanation=explanation,
        needs_marking=item_type == "written",
    )


def allowed_typos(word: str) -> int:
    if word.isdigit():
        return 0
    if len(word) >= 9:
        return 2
    return 1 if len(word) >= 5 else 0


def cloze_matches(response: str, expected: str) -> bool:
    """Compare ignoring case and punctuation, allowing small typos in longer words."""
    given, wanted = fold(response).split(), fold(expected).split()
    if len(given) != len(wanted):
        return "".join(given) == "".join(wanted)
    return all(
        damerau_levenshtein(typed, word) <= allowed_typos(word)
        for typed, word in zip(given, wanted, strict=True)
    )


def _flashcard(payload: Mapping[str, Any], response: Any) -> tuple[bool, float, str]:
    score = FLASHCARD_SCORES.get(str(response).lower(), 0.0)
    return score > 0, score, payload["back"]


def _single(payload: Mapping[str, Any], response: Any) -> tuple[bool, float, str]:
    answer = payload["answer"]
    expected = next(entry["text"] for entry in payload["options"] if entry["id"] == answer)
    is_correct = response == answer
    return is_correct, float(is_correct), expected


def _multi(payload: Mapping[str, Any], response: Any) -> tuple[bool, float, str]:
    answers = set(payload["answers"])
    chosen = set(response) if isinstance(response, list | tuple | set) else set()
    right, wrong = len(chosen & answers), len(chosen - answers)
    expected = "; ".join(entry["text"] for entry in payload["options"] if entry["id"] in answers)
    return chosen == answers, max(0.0, (right - wrong) / len(answers)), expected


def _true_false(payload: Mapping[str, Any], response: Any) -> tuple[bool, float, str]:
    if isinstance(response, str):
        response = {"true": True, "false": False}.get(response.strip().lower())
    is_correct = response is payload["answer"]
    return is_correct, float(is_correct), "True" if payload["answer"] else "False"


def _cloze(payload: Mapping[str, Any], response: Any) -> tuple[bool, float, str]:
    accepted = [payload["answer"], *payload.get("accepted", [])]
    is_correct = isinstance(response, str) and any(
        cloze_matches(response, text) for text in accepted
    )
    return is_correct, float(is_correct), payload["answer"]


def _ordering(payload: Mapping[str, Any], response: Any) -> tuple[bool, float, str]:
    wanted = [entry["id"] for entry in payload["steps"]]
    given = list(response) if isinstance(response, list | tuple) else []
    in_place = sum(1 for first, second in zip(given, wanted, strict=False) if first == second)
    expected = " → ".join(entry["text"] for entry in payload["steps"])
    return given == wanted, in_place / len(wanted), expected


def _matching(payload: Mapping[str, Any], response: Any) -> tuple[bool, float, str]:
    pairs = payload["pairs"]
    given = response if isinstance(response, Mapping) else {}
    right = sum(1 for pair in pairs if given.get(pair["left_id"]) == pair["right_id"])
    expected = "; ".join(f"{pair['left']}: {pair['right']}" for pair in pairs)
    return right == len(pairs), right / len(pairs), expected


def _written(payload: Mapping[str, Any], _response: Any) -> tuple[bool, float, str]:
    return False, 0.0, payload.get("model_answer", "")


_GRADERS = {
    "flashcard": _flashcard,
    "mcq_single": _single,
    "mcq_multi": _multi,
    "true_false": _true_false,
    "cloze": _cloze,
    "ordering": _ordering,
    "matching": _matching,
    "written": _written,
}
