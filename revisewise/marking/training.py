"""Build the feature table from the ASAG data, cross-validate classifiers, fit and save one."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from revisewise.marking import features
from revisewise.marking.model import CLASSIFIER_PATH, MANIFEST_PATH, Embedder

if TYPE_CHECKING:
    from numpy.typing import NDArray

DEFAULT_DATA_DIR = Path("/work/shared/data/asag")
TRAINING_FILES = ("scientsbank/train.jsonl", "beetle/train.jsonl")
LABELS_3WAY = ("correct", "contradictory", "incorrect")
SEED = 20130614
# Chosen by grouped cross-validation (docs/marking.md): "correct" when P(correct) reaches this,
# which suits macro-F1 better than the arg-max over the three classes.
CORRECT_THRESHOLD = 0.4
CACHE_DIR = Path(os.environ.get("MARKING_CACHE_DIR", "/tmp/revisewise-marking-cache"))


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


def read_jsonl(path: Path) -> list[Example]:
    """Read answers in the shared ASAG JSONL format; optional fields may be missing."""
    out: list[Example] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            question = str(row.get("question") or "")
            refs = tuple(str(r) for r in (row.get("reference_answers") or []) if str(r).strip())
            refs = refs or tuple(str(p) for p in row.get("marking_points") or ()) or (question,)
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
    """Return one feature row per example, reusing an embedding cache kept outside the repo."""
    cache_file = CACHE_DIR / (hashlib.sha1(embedder.model_name.encode()).hexdigest() + ".pkl")
    if cache_file.exists():
        embedder.cache.update(pickle.loads(cache_file.read_bytes()))
    texts: list[str] = []
    for ex in examples:
        texts.extend(features.texts_to_embed(ex.question, ex.references, ex.answer))
    embedder.prefetch(texts)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cache_file.write_bytes(pickle.dumps(dict(embedder.cache)))
    return np.stack(
        [features.extract(ex.question, ex.references, ex.answer, embedder) for ex in examples]
    )


def make_classifier(kind: str) -> Any:
    """Return an unfitted classifier of the named kind, seeded and single-threaded."""
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

        members = [("logreg", make_classifier("logreg")), ("hgb", make_classifier("hgb"))]
        return VotingClassifier(members, voting="soft", n_jobs=1)
    if kind == "hgb":
        return HistGradientBoostingClassifier(
            max_iter=200,
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
    """Fit the classifier on all training files and write the artefact and its manifest."""
    import joblib

    paths = [data_dir / name for name in TRAINING_FILES]
    examples = [ex for path in paths for ex in read_jsonl(path)]
    embedder = Embedder()
    x = feature_table(examples, embedder)
    y = np.asarray([ex.label_3way for ex in examples])
    model = make_classifier(kind).fit(x, y)
    joblib.dump(model, CLASSIFIER_PATH, compress=3)
    manifest = {
        "engine_version": engine_version,
        "classifier": kind,
        "seed": SEED,
        "correct_threshold": CORRECT_THRESHOLD,
        "features": list(features.FEATURE_NAMES),
        "training_files": {str(p.relative_to(data_dir)): file_sha256(p) for p in paths},
        "n_examples": len(examples),
        "embedding_model": Path(embedder.model_name).name,
    }
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
