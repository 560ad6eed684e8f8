"""Text handling for marking: tokens, stems, stopwords, negation and clause spans with offsets."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


WORD_RE = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
CLAUSE_RE = re.compile(r"[^.;!?\n]+")

STOPWORDS = wordset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself nor of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves also it's that's there's i'm you're they're we're
    can't cannot don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't
    one would get got may might must shall us let like"""
)
NEGATIONS = wordset(
    """not no never none nothing nobody neither nor without cannot can't don't doesn't didn't
    isn't aren't wasn't weren't won't wouldn't shouldn't couldn't hasn't haven't hadn't n't
    nowhere"""
)
# Generic, domain-free opposites: an answer using one where the reference uses the other is a
# contradiction cue in any subject.
ANTONYM_PAIRS = (
    ("increase", "decrease"),
    ("more", "less"),
    ("higher", "lower"),
    ("high", "low"),
    ("larger", "smaller"),
    ("bigger", "smaller"),
    ("big", "small"),
    ("large", "small"),
    ("up", "down"),
    ("positive", "negative"),
    ("open", "closed"),
    ("open", "close"),
    ("connected", "separated"),
    ("connected", "disconnected"),
    ("same", "different"),
    ("true", "false"),
    ("yes", "no"),
    ("hot", "cold"),
    ("warm", "cool"),
    ("fast", "slow"),
    ("faster", "slower"),
    ("before", "after"),
    ("always", "never"),
    ("all", "none"),
    ("in", "out"),
    ("on", "off"),
    ("add", "remove"),
    ("gain", "lose"),
    ("rise", "fall"),
    ("strong", "weak"),
    ("stronger", "weaker"),
    ("long", "short"),
    ("longer", "shorter"),
    ("heavy", "light"),
    ("heavier", "lighter"),
    ("series", "parallel"),
    ("inside", "outside"),
    ("absorb", "reflect"),
    ("attract", "repel"),
    ("accept", "reject"),
    ("correct", "incorrect"),
    ("legal", "illegal"),
    ("safe", "unsafe"),
    ("agree", "disagree"),
    ("allow", "prevent"),
    ("start", "stop"),
    ("include", "exclude"),
    ("maximum", "minimum"),
    ("most", "least"),
)
ANTONYMS: dict[str, frozenset[str]] = {}
for _a, _b in ANTONYM_PAIRS:
    ANTONYMS[_a] = ANTONYMS.get(_a, frozenset()) | {_b}
    ANTONYMS[_b] = ANTONYMS.get(_b, frozenset()) | {_a}

_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ations",
    "ingly",
    "ation",
    "ement",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "ions",
    "ion",
    "edly",
    "ies",
    "ied",
    "ers",
    "est",
    "ity",
    "ive",
    "ous",
    "ful",
    "ed",
    "er",
    "ly",
    "es",
    "s",
)


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Strip a common English suffix: a small, deterministic stand-in for a Porter stemmer."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if suffix in ("ational", "ation", "ations"):
                base += "at"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]
            return base.rstrip("e") if len(base) > 4 else base
    return word.rstrip("e") if len(word) > 4 else word


def words(text: str) -> list[str]:
    """Return the lower-case words of `text`."""
    return [w.lower() for w in WORD_RE.findall(text)]


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Return each lower-case word of `text` with its character offsets."""
    return [(m.group().lower(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def content_word_spans(text: str) -> list[tuple[str, int, int]]:
    """Return the content words (not stopwords or negations) of `text` with their offsets."""
    return [w for w in word_spans(text) if w[0] not in STOPWORDS and w[0] not in NEGATIONS]


def content_words(text: str) -> list[str]:
    """Return the lower-case words that are not stopwords."""
    return [w for w in words(text) if w not in STOPWORDS and w not in NEGATIONS]


def stems(tokens: list[str]) -> list[str]:
    return [stem(t) for t in tokens]


def negation_count(text: str) -> int:
    lowered = text.lower()
    return sum(1 for w in words(lowered) if w in NEGATIONS) + lowered.count("n't")


def stopword_ratio(text: str) -> float:
    tokens = words(text)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if t in STOPWORDS) / len(tokens)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def clauses(text: str) -> list[Span]:
    """Split the answer into sentences and comma/connective clauses, keeping exact offsets."""
    spans: list[Span] = []
    for match in CLAUSE_RE.finditer(text):
        _add_span(spans, text, match.start(), match.end())
        parts = list(re.finditer(r"[^,]+|(?<=,)", match.group()))
        pieces = [p for p in parts if p.group().strip()]
        if len(pieces) > 1:
            for piece in pieces:
                _add_span(spans, text, match.start() + piece.start(), match.start() + piece.end())
    return spans


def capped_clauses(text: str, limit: int) -> list[Span]:
    """Return at most `limit` spans that still cover every sentence of the answer.

    Short answers get every sentence and comma clause (as `clauses`). When that is too many,
    comma clauses are kept for the earliest sentences only while they fit; when the sentences
    alone are too many, neighbouring sentences are joined into windows, so evidence anywhere in a
    long answer can still be quoted and the work per answer stays bounded.
    """
    spans = clauses(text)
    if len(spans) <= limit:
        return spans
    sentences: list[Span] = []
    for match in CLAUSE_RE.finditer(text):
        _add_span(sentences, text, match.start(), match.end())
    if len(sentences) > limit:
        size = -(-len(sentences) // limit)
        windows: list[Span] = []
        for i in range(0, len(sentences), size):
            group = sentences[i : i + size]
            start, end = group[0].start, group[-1].end
            windows.append(Span(start, end, text[start:end]))
        return windows
    kept: list[Span] = []
    budget = limit - len(sentences)
    for sentence in sentences:
        kept.append(sentence)
        pieces = [
            s
            for s in spans
            if sentence.start <= s.start and s.end <= sentence.end and s != sentence
        ]
        if pieces and len(pieces) <= budget:
            kept.extend(pieces)
            budget -= len(pieces)
    return kept


def _add_span(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and words(text[start:end]):
        spans.append(Span(start, end, text[start:end]))


def demote(tokens: list[str], question_stems: set[str]) -> list[str]:
    """Remove words whose stems appear in the question ("question demoting")."""
    return [t for t in tokens if stem(t) not in question_stems]


# Where a marking point's ideas part: commas and semicolons outside brackets, "and" before a new
# "-ing" activity ("defining CRM and explaining how ...") unless it joins two ("gathering and
# analysing feedback"), and "and how" / "and why"; "highs and lows" stays whole.
_IDEA_BREAK_RE = re.compile(
    r"[,;]\s*|(?<!ing)\s+and\s+(?=[A-Za-z]+ing\b)|\s+and\s+(?=(?:how|why)\b)"
)
_LEADING_JOINER_RE = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)
_BRACKETED_RE = re.compile(r"\([^)]*\)")
# Assessor framing at the start of an idea says how to credit it, not what to credit: "evidence
# of", "demonstrating a clear understanding of", "such as", "supported by", "with references to".
_FRAMING_RE = re.compile(
    r"^(?:(?:robust|clear|some)\s+evidence\s+of\s+|evidence\s+of\s+|demonstrating\s+"
    r"(?:an?\s+)?(?:(?:clear|detailed|good|sound|effective)\s+)?(?:understanding\s+of\s+)?"
    r"(?:the\s+)?|showing\s+|articulating\s+|understanding\s+|such\s+as\s+|including\s+"
    r"|supported\s+by\s+|with\s+references?\s+to\s+|with\s+|clearly\s+|accurately\s+)+",
    re.IGNORECASE,
)
# Where a clause parts into smaller pieces an idea may match on its own ("stay calm and
# positive and move the conversation on").
_CONNECTIVE_RE = re.compile(r"\s+(?:and|then|so|but|because|which|while)\s+", re.IGNORECASE)
MIN_IDEA_WORDS = 3


@functools.lru_cache(maxsize=4096)
def point_ideas(point: str) -> tuple[str, ...]:
    """Split a marking point into the ideas an answer must cover, in order.

    An assessor's point often lists several ideas ("mapping a customer journey, identifying key
    touchpoints, potential friction areas, and emotional highs and lows"). It is cut at commas
    and semicolons outside brackets (examples in "(e.g., ...)" stay with their idea) and at "and"
    before a new "-ing" activity or "how"/"why". A piece with fewer than `MIN_IDEA_WORDS` content
    words (outside brackets) is a list item or qualifier of its neighbour and is joined to the
    piece before it (a short first piece, to the one after). A point with one idea is returned
    whole.
    """
    masked = _BRACKETED_RE.sub(lambda m: "x" * len(m.group()), point)
    cuts = [0]
    for match in _IDEA_BREAK_RE.finditer(masked):
        cuts.extend((match.start(), match.end()))
    cuts.append(len(point))
    pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
    groups: list[list[tuple[int, int]]] = []
    pending: list[tuple[int, int]] = []
    for start, end in pieces:
        if _idea_words(point[start:end]) >= MIN_IDEA_WORDS:
            groups.append([*pending, (start, end)])
            pending = []
        elif groups:
            groups[-1].append((start, end))
        else:
            pending.append((start, end))
    if pending:
        groups.append(pending)
    if len(groups) <= 1:
        return (point,)
    ideas = []
    for group in groups:
        text = _LEADING_JOINER_RE.sub("", point[group[0][0] : group[-1][1]].strip(" ,;."))
        unframed = _FRAMING_RE.sub("", text)
        ideas.append(unframed if _idea_words(unframed) >= 2 else text)
    return tuple(ideas)


def _idea_words(piece: str) -> int:
    return len(content_words(_BRACKETED_RE.sub(" ", piece)))


def connective_pieces(text: str, spans: list[Span]) -> list[Span]:
    """Return the parts of each span between connectives ("and", "then", "so" ...), when a span
    has more than one, so a short idea can match the part of a clause that makes it."""
    pieces: list[Span] = []
    for span in spans:
        cuts = [0]
        for match in _CONNECTIVE_RE.finditer(span.text):
            cuts.extend((match.start(), match.end()))
        cuts.append(len(span.text))
        if len(cuts) <= 2:
            continue
        for i in range(0, len(cuts), 2):
            start, end = span.start + cuts[i], span.start + cuts[i + 1]
            while end > start and text[end - 1] in ",;: ":
                end -= 1
            _add_span(pieces, text, start, end)
    return [p for p in dict.fromkeys(pieces) if p not in spans]


def sentence_windows(text: str, size: int = 2) -> list[Span]:
    """Return runs of `size` adjacent sentences, so an idea put across a sentence break is seen."""
    sentences: list[Span] = []
    for match in CLAUSE_RE.finditer(text):
        _add_span(sentences, text, match.start(), match.end())
    windows = []
    for i in range(len(sentences) - size + 1):
        start, end = sentences[i].start, sentences[i + size - 1].end
        windows.append(Span(start, end, text[start:end]))
    return windows
