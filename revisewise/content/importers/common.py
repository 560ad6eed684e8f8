"""Plain data shared by the readers, and the rules that turn sections into items.

Nothing here touches the database: a reader returns a frozen `ParsedDocument`, `document_items`
turns it into `ItemDraft`s, and `revisewise.content.services` stores them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from revisewise.content.models import ItemKind

FORMAT_PAGE_TEXT = "page_text"
FORMAT_TABBED = "tabbed"
FORMAT_YAML = "yaml"

# Section headings as the pages name them, and the kind of item each bullet becomes.
HEADING_KINDS: dict[str, str] = {
    "Key Concepts": ItemKind.CONCEPT,
    "Key Concepts & Core Principles": ItemKind.CONCEPT,
    "Learning Objectives": ItemKind.OBJECTIVE,
    "Assessment Criteria": ItemKind.CRITERION,
    "Examiner Marking Points": ItemKind.CRITERION,
    "Assessment Guidance": ItemKind.TIP,
    "Exam Tips & Revision Strategies": ItemKind.TIP,
    "Common Mistakes": ItemKind.MISTAKE,
    "Common Misconceptions & Mistakes to Avoid": ItemKind.MISTAKE,
    "Frequently Asked Questions": ItemKind.FAQ,
    "Before You Start": ItemKind.PREREQUISITE,
    "Key Terminology": ItemKind.TERM,
}
PAGE_TEXT_HEADINGS = frozenset(
    {
        "Key Concepts",
        "Learning Objectives",
        "Assessment Criteria",
        "Assessment Guidance",
        "Common Mistakes",
        "Frequently Asked Questions",
        "Before You Start",
        "Key Terminology",
    }
)
TABBED_HEADINGS = frozenset(
    {
        "Topic Synopsis",
        "Key Concepts & Core Principles",
        "Exam Tips & Revision Strategies",
        "Common Misconceptions & Mistakes to Avoid",
        "Examiner Marking Points",
    }
)
# Sections whose trailing bullets may be the qualification's rather than the unit's.
GENERIC_CAPABLE = ("Assessment Criteria", "Assessment Guidance", "Common Mistakes")

GUIDANCE_MARK = "\N{ELECTRIC LIGHT BULB}"
MISCONCEPTION_RE = re.compile(
    r"^Misconception:\s*(?P<name>.+?)\s*Correction:\s*(?P<text>.+)$", re.DOTALL
)


class ContentFileError(Exception):
    """A file that cannot be imported; nothing from it is written."""

    def __init__(self, reason: str, *, line: int = 1, file: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.file = file

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" if self.file else self.reason


@dataclass(frozen=True)
class ParsedItem:
    text: str
    line: int


@dataclass(frozen=True)
class ParsedSection:
    heading: str
    description: str
    line: int
    items: tuple[ParsedItem, ...]


@dataclass(frozen=True)
class ParsedQualification:
    title: str
    overview: str
    overview_line: int


@dataclass(frozen=True)
class ParsedDocument:
    """What a page-text or tabbed file says about one unit, as on the page."""

    format: str
    path: str
    sha256: str
    unit_title: str
    unit_title_line: int
    header: dict[str, str]
    teaser: str
    synopsis: str
    synopsis_line: int
    stated_counts: dict[str, int]
    qualification: ParsedQualification | None
    sections: tuple[ParsedSection, ...]
    generic_start: dict[str, int] = field(default_factory=dict)

    def section(self, heading: str) -> ParsedSection | None:
        return next((s for s in self.sections if s.heading == heading), None)

    @classmethod
    def from_parsed(cls, *, path: str, parsed: dict[str, Any]) -> ParsedDocument:
        """Rebuild a document from its stored `SourceDocument.parsed` (the reverse of as_parsed)."""
        qualification = parsed.get("qualification")
        return cls(
            format=str(parsed.get("format", "")),
            path=path,
            sha256="",
            unit_title=str(parsed.get("unit_title", "")),
            unit_title_line=0,
            header=dict(parsed.get("header") or {}),
            teaser=str(parsed.get("teaser", "")),
            synopsis=str(parsed.get("synopsis", "")),
            synopsis_line=0,
            stated_counts=dict(parsed.get("stated_counts") or {}),
            qualification=ParsedQualification(
                qualification["title"], qualification["overview"], qualification["overview_line"]
            )
            if qualification
            else None,
            sections=tuple(
                ParsedSection(
                    s["heading"],
                    s.get("description", ""),
                    s.get("line", 0),
                    tuple(ParsedItem(i["text"], i.get("line", 0)) for i in s.get("items", [])),
                )
                for s in parsed.get("sections") or []
            ),
            generic_start=dict(parsed.get("generic_start") or {}),
        )

    def as_parsed(self) -> dict[str, Any]:
        """Return the agreed JSON shape stored in `SourceDocument.parsed`."""
        qualification = None
        if self.qualification is not None:
            qualification = {
                "title": self.qualification.title,
                "overview": self.qualification.overview,
                "overview_line": self.qualification.overview_line,
            }
        return {
            "format": self.format,
            "unit_title": self.unit_title,
            "header": dict(self.header),
            "teaser": self.teaser,
            "synopsis": self.synopsis,
            "stated_counts": dict(self.stated_counts),
            "qualification": qualification,
            "sections": [
                {
                    "heading": s.heading,
                    "description": s.description,
                    "line": s.line,
                    "items": [{"text": i.text, "line": i.line} for i in s.items],
                }
                for s in self.sections
            ],
            "generic_start": dict(self.generic_start),
        }


@dataclass(frozen=True)
class ItemDraft:
    """One item ready to store: `is_generic` items belong to the qualification, not the unit."""

    kind: str
    name: str
    text: str
    line: int
    position: int
    is_generic: bool = False


def normalise(value: str) -> str:
    """Fold case and whitespace and drop trailing punctuation, for keys and comparisons."""
    folded = " ".join(unicodedata.normalize("NFC", value).lower().split())
    return folded.rstrip(" .,;:!?")


def item_key(*, kind: str, name: str, text: str) -> str:
    """Return the stable identity of an item: a hash of its kind and normalised name or text."""
    basis = f"{kind}:{normalise(name or text)}"
    return hashlib.sha256(basis.encode()).hexdigest()


def decode_content(raw: bytes, *, file: str, max_bytes: int) -> str:
    """Check a file's bytes and return its text, or raise `ContentFileError` saying why not."""
    if len(raw) > max_bytes:
        raise ContentFileError(
            f"the file is {len(raw):,} bytes, larger than the limit of {max_bytes:,} bytes "
            "(CONTENT_MAX_FILE_BYTES)",
            file=file,
        )
    if not raw.strip():
        raise ContentFileError("the file is empty", file=file)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentFileError(
            "the file is UTF-16 text, not UTF-8; save it as UTF-8 and import it again", file=file
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ContentFileError("the file is binary (it contains NUL bytes)", line=line, file=file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentFileError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and import it again",
            line=line,
            file=file,
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def strip_bullet(line: str) -> str:
    """Return a bullet's text without its marker and the guidance light bulb."""
    text = line.strip()
    for marker in ("\N{BULLET}", "- ", "* "):
        if text.startswith(marker):
            text = text[len(marker) :].strip()
            break
    return text.removeprefix(GUIDANCE_MARK).strip()


# Words that open a learning objective in UK qualification specifications.
OBJECTIVE_LEADS = (
    "Understand",
    "Be able to",
    "Know",
    "Explain",
    "Describe",
    "Identify",
    "Demonstrate",
    "Analyse",
    "Evaluate",
    "Apply",
    "Maintain",
    "Develop",
    "Review",
    "Recognise",
    "Manage",
    "Plan",
    "Build",
    "Deliver",
    "Assess",
    "Define",
    "Outline",
    "Use",
    "When",
)
_RUN_TOGETHER_RE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z]+\b)")
_LIST_RE = re.compile(r",\s+(?=(?:" + "|".join(OBJECTIVE_LEADS) + r")\b)")


def split_objectives(text: str) -> list[str]:
    """Split run-together or comma-listed learning objectives into one string each.

    A split at a lower-case letter followed by a capitalised word ("experienceUnderstand") is
    kept only when both sides read as objectives of three words or more, so a name such as
    "PowerPoint" inside an objective is not cut. A comma list is split only when every item
    opens with an objective verb ("Understand ..., Be able to ...").
    """
    pieces = _split_run_together(text.strip())
    result: list[str] = []
    for piece in pieces:
        parts = [p.strip() for p in _LIST_RE.split(piece)]
        if len(parts) > 1 and all(_is_objective_led(p) for p in parts):
            result.extend(parts)
        else:
            result.append(piece)
    return [p for p in result if p]


def _split_run_together(text: str) -> list[str]:
    pieces = [text]
    for match in reversed(list(_RUN_TOGETHER_RE.finditer(text))):
        head, tail = pieces[0][: match.start()], pieces[0][match.start() :]
        if len(head.split()) >= 3 and len(tail.split()) >= 3:
            pieces[0:1] = [head, tail]
    return [p.strip() for p in pieces]


def _is_objective_led(text: str) -> bool:
    return any(text == lead or text.startswith(lead + " ") for lead in OBJECTIVE_LEADS)


def bullet_drafts(*, kind: str, item: ParsedItem) -> list[tuple[str, str, str, int]]:
    """Turn one bullet into (kind, name, text, line) tuples following the heading's kind."""
    text = item.text
    if kind == ItemKind.MISTAKE:
        match = MISCONCEPTION_RE.match(text)
        if match:
            return [
                (ItemKind.MISCONCEPTION, match["name"].strip(), match["text"].strip(), item.line)
            ]
        return [(kind, "", text, item.line)]
    if kind == ItemKind.OBJECTIVE:
        return [(kind, "", piece, item.line) for piece in split_objectives(text)]
    if kind in (ItemKind.CONCEPT, ItemKind.TERM):
        name, sep, rest = text.partition(": ")
        if sep and rest.strip() and 0 < len(name) <= 120:
            return [(kind, name.strip(), rest.strip(), item.line)]
        return [(kind, "", text, item.line)]
    if kind == ItemKind.FAQ:
        question, sep, answer = text.partition("? ")
        if sep and answer.strip():
            return [(kind, question.strip() + "?", answer.strip(), item.line)]
        return [(kind, "", text, item.line)]
    return [(kind, "", text, item.line)]


def document_items(document: ParsedDocument) -> list[ItemDraft]:
    """Return every item the document holds, unit items and qualification-wide items alike.

    Duplicate bullets within one kind keep their first occurrence.
    """
    drafts: list[ItemDraft] = []
    seen: set[tuple[bool, str]] = set()
    positions: dict[tuple[bool, str], int] = {}
    for section in document.sections:
        kind = HEADING_KINDS.get(section.heading)
        if kind is None:
            continue
        start = document.generic_start.get(section.heading, len(section.items))
        for index, item in enumerate(section.items):
            is_generic = index >= start
            for draft_kind, name, text, line in bullet_drafts(kind=kind, item=item):
                identity = (is_generic, item_key(kind=draft_kind, name=name, text=text))
                if identity in seen:
                    continue
                seen.add(identity)
                slot = (is_generic, draft_kind)
                positions[slot] = positions.get(slot, -1) + 1
                drafts.append(ItemDraft(draft_kind, name, text, line, positions[slot], is_generic))
    return drafts


def detect_generic_start(
    sections: tuple[ParsedSection, ...], stated_counts: dict[str, int]
) -> dict[str, int]:
    """Judge where each section's qualification-wide bullets begin, from the page's own evidence.

    Each unit-specific tip and mistake answers one assessment criterion, so the criteria count
    bounds the unit's part; the page's counter for Assessment Guidance says the same. In Common
    Mistakes, a trailing run of "Misconception: ... Correction: ..." pairs is the shared part.
    Only a boundary inside the section is recorded.
    """
    by_heading = {s.heading: s for s in sections}
    criteria = by_heading.get("Assessment Criteria")
    criteria_count = len(criteria.items) if criteria else 0
    result: dict[str, int] = {}
    for heading in GENERIC_CAPABLE:
        section = by_heading.get(heading)
        if section is None:
            continue
        start = _section_generic_start(heading, section, criteria_count, stated_counts)
        if start is not None and 0 < start < len(section.items):
            result[heading] = start
    return result


def _section_generic_start(
    heading: str, section: ParsedSection, criteria_count: int, stated_counts: dict[str, int]
) -> int | None:
    if heading == "Assessment Criteria":
        return stated_counts.get("Assessment Criteria")
    if heading == "Common Mistakes":
        flags = [bool(MISCONCEPTION_RE.match(i.text)) for i in section.items]
        if True in flags:
            first = flags.index(True)
            if all(flags[first:]):
                return first
    return criteria_count or stated_counts.get("Assessment Guidance")


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
