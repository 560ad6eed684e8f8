"""The LLM layer and the tutor against a real model: Gemma 3 270M served by llama.cpp's server.

The loopback server in revisewise/core/llm/tests scripts the model's replies; here a real model
writes them, through llama.cpp's own OpenAI-compatible HTTP server on 127.0.0.1 (set up by
scripts/llm_real.sh, which `make test` runs; docs/llm.md says why this model and runtime). A
270M model's answers are erratic, so these tests assert the protocol and the code's guarantees,
never the wording: whatever the model says, the learner gets either points whose quotes really
appear in the passages they cite, or the offline answer with a notice saying why, and every call
is logged with the server's token counts.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from revisewise.core.llm.client import llm_complete
from revisewise.core.llm.sanitise import clean
from revisewise.core.llm.schemas import Message, failure_cause
from revisewise.llmlog.models import LlmCall, LlmOutcomeCode
from revisewise.tutor.answer import LLM, OFFLINE, OfflineComposer, citations_for_hits
from revisewise.tutor.llm_answer import offline_fallback, refusal_text
from revisewise.tutor.retrieval import retrieve
from revisewise.tutor.services import tutor_answer, tutor_index_refresh
from revisewise.tutor.tests.factories import Corpus, corpus_create

pytestmark = pytest.mark.llm_real

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "var" / "llm-real"
PYTHON = SETUP / "venv" / "bin" / "python"
MODEL = SETUP / "gemma-3-270m-q4_k_m.gguf"
LAUNCHER = Path(__file__).with_name("real_llm_server.py")
MODEL_NAME = "gemma-3-270m-q4_k_m"
START_SECONDS = 120


@pytest.fixture(scope="module")
def real_llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start llama.cpp's server on the real model in a subprocess; yield its base URL."""
    if not (PYTHON.exists() and MODEL.exists()):
        reason = "the real model is not set up: run `bash scripts/llm_real.sh` (`make test` does)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    log = tmp_path_factory.mktemp("llm-real") / "server.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [str(PYTHON), str(LAUNCHER), str(MODEL)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
        address = process.stdout.readline().decode().strip() if ready else ""
        if not address.startswith("http://127.0.0.1:"):
            pytest.fail(f"the real model's server did not start:\n{log.read_text()[-3000:]}")
        yield f"{address}/v1"
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.fixture
def real_llm(real_llm_url: str, settings) -> str:
    """Point the LLM settings at the real model, with room for a slow shared machine."""
    settings.LLM_BASE_URL = real_llm_url
    settings.LLM_MODEL = MODEL_NAME
    settings.LLM_API_KEY = ""
    settings.LLM_TIMEOUT_SECONDS = 240.0
    settings.LLM_MAX_RETRIES = 1
    settings.LLM_DAILY_TOKENS_PER_USER = 100_000
    settings.LLM_DAILY_TOKENS_GLOBAL = 1_000_000
    return real_llm_url


@pytest.fixture
def corpus(db: None) -> Corpus:
    built = corpus_create()
    tutor_index_refresh()
    return built


def _normalised(text: str) -> str:
    """Compare text as the quote check documents: case, spacing and outer quotation marks aside."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", clean(text))).strip().casefold()
    return text.strip("\"' \u2018\u2019\u201c\u201d")


def test_a_plain_completion_round_trips_and_logs_the_servers_own_token_counts(real_llm, learner):
    messages: list[Message] = [{"role": "user", "content": "Reply with the single word OK."}]

    outcome = llm_complete(feature="llm_check", user=learner, messages=messages, max_tokens=8)

    assert outcome.ok, outcome.reason
    assert outcome.mode == "llm"
    call = LlmCall.objects.get()
    assert (call.feature, call.outcome, call.attempts) == ("llm_check", LlmOutcomeCode.OK, 1)
    assert call.user == learner
    assert call.model == MODEL_NAME
    # The counts are the server's, not the client's estimate (about four characters a token,
    # 8 here): the same messages sent directly are counted the same, chat template included.
    direct = httpx.post(
        f"{real_llm}/chat/completions", json={"messages": messages, "max_tokens": 8}, timeout=240
    ).json()
    assert call.prompt_tokens == direct["usage"]["prompt_tokens"] > 8
    assert (call.prompt_tokens, call.completion_tokens) == (
        outcome.prompt_tokens,
        outcome.completion_tokens,
    )
    assert 0 < call.completion_tokens <= 8


def test_the_tutor_keeps_its_guarantees_whatever_the_real_model_says(real_llm, corpus, learner):
    question = "When should I escalate a complaint?"

    answer = tutor_answer(question=question, qualification=corpus.service, user=learner)

    # The protocol round trip: the server answered (a usable reply or not), nothing timed out or
    # failed in HTTP, and the row holds the server's token counts for a prompt carrying passages.
    call = LlmCall.objects.get()
    assert call.feature == "tutor_answer"
    assert call.user == learner
    assert call.outcome in {LlmOutcomeCode.OK, LlmOutcomeCode.MALFORMED}, call.outcome
    assert call.prompt_tokens > 200
    assert call.completion_tokens > 0

    print(  # shown with -s: which path the model's reply took
        f"real model: mode={answer.mode} outcome={call.outcome} attempts={call.attempts} "
        f"tokens={call.prompt_tokens}+{call.completion_tokens} latency_ms={call.latency_ms} "
        f"parts={len(answer.parts)} refusal={bool(answer.refusal)} notice={answer.notice!r}"
    )
    hits = retrieve(question=clean(question), qualification_id=corpus.service.pk)
    offline = OfflineComposer().compose(question=question, hits=hits)
    assert offline.parts, "the question must find passages, or the model is never asked"
    if answer.mode == OFFLINE:
        # The model's reply was unusable or unchecked: the offline answer, saying why.
        assert answer.parts == offline.parts
        assert answer.notice.endswith(f"so {offline_fallback()}.")
        if call.outcome == LlmOutcomeCode.MALFORMED:
            assert answer.notice.startswith(failure_cause("malformed"))
        return
    assert answer.mode == LLM
    assert call.outcome == LlmOutcomeCode.OK
    assert answer.notice == ""
    assert answer.prompt_key.startswith("tutor_answer.v")
    if answer.refusal:
        # The model declined: the tutor's own refusal text, and no words of the model's.
        assert answer.refusal == refusal_text()
        assert not answer.parts
        return
    # Points from the model: each quote is really in a retrieved passage that the point cites.
    assert answer.parts
    citations = citations_for_hits(hits)
    for part in answer.parts:
        assert part.quote.strip()
        assert any(
            citations[hit.passage_id] == part.citation
            and _normalised(part.quote) in _normalised(hit.text)
            for hit in hits
        ), f"{part.quote!r} is not in a passage cited as {part.citation.label}"
