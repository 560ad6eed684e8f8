from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from revisewise.accounts.testing import force_login_verified
from revisewise.centres.benchmarks import synthetic_cohort_build
from revisewise.centres.models import Assignment
from revisewise.content.models import Unit

pytestmark = pytest.mark.django_db
# The heatmap, flags, assignments and the moderation summary (readiness loads separately).
MAX_QUERIES = 21
MAX_READINESS_QUERIES = 16


def _count_queries(client, url):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _with_assignment(synthetic):
    unit = Unit.objects.filter(qualification=synthetic.cohort.qualification).first()
    Assignment.objects.create(
        cohort=synthetic.cohort,
        set_by=synthetic.tutor,
        title="Revise unit 1",
        unit=unit,
        due_date=timezone.localdate(),
    )


def test_a_500_by_40_dashboard_renders_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    synthetic = synthetic_cohort_build(learners=500, objectives=40, now=timezone.now())
    _with_assignment(synthetic)
    force_login_verified(client, synthetic.tutor)
    url = reverse("centres:cohort-dashboard", args=[synthetic.cohort.uuid])

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)

    assert len(response.context["heatmap"].rows) == 500
    assert len(response.context["heatmap"].columns) == 40
    assert response.content.decode().count('<th scope="row">') == 500


def test_a_500_learner_readiness_table_takes_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    synthetic = synthetic_cohort_build(learners=500, objectives=40, now=timezone.now(), seed=3)
    force_login_verified(client, synthetic.tutor)
    url = reverse("centres:cohort-readiness", args=[synthetic.cohort.uuid])

    with django_assert_max_num_queries(MAX_READINESS_QUERIES):
        response = client.get(url, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">') == 500


def test_the_query_count_does_not_grow_with_the_cohort(client):
    small = synthetic_cohort_build(learners=3, objectives=4, now=timezone.now(), seed=1)
    large = synthetic_cohort_build(learners=60, objectives=12, now=timezone.now(), seed=2)
    for synthetic in (small, large):
        _with_assignment(synthetic)
    counts = []
    for synthetic in (small, large):
        force_login_verified(client, synthetic.tutor)
        counts.append(
            _count_queries(
                client, reverse("centres:cohort-dashboard", args=[synthetic.cohort.uuid])
            )
        )

    assert counts[0] == counts[1]
    assert counts[0] <= MAX_QUERIES


def test_the_benchmark_command_prints_latency_and_queries_and_cleans_up():
    out = StringIO()

    call_command(
        "benchmark_dashboard", "--learners", "20", "--objectives", "5", "--renders", "3", stdout=out
    )

    text = out.getvalue()
    assert "built 20 learners x 5 objectives" in text
    assert "dashboard GET: n=3 p50=" in text
    assert "queries=" in text
    assert "queries=0" not in text
    assert Assignment.objects.count() == 0
    assert Unit.objects.count() == 0
