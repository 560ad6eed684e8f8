"""The author-facing content lint page (staff only)."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from revisewise.content.lint import Severity, content_lint
from revisewise.content.lint.registry import rules_all
from revisewise.content.models import Qualification


@staff_member_required
def lint_report(request: HttpRequest) -> HttpResponse:
    """List every content defect, optionally for one qualification and one severity."""
    slug = request.GET.get("qualification", "")
    severity = request.GET.get("severity", "")
    report = content_lint(qualification_slug=slug)
    findings = [f for f in report.findings if not severity or f.severity == severity]
    context = {
        "report": report,
        "findings": findings,
        "qualifications": Qualification.objects.order_by("title").values("slug", "title"),
        "severities": list(Severity),
        "selected_qualification": slug,
        "selected_severity": severity,
        "counts": {s: report.count(s) for s in Severity},
        "rules": rules_all(),
    }
    return render(request, "content/lint_report.html", context)
