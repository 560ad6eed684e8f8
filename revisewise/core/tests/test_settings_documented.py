from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
READ = re.compile(r"env_(?:str|bool|int|float|list)\(\s*\"([A-Z][A-Z0-9_]+)\"")


def _variables_read() -> set[str]:
    return set(READ.findall((ROOT / "config" / "settings.py").read_text()))


def test_it_lists_every_setting_in_env_example():
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert _variables_read()
    assert _variables_read() - listed == set()
    assert listed - _variables_read() == set()


def test_it_documents_every_setting_in_docs():
    documented = set(
        re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", (ROOT / "docs" / "settings.md").read_text(), re.M)
    )
    assert _variables_read() - documented == set()
    assert documented - _variables_read() == set()
