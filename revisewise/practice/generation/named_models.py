"""Named models ("the 'HEAT' model (Hear, ...)") and acronyms ("... (CRM)").

Ordering and select-all items for model steps, cloze items for a step and for acronym
expansions, "what does X stand for" questions, and select-all for the performance indicators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revisewise.practice.generation import distractors, payloads
from revisewise.practice.generation.normalise import damerau_levenshtein, fold, overlap
from revisewise.practice.generation.sources import Candidate, Source, UnitContent
from revisewise.practice.generation.validator import BLANK

ACRONYM_MODEL = re.compile(
    r"'(?P<name>[A-Z]{3,})'\s+(?P<kind>model|method|framework|technique)\s*\((?P<steps>[^)]+)\)"
)
PHRASE_MODEL = re.compile(
    r"'(?P<steps>[A-Z][^',]+(?:,\s*[A-Z][^',]+){2,})'\s+(?P<kind>framework|model|method)"
    r"(?P<context>\s+(?:when|for|to)\s+[^,.;]+)?"
)
ACRONYM = re.compile(r"\(([A-Z]{2,6})(s?)\)")
STEP_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?")
INDICATOR_WORDS = ("kpi", "key performance indicator", "metric")
SMALL_WORDS = frozenset({"the", "a", "an", "of", "and", "to", "for", "in", "such", "as", "like"})


@dataclass(frozen=True)
class Model:
    name: str
    kind: str
    steps: tuple[str, ...]
    source: Source
    context: str = ""

    @property
    def is_acronym(self) -> bool:
        return self.name.isupper()

    @property
    def title(self) -> str:
        if self.is_acronym:
            return f"the {self.name} {self.kind}"
        return f"the {self.kind} to use {self.context}"


@dataclass(frozen=True)
class Acronym:
    letters: str
    expansion: str
    source: Source
    phrase: str


def find_models(sources: list[Source]) -> list[Model]:
    found: list[Model] = []
    for source in sources:
        text = f"{source.name}: {source.text}"
        for match in ACRONYM_MODEL.finditer(text):
            steps = tuple(STEP_SPLIT.split(match["steps"].strip()))
            if len(steps) == len(match["name"]) and all(
                step[:1].upper() == letter
                for step, letter in zip(steps, match["name"], strict=True)
            ):
                found.append(Model(match["name"], match["kind"], steps, source))
        for match in PHRASE_MODEL.finditer(text):
            steps = tuple(STEP_SPLIT.split(match["steps"].strip()))
            context = (match["context"] or "").strip()
            found.append(Model(match["steps"], match["kind"], steps, source, context))
    return found


def expand(words: list[str], letters: str) -> str | None:
    """Return the shortest run of trailing `words` that spells out `letters`, if any."""
    for size in range(1, min(len(letters) + 2, len(words)) + 1):
        run = words[-size:]
        if run[0].lower() in SMALL_WORDS or run[0][:1].lower() != letters[0].lower():
            continue
        joined = "".join(word.lower() for word in run)
        position = 0
        for letter in letters.lower():
            position = joined.find(letter, position) + 1
            if position == 0:
                break
        else:
            return " ".join(run)
    return None


def find_acronyms(sources: list[Source]) -> list[Acronym]:
    found: dict[str, Acronym] = {}
    for source in sources:
        text = f"{source.name}: {source.text}" if source.name else source.text
        for match in ACRONYM.finditer(text):
            letters = match[1]
            words = re.findall(r"[A-Za-z][\w-]*", text[: match.start()])[-8:]
            expansion = expand(words, letters)
            if not expansion or letters in found:
                continue
            if match[2] and expansion.endswith("s"):
                expansion = expansion[:-1]
            phrase = text[text.rfind(expansion.split()[0], 0, match.start()) : match.end()]
            found[letters] = Acronym(letters, _title(expansion), source, phrase)
    return list(found.values())


def _title(expansion: str) -> str:
    return " ".join(word if word.isupper() else word.capitalize() for word in expansion.split())


def generate(content: UnitContent) -> list[Candidate]:
    sources = list(content.sources)
    pool = list(content.pool)
    pool_models = find_models(pool)
    known_models = find_models(list(content.everywhere) or pool)
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for model in find_models(sources):
        if model.name in seen:
            continue
        seen.add(model.name)
        candidates.extend(_model_items(model, pool_models, known_models))
    pool_acronyms = find_acronyms(pool)
    acronyms = [entry for entry in find_acronyms(sources) if entry.letters not in seen]
    for acronym in acronyms:
        candidates.extend(_acronym_items(acronym, pool_acronyms))
    if len(acronyms) >= 4:
        candidates.append(_acronym_matching(acronyms[:5]))
    indicators = _indicator_item(sources, pool, pool_acronyms)
    if indicators:
        candidates.append(indicators)
    return candidates


def _conflicts(model: Model, pool_models: list[Model]) -> list[str]:
    """Say where the qualification spells the same model out differently."""
    reasons = []
    for other in pool_models:
        if other.name == model.name and [fold(step) for step in other.steps] != [
            fold(step) for step in model.steps
        ]:
            reasons.append(
                f"{model.name} is spelled out differently elsewhere in the qualification "
                f"({', '.join(model.steps)} / {', '.join(other.steps)}): an author should decide"
            )
    return sorted(set(reasons))


SYNONYMS = ({"hear", "listen"}, {"act", "take action", "action"}, {"empathise", "sympathise"})


def same_step(first: str, second: str) -> bool:
    """Say whether two step names mean the same: spelling variants, synonyms, word stems."""
    one, two = fold(first), fold(second)
    if one == two or damerau_levenshtein(one, two) <= 2:
        return True
    if any(one in group and two in group for group in SYNONYMS):
        return True
    words_one, words_two = one.split(), two.split()
    return (
        any(
            len(short) >= 3 and long_word.startswith(short)
            for short in words_one + words_two
            for long_word in words_one + words_two
            if long_word != short
        )
        or overlap(first, second) >= 0.5
    )


def _foreign_steps(model: Model, pool_models: list[Model], known: list[Model]) -> list[str]:
    """Steps of other models, never a step of this model or of a same-named model anywhere."""
    own = [step for other in known if other.name == model.name for step in other.steps]
    own += list(model.steps)
    steps: list[str] = []
    for other in pool_models:
        if other.name == model.name:
            continue
        for step in other.steps:
            if not any(same_step(step, mine) for mine in own):
                steps.append(step)
    return steps


def _model_items(model: Model, pool_models: list[Model], known: list[Model]) -> list[Candidate]:
    conflicts = _conflicts(model, known)
    sentence = model.source.sentence
    steps = list(model.steps)
    explanation = f"The steps of {model.title} are, in order: {', '.join(steps)}."
    items = []
    if model.is_acronym or model.context:
        items.append(
            Candidate(
                rule="model-ordering",
                source=model.source,
                variant=model.name,
                item_type="ordering",
                stem=f"Put the steps of {model.title} in order.",
                payload=payloads.ordering(steps),
                explanation=explanation,
                source_sentence=sentence,
                review_reasons=conflicts,
            )
        )
        wrong = distractors.choose(
            answer=max(steps, key=len),
            pool=_foreign_steps(model, pool_models, known),
            count=3,
            excluded=steps,
        )
        if len(wrong) >= 2:
            items.append(
                Candidate(
                    rule="model-select-steps",
                    source=model.source,
                    variant=model.name,
                    item_type="mcq_multi",
                    stem=f"Which of these are steps of {model.title}? Select all that apply.",
                    payload=payloads.multi(answers=steps, distractors=sorted(wrong)),
                    explanation=explanation,
                    source_sentence=sentence,
                    review_reasons=conflicts,
                )
            )
    if model.is_acronym:
        index = max(range(len(steps)), key=lambda position: (len(steps[position]), -position))
        letter = model.name[index]
        items.append(
            Candidate(
                rule="model-letter-cloze",
                source=model.source,
                variant=f"{model.name}:{index}",
                item_type="cloze",
                stem=f"In {model.title}, the letter {letter} stands for {BLANK}.",
                payload=payloads.cloze(answer=steps[index], accepted=[steps[index]]),
                explanation=explanation,
                source_sentence=sentence,
                review_reasons=[
                    reason for reason in conflicts if _letter_differs(model, known, index)
                ],
            )
        )
    return items


def _letter_differs(model: Model, pool_models: list[Model], index: int) -> bool:
    return any(
        other.name == model.name
        and len(other.steps) > index
        and fold(other.steps[index]) != fold(model.steps[index])
        for other in pool_models
    )


def _acronym_items(acronym: Acronym, pool: list[Acronym]) -> list[Candidate]:
    sentence = acronym.source.sentence
    explanation = f"{acronym.letters} stands for {acronym.expansion}."
    others = [
        entry.expansion
        for entry in pool
        if entry.letters != acronym.letters and fold(entry.expansion) != fold(acronym.expansion)
    ]
    # Prefer wrong expansions that start like the answer, so initials alone do not give it away.
    others.sort(key=lambda text: (text[:1] != acronym.expansion[:1], text))
    items = []
    wrong = distractors.choose(answer=acronym.expansion, pool=others, count=3)
    if len(wrong) >= 2:
        items.append(
            Candidate(
                rule="acronym-expansion",
                source=acronym.source,
                variant=acronym.letters,
                item_type="mcq_single",
                stem=f"In customer service, what does {acronym.letters} stand for?",
                payload=payloads.single(answer=acronym.expansion, distractors=wrong),
                explanation=explanation,
                source_sentence=sentence,
            )
        )
    original = acronym.phrase[: acronym.phrase.rfind("(")].strip()
    if fold(acronym.source.name) == fold(acronym.phrase):
        # The concept itself is the acronym: its own cloze already asks for the name.
        return items
    text = f"{acronym.source.name}: {acronym.source.text}" if acronym.source.name else sentence
    blanked = text.replace(acronym.phrase, f"{BLANK} ({acronym.phrase.rsplit('(', 1)[1]}", 1)
    items.append(
        Candidate(
            rule="acronym-cloze",
            source=acronym.source,
            variant=acronym.letters,
            item_type="cloze",
            stem=f"Fill in the blank with what the abbreviation stands for.\n{blanked}",
            payload=payloads.cloze(answer=original, accepted=[acronym.expansion]),
            explanation=explanation,
            source_sentence=sentence,
        )
    )
    return items


def _acronym_matching(acronyms: list[Acronym]) -> Candidate:
    return Candidate(
        rule="acronym-matching",
        source=acronyms[0].source,
        item_type="matching",
        stem="Match each abbreviation to what it stands for.",
        payload=payloads.matching([(entry.letters, entry.expansion) for entry in acronyms]),
        explanation="; ".join(f"{entry.letters}: {entry.expansion}" for entry in acronyms),
        source_sentence=" ".join(dict.fromkeys(entry.source.sentence for entry in acronyms)),
    )


def _indicator_item(
    sources: list[Source], pool: list[Source], pool_acronyms: list[Acronym]
) -> Candidate | None:
    listed_anywhere = {
        entry.letters
        for source in pool
        for entry in find_acronyms([source])
        if _names_indicators(source.text) and entry.letters != "KPI"
    }
    for source in sources:
        if not _names_indicators(source.text):
            continue
        answers = [entry for entry in find_acronyms([source]) if entry.letters != "KPI"]
        if len(answers) < 2:
            continue
        wrong = [
            entry.expansion
            for entry in pool_acronyms
            if entry.letters not in listed_anywhere and entry.letters != "KPI"
        ]
        if len(wrong) < 2:
            continue
        return Candidate(
            rule="indicators-select",
            source=source,
            item_type="mcq_multi",
            stem="Which of these are key performance indicators (KPIs) named in this unit? "
            "Select all that apply.",
            payload=payloads.multi(
                answers=[entry.expansion for entry in answers], distractors=sorted(wrong)[:3]
            ),
            explanation=f"The unit names these KPIs: "
            f"{', '.join(f'{entry.expansion} ({entry.letters})' for entry in answers)}.",
        )
    return None


def _names_indicators(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in INDICATOR_WORDS)
