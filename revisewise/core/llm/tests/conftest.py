from __future__ import annotations

from collections.abc import Iterator

import pytest

from revisewise.core.llm.tests.server import LlmServer

API_KEY = "sk-loopback-secret-0123456789"


@pytest.fixture
def llm_server(settings) -> Iterator[LlmServer]:
    """A loopback OpenAI-compatible server, with the LLM settings pointing at it."""
    with LlmServer(api_key=API_KEY) as server:
        settings.LLM_BASE_URL = server.base_url
        settings.LLM_MODEL = "loopback-model"
        settings.LLM_API_KEY = API_KEY
        # Generous: a reply on loopback is quick, but a loaded CI machine has stalled one for
        # over a second. Tests of the timeout set their own, shorter, limit or a longer delay.
        settings.LLM_TIMEOUT_SECONDS = 3.0
        settings.LLM_MAX_RETRIES = 1
        settings.LLM_DAILY_TOKENS_PER_USER = 10_000
        settings.LLM_DAILY_TOKENS_GLOBAL = 100_000
        yield server
