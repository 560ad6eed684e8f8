"""The one place rules are registered: decorate a function `(corpus) -> problems` with `@rule`.

A rule module must be imported by `revisewise.content.lint.rules` for its rules to run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from revisewise.content.lint.types import Corpus, Problem, Severity

Check = Callable[[Corpus], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    check: Check

    @property
    def why(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str) -> Callable[[Check], Check]:
    """Register `check` under a stable `code`; a code may be registered once only."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"Lint rule {code} is registered twice.")
        RULES[code] = Rule(code=code, severity=severity, title=title, check=check)
        return check

    return register


def rules_all() -> list[Rule]:
    """Return every registered rule, ordered by code."""
    from revisewise.content.lint import rules  # noqa: F401  (registers the rules)

    return [RULES[code] for code in sorted(RULES)]
