"""Versioned prompt files: `<name>.v<N>.txt`, whose first line is `# <name> v<N>: <summary>`.

A prompt is never edited in place once used: a change is a new file with the next version, so any
logged answer can be traced to the exact words that produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

PROMPTS_DIR = Path(__file__).resolve().parent
_FILE = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.txt$")
_HEADER = re.compile(r"^# (?P<name>[a-z][a-z0-9_]*) v(?P<version>[1-9][0-9]*): .+$")


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    text: str

    @property
    def key(self) -> str:
        """Name and version together, e.g. "tutor_answer.v1", for logs and stored answers."""
        return f"{self.name}.v{self.version}"

    def render(self, **values: str) -> str:
        """Fill the $placeholders; a missing value raises KeyError rather than sending a gap."""
        return Template(self.text).substitute(values)


def _read(path: Path) -> Prompt:
    match = _FILE.match(path.name)
    if match is None:
        raise ValueError(f"{path.name} is not named <name>.v<N>.txt")
    header, _, body = path.read_text(encoding="utf-8").partition("\n")
    found = _HEADER.match(header)
    if found is None or found.groupdict() != match.groupdict():
        raise ValueError(f"{path.name} must start with '# {match['name']} v{match['version']}: …'")
    return Prompt(name=match["name"], version=int(match["version"]), text=body.strip() + "\n")


@cache
def prompt_get(name: str, version: int | None = None) -> Prompt:
    """Return the named prompt at the given version, or its latest version."""
    versions = {
        int(m["version"]): path
        for path in PROMPTS_DIR.glob(f"{name}.v*.txt")
        if (m := _FILE.match(path.name)) and m["name"] == name
    }
    if not versions:
        raise LookupError(f"No prompt called {name!r} in {PROMPTS_DIR}")
    chosen = version if version is not None else max(versions)
    if chosen not in versions:
        raise LookupError(f"No version {chosen} of prompt {name!r}")
    return _read(versions[chosen])


def prompt_names() -> list[str]:
    """Every prompt file's name and version, e.g. ["tutor_answer.v1"], sorted."""
    return sorted(path.name.removesuffix(".txt") for path in PROMPTS_DIR.glob("*.v*.txt"))
