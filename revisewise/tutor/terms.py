"""The terms the content names and defines, read from the passages themselves.

Plain Python, no ORM: it takes passage texts and answers three questions the tutor asks.
- Which two terms does a comparison question compare ("what is the difference between CSAT and
  NPS?", "SLA vs KPI", "how is X different from Y", "which is better, CSAT or NPS?"), does it ask
  which one is better, and where does the content define each (or rank them)?
  A definition is a Key Concepts or Key Terminology item written "Name: explanation", or the
  sentence that spells out an acronym-model's letters ("the 'LATER' model (Listen, Apologise,
  Thank, Explain, Resolve)"). An acronym and its expansion ("Net Promoter Score (NPS)"), plural
  and case all name the same term.
- Which acronym-model does a question name in lower case ("what does later stand for?"), which
  needs a cue word next to it, so that the ordinary word ("I'll revise it later") is not read as
  the model.
- Which acronyms do some passages spell out with different words for the same letters (the
  seeds give LATER as "... Explain ..." in one unit and "... Empathise ..." in another)?
Nothing here writes text about the content: every definition and version is the content's own
words, so the composer can quote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from revisewise.tutor.lexical import acronym_expansions, stem

# The sections whose items are written "Name: explanation".
DEFINING_SECTIONS = frozenset({"Key Concepts", "Key Terminology"})
# A name longer than this is a sentence that happens to contain a colon, not a term.
MAX_NAME_WORDS = 8
_NAME_SEPARATOR = re.compile(r"\s*(?::|\s[-\u2013\u2014])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
# "the 'LATER' model (Listen, Apologise, Thank, Explain, Resolve)": a capitalised term of three
# or more letters, up to two words ("model", "method"), then its letters spelt out in brackets.
_QUOTES = "'\"\u2018\u2019\u201c\u201d"
_LETTERS = re.compile(
    rf"[{_QUOTES}]?\b(?P<acronym>[A-Z]{{3,}})\b[{_QUOTES}]?(?:\s+[A-Za-z-]+){{0,2}}?\s*"
    r"\((?P<words>[^()]+)\)"
)
_WORDS = re.compile(r"[a-z0-9]+")
# "KPIs", "SLAs": an acronym's plural, which the singular rule below would miss ("-is").
_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]+)s\b")
_ARTICLES = frozenset({"the", "a", "an"})
# Words that say what kind of thing a term is: "the LATER model" is LATER.
_KIND_WORDS = frozenset(
    {"model", "method", "framework", "approach", "technique", "mnemonic", "acronym", "process"}
)
# A question word or filler a learner puts before the first term ("what's the difference...").
_LEADING = frozenset(
    {
        "what", "whats", "what's", "is", "are", "the", "a", "an", "explain", "tell", "me",
        "about", "please", "can", "you", "and", "so", "between", "how", "does", "do",
    }
)  # fmt: skip
# The words after which the second term is over ("NPS, which is which?", "NPS in this unit").
_TRAILING = re.compile(r"[?!.,;:]|\s(?:in|for|when|on|within|please|which|as|at)\s", re.I)

# Comparison questions: each pattern captures the span that holds both terms, how they are
# joined inside it, and whether it is a comparison only when the content knows one of the terms
# ("how is my grade compared to others?" compares nothing the notes could define).
_COMPARISONS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"\bdiff[a-z]*\s+between\s+(?P<span>.+)", re.I), r"\s+and\s+|\s*&\s*", False),
    (
        re.compile(r"\bcompar(?:e|ing)\s+(?P<span>.+)", re.I),
        r"\s+(?:and|with|to|against)\s+",
        False,
    ),
    (
        re.compile(r"\b(?:how|in what ways?)\s+(?:is|are|does|do)\s+(?P<span>.+)", re.I),
        r"\s+(?:differ(?:ent)?|distinct)\s+(?:from|to|than)\s+",
        False,
    ),
    (re.compile(r"(?P<span>.+)", re.I), r"\s+(?:vs\.?|versus)\s+", False),
    (
        re.compile(r"\b(?:is|are)\s+(?P<span>.+)", re.I),
        r"\s+(?:different|distinct)\s+(?:from|to|than)\s+",
        True,
    ),
    (re.compile(r"(?P<span>.+)", re.I), r"\s+compared\s+(?:to|with)\s+", True),
    # Choices between two terms. They need a term the content knows, because the same words
    # choose between actions too ("is it better to email or phone an angry customer?"), which
    # are ordinary questions: there is no definition of "email" to quote.
    (re.compile(r"\bwhich\b[^,:;]*[,:;]\s*(?P<span>.+)", re.I), r"\s+or\s+", True),
    (
        re.compile(
            r"\bwhich\s+(?:one\s+)?(?:is|'s|would\s+be)\s+(?:better|best|worse|preferable|"
            r"more\s+\w+|less\s+\w+)\s+(?P<span>.+)",
            re.I,
        ),
        r"\s+or\s+",
        True,
    ),
    (re.compile(r"^(?P<span>.+?)\s*[,:;]?\s+which\b", re.I), r"\s+or\s+", True),
    (
        re.compile(
            r"\b(?:(?:should|do|would|could|can|must)\s+(?:i|we|you)|is\s+it\s+(?:better|best)\s+to)"
            r"\s+(?:use|choose|pick|prefer|go\s+with|track|measure\s+with)\s+(?P<span>.+)",
            re.I,
        ),
        r"\s+or\s+",
        True,
    ),
    (
        re.compile(r"(?P<span>.+)", re.I),
        r"\s+(?:better|worse|more\s+\w+|less\s+\w+|preferable)\s+(?:than|to)\s+",
        True,
    ),
)
# A comparison that asks which term is better or which to use, rather than how they differ.
_CHOICE = re.compile(
    r"\b(?:better|worse|best|worst|preferable|prefer(?:red)?|superior|inferior|"
    r"more\s+(?:useful|effective|important|reliable|accurate)|"
    r"which\s+(?:one\s+)?(?:should|would|do|to)|should\s+(?:i|we)\s+(?:use|choose|pick))\b",
    re.I,
)
# A sentence that ranks two terms it names: "NPS is a better guide to loyalty than CSAT".
_RANKING = re.compile(
    r"\b(?:better|worse|best|worst|preferable|prefer(?:red)?|superior|inferior|rather\s+than|"
    r"instead\s+of|(?:more|less)\s+\w+\s+than)\b",
    re.I,
)
# A pronoun is not a term ("is it better than LATER?").
_PRONOUNS = frozenset(
    {"it", "this", "that", "they", "them", "these", "those", "one", "something", "anything"}
)
# An unknown "term" longer than this is a clause, not a term: the question is read as usual.
MAX_UNKNOWN_WORDS = 4

# Lower-case acronym-models need a cue next to them: a word after that names what kind of
# thing it is or asks what it stands for ("later model", "later stands for"), or words before
# ("the letters in later", "the steps of later", "the acronym later"). An ordinary noun after
# the word is not a cue: "the later steps in the customer journey" is the adjective.
_CUE_AFTER = (
    r"(?:model|models|framework|method|letters?|acronym|mnemonic|stands?\s+for|"
    r"means?|meaning)\b"
)
_CUE_BEFORE = (
    r"\b(?:acronym|mnemonic|(?:letters|steps|stages|parts|words)\s+(?:in|of|for)|stand\s+for|"
    r"meaning\s+of)"
)
# After a cue before it, the word must end its phrase: "the steps of later?" and "the letters in
# later mean" name the model, "the stages of later life" does not.
_PHRASE_END = (
    rf"(?=\s*$|\s*[?!.,;:){_QUOTES}]|\s+(?:in|for|when|and|or|with|to|is|are|about|mean|"
    r"means|work|works|please)\b)"
)


def term_key(phrase: str) -> str:
    """Return the form two names of one term share: lower case, singular, no article or kind.

    "the LATER model", "later" and "LATER" share "later"; "SLAs" and "SLA" share "sla";
    "Service level agreements" and "service level agreement" share one key too.
    """
    phrase = _ACRONYM_PLURAL.sub(r"\1", phrase).lower().replace("'s", "")
    words = [w for w in _WORDS.findall(phrase) if w not in _ARTICLES]
    while len(words) > 1 and words[-1] in _KIND_WORDS:
        words.pop()
    return " ".join(_singular(word) for word in words)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


@dataclass(frozen=True)
class LetterExpansion:
    """An acronym-model's letters as one passage spells them out, and the sentence that does."""

    acronym: str
    words: tuple[str, ...]
    sentence: str

    @property
    def shape(self) -> tuple[str, ...]:
        """The words compared: lower case and stemmed, so "Apologise"/"Apologize" agree."""
        return tuple(stem(word.lower()) for word in self.words)

    @property
    def spelt(self) -> str:
        return ", ".join(self.words)


def letter_expansions(text: str) -> list[LetterExpansion]:
    """Return each acronym whose letters the text spells out word by word, in brackets."""
    found = []
    for sentence in split_sentences(text):
        for match in _LETTERS.finditer(sentence):
            acronym = match["acronym"]
            words = tuple(w.strip() for w in re.split(r",|\s+and\s+", match["words"]) if w.strip())
            if "".join(word[0].upper() for word in words) == acronym:
                found.append(LetterExpansion(acronym, words, sentence))
    return found


@dataclass(frozen=True)
class Definition:
    """Where the content defines a term: the passage (by position) and the words to quote."""

    row: int
    name: str
    quote: str


@dataclass
class Glossary:
    """The terms the passages define, and the names (acronyms, expansions) they go by."""

    definitions: dict[str, list[Definition]] = field(default_factory=dict)
    # key -> the other keys of the same term (acronym <-> expansion).
    aliases: dict[str, set[str]] = field(default_factory=dict)
    # key -> the acronym's expansion as the content writes it ("Net Promoter Score").
    spelt_out: dict[str, str] = field(default_factory=dict)
    acronyms: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, passages: Sequence[tuple[str, str]]) -> Glossary:
        """Read the terms from (section, text) pairs; a definition names its pair's position."""
        glossary = cls()
        for row, (section, text) in enumerate(passages):
            for acronym, words in acronym_expansions(text):
                glossary._alias(acronym, " ".join(words))
            for expansion in letter_expansions(text):
                key = term_key(expansion.acronym)
                glossary.acronyms.add(key)
                glossary._define(key, Definition(row, expansion.acronym, expansion.sentence))
            if section in DEFINING_SECTIONS:
                glossary._read_named(row, text)
        return glossary

    def _alias(self, acronym: str, expansion: str) -> None:
        short, long = term_key(acronym), term_key(expansion)
        self.acronyms.add(short)
        self.aliases.setdefault(short, set()).add(long)
        self.aliases.setdefault(long, set()).add(short)
        self.spelt_out.setdefault(short, expansion)

    def _define(self, key: str, definition: Definition) -> None:
        known = self.definitions.setdefault(key, [])
        if all(d.row != definition.row for d in known):
            known.append(definition)

    def _read_named(self, row: int, text: str) -> None:
        parts = _NAME_SEPARATOR.split(text, maxsplit=1)
        if len(parts) != 2 or not parts[1].strip():
            return
        name = parts[0].strip()
        if not name or len(name.split()) > MAX_NAME_WORDS:
            return
        definition = Definition(row, name, text.strip())
        bracket = re.search(r"\(([A-Z][A-Z0-9]{1,5})s?\)", name)
        plain = re.sub(r"\s*\([^()]*\)", "", name).strip()
        self._define(term_key(plain), definition)
        if bracket:
            self._alias(bracket.group(1), plain)
            self._define(term_key(bracket.group(1)), definition)

    def keys_for(self, term: str) -> set[str]:
        key = term_key(term)
        if key.endswith("s") and key[:-1] in self.acronyms:  # "kpis" typed in lower case
            key = key[:-1]
        return {key, *self.aliases.get(key, set())} if key else set()

    def knows(self, term: str) -> bool:
        return any(k in self.definitions or k in self.aliases for k in self.keys_for(term))

    def definitions_of(self, term: str) -> list[Definition]:
        """Every definition of the term under any of its names, in passage order."""
        found = {d.row: d for key in self.keys_for(term) for d in self.definitions.get(key, [])}
        return [found[row] for row in sorted(found)]

    def display(self, term: str) -> str:
        """Show a term as the learner typed it, acronyms in capitals ("the later model" ->
        "LATER model", "slas" -> "SLAs")."""
        words = [word.strip(_QUOTES) for word in term.split()]
        while len(words) > 1 and words[0].lower() in _ARTICLES:
            words = words[1:]
        shown = []
        for word in words:
            key = term_key(word)
            if key.endswith("s") and key[:-1] in self.acronyms:
                key = key[:-1]
            if key in self.acronyms:
                word = key.upper() + ("s" if key != word.lower() else "")
            shown.append(word)
        return " ".join(shown)

    def expansion_of(self, term: str) -> str:
        """The words the content spells an acronym out as, or ""."""
        return next((self.spelt_out[k] for k in self.keys_for(term) if k in self.spelt_out), "")


@dataclass(frozen=True)
class ComparedTerms:
    first: str
    second: str
    # The question asks which is better or which to use, not only how they differ.
    is_choice: bool = False


def compared_terms(question: str, glossary: Glossary) -> ComparedTerms | None:
    """Return the two terms a comparison question compares, or None if it is not one."""
    for pattern, joiner, needs_known in _COMPARISONS:
        match = pattern.search(question)
        if not match:
            continue
        pair = _split_pair(match["span"], joiner, glossary, needs_known=needs_known)
        if pair:
            return replace(pair, is_choice=bool(_CHOICE.search(question)))
    return None


def ranking_sentence(text: str, names: Sequence[set[str]]) -> str:
    """Return the first sentence of the text that names every term and ranks them, or "".

    `names` holds each term's keys (`Glossary.keys_for`): "NPS is a better guide to loyalty than
    Customer Satisfaction Score" names NPS and CSAT and ranks them; a list that names both
    ("KPIs such as CSAT and NPS") does not.
    """
    for sentence in split_sentences(text):
        if not _RANKING.search(sentence):
            continue
        words = f" {term_key(sentence)} "
        if all(any(f" {key} " in words for key in keys) for keys in names):
            return sentence
    return ""


def _split_pair(
    span: str, joiner: str, glossary: Glossary, *, needs_known: bool
) -> ComparedTerms | None:
    """Split "X and Y..." at the joiner that leaves two known terms, else at the first one."""
    candidates = []
    for found in re.finditer(joiner, span, re.IGNORECASE):
        left = _first_term(span[: found.start()], glossary)
        right = _second_term(span[found.end() :], glossary)
        if not left or not right:
            continue
        known = [glossary.knows(left), glossary.knows(right)]
        is_not_a_term = any(
            not is_known
            and (len(term.split()) > MAX_UNKNOWN_WORDS or term.lower().strip("'") in _PRONOUNS)
            for term, is_known in zip((left, right), known, strict=True)
        )
        if is_not_a_term or (needs_known and not any(known)):
            continue
        candidates.append((-sum(known), found.start(), ComparedTerms(left, right)))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def _first_term(text: str, glossary: Glossary) -> str:
    """The term that ends the text before the joiner: the longest known ending, else the clause."""
    clause = re.split(r"[,;:?!]", text)[-1]
    words = clause.split()
    for start in range(len(words)):
        candidate = " ".join(words[start:])
        if glossary.knows(candidate):
            return candidate
    while words and words[0].lower().strip("'") in _LEADING:
        words = words[1:]
    return " ".join(words[-MAX_NAME_WORDS:])


def _second_term(text: str, glossary: Glossary) -> str:
    """The term that starts the text after the joiner: the longest known start, else the clause."""
    words = text.split()
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end]).strip("?!.,;:")
        if glossary.knows(candidate):
            return candidate
    clause = _TRAILING.split(f" {text.strip()} ", maxsplit=1)[0].split()
    while clause and clause[0].lower() in _ARTICLES:
        clause = clause[1:]
    return " ".join(clause[:MAX_NAME_WORDS])


def acronyms_named_in_lower_case(question: str, acronyms: Iterable[str]) -> frozenset[str]:
    """Return the known acronyms (as the content writes them) the question names in lower case.

    A cue must sit next to the word ("what does later stand for", "the later model", "later
    framework steps", "the letters in later", "the steps of later"), so "I'll revise it later",
    "what happens later in the journey" and "the later steps in the journey" do not name LATER.
    """
    found = set()
    for acronym in acronyms:
        word = re.escape(acronym.lower())
        pattern = re.compile(
            rf"\b{word}[{_QUOTES}]?\s+{_CUE_AFTER}"
            rf"|{_CUE_BEFORE}\s+(?:the\s+)?[{_QUOTES}]?{word}\b{_PHRASE_END}"
        )
        if pattern.search(question.lower()):
            found.add(acronym)
    return frozenset(found)


@dataclass(frozen=True)
class Versions:
    """An acronym the cited passages spell out differently: each version with its source."""

    acronym: str
    versions: tuple[tuple[LetterExpansion, int], ...]


def conflicting_versions(texts: Sequence[str]) -> list[Versions]:
    """Return each acronym that the texts spell out with different words for the same letters.

    Each version is given once, with the position of the first text that gives it.
    """
    seen: dict[str, dict[tuple[str, ...], tuple[LetterExpansion, int]]] = {}
    for position, text in enumerate(texts):
        for expansion in letter_expansions(text):
            versions = seen.setdefault(expansion.acronym, {})
            versions.setdefault(expansion.shape, (expansion, position))
    return [
        Versions(acronym, tuple(versions.values()))
        for acronym, versions in seen.items()
        if len(versions) > 1
    ]
