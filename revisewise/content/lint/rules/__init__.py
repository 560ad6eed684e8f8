"""The lint's rules. Importing this package registers them all (see `registry.rule`)."""

from __future__ import annotations

from revisewise.content.lint.rules import consistency, plans, sections, text

__all__ = ["consistency", "plans", "sections", "text"]
