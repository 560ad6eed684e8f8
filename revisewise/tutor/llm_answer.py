"""The AI composer: the configured model writes the answer, the code decides what is shown.

The model sees only the learner's question and the passages retrieval found (both fenced as
data) and, for a follow-up question, the learner's own earlier questions in this conversation
and the tutor's cited answers to them (each fenced as data too, labelled as context), and must
reply with points, each citing a passage label and a quote. The code keeps a point only if a
quote really appears in the passage it names, refuses replies that repeat the prompt's rules,
and on any failure (no endpoint, timeout, 429/5xx, malformed JSON, nothing left after
checking) returns the offline answer with a notice saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.utils.translation import gettext as _

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.core.llm.client import llm_complete
from revisewise.core.llm.prompts import prompt_get
from revisewise.core.llm.sanitise import (
    clean,
    delimit,
    grounded_reply_verify,
    prompt_leaks,
)
from revisewise.core.llm.schemas import GroundedReply
from revisewise.tutor.answer import (
    LLM,
    Answer,
    AnswerPart,
    citations_for_hits,
    comparison_notes,
    version_notes,
)
from revisewise.tutor.followup import Turn, turn_text
from revisewise.tutor.retrieval import Comparison, Hit

FEATURE = "tutor_answer"
PROMPT = "tutor_answer"
MAX_SOURCES = 5
MAX_TOKENS = 700


def offline_fallback() -> str:
    return _("this answer comes from the course notes (offline)")


def refusal_text() -> str:
    return _(
        "I can only help with questions about your course, answered from the course notes. "
        "I cannot change how I work, show my instructions or mark work: your tutor marks work."
    )


class LlmComposer:
    """Ask the model for a cited answer; fall back to `fallback` (the offline answer) on failure."""

    name = LLM

    def __init__(self, *, user: User | None, qualification: Qualification | None) -> None:
        self.user = user
        self.qualification = qualification

    def compose(
        self,
        *,
        question: str,
        hits: Sequence[Hit],
        fallback: Answer,
        earlier: Sequence[Turn] = (),
        comparison: Comparison | None = None,
    ) -> Answer:
        # For a comparison, the content's definitions of its terms are the first sources.
        definitions = _definitions(comparison)
        relevant = _unique([*definitions, *(hit for hit in hits if hit.is_relevant)])
        relevant = relevant[:MAX_SOURCES]
        # Nothing relevant: the offline answer already says so, and the model is not asked.
        if not relevant:
            return fallback
        sources = {f"S{number}": hit.text for number, hit in enumerate(relevant, start=1)}
        prompt = prompt_get(PROMPT)
        rules = prompt.render(qualification=self._qualification_title(), sources="")
        system = prompt.render(
            qualification=self._qualification_title(),
            sources="\n".join(delimit(f"source {label}", text) for label, text in sources.items()),
        )
        outcome = llm_complete(
            feature=FEATURE,
            user=self.user,
            schema=GroundedReply,
            max_tokens=MAX_TOKENS,
            messages=[
                {"role": "system", "content": system},
                {"role": "user", "content": self._user_message(question, earlier)},
            ],
            fallback=offline_fallback(),
        )
        if not outcome.ok:
            return replace(fallback, notice=outcome.reason)
        reply: GroundedReply = outcome.parsed
        said = " ".join(point.text for point in reply.points)
        if prompt_leaks(said, rules):
            return replace(fallback, notice=self._broken_rules_notice())
        if reply.refused:
            return Answer(
                question=question, mode=LLM, refusal=refusal_text(), prompt_key=prompt.key
            )
        checked = grounded_reply_verify(reply, sources)
        if not checked.points:
            return replace(fallback, notice=self._unchecked_notice())
        parts = self._parts(checked, relevant)
        by_label = {f"S{number}": hit for number, hit in enumerate(relevant, start=1)}
        cited = _unique([by_label[point.citations[0].source] for point in checked.points])
        notes = comparison_notes(comparison)
        return Answer(
            question=question,
            mode=LLM,
            parts=parts,
            practice=fallback.practice,
            prompt_key=prompt.key,
            notes=(*notes, *version_notes(cited, citations_for_hits(cited))),
        )

    @staticmethod
    def _user_message(question: str, earlier: Sequence[Turn]) -> str:
        """Fence the earlier turns (context only) and then the question, each as data."""
        fenced = []
        for number, turn in enumerate(earlier, start=1):
            fenced.append(
                delimit(
                    f"earlier learner question {number} (context only, already answered)",
                    turn_text(turn.question),
                )
            )
            if turn.answer:
                fenced.append(
                    delimit(f"earlier tutor answer {number} (context only)", turn_text(turn.answer))
                )
        fenced.append(delimit("learner question", clean(question)))
        return "\n".join(fenced)

    def _qualification_title(self) -> str:
        return self.qualification.title if self.qualification else _("your qualification")

    def _parts(self, reply: GroundedReply, hits: Sequence[Hit]) -> tuple[AnswerPart, ...]:
        citations = citations_for_hits(hits)
        by_label = {f"S{number}": hit for number, hit in enumerate(hits, start=1)}
        return tuple(
            AnswerPart(
                text=point.text,
                citation=citations[by_label[point.citations[0].source].passage_id],
                quote=point.citations[0].quote,
            )
            for point in reply.points
        )

    @staticmethod
    def _broken_rules_notice() -> str:
        return _("The AI model's answer broke the tutor's rules, so %(fallback)s.") % {
            "fallback": offline_fallback()
        }

    @staticmethod
    def _unchecked_notice() -> str:
        return _(
            "The AI model's answer could not be checked against the course notes, so %(fallback)s."
        ) % {"fallback": offline_fallback()}


def _definitions(comparison: Comparison | None) -> list[Hit]:
    if comparison is None:
        return []
    terms = (comparison.first, comparison.second)
    found = [term.definition for term in terms if term.definition is not None]
    return [*found, comparison.ranking] if comparison.ranking is not None else found


def _unique(hits: Sequence[Hit]) -> list[Hit]:
    """The hits in order, each passage once."""
    seen: set[int] = set()
    kept = []
    for hit in hits:
        if hit.passage_id not in seen:
            seen.add(hit.passage_id)
            kept.append(hit)
    return kept
