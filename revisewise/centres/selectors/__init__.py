"""Reads for tutors and centre administrators: cohorts, the mastery heatmap, a learner, assignments.

Tenancy is checked by the accounts selectors (`cohort_get_for_tutor`, `learner_get_for_tutor`)
and by the selectors here, which raise Http404 for anybody outside the centre.
"""

from __future__ import annotations

from revisewise.centres.selectors.assignments import (
    AssignmentProgress,
    LearnerAssignment,
    assignment_get_for_learner,
    assignment_get_for_tutor,
    assignment_items,
    assignment_list_for_cohort,
    assignment_list_for_learner,
    assignment_progress,
    assignments_set_export,
)
from revisewise.centres.selectors.heatmap import (
    Heatmap,
    HeatmapView,
    LearnerRow,
    ObjectiveColumn,
    UnitColumns,
    band_for,
    cohort_heatmap,
    cohort_learners,
    cohort_list_for_tutor,
    cohort_units,
    heatmap_view,
    percent_text,
    plan_load_today,
)
from revisewise.centres.selectors.learners import (
    LearnerProgress,
    cohorts_shared_with_tutor,
    learner_progress_for_tutor,
    recent_attempts_for_tutor,
)

__all__ = [
    "AssignmentProgress",
    "Heatmap",
    "HeatmapView",
    "LearnerAssignment",
    "LearnerProgress",
    "LearnerRow",
    "ObjectiveColumn",
    "UnitColumns",
    "assignment_get_for_learner",
    "assignment_get_for_tutor",
    "assignment_items",
    "assignment_list_for_cohort",
    "assignment_list_for_learner",
    "assignment_progress",
    "assignments_set_export",
    "band_for",
    "cohort_heatmap",
    "cohort_learners",
    "cohort_list_for_tutor",
    "cohort_units",
    "cohorts_shared_with_tutor",
    "heatmap_view",
    "learner_progress_for_tutor",
    "percent_text",
    "plan_load_today",
    "recent_attempts_for_tutor",
]
