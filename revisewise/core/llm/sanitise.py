"""Clean text before it reaches a model, and check what a model claims before it is shown.

The model proposes, the code decides: quotes count only if they appear in the sources, numbers are
clamped to their allowed range, and untrusted text is fenced as data with markers nobody can guess.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from revisewise.core.llm.schemas import GroundedAnswer, GroundedReply

_KEPT_CONTROLS = {"\n", "\t"}
_TAGS = range(0xE0000, 0xE0080)
_SPACE = re.compile(r"\s+")
_NUMBER = TypeVar("_NUMBER", int, float)


def _is_hidden(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cc":
        return char not in _KEPT_CONTROLS
    # Cf holds the zero-width characters, bidi overrides and isolates, soft hyphens and the tags.
    return category == "Cf" or ord(char) in _TAGS


def clean(text: str) -> str:
    """Return the text in NFKC form without invisible or control characters (except \\n, \\t).

    Carriage returns become newlines first so Windows line endings survive as line breaks.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if not _is_hidden(char))


def delimit(label: str, text: str) -> str:
    """Wrap untrusted text as data between per-call random markers the text cannot contain.

    The label is shown to the model (e.g. "source 2", "learner question"); any copy of the marker
    inside the text is removed so the text cannot close its own fence.
    """
    marker = f"DATA-{secrets.token_hex(8).upper()}"
    body = clean(text)
    while marker in body:
        body = body.replace(marker, "")
    safe_label = _SPACE.sub(" ", clean(label)).strip()
    return f"<<{marker} {safe_label}>>\n{body}\n<<END {marker}>>"


def _normalised(text: str) -> str:
    return _SPACE.sub(" ", clean(text)).strip().casefold()


def _quote_normalised(text: str) -> str:
    # Models often add or straighten quotation marks around a quote; compare the words only.
    text = _normalised(text)
    for curly, straight in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return text.strip(" \"'.…")


def verify_quotes(quotes: Iterable[str], sources: Iterable[str]) -> list[str]:
    """Return only the quotes that really appear in one of the sources, in their given order.

    Matching ignores case, runs of whitespace, hidden characters and surrounding quotation marks;
    empty quotes and duplicates are dropped.
    """
    haystacks = [_quote_normalised(source) for source in sources]
    kept: list[str] = []
    seen: set[str] = set()
    for quote in quotes:
        needle = _quote_normalised(quote)
        if not needle or needle in seen:
            continue
        if any(needle in haystack for haystack in haystacks):
            kept.append(quote)
            seen.add(needle)
    return kept


def clamp(value: _NUMBER, lo: _NUMBER, hi: _NUMBER) -> _NUMBER:
    """Return the value forced into [lo, hi]; a value that is not a number (NaN) becomes lo."""
    if lo > hi:
        raise ValueError(f"clamp needs lo <= hi, not {lo} > {hi}")
    if value != value:  # NaN is the one value unequal to itself
        return lo
    return max(lo, min(hi, value))


def grounded_answer_verify(answer: GroundedAnswer, sources: dict[str, str]) -> GroundedAnswer:
    """Keep only citations whose quote appears in the source they name; clamp the confidence.

    `sources` maps each label the prompt used (e.g. "S1") to that source's text. A citation of an
    unknown label, or a quote found in no source or in a different source, is dropped.
    """
    kept = [
        citation
        for citation in answer.citations
        if citation.source in sources
        and verify_quotes([citation.quote], [sources[citation.source]])
    ]
    return answer.model_copy(
        update={
            "answer": clean(answer.answer).strip(),
            "citations": kept,
            "confidence": clamp(float(answer.confidence), 0.0, 1.0),
        }
    )


def grounded_reply_verify(reply: GroundedReply, sources: dict[str, str]) -> GroundedReply:
    """Keep only points backed by at least one citation whose quote is in the source it names.

    Citations of unknown labels or with quotes found elsewhere are dropped first; a point left
    with none is an uncited claim and is dropped too. Text is cleaned of hidden characters.
    """
    points = []
    for point in reply.points:
        kept = [
            citation.model_copy(update={"quote": clean(citation.quote).strip()})
            for citation in point.citations
            if citation.source in sources
            and verify_quotes([citation.quote], [sources[citation.source]])
        ]
        text = clean(point.text).strip()
        if kept and text:
            points.append(point.model_copy(update={"text": text, "citations": kept}))
    return reply.model_copy(update={"points": points})


_SHINGLE_WORDS = 8


def _shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", clean(text).casefold())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def prompt_leaks(reply_text: str, prompt_text: str, *, words: int = _SHINGLE_WORDS) -> bool:
    """Tell whether a reply repeats any run of `words` consecutive words of the prompt's own text.

    Pass the prompt without the sources (quoting sources is allowed; quoting the rules is not).
    """
    return bool(_shingles(reply_text, words) & _shingles(prompt_text, words))


# Requests a tutor must refuse whatever the model would say: checked by the code before any call.
_REFUSE_PATTERNS: dict[str, tuple[str, ...]] = {
    "instructions": (
        r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|your rules|"
        r"the rules|prompt|guidelines|everything (above|before))\b",
        r"\b(you are now|jailbreak|developer mode|new instructions)\b",
    ),
    "prompt": (
        r"\b(system|initial|hidden|original|your)\s+(prompt|instructions|rules)\b",
        r"\b(reveal|show|print|repeat)\b.{0,30}\b(prompt|instructions)\b",
        r"\bapi[ _-]?key\b",
    ),
    "marking": (
        r"\b(mark|grade|score)\s+(my|this)\s+(\w+\s+)?(work|answer|essay|assignment|"
        r"portfolio|response|submission|coursework)\b",
        r"\bwhat (mark|grade|score) (would|will|do|should|does|did)\b",
        r"\b(give|award) me (a |full |top )?(marks?|grade|score|distinction|merit|pass)\b",
    ),
}
_REFUSE = {
    kind: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    for kind, patterns in _REFUSE_PATTERNS.items()
}


def request_refusal_kind(text: str) -> str | None:
    """Return why a request must be refused ("instructions", "prompt", "marking"), or None.

    A cheap first line of defence in code; the prompt and the checks on the reply are the others.
    """
    cleaned = _SPACE.sub(" ", clean(text))
    for kind, patterns in _REFUSE.items():
        if any(pattern.search(cleaned) for pattern in patterns):
            return kind
    return None
