"""Read the tabbed format: a unit's five tabs as headings with "- " bullets (seed 002).

The file may open with the teaser (the synopsis cut at 150 characters). "Topic Synopsis" is
followed by the synopsis paragraph; every other tab heading by its bullets. Headings may carry
Markdown hashes ("## Examiner Marking Points"). The file names no qualification and no unit
title: the importer merges it into the unit whose synopsis and key concepts it matches.
"""

from __future__ import annotations

import itertools

from revisewise.content.importers.common import (
    FORMAT_TABBED,
    TABBED_HEADINGS,
    ContentFileError,
    ParsedDocument,
    ParsedItem,
    ParsedSection,
    strip_bullet,
)

SYNOPSIS = "Topic Synopsis"


def _heading(line: str) -> str:
    return line.lstrip("#").strip()


def _is_bullet(line: str) -> bool:
    return line.startswith(("- ", "* "))


def looks_like_tabbed(text: str) -> bool:
    """Tell whether a tab heading is directly followed by a "- " bullet somewhere in the file."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return any(
        _heading(line) in TABBED_HEADINGS and _is_bullet(following)
        for line, following in itertools.pairwise(lines)
    )


def parse_tabbed(text: str, *, path: str, sha256: str) -> ParsedDocument:
    """Parse a tabbed file; raise `ContentFileError` when it has no recognisable sections."""
    content = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), 1) if raw.strip()]
    if not content:
        raise ContentFileError("the file is empty", file=path)
    teaser = ""
    sections: list[ParsedSection] = []
    synopsis, synopsis_line = "", 0
    heading: tuple[int, str] | None = None
    items: list[ParsedItem] = []
    for number, line in content:
        if _heading(line) in TABBED_HEADINGS:
            if heading is not None:
                sections.append(ParsedSection(heading[1], "", heading[0], tuple(items)))
            heading, items = (number, _heading(line)), []
        elif heading is None:
            teaser = teaser or line
        elif heading[1] == SYNOPSIS:
            synopsis = f"{synopsis} {line}".strip()
            synopsis_line = synopsis_line or number
            items = [ParsedItem(synopsis, synopsis_line)]
        elif _is_bullet(line):
            items.append(ParsedItem(strip_bullet(line), number))
        elif items:
            # A wrapped bullet continues on the next line.
            last = items[-1]
            items[-1] = ParsedItem(f"{last.text} {line}", last.line)
    if heading is not None:
        sections.append(ParsedSection(heading[1], "", heading[0], tuple(items)))
    if not any(s.heading != SYNOPSIS and s.items for s in sections):
        raise ContentFileError(
            "no recognisable sections: expected tab headings such as "
            "'Key Concepts & Core Principles' followed by '- ' bullets",
            line=content[0][0],
            file=path,
        )
    return ParsedDocument(
        format=FORMAT_TABBED,
        path=path,
        sha256=sha256,
        unit_title="",
        unit_title_line=0,
        header={"awarding_body": "", "family": "", "subject": ""},
        teaser=teaser,
        synopsis=synopsis,
        synopsis_line=synopsis_line,
        stated_counts={},
        qualification=None,
        sections=tuple(sections),
        generic_start={},
    )
