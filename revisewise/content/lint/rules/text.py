"""RW1xx: defects inside one piece of text (a bullet, a synopsis, an overview)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from revisewise.content.lint.corpus import Located, located_texts, vocabulary
from revisewise.content.lint.registry import rule
from revisewise.content.lint.text import american_spellings, glued_words, truncated_tail, words
from revisewise.content.lint.types import Corpus, Problem, Severity


def _problem(found: Located, message: str) -> Problem:
    return Problem(
        message=message,
        qualification=found.qualification.slug,
        unit=found.unit.slug if found.unit else "",
        section=found.section,
        source=found.path,
        line=found.line,
    )


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


@rule("RW101", Severity.ERROR, "Words run together")
def run_together(corpus: Corpus) -> Iterator[Problem]:
    """Two words with no space between them ('experienceUnderstand'): the text reads wrongly,
    and in Learning Objectives it means several objectives were pasted into one bullet."""
    vocab = vocabulary(corpus)
    for found in located_texts(corpus):
        glued = glued_words(found.text, vocab)
        if not glued:
            continue
        message = f"Words run together with no space: {_quoted(glued)}."
        if found.kind == "objective":
            message += (
                f" These are {len(glued) + 1} learning objectives written as one bullet;"
                " put each on its own bullet."
            )
        yield _problem(found, message)


@rule("RW102", Severity.ERROR, "Text cut off mid-word")
def truncated(corpus: Corpus) -> Iterator[Problem]:
    """Text that ends part-way through a word: learners see a broken sentence. The teaser is
    cut at 150 characters by design and is not checked."""
    vocab = vocabulary(corpus)
    for found in located_texts(corpus):
        tail = truncated_tail(found.text, vocab)
        if tail:
            completions = ", ".join(vocab.completions(tail)[:3])
            yield _problem(found, f"The text ends mid-word at '{tail}' (perhaps {completions}?).")


def _unit_words(found: Located) -> set[str]:
    unit = found.unit
    if unit is None:
        return {w.lower() for w in words(found.qualification.overview)}
    texts = [unit.synopsis] + [s.synopsis for s in unit.sources]
    texts += [b.text for s in unit.sources for sec in s.sections for b in sec.items]
    return {w.lower() for text in texts for w in words(text)}


def _british_stem(uk: str) -> str:
    match = re.match(r"^(.*?[iy]s)(e|ing|ation|ed|er)", uk.lower())
    return match.group(1) if match else uk.lower()


@rule("RW103", Severity.WARNING, "American spelling")
def american_spelling(corpus: Corpus) -> Iterator[Problem]:
    """American spellings in British English content ('Apologize', 'personalized'); noted as
    mixed when the same unit spells the same word the British way elsewhere."""
    words_by_unit: dict[int, set[str]] = {}
    for found in located_texts(corpus):
        pairs = american_spellings(found.text)
        if not pairs:
            continue
        fixes = ", ".join(f"'{us}' -> '{uk}'" for us, uk in pairs)
        key = id(found.unit or found.qualification)
        if key not in words_by_unit:
            words_by_unit[key] = _unit_words(found)
        unit_words = words_by_unit[key]
        mixed = [
            f"{_british_stem(uk)}…"
            for _, uk in pairs
            if any(w.startswith(_british_stem(uk)) for w in unit_words)
        ]
        note = (
            f" The unit mixes spellings: it spells {_quoted(mixed)} the British way elsewhere."
            if mixed
            else ""
        )
        yield _problem(found, f"American spelling in British English content: {fixes}.{note}")


_SEPARATED = re.compile(r"\s*[,;]\s+(?=[A-Z])")


@rule("RW104", Severity.WARNING, "Several objectives in one bullet")
def objectives_in_one_bullet(corpus: Corpus) -> Iterator[Problem]:
    """One Learning Objectives bullet listing several objectives separated by commas: each
    objective should be its own bullet so it can be tracked and practised on its own."""
    for found in located_texts(corpus):
        if found.kind != "objective":
            continue
        parts = [p for p in _SEPARATED.split(found.text) if len(words(p)) >= 3]
        if len(parts) >= 2 and len(parts) == len(_SEPARATED.split(found.text)):
            yield _problem(
                found,
                f"{len(parts)} learning objectives are listed in one bullet, separated by"
                " commas; put each on its own bullet.",
            )
