"""`{% epa_plan qualification %}`: the qualification's assessment plan, for its page."""

from __future__ import annotations

from typing import Any

from django import template

from revisewise.content.models import Qualification
from revisewise.epa.selectors import plan_get_for_qualification

register = template.Library()


@register.inclusion_tag("epa/_plan.html", takes_context=True)
def epa_plan(context: template.Context, qualification: Qualification) -> dict[str, Any]:
    plan = plan_get_for_qualification(qualification=qualification)
    return {
        "plan": plan,
        "qualification": qualification,
        "user": context.get("user"),
    }
