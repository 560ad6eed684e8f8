"""Render the heatmap's rows in Python: 500 learners x 40 objectives are 20,000 cells, and the
template engine would spend most of the page's time on them (see docs/centres.md)."""

from __future__ import annotations

from datetime import tzinfo

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _

from revisewise.centres.selectors import HeatmapView, LearnerRow, ObjectiveColumn, band_for

# One cell per whole percentage (and "<1%"): the loop over 20,000 cells only looks them up.
CELLS = [f'<td class="heat band-{band_for(p / 100)}">{p}%</td>' for p in range(101)]
UNDER_ONE = f'<td class="heat band-{band_for(0.001)}">&lt;1%</td>'

ZERO_UUID = "00000000-0000-0000-0000-000000000000"

register = template.Library()


@register.simple_tag
def heatmap_rows(view: HeatmapView) -> SafeString:
    """Return the table rows: learner, overall mastery, last practice, flags, one cell each."""
    not_started = format_html(
        '<td class="heat band-0"><span aria-hidden="true">&ndash;</span>'
        '<span class="visually-hidden">{}</span></td>',
        _("not started"),
    )
    columns = view.columns
    # One reverse() for all rows: each learner's link only differs by the uuid.
    link = reverse("centres:learner-detail", args=[ZERO_UUID])
    timezone = get_current_timezone()
    months = [""] + [str(MONTHS_3[month]).title() for month in range(1, 13)]
    return mark_safe(
        "\n".join(_row(row, columns, not_started, link, timezone, months) for row in view.rows)
    )


def _row(
    row: LearnerRow,
    columns: list[ObjectiveColumn],
    not_started: str,
    link: str,
    timezone: tzinfo,
    months: list[str],
) -> str:
    by_objective = row.by_objective
    cells = [_cell(by_objective.get(column.objective.pk), not_started) for column in columns]
    overall = _cell(row.overall if row.seen_items else None, not_started)
    head = format_html(
        '<tr{}><th scope="row"><a href="{}">{}</a></th>',
        mark_safe(' class="flagged"') if row.is_flagged else "",
        link.replace(ZERO_UUID, str(row.learner.uuid)),
        row.learner.display_name or row.learner.email,
    )
    last = _last_activity(row, timezone, months)
    return f"{head}{overall}{last}{_flags(row)}{''.join(cells)}</tr>"


def _last_activity(row: LearnerRow, timezone: tzinfo, months: list[str]) -> str:
    if row.last_activity is None:
        return format_html('<td class="meta">{}</td>', _("Never"))
    # The same text as the date filter's "j M", without its per-call cost.
    moment = row.last_activity.astimezone(timezone)
    return (
        f'<td class="meta"><time datetime="{moment.isoformat()}">'
        f"{moment.day} {months[moment.month]}</time></td>"
    )


def _flags(row: LearnerRow) -> str:
    flags = []
    if row.is_behind:
        detail = (
            _("(exam date passed)")
            if row.plan_load is None
            else _("(needs %(load)s a day, plans %(capacity)s)")
            % {"load": row.plan_load, "capacity": row.daily_capacity}
        )
        flags.append(
            format_html(
                '<li class="flag">{} <span class="flag-detail">{}</span></li>',
                _("Behind plan"),
                detail,
            )
        )
    if row.is_inactive:
        text = (
            _("Not practised for %(time)s") % {"time": timesince(row.last_activity)}
            if row.last_activity
            else _("Never practised")
        )
        flags.append(format_html('<li class="flag">{}</li>', text))
    return f'<td class="meta"><ul class="flags">{"".join(flags)}</ul></td>'


def _cell(value: float | None, not_started: str) -> str:
    if value is None:
        return not_started
    if 0 < value < 0.005:
        return UNDER_ONE
    return CELLS[round(value * 100)]
