"""Recognise answers that must not earn marks: empty, too long, another language, injections."""

from __future__ import annotations

import re

from revisewise.marking import text as t
from revisewise.marking.text import wordset

MAX_ANSWER_CHARS = 10_000

_INJECTION_RE = re.compile(
    r"(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|my\s+|previous\s+|prior\s+"
    r"|above\s+|earlier\s+|marking\s+)*(instructions?|rules|prompts?|criteria|guidelines|rubric)"
    r"|(give|award|grant|assign)\s+(me\s+|this\s+(answer\s+)?)?(full|top|maximum|max|all(\s+the)?|"
    r"100\s*%|perfect)\s+(marks?|points?|score|credit)"
    r"|(mark|grade|score|label)\s+(this|my\s+answer|it)\s+(as\s+)?(correct|right|full|a\s+pass|"
    r"a\s+distinction|distinction)"
    r"|you\s+are\s+(now\s+)?(an?\s+)?(ai|assistant|language\s+model|chatbot|marker)"
    r"|system\s+prompt|jailbreak",
    re.IGNORECASE,
)
_SENTENCE_RE = re.compile(r"[^.!?\n]*[.!?\n]?")

_FOREIGN_STOPWORDS = wordset(
    """le la les des et est une du que qui pour pas dans sur avec ce il elle sont nous vous ils
    c'est je der das und ist nicht ein eine zu den von mit sich auf für im dem wird sind ich es
    auch yr ac mae yn ei gyda ond neu wedi bod nid fy eu hyn hynny dyma mewn ydy roedd gan el los
    las por con para se su del al lo como pero más muy"""
)


def strip_injection(answer: str) -> tuple[str, bool]:
    """Blank out sentences that address the marker, keeping every other character's offset."""
    found = False
    pieces: list[str] = []
    for match in _SENTENCE_RE.finditer(answer):
        sentence = match.group()
        if sentence and _INJECTION_RE.search(sentence):
            found = True
            pieces.append(re.sub(r"\S", " ", sentence))
        else:
            pieces.append(sentence)
    return "".join(pieces), found


def is_non_english(answer: str) -> bool:
    """Judge by stopwords: English answers of five words or more use English function words."""
    tokens = t.words(answer)
    if len(tokens) < 5:
        return False
    english = sum(1 for w in tokens if w in t.STOPWORDS)
    foreign = sum(1 for w in tokens if w in _FOREIGN_STOPWORDS and w not in t.STOPWORDS)
    return foreign > english or (english / len(tokens) < 0.08 and foreign >= 2)


def is_copied_question(answer: str, question: str) -> bool:
    """Return True when the answer adds (almost) nothing to the words of the question."""
    answer_stems = set(t.stems(t.content_words(answer)))
    if not answer_stems:
        return False
    question_stems = set(t.stems(t.content_words(question)))
    novel = answer_stems - question_stems
    return len(novel) <= len(answer_stems) // 10 and len(answer_stems) >= 2


_CONNECTIVES = wordset(
    """because so therefore which means since as this that when if then thus hence so that
    causes leads allows ensures why how by"""
)


def _flat(text: str) -> str:
    return " ".join(t.words(text))


def is_pasted_points(answer: str, points: tuple[str, ...]) -> bool:
    """Return True when at least 80% of the answer's words are marking points pasted verbatim."""
    flat = _flat(answer)
    if not flat or not points:
        return False
    pasted = sum(len(p) for p in {_flat(point) for point in points} if p and p in flat)
    return pasted >= 0.8 * len(flat)


def is_bare_list(answer: str, points: tuple[str, ...]) -> bool:
    """Return True when the answer only lists marking-point words, with no explanation, or is
    the marking points pasted word for word (their own "such as" explains nothing)."""
    if is_pasted_points(answer, points):
        return True
    if len(points) < 2:
        return False
    items = [i for i in re.split(r"[\n;,•*\-]+|\s\d+[.)]\s", answer) if t.words(i)]
    if len(items) < 2:
        return False
    point_stems = {s for p in points for s in t.stems(t.content_words(p))}
    answer_stems = t.stems(t.content_words(answer))
    if not answer_stems:
        return False
    from_points = sum(1 for s in answer_stems if s in point_stems) / len(answer_stems)
    explains = any(w in _CONNECTIVES for w in t.words(answer))
    short_items = sum(len(t.words(i)) for i in items) / len(items) <= 8
    return from_points >= 0.8 and short_items and not explains
