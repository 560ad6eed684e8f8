from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from revisewise.progress.calibration import SimulationSettings, calibration, simulate
from revisewise.progress.readiness import DEFAULT_MODEL

SMALL = SimulationSettings(learners=800, seed=7)


def _eces(settings, model):
    outcomes = simulate(settings, model)
    return (
        calibration([(o.p_pass, o.passed) for o in outcomes]).ece,
        calibration([(o.p_distinction, o.distinction) for o in outcomes]).ece,
    )


def test_the_model_is_calibrated_on_simulated_learners():
    pass_ece, distinction_ece = _eces(SMALL, DEFAULT_MODEL)

    # Loose bounds for 800 learners (the documented run uses 4,000 and gets under 0.03).
    assert pass_ece < 0.07
    assert distinction_ece < 0.07


def test_the_check_catches_overconfident_and_uninformative_predictions():
    outcomes = simulate(SMALL, DEFAULT_MODEL)
    honest = calibration([(o.p_pass, o.passed) for o in outcomes]).ece
    # The same predictions pushed to certainty, and a shrug of 50% for everyone.
    certain = calibration([(float(o.p_pass > 0.5), o.passed) for o in outcomes]).ece
    shrug = calibration([(0.5, o.passed) for o in outcomes]).ece

    assert certain > honest + 0.03
    assert shrug > honest + 0.1


def test_mastery_only_readiness_is_calibrated_too():
    settings = SimulationSettings(learners=800, seed=7, knowledge_test=False)

    assert max(_eces(settings, DEFAULT_MODEL)) < 0.08


def test_the_reliability_table_counts_and_scores_by_hand():
    pairs = [(0.05, False), (0.05, True), (0.95, True), (0.95, True)]

    table = calibration(pairs, bins=10)

    assert [b.count for b in table.bins if b.count] == [2, 2]
    assert table.bins[0].observed == 0.5
    assert table.bins[9].observed == 1.0
    # |0.05 - 0.5| for half the learners, |0.95 - 1| for the other half.
    assert abs(table.ece - (0.45 + 0.05) / 2) < 1e-9
    assert abs(table.brier - (0.05**2 + 0.95**2 + 2 * 0.05**2) / 4) < 1e-9


def test_it_is_deterministic_for_a_seed():
    first, second = simulate(SMALL, DEFAULT_MODEL), simulate(SMALL, DEFAULT_MODEL)

    assert first == second


def test_the_command_prints_the_tables():
    out = StringIO()

    call_command("calibrate_readiness", "--learners", "200", "--seed", "3", stdout=out)

    text = out.getvalue()
    assert "P(pass): 200 learners" in text
    assert "P(distinction): 200 learners" in text
    assert "| predicted | learners | mean predicted | observed |" in text


def test_the_command_prints_json():
    out = StringIO()

    call_command("calibrate_readiness", "--learners", "100", "--json", "--mastery-only", stdout=out)

    payload = json.loads(out.getvalue())
    assert payload["settings"]["knowledge_test"] is False
    assert sum(b["count"] for b in payload["tables"]["pass"]["bins"]) == 100


def test_simulated_learners_know_what_they_never_practised_less_well():
    import random

    from revisewise.progress.calibration import _learner, _practice

    settings = SimulationSettings()
    rng = random.Random(settings.seed)
    practised: list[float] = []
    unpractised: list[float] = []
    for _ in range(300):
        sizes = [rng.randint(settings.items_min, settings.items_max) for _ in range(6)]
        learner = _learner(rng, sizes, settings)
        _practice(rng, learner, sizes, settings)
        for o, size in enumerate(sizes):
            for i in range(size):
                bucket = practised if (o, i) in learner.practised else unpractised
                bucket.append(learner.recall(o, i))
    assert practised
    assert unpractised
    mean_practised = sum(practised) / len(practised)
    mean_unpractised = sum(unpractised) / len(unpractised)
    # Ability is knowledge without practice (about 43%); practice adds its gain on top.
    assert 0.35 < mean_unpractised < 0.5
    assert mean_practised > mean_unpractised + 0.2
