"""Factual claims pulled out of text so different units can be checked against each other.

Each extractor finds one kind of claim and gives it a key (what the claim is about) and a
value (what it says). Two texts that give the same key different values contradict each other.
To check a new kind of claim, add an extractor to `EXTRACTORS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from revisewise.content.lint.text import tokens


@dataclass(frozen=True)
class Claim:
    key: str
    value: str
    quote: str
    # Claims true everywhere (an Act's year) are compared across every qualification.
    is_universal: bool = False


NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "twelve": "12",
}  # fmt: skip
_NUMBER = r"(\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"


def _number(value: str) -> str:
    return NUMBER_WORDS.get(value.lower(), value)


_ACT = re.compile(r"\b((?:[A-Z][a-z]+\s+){1,5})Act\s+(\d{4})\b")


def legislation_years(text: str) -> Iterator[Claim]:
    """'Consumer Rights Act 2015': the year an Act was passed."""
    for match in _ACT.finditer(text):
        name = " ".join(w for w in match.group(1).split() if w not in {"The", "A", "An", "This"})
        yield Claim(f"the year of the {name} Act", match.group(2), match.group(0), True)


_LEVEL = re.compile(
    r"\bLevel\s+(\d)\s+(qualification|diploma|certificate|award|apprenticeship|standard)s?\b",
    re.IGNORECASE,
)


def levels(text: str) -> Iterator[Claim]:
    """'a Level 3 qualification', 'Level 3 diplomas': the level the content says it is at."""
    for match in _LEVEL.finditer(text):
        yield Claim(f"the level of the {match.group(2).lower()}", match.group(1), match.group(0))


_PERCENT = re.compile(
    r"\b(\d+(?:\.\d+)?(?:\s*[-\u2013]\s*\d+(?:\.\d+)?)?)\s*(?:%|per\s?cent)\s*([^.;()]*)"
)


def statistics(text: str) -> Iterator[Claim]:
    """'a 5% increase in retention ...': a percentage and the next few words it describes."""
    for match in _PERCENT.finditer(text):
        about = tokens(match.group(2))[:3]
        if len(about) >= 2:
            yield Claim(f"the percentage of '{' '.join(about)}'", match.group(1), match.group(0))


_AT_LEAST = re.compile(
    rf"\b(at least|at most|exactly|no more than)\s+{_NUMBER}\s+([^.,;()]+)", re.I
)


_PHRASE_END = re.compile(r"\b(?:and|or|to|that|which|with|so)\b")


def required_counts(text: str) -> Iterator[Claim]:
    """'define at least three KPIs': how many of something an answer needs."""
    for match in _AT_LEAST.finditer(text):
        about = tokens(_PHRASE_END.split(match.group(3))[0])[:3]
        if about:
            key = f"how many '{' '.join(about)}' ({match.group(1).lower()})"
            yield Claim(key, _number(match.group(2)), match.group(0))


_DURATION = re.compile(
    rf"\b{_NUMBER}[\s-]+(working days?|days?|weeks?|months?|years?|hours?|minutes?)\b", re.I
)


_TIME_WORDS = frozenset({"within", "after", "before", "up", "than", "more", "less", "least"})


def durations(text: str) -> Iterator[Claim]:
    """'within 14 days': a time limit, keyed by the two words before it and its unit."""
    for match in _DURATION.finditer(text):
        before = [t for t in tokens(text[: match.start()]) if t not in _TIME_WORDS][-2:]
        unit = match.group(2).lower().rstrip("s")
        if len(before) == 2:
            key = f"the time limit for '{' '.join(before)}' (in {unit}s)"
            yield Claim(key, _number(match.group(1)), match.group(0))


GRADES = ("Fail", "Pass", "Merit", "Distinction", "Distinction*")
_GRADE_LIST = re.compile(
    r"\b(?:Fail|Pass|Merit|Distinction\*?)(?:\s*(?:,|or|and|/)\s*(?:Fail|Pass|Merit|Distinction\*?))+"
)


def grade_scales(text: str) -> Iterator[Claim]:
    """'graded Pass, Merit or Distinction': the grades a qualification awards."""
    for match in _GRADE_LIST.finditer(text):
        found = re.findall(r"Fail|Pass|Merit|Distinction\*?", match.group(0))
        yield Claim(
            "the grades awarded", ", ".join(g for g in GRADES if g in found), match.group(0)
        )


EXTRACTORS: tuple[Callable[[str], Iterator[Claim]], ...] = (
    legislation_years,
    levels,
    statistics,
    required_counts,
    durations,
    grade_scales,
)


def claims(text: str) -> list[Claim]:
    return [claim for extract in EXTRACTORS for claim in extract(text)]
