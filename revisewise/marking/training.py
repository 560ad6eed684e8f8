"""Build the feature table from the ASAG data, cross-validate classifiers, fit and save one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from revisewise.marking import features
from revisewise.marking.model import CLASSIFIER_PATH, MANIFEST_PATH, Embedder
from revisewise.marking.types import Misconception

if TYPE_CHECKING:
    from numpy.typing import NDArray

DEFAULT_DATA_DIR = Path("/work/shared/data/asag")
TRAINING_FILES = ("scientsbank/train.jsonl", "beetle/train.jsonl")
LABELS_3WAY = ("correct", "contradictory", "incorrect")
SEED = 20130614
# Chosen by grouped cross-validation (docs/marking.md): "correct" when P(correct) reaches this,
# which suits macro-F1 better than the arg-max over the three classes.
CORRECT_THRESHOLD = 0.375
# Question-level features the gradient-boosting member does not see: trees split on them to fit
# the training questions one by one (unseen-question estimates fell with them); the regression
# member uses them only to rescale the answer features (grouped cross-validation, docs/marking.md).
BOOSTING_EXCLUDED = frozenset(
    {"ref_len_log", "ref_dem_len_log", "question_len_log", "ref_dem_share"}
)


@dataclass(frozen=True)
class Example:
    dataset: str
    question_id: str
    module: str
    question: str
    references: tuple[str, ...]
    answer: str
    label_3way: str | None
    label_2way: str | None
    # Product-shaped rows (revisewise/marking/eval/) also carry what a written item carries.
    marking_points: tuple[str, ...] = ()
    model_answer: str | None = None
    misconceptions: tuple[Misconception, ...] = ()
    given_references: tuple[str, ...] = ()
    split: str = ""
    # The row's "answer_id" (or "id"), else "line N" (from 1): names the answer in predictions.
    answer_id: str = ""


def read_jsonl(path: Path) -> list[Example]:
    """Read answers in the shared ASAG JSONL format; optional fields may be missing."""
    out: list[Example] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            question = str(row.get("question") or "")
            given = tuple(str(r) for r in (row.get("reference_answers") or []) if str(r).strip())
            points = tuple(str(p) for p in row.get("marking_points") or () if str(p).strip())
            misconceptions = tuple(
                Misconception(statement=str(m["statement"]), correction=str(m["correction"]))
                for m in row.get("misconceptions") or ()
            )
            # The same fallback as MarkingRequest.references: references, points, model answer.
            model_answer = str(row.get("model_answer") or "") or None
            refs = given or ((" ".join(points),) if points else ()) or (model_answer or question,)
            out.append(
                Example(
                    dataset=str(row.get("dataset") or path.parent.name),
                    question_id=str(row.get("question_id") or question),
                    module=str(row.get("module") or row.get("dataset") or ""),
                    question=question,
                    references=refs,
                    answer=str(row.get("answer") or ""),
                    label_3way=row.get("label_3way"),
                    label_2way=row.get("label_2way") or _saf_2way(row),
                    marking_points=points,
                    model_answer=model_answer,
                    misconceptions=misconceptions,
                    given_references=given,
                    split=str(row.get("split") or ""),
                    answer_id=str(row.get("answer_id") or row.get("id") or f"line {number}"),
                )
            )
    return out


def _saf_2way(row: dict[str, Any]) -> str | None:
    """Map SAF's label to 2-way: only "Correct" is correct; "Partially correct" is not."""
    label = row.get("label")
    if not isinstance(label, str):
        return None
    return "correct" if label.strip().lower() == "correct" else "incorrect"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def feature_table(examples: list[Example], embedder: Embedder) -> NDArray[np.float64]:
    """Return one full feature row (ALL_FEATURES) per example.

    Each distinct text is encoded once, in length-sorted batches; the encodings of one question's
    texts are dropped once its answers are done, so memory stays small.
    """
    embedder.cache_limit = max(embedder.cache_limit, 4_096)
    by_question: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        by_question.setdefault(ex.question_id + "\x00" + ex.question, []).append(i)
    rows: list[NDArray[np.float64] | None] = [None] * len(examples)
    for indices in by_question.values():
        texts: list[str] = []
        for i in indices:
            ex = examples[i]
            texts.extend(features.texts_to_embed(ex.question, ex.references, ex.answer))
        embedder.encode(texts)
        for i in indices:
            ex = examples[i]
            rows[i] = features.extract(ex.question, ex.references, ex.answer, embedder)
    return np.stack([r for r in rows if r is not None])


def select(x: NDArray[np.float64], names: tuple[str, ...]) -> NDArray[np.float64]:
    """Return the columns of a full feature table that a classifier uses, in its order."""
    return x[:, [features.ALL_FEATURES.index(n) for n in names]]


def make_classifier(kind: str, names: tuple[str, ...] = features.CLASSIFIER_FEATURES) -> Any:
    """Return an unfitted classifier of the named kind, seeded and single-threaded.

    `names` are the columns it will be given, in order (the boosting member drops some of them).
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if kind == "logreg":
        return make_pipeline(
            StandardScaler(),
            LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000, random_state=SEED),
        )
    if kind == "ensemble":
        from sklearn.ensemble import VotingClassifier

        members = [("logreg", make_classifier("logreg")), ("hgb", make_classifier("hgb", names))]
        return VotingClassifier(members, voting="soft", n_jobs=1)
    if kind == "hgb":
        keep = [i for i, name in enumerate(names) if name not in BOOSTING_EXCLUDED]
        return make_pipeline(
            ColumnTransformer([("kept", "passthrough", keep)]), make_classifier("boosting")
        )
    if kind == "boosting":
        # 100 rounds (300 trees over three classes): 200 did no better on unseen data and
        # cost twice the prediction time.
        return HistGradientBoostingClassifier(
            max_iter=100,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=40,
            l2_regularization=1.0,
            class_weight="balanced",
            random_state=SEED,
        )
    raise ValueError(f"unknown classifier {kind!r}")


def grouped_cv(
    x: NDArray[np.float64], y: NDArray[np.str_], groups: NDArray[np.str_], kind: str, folds: int
) -> NDArray[np.float64]:
    """Return out-of-fold class probabilities (columns ordered as LABELS_3WAY)."""
    from sklearn.model_selection import GroupKFold

    proba = np.zeros((len(y), len(LABELS_3WAY)))
    n = min(folds, len(set(groups)))
    for train, test in GroupKFold(n_splits=n).split(x, y, groups):
        model = make_classifier(kind).fit(x[train], y[train])
        proba[test] = _ordered(model, model.predict_proba(x[test]))
    return proba


def _ordered(model: Any, proba: NDArray[np.float64]) -> NDArray[np.float64]:
    classes = list(model.classes_)
    out = np.zeros((proba.shape[0], len(LABELS_3WAY)))
    for i, label in enumerate(LABELS_3WAY):
        if label in classes:
            out[:, i] = proba[:, classes.index(label)]
    return out


def train_and_save(
    *, data_dir: Path = DEFAULT_DATA_DIR, kind: str = "ensemble", engine_version: str
) -> dict[str, Any]:
    """Fit the classifier on all training files and write the artefact and its manifest.

    BLAS and OpenMP run on one thread here (torch already does): sums taken in another order by
    more threads change the last bits of the features and of the fit, and the artefact must be
    byte-for-byte the same on any machine.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _train_and_save(data_dir=data_dir, kind=kind, engine_version=engine_version)


def _train_and_save(*, data_dir: Path, kind: str, engine_version: str) -> dict[str, Any]:
    import joblib

    paths = [data_dir / name for name in TRAINING_FILES]
    examples = [ex for path in paths for ex in read_jsonl(path)]
    embedder = Embedder()
    x = select(feature_table(examples, embedder), features.CLASSIFIER_FEATURES)
    y = np.asarray([ex.label_3way for ex in examples])
    model = make_classifier(kind).fit(x, y)
    joblib.dump(model, CLASSIFIER_PATH, compress=3)
    manifest = {
        "engine_version": engine_version,
        "classifier": kind,
        "seed": SEED,
        "correct_threshold": CORRECT_THRESHOLD,
        "features": list(features.CLASSIFIER_FEATURES),
        "classifier_sha256": file_sha256(CLASSIFIER_PATH),
        "training_files": {str(p.relative_to(data_dir)): file_sha256(p) for p in paths},
        "n_examples": len(examples),
        "embedding_model": Path(embedder.model_name).name,
    }
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class CvScores:
    """Grouped cross-validation macro-F1 (3-way, 2-way) for the three unseen-data estimates."""

    scientsbank_by_question: tuple[float, float]
    beetle_by_question: tuple[float, float]
    scientsbank_by_module: tuple[float, float]


def decide(proba: NDArray[np.float64], threshold: float) -> NDArray[np.str_]:
    """Apply the engine's rule: correct when P(correct) >= threshold, else the likelier other."""
    other = np.where(proba[:, 1] > proba[:, 2], "contradictory", "incorrect")
    return np.where(proba[:, 0] >= threshold, "correct", other)


def _f1s(gold: NDArray[np.str_], predicted: NDArray[np.str_]) -> tuple[float, float]:
    from sklearn.metrics import f1_score

    gold2 = np.where(gold == "correct", "correct", "incorrect")
    pred2 = np.where(predicted == "correct", "correct", "incorrect")
    return (
        round(float(f1_score(gold, predicted, average="macro")), 4),
        round(float(f1_score(gold2, pred2, average="macro")), 4),
    )


def out_of_fold(
    x: NDArray[np.float64], examples: list[Example], kind: str, folds: int = 5
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return out-of-fold probabilities grouped by question, and by SciEntsBank module."""
    y = np.asarray([ex.label_3way for ex in examples])
    groups = np.asarray([ex.question_id for ex in examples])
    by_question = grouped_cv(x, y, groups, kind, folds)
    by_module = np.zeros_like(by_question)
    modules = np.asarray([ex.module if ex.dataset == "scientsbank" else "" for ex in examples])
    for module in sorted(set(modules) - {""}):
        test = modules == module
        model = make_classifier(kind).fit(x[~test], y[~test])
        by_module[test] = _ordered(model, model.predict_proba(x[test]))
    return by_question, by_module


def cv_scores(
    by_question: NDArray[np.float64],
    by_module: NDArray[np.float64],
    examples: list[Example],
    threshold: float,
) -> CvScores:
    y = np.asarray([ex.label_3way for ex in examples])
    seb = np.asarray([ex.dataset == "scientsbank" for ex in examples])
    q_pred, m_pred = decide(by_question, threshold), decide(by_module, threshold)
    return CvScores(
        scientsbank_by_question=_f1s(y[seb], q_pred[seb]),
        beetle_by_question=_f1s(y[~seb], q_pred[~seb]),
        scientsbank_by_module=_f1s(y[seb], m_pred[seb]),
    )


def cross_validate(
    *, data_dir: Path = DEFAULT_DATA_DIR, kind: str = "ensemble", thresholds: tuple[float, ...]
) -> dict[float, CvScores]:
    """Return grouped cross-validation estimates (docs/marking.md) for each threshold."""
    examples = [ex for name in TRAINING_FILES for ex in read_jsonl(data_dir / name)]
    x = select(feature_table(examples, Embedder()), features.CLASSIFIER_FEATURES)
    by_question, by_module = out_of_fold(x, examples, kind)
    return {th: cv_scores(by_question, by_module, examples, th) for th in thresholds}
