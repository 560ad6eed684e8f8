from __future__ import annotations

import pytest

from revisewise.tutor import dense
from revisewise.tutor.services import tutor_index_refresh
from revisewise.tutor.tests.factories import Corpus, corpus_create


@pytest.fixture(scope="session")
def embedding_model() -> None:
    """Load the real sentence-embedding model once for the whole session."""
    dense.embed(["warm up"])


@pytest.fixture
def corpus(db: None, embedding_model: None) -> Corpus:
    built = corpus_create()
    tutor_index_refresh()
    return built


# The loopback OpenAI-compatible server, with the LLM settings pointing at it.
from revisewise.core.llm.tests.conftest import llm_server  # noqa: E402, F401
