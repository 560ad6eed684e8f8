"""The persistent encoding cache: item texts on disk for every process, answers never."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from revisewise.marking import model as model_module
from revisewise.marking.engine import MarkingEngine, get_engine
from revisewise.marking.evaluation import evaluate_dataset, request_for
from revisewise.marking.model import Embedder, Encoded, default_model_name, model_fingerprint
from revisewise.marking.services import marking_encodings_warm, marking_request_build
from revisewise.marking.training import read_jsonl

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
POINT = "Apologise for the inconvenience"
OTHER = "Investigate the cause of the delay"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """One real MiniLM embedder for the module (loaded once); each test points it at its own
    directory and empties its memory, so every lookup below starts cold."""
    return Embedder(cache_dir="")


@pytest.fixture
def cold(embedder: Embedder, tmp_path: Path) -> Embedder:
    embedder.cache.clear()
    embedder.cache_dir = tmp_path / "encodings"
    embedder.encode_calls = embedder.texts_encoded = 0
    embedder.disk_hits = embedder.disk_writes = embedder.disk_errors = 0
    return embedder


def _stored(directory: Path) -> dict[str, Path]:
    """Return every stored file by the text it holds."""
    out = {}
    for path in directory.rglob("*.npz"):
        with np.load(path, allow_pickle=False) as data:
            out[str(data["text"])] = path
    return out


def _same(a: Encoded, b: Encoded) -> None:
    assert a.text == b.text
    for name in ("vector", "tokens", "starts", "ends"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.dtype == right.dtype
        assert np.array_equal(left, right), name


def test_a_persistent_text_is_written_once_and_read_back_by_another_process(cold, tmp_path):
    first = cold.encode([POINT], persist=[POINT])[POINT]
    assert cold.disk_writes >= 1
    directory = tmp_path / "encodings"
    assert set(_stored(directory)) == {POINT}

    # A new embedder (a new worker process) finds it on disk without loading the model.
    other = Embedder(cache_dir=directory)
    found = other.encode([POINT], persist=[POINT])[POINT]
    assert (other.disk_hits, other.texts_encoded, other.encode_calls) == (1, 0, 0)
    assert other._model is None
    _same(found, first)


def test_a_text_not_stored_is_a_miss_and_encoded(cold, tmp_path):
    cold.encode([POINT], persist=[POINT])
    other = Embedder(cache_dir=tmp_path / "encodings")
    other._model = cold._load()  # share the loaded weights; the cache is what is under test
    other.encode([POINT, OTHER], persist=[POINT, OTHER])
    assert (other.disk_hits, other.texts_encoded) == (1, 1)
    assert set(_stored(tmp_path / "encodings")) == {POINT, OTHER}


def test_the_fingerprint_follows_the_weights_not_their_timestamps(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    (model / "model.safetensors").write_bytes(b"\x00" * 64)
    first = model_fingerprint(str(model))
    (model / "model.safetensors").touch()
    assert model_fingerprint(str(model)) == first
    (model / "model.safetensors").write_bytes(b"\x00" * 63 + b"\x01")  # same size, new weights
    assert model_fingerprint(str(model)) != first
    assert model_fingerprint("sentence-transformers/all-MiniLM-L6-v2") is None


def test_the_fingerprint_follows_the_versions_of_the_libraries_that_encode(tmp_path, monkeypatch):
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"\x00" * 64)
    installed = model_module.runtime_versions()
    assert set(installed) == {*model_module.FINGERPRINTED_LIBRARIES, "numpy"}
    assert installed["numpy"] == np.__version__.split(".")[0]
    first = model_fingerprint(str(model))
    for name in installed:
        changed = {**installed, name: installed[name] + "1"}
        monkeypatch.setattr(model_module, "runtime_versions", lambda changed=changed: changed)
        assert model_fingerprint(str(model)) != first, name
    monkeypatch.undo()
    assert model_fingerprint(str(model)) == first


def test_an_upgraded_library_misses_what_the_old_version_stored(cold, tmp_path, monkeypatch):
    directory = tmp_path / "encodings"
    first = cold.encode([POINT], persist=[POINT])[POINT]
    upgraded = {**model_module.runtime_versions(), "torch": "99.0.0"}
    monkeypatch.setattr(model_module, "runtime_versions", lambda: upgraded)

    reader = Embedder(cache_dir=directory)
    reader._model = cold._load()
    _same(reader.encode([POINT], persist=[POINT])[POINT], first)  # same weights, same vectors
    assert (reader.disk_hits, reader.disk_errors, reader.texts_encoded) == (0, 0, 1)
    assert reader.cache_generation != cold.cache_generation
    generations = {p.relative_to(directory).parts[0] for p in directory.rglob("*.npz")}
    assert generations == {cold.cache_generation, reader.cache_generation}


def test_a_file_of_the_layout_before_generations_is_ignored(cold, tmp_path):
    directory = tmp_path / "encodings"
    cold.encode([POINT], persist=[POINT])
    path = cold.cache_path(directory, POINT)
    # Where this very file lived before the directory per generation: never read again.
    old = directory / path.parent.name / path.name
    old.parent.mkdir()
    path.rename(old)

    reader = Embedder(cache_dir=directory)
    reader._model = cold._load()
    reader.encode([POINT], persist=[POINT])
    assert (reader.disk_hits, reader.disk_errors, reader.texts_encoded) == (0, 0, 1)
    assert reader.cache_path(directory, POINT).is_file()


def test_a_model_with_changed_weights_misses_what_the_old_one_stored(cold, tmp_path):
    directory = tmp_path / "encodings"
    source = Path(default_model_name())
    changed = tmp_path / "changed-model"
    shutil.copytree(source, changed, symlinks=False)
    weights = changed / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01  # one bit of the last weight: a retrained model with the same name and size
    weights.write_bytes(bytes(data))

    same = Embedder(model_name=str(source), cache_dir=directory)
    same._model = cold._load()
    same.encode([POINT], persist=[POINT])
    assert same.disk_writes == 1

    moved = Embedder(model_name=str(changed), cache_dir=directory)
    assert moved.encode([POINT], persist=[POINT])[POINT].text == POINT
    assert (moved.disk_hits, moved.texts_encoded) == (0, 1)
    assert len(list(directory.rglob("*.npz"))) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "another_text"])
def test_a_corrupt_file_is_ignored_and_rewritten(cold, tmp_path, damage):
    directory = tmp_path / "encodings"
    good = cold.encode([POINT], persist=[POINT])[POINT]
    path = cold.cache_path(directory, POINT)
    if damage == "garbage":
        path.write_bytes(b"not a numpy file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        cold.encode([OTHER], persist=[OTHER])
        shutil.copyfile(cold.cache_path(directory, OTHER), path)

    cold.cache.clear()
    again = cold.encode([POINT], persist=[POINT])[POINT]
    assert cold.disk_errors == 1
    _same(again, good)
    reader = Embedder(cache_dir=directory)
    _same(reader.encode([POINT], persist=[POINT])[POINT], good)
    assert reader.disk_hits == 1


def test_marking_stores_the_items_texts_and_never_the_answer(cold, tmp_path, unit_request):
    engine = MarkingEngine(embedder=cold)
    answer = "I would say sorry to Mrs Patel at 14 Acacia Road and look into why it was late."
    engine.mark(dataclasses.replace(unit_request, answer=answer))
    directory = tmp_path / "encodings"
    stored = _stored(directory)
    assert answer in cold.cache  # kept in memory for this process only
    assert answer not in stored
    assert set(stored) == set(engine.item_texts(unit_request)) - {""}
    for path in directory.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert "Acacia".encode("utf-32-le") not in raw
            assert b"Acacia" not in raw


def test_a_failed_write_leaves_no_partial_file_and_marking_goes_on(cold, tmp_path, monkeypatch):
    directory = tmp_path / "encodings"

    def half_then_full_disk(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(model_module.np, "savez", half_then_full_disk)
    encoded = cold.encode([POINT], persist=[POINT])[POINT]
    assert encoded.text == POINT  # the learner still gets a mark
    monkeypatch.undo()
    assert not cold.cache_path(directory, POINT).exists()
    assert [p for p in directory.rglob("*") if p.is_file()] == []  # no temporary file left

    # Written by a temporary file and a rename: only whole files ever have the final name.
    cold.cache.clear()
    cold.encode([POINT], persist=[POINT])
    files = [p for p in directory.rglob("*") if p.is_file()]
    assert files == [cold.cache_path(directory, POINT)]


@pytest.mark.django_db
def test_the_empty_setting_turns_the_files_off(cold, settings, tmp_path):
    embedder = cold
    embedder.cache_dir = None  # read the setting, as the product's engine does
    settings.MARKING_ENCODING_CACHE_DIR = ""
    embedder.encode([POINT], persist=[POINT])
    assert embedder.cache_directory() is None
    assert embedder.disk_writes == 0
    assert not list(tmp_path.rglob("*.npz"))

    settings.MARKING_ENCODING_CACHE_DIR = str(tmp_path / "on")
    embedder.cache.clear()
    embedder.encode([POINT], persist=[POINT])
    assert set(_stored(tmp_path / "on")) == {POINT}
    assert marking_encodings_warm().enabled
    settings.MARKING_ENCODING_CACHE_DIR = ""
    assert not marking_encodings_warm().enabled


@pytest.mark.django_db
def test_the_warm_service_covers_every_written_item_once(settings, tmp_path, written_item):
    from revisewise.practice.models import ItemStatus, ItemType
    from revisewise.practice.tests.factories import ItemFactory, items_of_every_type

    directory = tmp_path / "warm"
    settings.MARKING_ENCODING_CACHE_DIR = str(directory)
    every = items_of_every_type(unit=written_item.unit)
    retired = ItemFactory.create(
        unit=written_item.unit,
        item_type=ItemType.WRITTEN,
        status=ItemStatus.RETIRED,
        stem="A retired question nobody answers any more?",
        payload={"marking_points": ["A retired point."]},
    )
    engine = get_engine()
    engine.embedder.cache.clear()

    result = marking_encodings_warm()
    written = [written_item, every[ItemType.WRITTEN]]
    assert (result.enabled, result.items) == (True, 2)
    stored = _stored(directory)
    for item in written:
        texts = engine.item_texts(marking_request_build(item=item, answer=""))
        assert texts
        assert set(texts) <= set(stored)
    assert retired.stem not in stored
    assert every[ItemType.MCQ_SINGLE].stem not in stored
    assert result.encoded == len(stored)

    engine.embedder.cache.clear()  # a restarted worker: everything comes from the files
    again = marking_encodings_warm()
    assert (again.items, again.texts, again.encoded) == (2, result.texts, 0)

    out = io.StringIO()
    call_command("warm_marker", "--json", stdout=out)
    assert json.loads(out.getvalue())["encoded"] == 0


def test_labels_and_scores_are_identical_with_and_without_the_cache(embedder, tmp_path):
    rows = read_jsonl(EVAL_DIR / "customer_service.jsonl")
    by_question: dict[str, list] = {}
    for row in rows:
        by_question.setdefault(row.question, []).append(row)
    picked = [r for group in list(by_question.values())[:3] for r in group[:2]]
    requests = [request_for(r) for r in picked]

    def mark_all(cache_dir: Path | str) -> list:
        embedder.cache.clear()
        embedder.cache_dir = cache_dir
        engine = MarkingEngine(embedder=embedder)
        return [engine.mark(r) for r in requests]

    cold = mark_all("")
    directory = tmp_path / "encodings"
    embedder.cache.clear()
    embedder.cache_dir = directory
    warmer = MarkingEngine(embedder=embedder)
    for request in requests:
        warmer.warm_item(request)
    hits = embedder.disk_hits
    warm = mark_all(directory)
    assert embedder.disk_hits > hits  # the item texts came from the files
    for a, b in zip(cold, warm, strict=True):
        assert (a.label, a.score, a.probabilities, a.signals) == (
            b.label,
            b.score,
            b.probabilities,
            b.signals,
        )
        assert [v.verdict for v in a.point_verdicts] == [v.verdict for v in b.point_verdicts]


@pytest.mark.django_db
def test_evaluate_dataset_measures_cold_unless_asked(engine, settings, tmp_path):
    path = tmp_path / "two.jsonl"
    source = (EVAL_DIR / "customer_service.jsonl").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(source[:2]) + "\n", encoding="utf-8")
    settings.MARKING_ENCODING_CACHE_DIR = str(tmp_path / "encodings")
    engine.embedder.cache.clear()
    assert evaluate_dataset(path, engine=engine).encoding_cache == "off"
    assert not (tmp_path / "encodings").exists()
    engine.embedder.cache.clear()
    assert evaluate_dataset(path, engine=engine, warm_cache=True).encoding_cache == "on"
    assert list((tmp_path / "encodings").rglob("*.npz"))
    assert engine.embedder.cache_dir is None  # restored: the product reads the setting again


@pytest.mark.django_db
def test_generating_items_warms_their_texts(settings, tmp_path, django_capture_on_commit_callbacks):
    from revisewise.practice.models import Item, ItemType
    from revisewise.practice.tests.factories import performance_unit

    directory = tmp_path / "generated"
    settings.MARKING_ENCODING_CACHE_DIR = str(directory)
    performance_unit()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_items", stdout=io.StringIO())  # the task runs inline in tests
    written = list(Item.objects.filter(item_type=ItemType.WRITTEN))
    assert written
    stored = _stored(directory)
    for item in written:
        request = marking_request_build(item=item, answer="")
        assert set(get_engine().item_texts(request)) <= set(stored)


@pytest.mark.django_db
def test_warming_rewrites_files_deleted_under_a_running_process(settings, tmp_path, written_item):
    directory = tmp_path / "deleted"
    settings.MARKING_ENCODING_CACHE_DIR = str(directory)
    marking_encodings_warm()  # the texts are now in this process's memory and on disk
    before = set(_stored(directory))
    shutil.rmtree(directory)
    result = marking_encodings_warm()
    assert result.encoded == 0  # from memory, no encoder pass
    assert set(_stored(directory)) == before
