"""Run the rules over a corpus and order what they find."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from revisewise.content.lint.registry import Rule, rules_all
from revisewise.content.lint.types import SEVERITY_ORDER, Corpus, Finding, Severity


@dataclass(frozen=True)
class LintReport:
    findings: tuple[Finding, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0

    @property
    def summary(self) -> str:
        errors, warnings, infos = (self.count(s) for s in Severity)
        return f"{errors} error(s), {warnings} warning(s), {infos} note(s)"


def _sort_key(finding: Finding) -> tuple[str, str, int, str, int, str, str, str]:
    return (
        finding.qualification,
        finding.unit,
        SEVERITY_ORDER[finding.severity],
        finding.source,
        finding.line or 0,
        finding.code,
        finding.section,
        finding.message,
    )


def corpus_lint(
    *, corpus: Corpus, rules: Iterable[Rule] | None = None, qualification_slug: str = ""
) -> LintReport:
    """Run `rules` (every registered rule by default) over `corpus`.

    With `qualification_slug`, keep only findings about that qualification; the rules still see
    the whole corpus, so comparisons with other qualifications of its subject are kept.
    """
    findings = [
        Finding(
            code=rule.code,
            severity=rule.severity,
            title=rule.title,
            message=problem.message,
            qualification=problem.qualification,
            unit=problem.unit,
            section=problem.section,
            source=problem.source,
            line=problem.line,
        )
        for rule in (rules if rules is not None else rules_all())
        for problem in rule.check(corpus)
    ]
    if qualification_slug:
        findings = [f for f in findings if f.qualification == qualification_slug]
    return LintReport(findings=tuple(sorted(set(findings), key=_sort_key)))
