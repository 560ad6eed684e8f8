"""`manage.py warm_marker --prune`: the encoding cache keeps only the current generation's files."""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from revisewise.marking.engine import get_engine
from revisewise.marking.model import GENERATION_CHARS, STALE_TEMPORARY_SECONDS, encodings_prune

CURRENT = "a" * GENERATION_CHARS
OTHER = "b" * GENERATION_CHARS


def _file(path: Path, size: int, *, age: float = 0.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x01" * size)
    if age:
        stamp = time.time() - age
        os.utime(path, (stamp, stamp))
    return path


def _name(digit: str) -> str:
    return digit * 64 + ".npz"


@pytest.fixture
def cache(tmp_path: Path) -> dict[str, list[Path]]:
    """A cache directory holding the current generation, another one, the layout before
    generations, temporary files, and things that are not the cache's at all."""
    root = tmp_path / "encodings"
    stale = STALE_TEMPORARY_SECONDS + 60
    outside = _file(tmp_path / "elsewhere" / "0f" / _name("0"), 7)
    return {
        "kept": [
            _file(root / CURRENT / "3c" / _name("3"), 100),
            _file(root / CURRENT / "4d" / _name("4"), 200),
            _file(root / CURRENT / "4d" / ".fresh123.tmp", 5),  # a write in progress
        ],
        "pruned": [
            _file(root / OTHER / "3c" / _name("3"), 300),
            _file(root / OTHER / "5e" / ".killed12.tmp", 11, age=stale),
            _file(root / "3c" / _name("3"), 400),  # the layout before generations
            _file(root / CURRENT / "4d" / ".killed34.tmp", 13, age=stale),
        ],
        "foreign": [
            _file(root / "notes.txt", 17),
            _file(root / "3c" / "notes.txt", 19),
            _file(root / "backup" / "3c" / _name("3"), 23),
            _file(root / OTHER / "3c" / "keep.me", 29),
            outside,
        ],
        "root": [root],
        "link": [_link(root / "0f", outside.parent)],
    }


def _link(path: Path, target: Path) -> Path:
    path.symlink_to(target, target_is_directory=True)
    return path


def test_it_deletes_only_other_generations_and_stale_temporary_files(cache):
    root = cache["root"][0]
    result = encodings_prune(root, keep=CURRENT)
    assert (result.files, result.bytes) == (4, 300 + 11 + 400 + 13)
    assert (result.kept_files, result.kept_bytes) == (3, 100 + 200 + 5)
    assert result.errors == 0
    assert all(p.is_file() for p in cache["kept"] + cache["foreign"])
    assert not any(p.exists() for p in cache["pruned"])
    assert cache["link"][0].is_symlink()
    # Emptied directories go; one still holding something foreign stays.
    assert not (root / OTHER / "5e").exists()
    assert (root / OTHER / "3c").is_dir()
    assert (root / "3c").is_dir()

    again = encodings_prune(root, keep=CURRENT)
    assert (again.files, again.bytes, again.kept_files) == (0, 0, 3)


def test_a_dry_run_deletes_nothing_and_reports_the_same(cache):
    root = cache["root"][0]
    dry = encodings_prune(root, keep=CURRENT, dry_run=True)
    assert all(p.is_file() for p in cache["kept"] + cache["pruned"] + cache["foreign"])
    real = encodings_prune(root, keep=CURRENT)
    assert (dry.files, dry.bytes, dry.kept_files, dry.kept_bytes) == (
        real.files,
        real.bytes,
        real.kept_files,
        real.kept_bytes,
    )
    assert (dry.dry_run, real.dry_run) == (True, False)


def test_a_missing_directory_is_nothing_to_prune(tmp_path):
    result = encodings_prune(tmp_path / "never-made", keep=CURRENT)
    assert (result.files, result.kept_files) == (0, 0)


@pytest.mark.django_db
def test_the_command_warms_then_prunes_the_other_fingerprints(settings, tmp_path, written_item):
    directory = tmp_path / "warm"
    settings.MARKING_ENCODING_CACHE_DIR = str(directory)
    embedder = get_engine().embedder
    embedder.cache.clear()
    call_command("warm_marker", stdout=io.StringIO())
    current = sorted(directory.rglob("*.npz"))
    assert current
    generation = embedder.cache_generation
    assert {p.relative_to(directory).parts[0] for p in current} == {generation}
    # What an older torch or model left: a whole generation nobody reads any more.
    planted = directory / OTHER / current[0].parent.name / current[0].name
    planted.parent.mkdir(parents=True)
    shutil.copyfile(current[0], planted)

    out = io.StringIO()
    call_command("warm_marker", "--prune", "--dry-run", "--json", stdout=out)
    dry = json.loads(out.getvalue())
    assert "encoded" not in dry  # a dry run warms nothing
    assert (dry["prune"]["files"], dry["prune"]["bytes"]) == (1, planted.stat().st_size)
    assert planted.is_file()

    out = io.StringIO()
    call_command("warm_marker", "--prune", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["encoded"] == 0
    assert report["prune"]["generation"] == generation
    assert (report["prune"]["files"], report["prune"]["kept_files"]) == (1, len(current))
    assert report["prune"]["kept_bytes"] == sum(p.stat().st_size for p in current)
    assert not (directory / OTHER).exists()
    assert sorted(directory.rglob("*.npz")) == current

    out = io.StringIO()
    call_command("warm_marker", "--prune", stdout=out)
    assert "Deleted 0 file(s) of other fingerprints (0 bytes); kept" in out.getvalue()


@pytest.mark.django_db
def test_the_command_says_when_there_is_no_cache_to_prune(settings):
    settings.MARKING_ENCODING_CACHE_DIR = ""
    out = io.StringIO()
    call_command("warm_marker", "--prune", stdout=out)
    assert "nothing to prune" in out.getvalue()
    out = io.StringIO()
    call_command("warm_marker", "--prune", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["enabled"], report["prune"]) == (False, None)


def test_a_dry_run_needs_prune():
    with pytest.raises(CommandError, match="--prune"):
        call_command("warm_marker", "--dry-run", stdout=io.StringIO())
