"""Text helpers shared by the generators, the validator and grading: pure functions on strings."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")
_EMOJI_PREFIX = re.compile(r"^[^\w'\"(]+")

STOPWORDS = frozenset(
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
        "has",
        "have",
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
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "which",
        "who",
        "why",
        "will",
        "with",
        "your",
        "you",
        "can",
        "not",
        "than",
        "such",
        "including",
        "e",
        "g",
        "eg",
        "etc",
        "also",
        "each",
        "all",
        "any",
        "more",
        "most",
        "other",
        "some",
        "these",
        "those",
        "both",
        "only",
        "just",
        "very",
        "understand",
        "able",
    }
)


def clean(text: str) -> str:
    """Fold whitespace, drop a leading emoji or bullet and normalise Unicode quotes."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = _EMOJI_PREFIX.sub("", text.strip())
    return _SPACE.sub(" ", text).strip()


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Return the comparison form: lower case, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("&", " and ").replace("-", " ").replace("\u2014", " ")
    return _SPACE.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def stem_word(word: str) -> str:
    """Strip common English suffixes so "escalations" and "escalate" compare equal."""
    for suffix in ("ations", "ation", "ising", "izing", "ings", "ing", "ies", "ised", "ized", "es"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        return word[:-1]
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


def content_tokens(text: str) -> list[str]:
    """Return the stemmed content words of `text`, in order."""
    return [stem_word(word) for word in _WORD.findall(fold(text)) if word not in STOPWORDS]


# Generation compares the same few hundred sentences with each other many times over.
@functools.lru_cache(maxsize=8192)
def content_words(text: str) -> frozenset[str]:
    return frozenset(content_tokens(text))


def overlap(first: str, second: str) -> float:
    """Return the Dice coefficient of the two texts' content words (0 = nothing shared)."""
    one, two = content_words(first), content_words(second)
    if not one or not two:
        return 0.0
    return 2 * len(one & two) / (len(one) + len(two))


def containment(part: str, whole: str) -> float:
    """Return the share of `part`'s content words that also occur in `whole`."""
    words = content_words(part)
    if not words:
        return 0.0
    return len(words & content_words(whole)) / len(words)


def short_id(*parts: str) -> str:
    """Return a stable 10-character id for an option, derived from its text."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:10]


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or a proper name."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first.isupper() or first[1:] != first[1:].lower()):
        return text
    return text[:1].lower() + text[1:]


def ensure_full_stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s+[A-Z]|$)", text.strip())
    return match.group(1) if match else text.strip()


def split_run_together(text: str) -> list[str]:
    """Split learning objectives that a page ran together ("...experienceUnderstand the ...")."""
    parts = re.split(
        r"(?<=[a-z])(?=(?:Understand|Be able|Know|Maintain|When|Explain|Apply)\b)", text
    )
    pieces: list[str] = []
    for part in parts:
        pieces.extend(
            re.split(r",\s+(?=(?:Understand|Be able|Know|Maintain|When|Explain|Apply)\b)", part)
        )
    return [piece.strip(" ,.") for piece in pieces if piece.strip(" ,.")]


_IRREGULAR_BASE = {"using": "use", "making": "make", "taking": "take", "having": "have"}
_KEEP_NO_E = ("er", "en", "ow", "ain", "eat", "ail", "oid", "ook")


def gerund_to_imperative(word: str) -> str | None:
    """Turn "Treating" into "Treat" and "Escalating" into "Escalate"; None when unsure."""
    lower = word.lower()
    if lower in _IRREGULAR_BASE:
        base = _IRREGULAR_BASE[lower]
    elif not lower.endswith("ing") or len(lower) < 6:
        return None
    else:
        base = lower[:-3]
        if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "ls":
            base = base[:-1]
        elif _needs_final_e(base):
            base += "e"
    return base.capitalize() if word[:1].isupper() else base


def _needs_final_e(base: str) -> bool:
    """Guess whether a verb stem lost a final "e" before "-ing" ("escalat" -> "escalate")."""
    if re.search(r"[^aeiou][aeiou][^aeiouwxy]$", base) and not base.endswith(_KEEP_NO_E):
        return True
    return bool(re.search(r"[^aeiou]l$", base)) or base.endswith(("dg", "rg", "ns", "rs", "rv"))


def imperative_to_gerund(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ie"):
        base = lower[:-2] + "y"
    elif lower.endswith("e") and not lower.endswith(("ee", "ye", "oe")):
        base = lower[:-1]
    else:
        base = lower
    result = base + "ing"
    return result.capitalize() if word[:1].isupper() else result


def damerau_levenshtein(first: str, second: str) -> int:
    """Return the optimal-string-alignment distance (adjacent swaps count as one edit)."""
    rows = len(first) + 1
    columns = len(second) + 1
    table = [[0] * columns for _ in range(rows)]
    for row in range(rows):
        table[row][0] = row
    for column in range(columns):
        table[0][column] = column
    for row in range(1, rows):
        for column in range(1, columns):
            cost = 0 if first[row - 1] == second[column - 1] else 1
            table[row][column] = min(
                table[row - 1][column] + 1,
                table[row][column - 1] + 1,
                table[row - 1][column - 1] + cost,
            )
            if (
                row > 1
                and column > 1
                and first[row - 1] == second[column - 2]
                and first[row - 2] == second[column - 1]
            ):
                table[row][column] = min(table[row][column], table[row - 2][column - 2] + 1)
    return table[-1][-1]
