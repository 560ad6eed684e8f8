"""RW3xx: what different units (and qualifications of one subject) say that does not agree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from revisewise.content.lint.claims import claims
from revisewise.content.lint.corpus import (
    Located,
    located_texts,
    subjects,
)
from revisewise.content.lint.registry import rule
from revisewise.content.lint.text import (
    EVERYDAY_ACRONYMS,
    acronyms,
    expansions,
    jaccard,
    normalise,
    tokens,
)
from revisewise.content.lint.types import Corpus, Problem, QualificationDoc, Severity


def _problem(found: Located, message: str, *, unit: bool = True) -> Problem:
    return Problem(
        message=message,
        qualification=found.qualification.slug,
        unit=found.unit.slug if found.unit and unit else "",
        section=found.section,
        source=found.path,
        line=found.line,
    )


def _where(found: Located) -> str:
    name = f"'{found.unit.title}'" if found.unit else f"'{found.qualification.title}'"
    location = f"{found.path}:{found.line}" if found.path and found.line else found.path
    return f"{name} ({location})" if location else name


def _scope_texts(qualifications: Iterable[QualificationDoc]) -> list[Located]:
    return list(located_texts(Corpus(qualifications=tuple(qualifications))))


@dataclass(frozen=True)
class _Said:
    value: str
    shown: str
    found: Located


def _disagreements(said: list[_Said]) -> Iterator[tuple[_Said, list[_Said]]]:
    """Yield each statement that differs from the most common one, with those it differs from.

    Only one statement per unit and value counts, so a unit repeating itself does not outvote
    another unit. When every value is as common as the others, every unit is reported.
    """
    per_unit: dict[tuple[str, str], _Said] = {}
    for item in said:
        unit = item.found.unit.slug if item.found.unit else ""
        per_unit.setdefault((unit, item.value), item)
    counts = Counter(value for _, value in per_unit)
    if len(counts) < 2:
        return
    top = counts.most_common(1)[0][1]
    is_tie = all(count == top for count in counts.values())
    for (_, value), item in per_unit.items():
        if is_tie or counts[value] < top:
            others = [o for (_, v), o in per_unit.items() if v != value]
            yield item, others


def _others(others: list[_Said]) -> str:
    return "; ".join(f"'{o.shown}' on {_where(o.found)}" for o in others)


@rule("RW301", Severity.ERROR, "Acronym spelled out differently")
def acronym_expanded_differently(corpus: Corpus) -> Iterator[Problem]:
    """One model or acronym spelled out differently on different units (LATER as 'Listen,
    Apologise, Thank, Explain, Resolve' and as '... Empathise, Resolve'): a learner is taught
    two versions and cannot know which one the assessor expects. Compared across all
    qualifications of a subject; British and American spellings count as the same word."""
    for qualifications in subjects(corpus).values():
        by_acronym: dict[str, list[_Said]] = {}
        for found in _scope_texts(qualifications):
            for expansion in expansions(found.text):
                if expansion.spells_it:
                    said = _Said(" ".join(expansion.key), expansion.text, found)
                    by_acronym.setdefault(expansion.acronym, []).append(said)
        for acronym, statements in sorted(by_acronym.items()):
            for item, others in _disagreements(statements):
                yield _problem(
                    item.found,
                    f"{acronym} is spelled out as '{item.shown}' here but as {_others(others)}.",
                )


@rule("RW302", Severity.ERROR, "Acronym does not match its expansion")
def acronym_misspelled(corpus: Corpus) -> Iterator[Problem]:
    """A model whose listed steps do not spell its name ('HEAT' model (Hear, Listen, ...)):
    the mnemonic is wrong, which is the one thing a learner memorises."""
    for found in located_texts(corpus):
        for expansion in expansions(found.text):
            if not expansion.spells_it:
                initials = "".join(w[0] for w in expansion.words).upper()
                yield _problem(
                    found,
                    f"The steps listed for {expansion.acronym} ('{expansion.text}') spell"
                    f" {initials}, not {expansion.acronym}.",
                )


@rule("RW303", Severity.ERROR, "Contradictory claims")
def contradictory_claims(corpus: Corpus) -> Iterator[Problem]:
    """Units that state the same fact differently: a number, a year, a level, a time limit, a
    count an answer needs, the grades awarded. At most one of them is right."""
    for qualifications in subjects(corpus).values():
        universal: dict[str, list[_Said]] = {}
        for qualification in qualifications:
            local: dict[str, list[_Said]] = {}
            for found in _scope_texts([qualification]):
                for claim in claims(found.text):
                    target = universal if claim.is_universal else local
                    target.setdefault(claim.key, []).append(_Said(claim.value, claim.quote, found))
            yield from _claim_problems(local)
        yield from _claim_problems(universal)


def _claim_problems(by_key: dict[str, list[_Said]]) -> Iterator[Problem]:
    for key, said in sorted(by_key.items()):
        for item, others in _disagreements(said):
            yield _problem(
                item.found, f"This says '{item.shown}' for {key}, but {_others(others)}."
            )


@rule("RW304", Severity.ERROR, "Qualification named differently")
def qualification_named_differently(corpus: Corpus) -> Iterator[Problem]:
    """A page that names its qualification differently from the other pages of the same
    qualification: a qualification's title is a fact learners quote and search for."""
    for qualification in corpus.qualifications:
        said = [
            _Said(
                normalise(source.qualification_title),
                source.qualification_title,
                Located(qualification, unit, "Qualification", source.path, None, ""),
            )
            for unit in qualification.units
            for source in unit.sources
            if source.qualification_title
        ]
        stored = normalise(qualification.title)
        for item in said:
            if item.value != stored:
                yield _problem(
                    item.found,
                    f"This page names the qualification '{item.shown}', but it is stored"
                    f" as '{qualification.title}'.",
                )


# Overviews sharing less than this share of their words are different texts, not edits.
OVERVIEW_SAME = 0.9


@rule("RW305", Severity.WARNING, "Qualification overview differs between units")
def overview_differs(corpus: Corpus) -> Iterator[Problem]:
    """Pages of one qualification carrying different overviews of it. The overview is stored
    once and shown on every unit, so what the other pages say is lost, and they often
    disagree (different lists of core units)."""
    for qualification in corpus.qualifications:
        reference = tokens(qualification.overview)
        for unit in qualification.units:
            for source in unit.sources:
                if not source.overview or not reference:
                    continue
                overlap = jaccard(tokens(source.overview), reference)
                if overlap < OVERVIEW_SAME:
                    yield Problem(
                        f"This page's Topic Overview differs from the qualification's stored"
                        f" overview (only {overlap:.0%} of their words are shared).",
                        qualification.slug,
                        unit.slug,
                        "Topic Overview",
                        source.path,
                        source.overview_line,
                    )


def _misconception(text: str) -> tuple[str, str] | None:
    head, marker, correction = text.partition("Correction:")
    if not marker or "Misconception:" not in head:
        return None
    return head.split("Misconception:", 1)[1].strip(), correction.strip()


@rule("RW306", Severity.WARNING, "Misconception corrected differently")
def misconception_corrected_differently(corpus: Corpus) -> Iterator[Problem]:
    """The same misconception given different corrections on different units of one
    qualification. It is shared content, stored once, so the units must agree on one."""
    for qualification in corpus.qualifications:
        by_statement: dict[str, list[_Said]] = {}
        for found in _scope_texts([qualification]):
            pair = _misconception(found.text)
            if pair:
                said = _Said(normalise(pair[1]), pair[1], found)
                by_statement.setdefault(normalise(pair[0]), []).append(said)
        for corrections in by_statement.values():
            distinct = {s.value for s in corrections}
            if len(distinct) > 1:
                first = corrections[0].found
                statement = _misconception(first.text)
                assert statement is not None
                units = sorted({s.found.unit.title for s in corrections if s.found.unit})
                yield _problem(
                    first,
                    f"The misconception '{statement[0]}' is corrected in {len(distinct)}"
                    f" different ways on {len(units)} units ({', '.join(units)}).",
                    unit=False,
                )


_MODEL_WORDS = ("model", "method", "framework", "approach", "technique", "cycle")


def _models_cited(text: str) -> set[str]:
    named = {e.acronym for e in expansions(text) if e.spells_it and len(e.words) >= 3}
    lowered = text.lower()
    for acronym in acronyms(text):
        at = text.find(acronym)
        after = lowered[at + len(acronym) : at + len(acronym) + 12]
        if any(word in after for word in _MODEL_WORDS):
            named.add(acronym)
    return named


@rule("RW307", Severity.WARNING, "Different models for the same concept")
def different_models(corpus: Corpus) -> Iterator[Problem]:
    """Key concepts with the same name on different units of a subject that teach a different
    named model (complaint handling with HEAT on one unit, LATER on another): learners revising
    across units meet two procedures for one job."""
    for qualifications in subjects(corpus).values():
        concepts = [
            (found, found.text.split(":", 1)[0], _models_cited(found.text))
            for found in _scope_texts(qualifications)
            if found.kind == "concept" and ":" in found.text
        ]
        reported: set[str] = set()
        for found, name, models in concepts:
            if not models or normalise(name) in reported:
                continue
            related = [
                (other, other_name, other_models)
                for other, other_name, other_models in concepts
                if other.unit != found.unit
                and other_models
                and other_models != models
                and _same_topic(name, other_name)
            ]
            if related:
                reported.update(normalise(n) for _, n, _ in related)
                reported.add(normalise(name))
                cited = "; ".join(
                    f"{', '.join(sorted(m))} for '{n}' on {_where(o)}" for o, n, m in related
                )
                yield _problem(
                    found,
                    f"'{name}' is taught with {', '.join(sorted(models))} here but with {cited}.",
                    unit=False,
                )


def _same_topic(name: str, other: str) -> bool:
    """Concept names about one topic: one's words all occur in the other's."""
    mine, theirs = set(tokens(name)), set(tokens(other))
    return bool(mine and theirs) and (mine <= theirs or theirs <= mine)


# Two qualifications of one subject and awarding body whose titles overlap this much.
SAME_QUALIFICATION = 0.6


@rule("RW308", Severity.WARNING, "Possibly the same qualification twice")
def duplicate_qualifications(corpus: Corpus) -> Iterator[Problem]:
    """Two qualifications of the same subject, awarding body and level with nearly the same
    title: probably one qualification named two ways, its units split between them."""
    quals = list(corpus.qualifications)
    for index, first in enumerate(quals):
        for second in quals[index + 1 :]:
            if (first.subject, first.awarding_body, first.level) != (
                second.subject,
                second.awarding_body,
                second.level,
            ):
                continue
            overlap = jaccard(tokens(first.title), tokens(second.title))
            if overlap >= SAME_QUALIFICATION:
                yield Problem(
                    f"'{second.title}' looks like the same qualification as '{first.title}'"
                    f" ({overlap:.0%} of the title's words are shared).",
                    second.slug,
                )


@rule("RW309", Severity.INFO, "Acronym never spelled out")
def acronym_never_expanded(corpus: Corpus) -> Iterator[Problem]:
    """An acronym used in a qualification but spelled out nowhere in its subject: learners
    meeting 'PDCA' or 'GDPR' cold need it spelled out once."""
    for qualifications in subjects(corpus).values():
        texts = _scope_texts(qualifications)
        known = {e.acronym for found in texts for e in expansions(found.text)}
        for qualification in qualifications:
            first_use: dict[str, Located] = {}
            for found in texts:
                if found.qualification is qualification:
                    for acronym in acronyms(found.text):
                        first_use.setdefault(acronym, found)
            for acronym, found in sorted(first_use.items()):
                if acronym not in known and acronym not in EVERYDAY_ACRONYMS:
                    yield _problem(
                        found,
                        f"{acronym} is used but never spelled out in this subject.",
                        unit=False,
                    )
