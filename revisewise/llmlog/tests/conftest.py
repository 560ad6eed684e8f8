from __future__ import annotations

from revisewise.core.llm.tests.conftest import llm_server

__all__ = ["llm_server"]
