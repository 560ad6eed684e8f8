"""Simulate learners with known skill, predict their readiness, and print the reliability table."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from revisewise.progress.calibration import (
    Calibration,
    SimulationSettings,
    calibration,
    simulate,
)
from revisewise.progress.readiness import DEFAULT_MODEL


class Command(BaseCommand):
    help = (
        "Check the readiness model's calibration: simulate learners whose true skill is known, "
        "predict P(pass) and P(distinction) from simulated practice and mocks, sample the real "
        "test from the true skill, and print reliability tables, Brier score and ECE."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        defaults = SimulationSettings()
        parser.add_argument("--learners", type=int, default=defaults.learners)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--objectives", type=int, default=defaults.objectives)
        parser.add_argument("--max-mocks", type=int, default=defaults.max_mocks)
        parser.add_argument("--mastery-noise", type=float, default=defaults.mastery_noise)
        parser.add_argument("--bins", type=int, default=10)
        parser.add_argument(
            "--mastery-only",
            action="store_true",
            help="a qualification without a knowledge test (thresholds on true recall)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["learners"] < 1 or options["objectives"] < 1 or options["bins"] < 1:
            raise CommandError("--learners, --objectives and --bins must be at least 1.")
        settings = SimulationSettings(
            learners=options["learners"],
            seed=options["seed"],
            objectives=options["objectives"],
            max_mocks=options["max_mocks"],
            mastery_noise=options["mastery_noise"],
            knowledge_test=not options["mastery_only"],
        )
        outcomes = simulate(settings, DEFAULT_MODEL)
        tables = {
            "pass": calibration([(o.p_pass, o.passed) for o in outcomes], bins=options["bins"]),
            "distinction": calibration(
                [(o.p_distinction, o.distinction) for o in outcomes], bins=options["bins"]
            ),
        }
        if options["json"]:
            payload = {
                "settings": asdict(settings),
                "model": asdict(DEFAULT_MODEL),
                "tables": {name: asdict(table) for name, table in tables.items()},
            }
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(f"settings: {asdict(settings)}")
        self.stdout.write(f"model: {asdict(DEFAULT_MODEL)}")
        for name, table in tables.items():
            self._table(name, table)

    def _table(self, name: str, table: Calibration) -> None:
        self.stdout.write(
            f"\nP({name}): {table.count} learners, observed rate {table.base_rate:.3f}, "
            f"Brier {table.brier:.4f}, ECE {table.ece:.4f}"
        )
        self.stdout.write("| predicted | learners | mean predicted | observed |")
        self.stdout.write("|---|---|---|---|")
        for row in table.bins:
            self.stdout.write(
                f"| {row.low:.1f}-{row.high:.1f} | {row.count} | "
                f"{row.mean_predicted:.3f} | {row.observed:.3f} |"
                if row.count
                else f"| {row.low:.1f}-{row.high:.1f} | 0 | - | - |"
            )
