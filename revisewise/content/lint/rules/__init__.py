"""The lint's rules. Importing this package registers them all (see `registry.rule`)."""

from __future__ import annotations

from revisewise.content.lint.rules import consistency, sections, text

__all__ = ["consistency", "sections", "text"]
