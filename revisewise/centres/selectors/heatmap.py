"""The cohort dashboard: cohorts a tutor sees and the mastery heatmap of one cohort.

The heatmap computes the whole cohort's mastery from a handful of aggregate queries, never one
query per learner.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Count, FloatField, Func, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from revisewise.accounts.models import Cohort, Membership, Role, User
from revisewise.content.models import ContentItem, Unit
from revisewise.practice.models import LEARNER_VISIBLE_STATUSES, Item
from revisewise.scheduling.memory import DEFAULT_PARAMETERS, SECONDS_PER_DAY
from revisewise.scheduling.models import (
    DEFAULT_DAILY_CAPACITY,
    Card,
    ExamPlan,
    LearnerSchedulerParameters,
    LearnerSchedulingSettings,
)
from revisewise.scheduling.plan import BACKLOG_SPREAD_DAYS, CONSOLIDATION_MAX_DAYS

# Mastery bands of the heatmap: lower bounds in percent, highest first.
BANDS = ((80, 5), (60, 4), (40, 3), (20, 2), (0, 1))
NOT_STARTED_BAND = 0


def cohort_list_for_tutor(*, user: User) -> QuerySet[Cohort]:
    """Return the cohorts this person tutors, or all cohorts of the centres they administer.

    Each carries `learner_count`, its active learners.
    """
    learners = (
        Membership.objects.filter(cohort=OuterRef("pk"), role=Role.LEARNER, user__is_active=True)
        .order_by()
        .values("cohort")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Cohort.objects.filter(
            Q(memberships__user=user, memberships__role=Role.TUTOR)
            | Q(centre__memberships__user=user, centre__memberships__role=Role.CENTRE_ADMIN)
        )
        .annotate(learner_count=Coalesce(Subquery(learners), 0))
        .select_related("centre", "qualification")
        .order_by("centre__name", "name")
        .distinct()
    )


def cohort_learners(*, cohort: Cohort) -> QuerySet[User]:
    """Return the cohort's active learners."""
    return User.objects.filter(
        memberships__cohort=cohort, memberships__role=Role.LEARNER, is_active=True
    ).distinct()


def cohort_units(*, cohort: Cohort) -> list[Unit]:
    """Return the units of the cohort's qualification, in order."""
    if cohort.qualification_id is None:
        return []
    return list(Unit.objects.filter(qualification_id=cohort.qualification_id).order_by("position"))


# The heatmap -------------------------------------------------------------------------------


def band_for(value: float | None) -> int:
    """Return the colour band of a mastery value (None: nothing practised yet)."""
    if value is None:
        return NOT_STARTED_BAND
    # Banded by the percentage shown, so a cell reading "80%" is never in the 60-79 colour.
    percent = round(value * 100)
    return next(band for lower, band in BANDS if percent >= lower)


def percent_text(value: float) -> str:
    """Return a whole percentage, saying "<1%" rather than rounding a little to nothing."""
    if 0 < value < 0.005:
        return "<1%"
    return f"{round(value * 100)}%"


@dataclass(frozen=True)
class ObjectiveColumn:
    objective: ContentItem
    code: str

    @property
    def label(self) -> str:
        return self.objective.text or self.objective.name


@dataclass(frozen=True)
class UnitColumns:
    unit: Unit | None
    objectives: list[ObjectiveColumn]


@dataclass
class LearnerRow:
    learner: User
    # Mastery per objective id; None when the learner has not practised any of its items.
    by_objective: dict[int, float | None]
    overall: float
    seen_items: int
    last_activity: datetime | None
    is_inactive: bool
    exam_date: date | None = None
    plan_load: int | None = None
    daily_capacity: int = DEFAULT_DAILY_CAPACITY
    is_behind: bool = False

    @property
    def overall_text(self) -> str:
        return percent_text(self.overall) if self.seen_items else ""

    @property
    def overall_band(self) -> int:
        return band_for(self.overall if self.seen_items else None)

    @property
    def is_flagged(self) -> bool:
        return self.is_behind or self.is_inactive


@dataclass(frozen=True)
class Heatmap:
    cohort: Cohort
    units: list[UnitColumns]
    rows: list[LearnerRow]
    item_count: int
    inactive_days: int

    @property
    def columns(self) -> list[ObjectiveColumn]:
        return [column for group in self.units for column in group.objectives]

    @property
    def behind_count(self) -> int:
        return sum(row.is_behind for row in self.rows)

    @property
    def inactive_count(self) -> int:
        return sum(row.is_inactive for row in self.rows)


@dataclass
class _Memory:
    """Per learner: the sum of recall per objective and overall, items seen, overdue cards."""

    by_objective: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    seen_by_objective: set[int] = field(default_factory=set)
    total: float = 0.0
    seen: int = 0
    overdue: int = 0


def cohort_heatmap(*, cohort: Cohort, now: datetime, inactive_days: int) -> Heatmap:
    """Return mastery per learner and learning objective for the cohort's qualification.

    Mastery is the progress page's: the mean over an objective's learner-visible items of the
    probability of recall now (FSRS-6 retrievability with the learner's fitted decay), unseen
    items counting 0. About eight queries whatever the size of the cohort.
    """
    learners = list(cohort_learners(cohort=cohort).only("pk", "uuid", "email", "display_name"))
    # Plain lists of keys, not subqueries: SQLite plans "IN (list)" best for these joins.
    learner_ids = [learner.pk for learner in learners]
    items = _qualification_items(cohort)
    columns = _objective_columns({objective for _, _, objective in items if objective})
    items_per_objective: dict[int, int] = defaultdict(int)
    for _, _, objective in items:
        if objective:
            items_per_objective[objective] += 1
    objective_of = {pk: objective for pk, _, objective in items}
    memories = _memories(learner_ids, objective_of, now)
    last_activity = dict(
        Card.objects.filter(learner_id__in=learner_ids)
        .order_by()
        .values("learner_id")
        .annotate(last=Max("last_review"))
        .values_list("learner_id", "last")
    )
    cutoff = now - timedelta(days=inactive_days)
    rows = []
    for learner in learners:
        memory = memories.get(learner.pk, _Memory())
        last = last_activity.get(learner.pk)
        rows.append(
            LearnerRow(
                learner=learner,
                by_objective={
                    objective: (
                        memory.by_objective[objective] / count
                        if objective in memory.seen_by_objective
                        else None
                    )
                    for objective, count in items_per_objective.items()
                },
                overall=memory.total / len(items) if items else 0.0,
                seen_items=memory.seen,
                last_activity=last,
                is_inactive=last is None or last < cutoff,
            )
        )
    _flag_behind_plan(cohort, learner_ids, rows, memories, len(items), now.date())
    return Heatmap(
        cohort=cohort,
        units=columns,
        rows=rows,
        item_count=len(items),
        inactive_days=inactive_days,
    )


def _qualification_items(cohort: Cohort) -> list[tuple[int, int, int | None]]:
    if cohort.qualification_id is None:
        return []
    return list(
        Item.objects.filter(
            qualification_id=cohort.qualification_id, status__in=LEARNER_VISIBLE_STATUSES
        ).values_list("pk", "unit_id", "objective_id")
    )


def _objective_columns(objective_ids: set[int]) -> list[UnitColumns]:
    """Group the objectives by unit, in the unit's order, numbered "unit.objective"."""
    objectives = ContentItem.objects.filter(pk__in=objective_ids).select_related("unit")
    ordered = sorted(
        objectives,
        key=lambda o: (o.unit is None, o.unit.position if o.unit else 0, o.position, o.pk),
    )
    groups: list[UnitColumns] = []
    for objective in ordered:
        if not groups or groups[-1].unit != objective.unit:
            groups.append(UnitColumns(unit=objective.unit, objectives=[]))
        group = groups[-1]
        code = f"{len(groups)}.{len(group.objectives) + 1}"
        group.objectives.append(ObjectiveColumn(objective=objective, code=code))
    return groups


def _decays(learner_ids: list[int]) -> dict[int, float]:
    """Return each learner's newest fitted FSRS decay (learners without a fit use the default)."""
    decays: dict[int, float] = {}
    rows = (
        LearnerSchedulerParameters.objects.filter(learner_id__in=learner_ids)
        .order_by("learner_id", "-optimised_at", "-pk")
        .values_list("learner_id", "parameters")
    )
    for learner_id, parameters in rows:
        decays.setdefault(learner_id, float(parameters[20]))
    return decays


class EpochSeconds(Func):
    """Seconds since 1970 of a datetime column, computed by the database as a float.

    Reading 20,000 datetimes through Django's SQLite converter (a regular expression each)
    costs more than everything else on the dashboard; a float needs no conversion.
    """

    output_field = FloatField()

    @property
    def convert_value(self) -> Any:
        # The database returns a float already. Django skips the converter loop altogether
        # for the no-op it knows, so per-row float() calls and their overhead disappear.
        return self._convert_value_noop  # type: ignore[attr-defined]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::float8"
        )


def _memories(
    learner_ids: list[int],
    objective_of: dict[int, int | None],
    now: datetime,
) -> dict[int, _Memory]:
    decays = _decays(learner_ids)
    default_decay = DEFAULT_PARAMETERS[20]
    now_seconds = now.timestamp()
    cards = (
        Card.objects.filter(
            learner_id__in=learner_ids,
            item_id__in=list(objective_of),
            last_review__isnull=False,
            stability__isnull=False,
        )
        .annotate(reviewed=EpochSeconds("last_review"))
        .order_by()
        .values_list("learner_id", "item_id", "stability", "reviewed")
    )
    memories: dict[int, _Memory] = defaultdict(_Memory)
    for learner_id, item_id, stability, reviewed in cards.iterator(chunk_size=5000):
        memory = memories[learner_id]
        # FSRS-6 retrievability, as scheduling.memory.retrievability, inlined for 20,000 rows.
        decay = decays.get(learner_id, default_decay)
        days = max(0.0, (now_seconds - reviewed) / SECONDS_PER_DAY)
        recall = (1 + (0.9 ** (-1 / decay) - 1) * days / stability) ** -decay
        memory.total += recall
        memory.seen += 1
        objective = objective_of.get(item_id)
        if objective:
            memory.by_objective[objective] += recall
            memory.seen_by_objective.add(objective)
    overdue = (
        Card.objects.filter(
            learner_id__in=learner_ids, item_id__in=list(objective_of), due__lte=now
        )
        .order_by()
        .values("learner_id")
        .annotate(count=Count("pk"))
        .values_list("learner_id", "count")
    )
    for learner_id, count in overdue:
        memories[learner_id].overdue = count
    return memories


def _flag_behind_plan(
    cohort: Cohort,
    learner_ids: list[int],
    rows: list[LearnerRow],
    memories: dict[int, _Memory],
    item_count: int,
    today: date,
) -> None:
    """Flag learners whose exam plan needs more items today than their daily capacity.

    Today's load follows the planner (`scheduling.plan`): the unseen items spread over the
    introduction window plus the overdue reviews spread over the backlog window. It is a lower
    bound of the planner's first day, so a learner flagged here always gets the planner's
    "the time left cannot cover everything" warning on their plan page.
    """
    exams = dict(
        ExamPlan.objects.filter(
            learner_id__in=learner_ids, qualification=cohort.qualification
        ).values_list("learner_id", "exam_date")
    )
    capacities = dict(
        LearnerSchedulingSettings.objects.filter(learner_id__in=learner_ids).values_list(
            "learner_id", "daily_capacity"
        )
    )
    for row in rows:
        exam_date = exams.get(row.learner.pk)
        if exam_date is None:
            continue
        memory = memories.get(row.learner.pk, _Memory())
        row.exam_date = exam_date
        row.daily_capacity = capacities.get(row.learner.pk, DEFAULT_DAILY_CAPACITY)
        row.plan_load = plan_load_today(
            unseen=item_count - memory.seen,
            overdue=memory.overdue,
            days_left=(exam_date - today).days,
        )
        row.is_behind = row.plan_load is None or row.plan_load > row.daily_capacity


def plan_load_today(*, unseen: int, overdue: int, days_left: int) -> int | None:
    """Return the items the exam plan asks for today, or None when the exam day has come."""
    if days_left <= 0:
        return None
    consolidation = min(days_left // 4, CONSOLIDATION_MAX_DAYS)
    intro_days = max(1, days_left - consolidation)
    new = math.ceil(unseen / intro_days)
    backlog = math.ceil(overdue / min(days_left, BACKLOG_SPREAD_DAYS))
    return new + backlog


@dataclass(frozen=True)
class HeatmapView:
    """The rows and columns a tutor asked to see, with each row's cells rendered."""

    units: list[UnitColumns]
    rows: list[LearnerRow]

    @property
    def columns(self) -> list[ObjectiveColumn]:
        return [column for group in self.units for column in group.objectives]

    @property
    def column_count(self) -> int:
        return sum(len(group.objectives) for group in self.units)


_FILTERS = {
    "all": lambda row: True,
    "flagged": lambda row: row.is_flagged,
    "behind": lambda row: row.is_behind,
    "inactive": lambda row: row.is_inactive,
}


def _sort_key(sort: str) -> Callable[[LearnerRow], Any]:
    oldest = datetime.min.replace(tzinfo=UTC)
    keys: dict[str, Callable[[LearnerRow], Any]] = {
        "mastery": lambda row: (row.overall, _name(row)),
        "-mastery": lambda row: (-row.overall, _name(row)),
        "activity": lambda row: (row.last_activity or oldest, _name(row)),
    }
    return keys.get(sort, _name)


def _name(row: LearnerRow) -> str:
    return (row.learner.display_name or row.learner.email).casefold()


def heatmap_view(heatmap: Heatmap, *, sort: str, show: str, unit_uuid: str) -> HeatmapView:
    """Filter the heatmap's rows (flags) and columns (one unit), and sort the rows."""
    units = [
        group
        for group in heatmap.units
        if not unit_uuid or (group.unit is not None and str(group.unit.uuid) == unit_uuid)
    ]
    keep = _FILTERS.get(show, _FILTERS["all"])
    rows = sorted((row for row in heatmap.rows if keep(row)), key=_sort_key(sort))
    return HeatmapView(units=units, rows=rows)
