"""Fit FSRS-6 parameters for every learner with enough reviews (or one learner)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from revisewise.accounts.models import User
from revisewise.scheduling.services import (
    OPTIMISATION_MIN_REVIEWS,
    scheduler_optimise_for_learner,
)


class Command(BaseCommand):
    help = (
        f"Fit FSRS-6 parameters for learners with at least {OPTIMISATION_MIN_REVIEWS} reviews "
        "and rebuild their cards."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--learner", help="only this learner (email)")
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would be optimised, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Superseded reviews (corrected by a tutor) do not count: the fit leaves them out too.
        current = Q(cards__review_logs__superseded_by__isnull=True)
        learners = User.objects.annotate(
            reviews=Count("cards__review_logs", filter=current)
        ).filter(reviews__gte=OPTIMISATION_MIN_REVIEWS)
        if options["learner"]:
            learners = learners.filter(email__iexact=options["learner"])
            if not User.objects.filter(email__iexact=options["learner"]).exists():
                raise CommandError(f"No user with the email {options['learner']}.")
        optimised = 0
        for learner in learners.order_by("pk"):
            if options["dry_run"]:
                self.stdout.write(f"would optimise {learner.email} ({learner.reviews} reviews)")
                continue
            row = scheduler_optimise_for_learner(learner=learner)
            if row is not None:
                optimised += 1
                self.stdout.write(f"optimised {learner.email} from {row.review_count} reviews")
        self.stdout.write(f"{optimised} learner(s) optimised")
