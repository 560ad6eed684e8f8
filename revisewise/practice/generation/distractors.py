"""Choose wrong options: the same kind of thing, comparable length, never the answer reworded."""

from __future__ import annotations

from collections.abc import Iterable

from revisewise.practice.generation.normalise import fold, overlap

# Above this content-word overlap a distractor is too close to count as a different answer.
MAX_OVERLAP = 0.5
MIN_CHARACTERS = 3


def is_acceptable(text: str, *, answer: str, excluded: Iterable[str] = ()) -> bool:
    """Say whether `text` can stand as a wrong option beside `answer`."""
    folded = fold(text)
    if len(folded) < MIN_CHARACTERS or folded == fold(answer):
        return False
    if any(folded == fold(other) for other in excluded):
        return False
    # Fragments: a cut-off phrase or a dangling conjunction reads as absurd.
    if text.rstrip().endswith((",", ";", ":", " and", " or", " the", " of")):
        return False
    return overlap(text, answer) < MAX_OVERLAP


def choose(
    *, answer: str, pool: Iterable[str], count: int, excluded: Iterable[str] = ()
) -> list[str]:
    """Pick up to `count` distractors of similar length to `answer`, deterministically.

    At least one distractor is as long as the answer when the pool allows it, so that the
    correct option is not simply the longest one.
    """
    excluded = list(excluded)
    seen: set[str] = set()
    candidates: list[str] = []
    for text in pool:
        folded = fold(text)
        if folded in seen or not is_acceptable(text, answer=answer, excluded=excluded):
            continue
        if any(overlap(text, chosen) >= 0.8 for chosen in candidates):
            continue
        seen.add(folded)
        candidates.append(text)
    target = len(answer)
    candidates.sort(key=lambda text: (abs(len(text) - target) / max(target, 1), text))
    comparable = [text for text in candidates if 0.5 <= len(text) / max(target, 1) <= 2.0]
    chosen = (comparable or candidates)[:count]
    if chosen and all(len(text) < target for text in chosen):
        longer = [text for text in candidates if len(text) >= target and text not in chosen]
        if longer:
            chosen[-1] = longer[0]
    return chosen
