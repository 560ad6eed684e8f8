"""Read the page-text format: a revision page copied as text (seeds 000, 001, 003 and 004).

The page holds, in order: a title line ("<unit title>[ ]<awarding body> <family> <subject>
Revision"), the teaser, the tab labels, the unit header (title, awarding body in capitals, the
qualification type, the synopsis, counters as number/label line pairs), the qualification with a
"Topic Overview", then the sections, each a heading, a one-line description and "•" bullets, and
a closing call to action. See docs/content-format.md.
"""

from __future__ import annotations

import itertools
import re

from revisewise.content.importers.common import (
    FORMAT_PAGE_TEXT,
    PAGE_TEXT_HEADINGS,
    TABBED_HEADINGS,
    ContentFileError,
    ParsedDocument,
    ParsedItem,
    ParsedQualification,
    ParsedSection,
    detect_generic_start,
    strip_bullet,
)

BULLET = "\N{BULLET}"
CALL_TO_ACTION = "Ready to learn?"
COUNTER_LABELS = frozenset(
    {"Learning Outcomes", "Assessment Guidance", "Key Skills", "Key Terms", "Assessment Criteria"}
)
# Families an awarding body files qualifications under, longest first so prefixes lose.
KNOWN_FAMILIES = (
    "End-Point Assessment",
    "Functional Skills",
    "Apprenticeships",
    "Qualifications",
)
_COUNT_RE = re.compile(r"^\d{1,4}$")

Line = tuple[int, str]


def looks_like_page_text(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines()]
    return any(line in PAGE_TEXT_HEADINGS for line in lines) and any(
        line.startswith(BULLET) for line in lines
    )


def parse_page_text(text: str, *, path: str, sha256: str) -> ParsedDocument:
    """Parse a page-text file; raise `ContentFileError` when it has no recognisable sections."""
    lines: list[Line] = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), 1)]
    content = [(n, s) for n, s in lines if s]
    if not content:
        raise ContentFileError("the file is empty", file=path)
    first_section = _first_section_index(content)
    if first_section is None:
        raise ContentFileError(
            "no recognisable sections: expected headings such as "
            "'Key Concepts' or 'Learning Objectives' followed by '•' bullets",
            line=content[0][0],
            file=path,
        )
    head = content[:first_section]
    unit_title, unit_title_line, body_caps = _unit_header(head)
    title_line = content[0][1]
    if not unit_title:
        unit_title = _title_from_title_line(title_line)
        unit_title_line = content[0][0]
    if not unit_title:
        raise ContentFileError("the page has no unit title", line=content[0][0], file=path)
    stated_counts = _counters(head)
    synopsis, synopsis_line = _synopsis(head, unit_title)
    teaser = content[1][1] if len(content) > 1 and content[1][1] not in TABBED_HEADINGS else ""
    sections = tuple(_sections(content[first_section:]))
    return ParsedDocument(
        format=FORMAT_PAGE_TEXT,
        path=path,
        sha256=sha256,
        unit_title=unit_title,
        unit_title_line=unit_title_line,
        header=_header(title_line, unit_title, body_caps),
        teaser=teaser if teaser != synopsis else "",
        synopsis=synopsis,
        synopsis_line=synopsis_line,
        stated_counts=stated_counts,
        qualification=_qualification(head),
        sections=sections,
        generic_start=detect_generic_start(sections, stated_counts),
    )


def _first_section_index(content: list[Line]) -> int | None:
    for index, (_, line) in enumerate(content):
        if line not in PAGE_TEXT_HEADINGS:
            continue
        previous = content[index - 1][1] if index else ""
        # A counter label ("4" then "Assessment Criteria") is not a section heading.
        if _COUNT_RE.match(previous):
            continue
        following = [s for _, s in content[index + 1 : index + 4]]
        if any(s.startswith(BULLET) or s in PAGE_TEXT_HEADINGS for s in following):
            return index
    return None


def _unit_header(head: list[Line]) -> tuple[str, int, str]:
    """Return the unit title, its line and the awarding body in capitals from the unit header."""
    for index in range(1, len(head)):
        line = head[index][1]
        previous_line, previous = head[index - 1]
        if (
            line.isupper()
            and len(line) > 3
            and previous not in TABBED_HEADINGS
            and not _COUNT_RE.match(previous)
        ):
            return previous, previous_line, line
    return "", 0, ""


def _title_from_title_line(title_line: str) -> str:
    return re.sub(r"\s*Revision$", "", title_line).strip()


def _header(title_line: str, unit_title: str, body_caps: str) -> dict[str, str]:
    """Split the title line into awarding body, family and subject after the unit title."""
    rest = title_line[len(unit_title) :] if title_line.startswith(unit_title) else title_line
    rest = re.sub(r"\s*Revision$", "", rest).strip()
    awarding_body = ""
    if body_caps and rest.upper().startswith(body_caps):
        awarding_body, rest = rest[: len(body_caps)], rest[len(body_caps) :].strip()
    elif body_caps:
        awarding_body = body_caps.title()
    family = next((f for f in KNOWN_FAMILIES if rest.startswith(f)), "")
    subject = rest[len(family) :].strip()
    return {"awarding_body": awarding_body, "family": family, "subject": subject}


def _counters(head: list[Line]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for (_, value), (_, label) in itertools.pairwise(head):
        if _COUNT_RE.match(value) and label in COUNTER_LABELS:
            counts[label] = int(value)
    return counts


def _synopsis(head: list[Line], unit_title: str) -> tuple[str, int]:
    """Return the synopsis from the unit header, else the one under the Topic Synopsis label."""
    for index, (_, line) in enumerate(head):
        if line.isupper() and index >= 1 and head[index - 1][1] == unit_title:
            for number, candidate in head[index + 1 : index + 4]:
                if len(candidate) > 60:
                    return candidate, number
    for index, (_, line) in enumerate(head[:-1]):
        if line == "Topic Synopsis" and head[index + 1][1] not in TABBED_HEADINGS:
            return head[index + 1][1], head[index + 1][0]
    return "", 0


def _qualification(head: list[Line]) -> ParsedQualification | None:
    for index, (_, line) in enumerate(head):
        if line != "Topic Overview" or index == 0:
            continue
        paragraphs = head[index + 1 :]
        overview = "\n\n".join(s for _, s in paragraphs)
        overview_line = paragraphs[0][0] if paragraphs else head[index][0]
        return ParsedQualification(head[index - 1][1], overview, overview_line)
    return None


def _sections(body: list[Line]) -> list[ParsedSection]:
    sections: list[ParsedSection] = []
    heading: Line | None = None
    description = ""
    items: list[ParsedItem] = []
    for number, line in body:
        if line == CALL_TO_ACTION:
            break
        if line in PAGE_TEXT_HEADINGS:
            if heading is not None:
                sections.append(ParsedSection(heading[1], description, heading[0], tuple(items)))
            heading, description, items = (number, line), "", []
        elif line.startswith(BULLET):
            text = strip_bullet(line)
            if text:
                items.append(ParsedItem(text, number))
        elif heading is not None and not description and not items:
            description = line
    if heading is not None:
        sections.append(ParsedSection(heading[1], description, heading[0], tuple(items)))
    return sections
