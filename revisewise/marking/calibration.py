"""The written-item decision: is an answer to an item with marking points correct?

The classifier (training.py) was trained on SciEntsBank and Beetle answers compared with reference
answers. On written items its P(correct) ranks answers well within an item, but its level depends
on what the answer is compared with and on the item. So for items with marking points the
"correct" decision is a small logistic model over some of the engine's own signals, fitted on the
customer-service development sets in eval/ and chosen by cross-validation, leaving out one
question and one author at a time (docs/marking.md, "Written-item calibration"). Four paths,
each with its own model:

- ``scheme``: marking points and no reference answer (every written item of the product);
- ``scheme_no_model_answer``: the same without a model answer to compare with;
- ``references``: marking points and reference answers;
- ``long_references`` (since 2.5.0): no marking points, and a reference of at least
  LONG_REFERENCE_WORDS words (a written model answer, as in data of the shared format); answers
  compared with one-line keys keep the classifier's own threshold.

The development sets come from nine authors (since 2.5.0). The ``scheme`` paths are fitted on
every answer, sets with references also marked with their references left out; the
``references`` path on the sets with references; the ``long_references`` path on every answer
marked against its references alone and its model answer alone, and on the written items' rows.
The ``scheme`` and ``long_references`` models read the answer's feature row against the points
or the references (the classifier's inputs less the seven length features: 39), strongly
regularised, fitted on the answers and on a padded copy of each.

The artefact (artefacts/written_calibration.json) is plain numbers, written by
``manage.py calibrate_marker``; applying it needs numpy only.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from revisewise.marking.features import ALL_FEATURES
from revisewise.marking.model import ARTEFACT_DIR, CLASSIFIER_PATH

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

CALIBRATION_PATH = ARTEFACT_DIR / "written_calibration.json"
EVAL_DIR = Path(__file__).resolve().parent / "eval"
# The development sets the calibration is fitted on, one author each (never a blind set that has
# not been run: blind3 was run once with 2.1.0 and 2.2.0 and then became development data).
# blind5 was run once with 2.3.0, then joined them; since 2.5.0 every blind set run with an
# earlier engine (4 and 6 to 9) has joined too, so nine authors' answers: blind10 and blind11
# measure 2.5.0.
DEVELOPMENT_FILES = (
    "customer_service.jsonl",
    "customer_service_fresh.jsonl",
    "customer_service_blind3.jsonl",
    "customer_service_blind4.jsonl",
    "customer_service_blind5.jsonl",
    "customer_service_blind6.jsonl",
    "customer_service_blind7.jsonl",
    "customer_service_blind8.jsonl",
    "customer_service_blind9.jsonl",
)
PATHS = ("scheme", "scheme_no_model_answer", "references", "long_references")
# The development answers each path is fitted on: its own and, for the second and the last, the
# written items' (the second is the first without its signal; the last reads the same feature
# row, against a model answer instead of the points, and gains from every written item's answers).
FITTED_ON_ROWS_OF: dict[str, tuple[str, ...]] = {
    "scheme": ("scheme",),
    "scheme_no_model_answer": ("scheme",),
    "references": ("references",),
    "long_references": ("long_references", "scheme"),
}
# The development sets whose model answers are not answers: the first set's are the unit's
# assessor guidance ("A strong answer, illustrated with workplace examples, covers ..."), so its
# answers are never marked against them alone.
GUIDANCE_MODEL_ANSWERS = ("customer_service.jsonl",)
# Data without marking points (the format of ../shared/data/asag) is decided by the classifier,
# trained on SciEntsBank and Beetle, whose reference answers are one-line keys (median 15 and 10
# words). Against a written item's model answer (a paragraph: 35 to 178 words in eval/) it turns
# down most correct answers: marked with their references alone, the customer-service sets
# scored 2-way 0.41 to 0.72 with it (docs/marking.md, "Engine 2.5.0"). Since 2.5.0 an
# answer compared with a reference of at least this many words is decided by the
# ``long_references`` model instead: the feature row against the references, fitted on the
# customer-service sets marked that way. 40 leaves 5 of SciEntsBank's 135 questions and 1 of
# Beetle's 47 (their longest keys) to it; SAF's paragraph references (median 75 words) go to it.
LONG_REFERENCE_WORDS = 40
# Signals the engine computes for every answer to an item with marking points (all logits):
#   p_correct       P(correct) against what the request compares answers with (its references,
#                   else its points joined);
#   p_correct_item  p_correct less half the log of the item's baseline P_item (the item's own
#                   points marked as answers, floored at 0.25): the per-item level of 2.1.0;
#   p_model_answer  P(correct) against the model answer alone (p_correct without one);
#   p_point_min     the lowest P(correct) against one marking point alone;
#   log_points      the log of the number of marking points (from the request alone);
#   mis_agree       over the unit's misconceptions, the highest P(correct) against the
#                   misconception less P(correct) against its correction (agreeing with a
#                   misconception more than with its correction);
#   mis_contradicts the highest P(contradictory) against one misconception (the answer
#                   contradicts a misconception).
# The two misconception signals are absent for an item without misconceptions; a model then
# holds them at their development mean (they add nothing either way).
# Besides these, the answer's feature row (features.ALL_FEATURES, the classifier's inputs) against
# what it is compared with (the points joined, or the references), as f_<name>, less the length
# features: a model that reads length passes waffle (a wrong answer with a few sentences of
# generic "customer service is important" added was marked correct 89 times in 92 by a first
# fit with them; docs/marking.md, "Padding").
LENGTH_FEATURES = frozenset(name for name in ALL_FEATURES if "len" in name)
FEATURE_ROW = tuple(f"f_{name}" for name in ALL_FEATURES if name not in LENGTH_FEATURES)
# Generic sentences that answer no question: the scheme paths are also fitted on a padded copy
# of every development answer (the same label, two to four of these added before or after), so
# that saying more without saying more of the points earns nothing. PADDING_CHECK is another
# bank, never fitted on, that `calibrate_marker --cross-validate` measures the effect with.
PADDING: tuple[str, ...] = (
    "Customer service is very important in every organisation.",
    "It is something that all staff need to think about every day.",
    "You should always do your best and work as a team.",
    "When customers are happy the business does well.",
    "Good service is what makes a company stand out from its competitors.",
    "Every customer deserves to be treated well and with respect.",
    "In my workplace we always try to give the best service we can.",
    "Service is at the heart of everything a business does.",
)
PADDING_CHECK: tuple[str, ...] = (
    "At the end of the day the customer is the reason we have jobs.",
    "Giving great service takes effort from everybody in the team.",
    "Our company values say that we put customers first in all we do.",
    "I think this is one of the most important parts of working with the public.",
    "A happy customer will tell their friends and family about us.",
    "Staff should be friendly, professional and positive at all times.",
)


def feature_row_signals(row: Iterable[float]) -> dict[str, float]:
    """Return the decision's f_<name> signals from a full feature row (ALL_FEATURES order)."""
    return {
        f"f_{name}": float(value)
        for name, value in zip(ALL_FEATURES, row, strict=True)
        if name not in LENGTH_FEATURES
    }


def padded(answer: str, key: str, bank: Sequence[str]) -> str:
    """Return the answer with two to four of the bank's sentences added, before it or after it,
    chosen from the key (the same key, the same padding)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    count = 2 + digest[0] % 3
    start = digest[1] % len(bank)
    filler = " ".join(bank[(start + i) % len(bank)] for i in range(count))
    return f"{filler} {answer}" if digest[2] % 2 else f"{answer} {filler}"


SIGNALS = (
    "p_correct",
    "p_correct_item",
    "p_model_answer",
    "p_point_min",
    "log_points",
    "mis_agree",
    "mis_contradicts",
)
# Chosen by cross-validation over the development sets (docs/marking.md): the best by
# leave-one-author-out (the transfer to a new author's questions), leave-one-question-out close.
# Since 2.4.0 the written-item paths read the feature row alone: a model fitted on answers marked
# against points (and their padded copies) beat the SemEval-trained classifier's P(correct) with
# any of the signals; it needs no model answer, so both scheme paths use it.
FEATURES: dict[str, tuple[str, ...]] = {
    "scheme": FEATURE_ROW,
    "scheme_no_model_answer": FEATURE_ROW,
    "references": ("p_correct", "p_point_min", "p_model_answer", "mis_agree"),
    "long_references": FEATURE_ROW,
}
# The sign each signal's coefficient must have (a test checks the fitted artefact): more
# P(correct) against the request's texts, or contradicting a misconception, means more likely
# correct; agreeing with a misconception, less.
EXPECTED_SIGN = {
    "p_correct": 1,
    "p_correct_item": 1,
    "p_model_answer": 1,
    "p_point_min": 1,
    "mis_agree": -1,
    "mis_contradicts": 1,
}
# Candidates compared by `calibrate_marker --cross-validate` (the table in docs/marking.md).
_SCHEME = ("p_correct_item", "p_model_answer", "p_point_min")
_REFERENCES = ("p_correct", "p_point_min", "p_model_answer")
CANDIDATES: dict[str, tuple[tuple[str, ...], ...]] = {
    "scheme": (
        _SCHEME,
        (*_SCHEME, "log_points"),
        (*_SCHEME, "mis_contradicts"),
        FEATURE_ROW,
        (*FEATURE_ROW, *_SCHEME, "mis_contradicts"),
    ),
    "scheme_no_model_answer": (
        ("p_correct_item", "p_point_min"),
        ("p_correct_item", "p_point_min", "mis_contradicts"),
        FEATURE_ROW,
    ),
    "references": (
        ("p_correct",),
        ("p_correct", "p_point_min"),
        _REFERENCES,
        (*_REFERENCES, "log_points"),
        (*_REFERENCES, "mis_agree"),
        (*_REFERENCES, "mis_contradicts"),
        (*_REFERENCES, "log_points", "mis_agree"),
        (*_REFERENCES, "mis_agree", "mis_contradicts"),
    ),
    "long_references": (
        ("p_correct",),
        FEATURE_ROW,
        (*FEATURE_ROW, "p_correct"),
    ),
}
# Regularisation of the logistic models: scikit-learn's default for a few signals (not tuned);
# strong for the feature row (39 inputs, 2,825 to 6,353 rows with the padded copies since 2.5.0),
# chosen among 0.01 and 0.1 by leave-one-author-out and padding (docs/marking.md).
C = 1.0
C_FEATURE_ROW = 0.01


def regularisation(features: tuple[str, ...]) -> float:
    """Return the C a model over these inputs is fitted with."""
    return C_FEATURE_ROW if any(f.startswith("f_") for f in features) else C


# An answer is correct when the model's probability reaches this (the models are fitted with
# balanced class weights, so one half is the natural cut; not tuned).
DECISION_PROBABILITY = 0.5
LOGIT_CLIP = 1e-4


def logit(p: float) -> float:
    """Return log(p / (1 - p)), p clipped to [1e-4, 1 - 1e-4] so the logit stays finite."""
    p = min(1.0 - LOGIT_CLIP, max(LOGIT_CLIP, p))
    return math.log(p / (1.0 - p))


@dataclass(frozen=True)
class PathModel:
    """One path's standardised logistic model, as plain numbers."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, signals: dict[str, float]) -> float:
        """Return the model's probability that the answer is correct; a signal the request
        cannot give (the misconception signals of an item without misconceptions) is held at
        its development mean."""
        z = self.intercept
        for name, mean, scale, coef in zip(
            self.features, self.mean, self.scale, self.coef, strict=True
        ):
            z += coef * (signals.get(name, mean) - mean) / scale
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Calibration:
    """The written-item decision for each path."""

    models: dict[str, PathModel]
    decision_probability: float = DECISION_PROBABILITY

    def probability(self, path: str, signals: dict[str, float]) -> float:
        return self.models[path].probability(signals)


def neutral() -> Calibration:
    """Return a calibration that decides nothing useful (every probability one half): for
    computing signals without the artefact, e.g. when fitting a new one."""
    models = {
        path: PathModel(
            features=FEATURES[path],
            mean=(0.0,) * len(FEATURES[path]),
            scale=(1.0,) * len(FEATURES[path]),
            coef=(0.0,) * len(FEATURES[path]),
            intercept=0.0,
        )
        for path in PATHS
    }
    return Calibration(models=models)


def load_calibration(path: Path = CALIBRATION_PATH) -> Calibration:
    """Read the committed calibration artefact."""
    data = json.loads(path.read_text(encoding="utf-8"))
    models = {
        name: PathModel(
            features=tuple(m["features"]),
            mean=tuple(m["mean"]),
            scale=tuple(m["scale"]),
            coef=tuple(m["coef"]),
            intercept=float(m["intercept"]),
        )
        for name, m in data["models"].items()
    }
    return Calibration(models=models, decision_probability=float(data["decision_probability"]))


@dataclass(frozen=True)
class Row:
    """One development answer: its path, question, gold 2-way label and the engine's signals."""

    path: str
    question_id: str
    correct: bool
    signals: dict[str, float]
    # Which development set (and how it was marked) the row comes from, for the tables.
    source: str = ""
    # The development answer it is (from its set), and whether it is the answer as written (""),
    # a copy padded with PADDING ("fitted": fitted on, never scored) or with PADDING_CHECK
    # ("check": never fitted on; measures what padding does).
    answer_id: str = ""
    padding: str = ""

    @property
    def author(self) -> str:
        """Return the development set the row comes from (one author each)."""
        return self.source.split(" ", 1)[0]


def fit_path(rows: Sequence[Row], features: tuple[str, ...]) -> PathModel:
    """Fit one path's standardised, class-balanced logistic regression (never on the copies
    padded to check padding)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rows = [r for r in rows if r.padding != "check"]

    x = np.asarray([[r.signals[f] for f in features] for r in rows], dtype=np.float64)
    y = np.asarray([r.correct for r in rows])
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=regularisation(features), class_weight="balanced", max_iter=5000)
    model.fit(scaler.transform(x), y)
    return PathModel(
        features=features,
        mean=tuple(float(v) for v in scaler.mean_),
        scale=tuple(float(v) for v in scaler.scale_),
        coef=tuple(float(v) for v in model.coef_[0]),
        intercept=float(model.intercept_[0]),
    )


def leave_one_question_out(rows: Sequence[Row], features: tuple[str, ...]) -> list[bool]:
    """Return each row's decision by a model fitted without any answer to its question."""
    return _leave_one_out(rows, features, lambda row: row.question_id)


def leave_one_author_out(rows: Sequence[Row], features: tuple[str, ...]) -> list[bool]:
    """Return each row's decision by a model fitted without any answer of its author's set:
    how the decision transfers to another author's questions and answers."""
    return _leave_one_out(rows, features, lambda row: row.author)


def _leave_one_out(
    rows: Sequence[Row], features: tuple[str, ...], group: Callable[[Row], str]
) -> list[bool]:
    # One fit per held-out group, not per row: every answer in a group shares its model.
    models = {
        held_out: fit_path([r for r in rows if group(r) != held_out], features)
        for held_out in dict.fromkeys(group(r) for r in rows)
    }
    return [models[group(row)].probability(row.signals) >= DECISION_PROBABILITY for row in rows]


def macro_f1_2way(gold: Iterable[bool], predicted: Iterable[bool]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(list(gold), list(predicted), average="macro"))


def fit(rows: Sequence[Row]) -> Calibration:
    """Fit every path's model on all of that path's rows."""
    models = {}
    for path in PATHS:
        models[path] = fit_path(rows_of(rows, path), FEATURES[path])
    return Calibration(models=models)


def rows_of(rows: Sequence[Row], path: str) -> list[Row]:
    """Return the development rows a path's model is fitted and cross-validated on (padded
    copies only for the paths that read the feature row)."""
    padding = any(f.startswith("f_") for f in FEATURES[path])
    return [r for r in rows if r.path in FITTED_ON_ROWS_OF[path] and (padding or not r.padding)]


def reads_like_model_answer(references: Sequence[str]) -> bool:
    """Return whether an item without marking points compares answers with a written model
    answer (a reference of LONG_REFERENCE_WORDS words or more), not a one-line key."""
    return any(len(reference.split()) >= LONG_REFERENCE_WORDS for reference in references)


def path_of(*, has_references: bool, has_model_answer: bool) -> str:
    """Return the path that decides an answer to an item with marking points."""
    if has_references:
        return "references"
    return "scheme" if has_model_answer else "scheme_no_model_answer"


def save(
    calibration: Calibration,
    *,
    scores: dict[str, float],
    author_scores: dict[str, float],
    n: dict[str, int],
) -> None:
    """Write the artefact with what it was fitted on (SHA-256 of the sets and the classifier)."""
    data: dict[str, Any] = {
        "decision_probability": calibration.decision_probability,
        "c": {name: regularisation(m.features) for name, m in calibration.models.items()},
        "models": {
            name: {
                "features": list(m.features),
                "mean": list(m.mean),
                "scale": list(m.scale),
                "coef": list(m.coef),
                "intercept": m.intercept,
            }
            for name, m in calibration.models.items()
        },
        "fitted_on": {name: _sha256(EVAL_DIR / name) for name in DEVELOPMENT_FILES},
        "n_answers": n,
        "classifier_sha256": _sha256(CLASSIFIER_PATH),
        "leave_one_question_out_macro_f1_2way": scores,
        "leave_one_author_out_macro_f1_2way": author_scores,
    }
    CALIBRATION_PATH.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
