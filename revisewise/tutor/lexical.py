"""BM25 over passages, with a light English stemmer and acronym expansion.

Plain Python, no ORM: it takes texts and returns scores, so it can be tested on a tiny corpus.
Acronyms are learnt from the corpus itself ("Net Promoter Score (NPS)"), so a question that says
"NPS" also matches a passage that spells the words out, and the other way round.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_STOPWORD_TEXT = """a about above after again against all am an and any are as at be because
    been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t don shouldn isn aren wasn weren im ive id youre whats what's thing things get got really
    e g eg ie etc also"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
# An acronym as written: two to six capitals, optionally a plural "s" (KPIs, SLAs).
_ACRONYM = re.compile(r"^([A-Z][A-Z0-9]{1,5})s?$")
# "Net Promoter Score (NPS)": up to six words followed by the acronym in brackets.
_DEFINITION = re.compile(r"((?:[A-Za-z][\w-]*\s+){1,6})\(([A-Z][A-Z0-9]{1,5})s?\)")

# British and American spellings and a few learner synonyms collapse onto one stem.
_SPELLINGS = {
    "analyz": "analys",
    "organiz": "organis",
    "personaliz": "personalis",
    "prioritiz": "prioritis",
    "apologiz": "apologis",
    "emphasiz": "emphasis",
    "recogniz": "recognis",
    "behavior": "behaviour",
    "program": "programm",
}

# (suffix, replacement), longest first; "-ation", "-ating" and "-ated" all become "-ate".
_SUFFIXES = (
    ("ational", "ate"),
    ("isation", "ise"),
    ("ization", "ize"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ations", "ate"),
    ("ation", "ate"),
    ("ating", "ate"),
    ("ated", "ate"),
    ("ates", "ate"),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ities", "ity"),
    ("ings", ""),
    ("ing", ""),
    ("ised", "ise"),
    ("ized", "ize"),
    ("ises", "ise"),
    ("izes", "ize"),
    ("ies", "y"),
    ("ied", "y"),
    ("ers", ""),
    ("er", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
)


def stem(word: str) -> str:
    """Reduce a lower-case word to a crude stem: enough to join "escalate" and "escalation"."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    for variant, canonical in _SPELLINGS.items():
        if word.startswith(variant):
            word = canonical + word[len(variant) :]
            break
    return word


def _acronym_token(raw: str) -> str | None:
    match = _ACRONYM.match(raw)
    return match.group(1).lower() if match else None


def learn_acronyms(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Return acronym -> the stems of its expansion, read from "Words Spelt Out (ACR)"."""
    found: dict[str, tuple[str, ...]] = {}
    for text in texts:
        for acronym, expansion in acronym_expansions(text):
            initials = acronym.lower()
            if initials not in found:
                found[initials] = tuple(stem(w.lower()) for w in expansion)
    return found


def acronym_expansions(text: str) -> list[tuple[str, list[str]]]:
    """Return (ACRONYM, the words it abbreviates as written) for each "Words Spelt Out (ACR)"."""
    found = []
    for words, acronym in _DEFINITION.findall(text):
        candidates = [w for w in re.split(r"[\s-]+", words.strip()) if w]
        expansion = _expansion_matching(candidates, acronym.lower())
        if expansion:
            found.append((acronym, expansion))
    return found


def _expansion_matching(words: list[str], initials: str) -> list[str] | None:
    """Return the words an acronym abbreviates: from the last word starting with its first letter.

    Acronyms do not always take one letter per word ("Customer Satisfaction Score" is CSAT), so
    the words' initials need only be letters of the acronym, and their number close to its length.
    """
    starts = [i for i, word in enumerate(words) if word[0].lower() == initials[0]]
    if not starts:
        return None
    tail = words[starts[-1] :]
    letters = {word[0].lower() for word in tail}
    if letters <= set(initials) and len(initials) - 2 <= len(tail) <= len(initials) + 1:
        return tail
    return None


@dataclass
class Analyser:
    """Turn text into index terms: stems without stopwords, acronyms expanded both ways."""

    acronyms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def terms(self, text: str) -> list[str]:
        raw_words = _WORD.findall(text)
        terms: list[str] = []
        for raw in raw_words:
            acronym = _acronym_token(raw)
            if acronym and acronym in self.acronyms:
                terms.append(acronym)
                terms.extend(self.acronyms[acronym])
                continue
            lowered = raw.lower().replace("'", "")
            if lowered in STOPWORDS:
                continue
            if lowered.endswith("s") and lowered[:-1] in self.acronyms:
                terms.append(lowered[:-1])
                terms.extend(self.acronyms[lowered[:-1]])
                continue
            if lowered in self.acronyms:
                terms.append(lowered)
                terms.extend(self.acronyms[lowered])
                continue
            terms.append(stem(lowered))
        terms.extend(self._spelt_out_acronyms(terms))
        return terms

    def _spelt_out_acronyms(self, terms: list[str]) -> list[str]:
        """Add the acronym when its expansion appears spelt out in the text."""
        found = []
        for acronym, expansion in self.acronyms.items():
            if acronym in terms or not expansion:
                continue
            for start in range(len(terms) - len(expansion) + 1):
                if tuple(terms[start : start + len(expansion)]) == expansion:
                    found.append(acronym)
                    break
        return found


class BM25:
    """Okapi BM25 (Robertson and Zaragoza 2009) with the usual k1 and b, and a non-negative IDF."""

    def __init__(
        self, documents: Sequence[str], *, analyser: Analyser, k1: float = 1.2, b: float = 0.75
    ) -> None:
        self.analyser = analyser
        self.k1 = k1
        self.b = b
        self.term_counts = [Counter(analyser.terms(text)) for text in documents]
        self.lengths = [sum(counts.values()) for counts in self.term_counts]
        self.average_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        document_frequency: Counter[str] = Counter()
        for counts in self.term_counts:
            document_frequency.update(counts.keys())
        total = len(documents)
        self.idf = {
            term: math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
            for term, frequency in document_frequency.items()
        }

    def scores(self, query: str) -> list[float]:
        """Return one score per document, in the order the documents were given."""
        query_terms = set(self.analyser.terms(query))
        results = []
        for counts, length in zip(self.term_counts, self.lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / (self.average_length or 1.0))
            score = 0.0
            for term in query_terms:
                frequency = counts.get(term, 0)
                if frequency:
                    score += self.idf[term] * frequency * (self.k1 + 1) / (frequency + norm)
            results.append(score)
        return results
