"""Text helpers shared by the rules: words, overlap, a corpus vocabulary, spelling, acronyms."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z]+")
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "with",
        "your",
        "you",
        "what",
        "when",
        "which",
        "why",
    }
)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def tokens(text: str) -> list[str]:
    """Lower-case content words, the basis of every overlap measure."""
    return [w for w in (w.lower() for w in words(text)) if w not in STOP_WORDS]


def normalise(text: str) -> str:
    """Fold case, whitespace, emoji and trailing punctuation, for exact comparisons."""
    folded = " ".join(re.sub(r"[^\w\s'\u2019%-]", " ", text).lower().split())
    return folded.strip(" .,;:-")


def jaccard(left: Iterable[str], right: Iterable[str]) -> float:
    a, b = set(left), set(right)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def containment(part: Iterable[str], whole: Iterable[str]) -> float:
    """Share of `part`'s distinct words that also occur in `whole`."""
    a, b = set(part), set(whole)
    return len(a & b) / len(a) if a else 0.0


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


class Vocabulary:
    """The words of the corpus itself: what counts as a real word when checking text.

    `interior` counts only occurrences that are not a text's last word, so a word cut off at
    the end of a text (and copied into several places) never vouches for itself.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter()
        self.interior: Counter[str] = Counter()
        for text in texts:
            self.counts.update(w.lower() for w in words(text))
            # Words run together ('journeysUnderstand') are split here, or they would pass for
            # longer words that a cut-off word ('journ') could be the start of.
            split = [w.lower() for w in words(_CAMEL_BOUNDARY.sub(" ", text))]
            self.interior.update(split[:-1])
        self._sorted = sorted(self.interior)

    def is_word(self, word: str) -> bool:
        return self.counts.get(word.lower(), 0) > 0

    def is_whole_word(self, word: str) -> bool:
        return self.interior.get(word.lower(), 0) > 0

    def completions(self, prefix: str) -> list[str]:
        """Longer corpus words that start with `prefix`."""
        prefix = prefix.lower()
        return [w for w in self._sorted if w.startswith(prefix) and w != prefix]


# Product names written in camel case on purpose.
CAMEL_CASE_NAMES = frozenset(
    {
        "PowerPoint",
        "SharePoint",
        "YouTube",
        "WhatsApp",
        "OneDrive",
        "JavaScript",
        "FaceTime",
        "TripAdvisor",
        "PayPal",
        "WordPress",
        "TikTok",
        "SurveyMonkey",
        "HubSpot",
        "MailChimp",
        "FreshDesk",
        "ZenDesk",
    }
)
GLUED = re.compile(r"\b([A-Za-z]*[a-z]{2})([A-Z][a-z]{2,})")


def glued_words(text: str, vocabulary: Vocabulary) -> list[str]:
    """Return tokens like 'experienceUnderstand': two corpus words with no space between."""
    found = []
    for match in GLUED.finditer(text):
        left, right = match.group(1), match.group(2)
        if match.group(0) in CAMEL_CASE_NAMES or not vocabulary.is_word(right):
            continue
        if vocabulary.is_word(left) or len(left) >= 4:
            found.append(match.group(0))
    return found


def truncated_tail(text: str, vocabulary: Vocabulary) -> str | None:
    """Return the last word of `text` when it looks cut off mid-word, else None.

    A word is cut off when the text does not end in punctuation, the word occurs nowhere in the
    corpus except at the end of a text, and it begins a longer corpus word ('touc').
    """
    stripped = text.rstrip()
    if not stripped or not stripped[-1].isalpha():
        return None
    last = words(stripped)[-1]
    if len(last) < 2 or vocabulary.is_whole_word(last):
        return None
    return last if vocabulary.completions(last) else None


_US_ENDINGS = r"(e|es|ed|ing|er|ers|ation|ations|ational|ationally|able)"
_US_IZE = re.compile(rf"^([a-z]{{3,}})iz{_US_ENDINGS}$")
_US_YZE = re.compile(r"^([a-z]{3,})yz(e|es|ed|ing|er|ers)$")
_IZE_NOT_US = frozenset({"capsize", "capsized", "seize", "seized", "seizes", "seizing"})
_US_WORDS = {
    "color": "colour",
    "colors": "colours",
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "behavioral": "behavioural",
    "favor": "favour",
    "favorite": "favourite",
    "honor": "honour",
    "labor": "labour",
    "neighbor": "neighbour",
    "humor": "humour",
    "endeavor": "endeavour",
    "center": "centre",
    "centers": "centres",
    "centered": "centred",
    "theater": "theatre",
    "fiber": "fibre",
    "catalog": "catalogue",
    "dialog": "dialogue",
    "fulfill": "fulfil",
    "fulfillment": "fulfilment",
    "enrollment": "enrolment",
    "skillful": "skilful",
    "modeling": "modelling",
    "modeled": "modelled",
    "labeled": "labelled",
    "labeling": "labelling",
    "traveled": "travelled",
    "traveling": "travelling",
    "canceled": "cancelled",
    "counselor": "counsellor",
    "defense": "defence",
    "offense": "offence",
    "gray": "grey",
    "mom": "mum",
}


def british(word: str) -> str | None:
    """Return the British spelling of an American-spelt `word`, or None when it is not one."""
    lower = word.lower()
    if lower in _US_WORDS:
        uk = _US_WORDS[lower]
    elif (match := _US_IZE.match(lower)) and lower not in _IZE_NOT_US:
        uk = f"{match.group(1)}is{match.group(2)}"
    elif match := _US_YZE.match(lower):
        uk = f"{match.group(1)}ys{match.group(2)}"
    else:
        return None
    return uk.capitalize() if word[0].isupper() else uk


def american_spellings(text: str) -> list[tuple[str, str]]:
    """Return (American word, British spelling) pairs found in `text`, in order, once each."""
    seen: dict[str, str] = {}
    for word in words(text):
        uk = british(word)
        if uk is not None and word not in seen:
            seen[word] = uk
    return list(seen.items())


def british_text(text: str) -> str:
    return WORD.sub(lambda m: british(m.group(0)) or m.group(0), text)


ACRONYM = re.compile(r"\b([A-Z][A-Z0-9]*[A-Z])(s?)\b")
_MODEL_EXPANSION = re.compile(
    r"['\u2018\u2019\"]?\b([A-Z]{2,})\b['\u2018\u2019\"]?\s+(?:[a-z]+\s+){0,2}?\(([^()]+)\)"
)
_AFTER_EXPANSION = re.compile(r"\(([A-Z][A-Za-z]*[A-Z])(s?)\)")


@dataclass(frozen=True)
class Expansion:
    acronym: str
    words: tuple[str, ...]
    spells_it: bool

    @property
    def text(self) -> str:
        return ", ".join(self.words)

    @property
    def key(self) -> tuple[str, ...]:
        """The expansion compared across units: British spelling, case and plurals folded."""
        folded = [british_text(w).lower() for w in self.words]
        return tuple(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in folded)


def _initials_spell(acronym: str, parts: list[str]) -> bool:
    return "".join(p[0] for p in parts).upper() == acronym.upper()


def _model_expansions(text: str) -> Iterator[Expansion]:
    """'HEAT' model (Hear, Empathise, Apologise, Take action): one listed word per letter."""
    for match in _MODEL_EXPANSION.finditer(text):
        acronym = match.group(1)
        parts = [p.strip() for p in re.split(r",|\band\b|\bor\b", match.group(2)) if p.strip()]
        if len(parts) == len(acronym) and all(p[0].isalpha() for p in parts):
            yield Expansion(acronym, tuple(parts), _initials_spell(acronym, parts))


def _short_form_match(acronym: str, before: str) -> tuple[str, ...] | None:
    """Find the words before '(CRM)' that spell the acronym (Schwartz and Hearst, 2003)."""
    candidate = before.split()[-(len(acronym) + 2) :]
    text = " ".join(candidate)
    short = acronym.lower()
    s, t = len(short) - 1, len(text) - 1
    while s >= 0:
        char = short[s]
        while t >= 0 and (text[t].lower() != char or (s == 0 and t > 0 and text[t - 1].isalnum())):
            t -= 1
        if t < 0:
            return None
        s, t = s - 1, t - 1
    start = text.rfind(" ", 0, t + 2) + 1
    expansion = tuple(text[start:].split())
    if len(expansion) < 2 or not all(w[0].isalpha() for w in expansion):
        return None
    return expansion


def _definition_expansions(text: str) -> Iterator[Expansion]:
    """Customer Relationship Management (CRM): the acronym in brackets after its words."""
    for match in _AFTER_EXPANSION.finditer(text):
        acronym = match.group(1)
        before = re.sub(r"[^\w\s'-]", " ", text[: match.start()])
        found = _short_form_match(acronym, before)
        if found:
            yield Expansion(acronym, found, True)


def expansions(text: str) -> list[Expansion]:
    """Every acronym spelled out in `text`, in either of the two forms authors use."""
    return [*_model_expansions(text), *_definition_expansions(text)]


def acronyms(text: str) -> list[str]:
    """Acronyms used in `text` ('KPIs' gives 'KPI'), excluding a few everyday ones."""
    return [m.group(1) for m in ACRONYM.finditer(text) if m.group(1) not in EVERYDAY_ACRONYMS]


EVERYDAY_ACRONYMS = frozenset({"UK", "US", "EU", "AI", "IT", "OK", "TV", "PC", "II", "III"})
