"""Find content files under the paths given and read each into a parsed document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from revisewise.content.importers.common import (
    ContentFileError,
    ParsedDocument,
    decode_content,
    sha256_hex,
)
from revisewise.content.importers.page_text import looks_like_page_text, parse_page_text
from revisewise.content.importers.tabbed import looks_like_tabbed, parse_tabbed

CONTENT_SUFFIXES = frozenset({".txt", ".md", ".yaml", ".yml"})
YAML_SUFFIXES = frozenset({".yaml", ".yml"})


@dataclass(frozen=True)
class ContentFile:
    """A file to import: where it is on disk and the name it is known by (relative to its root)."""

    location: Path
    name: str

    @property
    def is_yaml(self) -> bool:
        return self.location.suffix.lower() in YAML_SUFFIXES


def find_content_files(paths: list[Path]) -> tuple[list[ContentFile], list[ContentFileError]]:
    """Expand files and folders (recursively) into content files, sorted within each folder.

    Inside a folder only .txt, .md, .yaml and .yml files are read, and README files are skipped
    because they describe the content rather than hold it. A file named explicitly is always read.
    """
    found: list[ContentFile] = []
    missing: list[ContentFileError] = []
    for path in paths:
        if path.is_dir():
            for location in sorted(path.rglob("*")):
                if (
                    location.is_file()
                    and location.suffix.lower() in CONTENT_SUFFIXES
                    and not location.name.lower().startswith("readme")
                ):
                    found.append(ContentFile(location, location.relative_to(path).as_posix()))
        elif path.is_file():
            found.append(ContentFile(path, path.name))
        else:
            missing.append(ContentFileError("no such file or folder", line=0, file=str(path)))
    return found, missing


def read_content_bytes(content_file: ContentFile, *, max_bytes: int) -> bytes:
    """Return a file's bytes, refusing one over the limit before reading it into memory."""
    size = content_file.location.stat().st_size
    if size > max_bytes:
        raise ContentFileError(
            f"the file is {size:,} bytes, larger than the limit of {max_bytes:,} bytes "
            "(CONTENT_MAX_FILE_BYTES)",
            file=content_file.name,
        )
    return content_file.location.read_bytes()


def parse_text_document(raw: bytes, *, name: str, max_bytes: int) -> ParsedDocument:
    """Read a page-text or tabbed file's bytes; raise `ContentFileError` when they are unusable."""
    text = decode_content(raw, file=name, max_bytes=max_bytes)
    sha256 = sha256_hex(raw)
    if looks_like_tabbed(text):
        return parse_tabbed(text, path=name, sha256=sha256)
    if looks_like_page_text(text):
        return parse_page_text(text, path=name, sha256=sha256)
    first_line = next((n for n, line in enumerate(text.splitlines(), 1) if line.strip()), 1)
    raise ContentFileError(
        "no recognisable sections: this is neither a revision page (headings with '•' bullets) "
        "nor a tabbed file (tab headings with '- ' bullets)",
        line=first_line,
        file=name,
    )
