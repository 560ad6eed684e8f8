"""The content lint: rules that find defects in imported content, for authors to fix.

`content_lint()` is the entry point for the command and the author page; rules live in
`rules/` and register themselves with `registry.rule`; they read plain dataclasses
(`types.Corpus`) that `loader.corpus_load()` builds from the database. Nothing here but the
loader touches Django, so the rules run and are tested without it.
"""

from __future__ import annotations

from revisewise.content.lint.runner import LintReport, corpus_lint
from revisewise.content.lint.types import Finding, Severity

__all__ = ["Finding", "LintReport", "Severity", "content_lint"]


def content_lint(*, qualification_slug: str = "") -> LintReport:
    """Lint all stored content; with `qualification_slug`, report on that qualification only."""
    from revisewise.content.lint.loader import corpus_load

    return corpus_lint(corpus=corpus_load(), qualification_slug=qualification_slug)
