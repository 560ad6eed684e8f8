"""Read a question in the light of the conversation so far: follow-ups and what they refer to.

Learners ask "what about for complaints?" or "can you give an example of that?": on its own such
a question has nothing to retrieve by. A question is read as a follow-up when it opens with a
continuation ("and", "what about", "how about", "also"...), or when it leans on a pronoun ("it",
"they", "that" standing alone) and says too little of its own (at most three content words), or
when it has no content word at all. A follow-up is searched for together with the earlier
question it follows (and that one's own earlier question, if it was a follow-up too), so the
topic carries over. Plain Python, no ORM: the services pass the earlier turns in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from revisewise.tutor.lexical import STOPWORDS, Analyser

# At most this many content words, with a pronoun leaning on an earlier turn, make a follow-up.
MAX_CONTENT_WORDS = 3
# How many earlier questions a follow-up is searched together with (its chain of follow-ups).
MAX_CHAIN = 2
# How many earlier exchanges (question and answer) an AI model is shown, at most.
MAX_EARLIER_TURNS = 2
# Each earlier turn is cut to this many characters before it is sent to a model.
MAX_TURN_CHARS = 600

_CONTINUATION = re.compile(
    r"^\W*(?:and|but|also|plus|or|so|then|what about|how about|what else|same for|"
    r"what if|and what|and how)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9']+")
# Pronouns that always point outside the question.
_PRONOUNS = frozenset({"it", "its", "they", "them", "their", "he", "she", "him", "her"})
# Demonstratives point outside the question only when they stand alone ("an example of that?",
# "is that right?"), not when they lead a noun ("this unit", "that model").
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})


@dataclass(frozen=True)
class Turn:
    """One earlier exchange: the learner's question and the tutor's cited answer (may be empty)."""

    question: str
    answer: str = ""


@dataclass(frozen=True)
class Reading:
    """How a question is read: what is searched for, and which earlier question it follows."""

    question: str
    query: str
    follows: str = ""
    earlier: tuple[Turn, ...] = ()

    @property
    def is_follow_up(self) -> bool:
        return bool(self.follows)


def is_follow_up(question: str) -> bool:
    """Tell whether a question leans on an earlier turn rather than standing on its own."""
    if _CONTINUATION.match(question):
        return True
    content = Analyser().terms(question)
    if not content:
        return True
    return len(content) <= MAX_CONTENT_WORDS and _leans_on_earlier_turn(question)


def _leans_on_earlier_turn(question: str) -> bool:
    words = [word.lower() for word in _WORD.findall(question)]
    for index, word in enumerate(words):
        if word in _PRONOUNS:
            return True
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in _DEMONSTRATIVES and (not following or following in STOPWORDS):
            return True
    return False


def question_read(*, question: str, earlier: Sequence[Turn] = ()) -> Reading:
    """Read a question against the earlier turns of its conversation (oldest first).

    A follow-up's query is the question, then the earlier questions it follows (newest first, at
    most `MAX_CHAIN`); a question that stands alone is searched for as it is. The model, when
    one answers, is shown the last `MAX_EARLIER_TURNS` exchanges of a follow-up.
    """
    if not earlier or not is_follow_up(question):
        return Reading(question=question, query=question)
    chain = [earlier[-1].question]
    for turn, later in zip(reversed(earlier[:-1]), reversed(earlier[1:]), strict=True):
        if len(chain) >= MAX_CHAIN or not is_follow_up(later.question):
            break
        chain.append(turn.question)
    return Reading(
        question=question,
        query=" ".join([question, *chain]),
        follows=earlier[-1].question,
        earlier=tuple(earlier[-MAX_EARLIER_TURNS:]),
    )


def turn_text(text: str) -> str:
    """Cut an earlier turn to the length a model is shown, at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= MAX_TURN_CHARS:
        return text
    return text[:MAX_TURN_CHARS].rsplit(" ", 1)[0] + "…"
