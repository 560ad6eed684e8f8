from __future__ import annotations

import pytest

from revisewise.core.llm.client import llm_stream
from revisewise.core.llm.schemas import Message
from revisewise.core.llm.tests.server import Reply
from revisewise.llmlog.models import LlmCall

pytestmark = pytest.mark.django_db

QUESTION: list[Message] = [{"role": "user", "content": "When should I escalate a complaint?"}]


def test_it_yields_the_reply_piece_by_piece_and_logs_usage(llm_server):
    llm_server.script(
        Reply.stream(
            ["Escalate ", "when the ", "policy says so."],
            usage={"prompt_tokens": 12, "completion_tokens": 6},
        )
    )
    stream = llm_stream(feature="tutor_answer", messages=QUESTION)
    pieces = list(stream)
    assert pieces == ["Escalate ", "when the ", "policy says so."]
    assert stream.outcome is not None
    assert (stream.outcome.ok, stream.outcome.mode) == (True, "llm")
    assert stream.outcome.content == "Escalate when the policy says so."
    body = llm_server.requests[0].json
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    call = LlmCall.objects.get()
    assert (call.outcome, call.prompt_tokens, call.completion_tokens) == ("ok", 12, 6)


def test_it_estimates_tokens_when_the_stream_has_no_usage(llm_server):
    llm_server.script(Reply.stream(["abcd" * 5]))
    stream = llm_stream(feature="tutor_answer", messages=QUESTION)
    assert "".join(stream) == "abcd" * 5
    assert LlmCall.objects.get().completion_tokens == 5


def test_it_reports_a_stream_cut_off_before_done_as_malformed(llm_server):
    llm_server.script(Reply.stream(["Half an ans"], done=False))
    stream = llm_stream(
        feature="tutor_answer",
        messages=QUESTION,
        fallback="this answer comes from the offline tutor",
    )
    assert list(stream) == ["Half an ans"]
    assert stream.outcome is not None
    assert (stream.outcome.ok, stream.outcome.mode, stream.outcome.failure) == (
        False,
        "offline",
        "malformed",
    )
    assert stream.outcome.reason.endswith("so this answer comes from the offline tutor.")


def test_it_times_out_a_stream_that_trickles_past_the_deadline(llm_server, settings):
    settings.LLM_TIMEOUT_SECONDS = 1.0
    llm_server.script(Reply.stream(["piece"] * 12, event_delay=0.3))
    stream = llm_stream(feature="tutor_answer", messages=QUESTION)
    pieces = list(stream)
    assert 0 < len(pieces) < 12
    assert stream.outcome is not None
    assert stream.outcome.failure == "timeout"
    assert LlmCall.objects.get().outcome == "timeout"


def test_it_retries_a_429_before_any_text_arrives(llm_server):
    llm_server.script(Reply.error(429, retry_after="0"), Reply.stream(["Fine."]))
    stream = llm_stream(feature="tutor_answer", messages=QUESTION)
    assert list(stream) == ["Fine."]
    assert stream.outcome is not None
    assert stream.outcome.ok
    assert LlmCall.objects.get().attempts == 2


def test_it_logs_a_stream_the_caller_stopped_reading(llm_server):
    llm_server.script(Reply.stream(["one ", "two ", "three"]))
    stream = llm_stream(feature="tutor_answer", messages=QUESTION)
    pieces = iter(stream)
    assert next(pieces) == "one "
    pieces.close()  # type: ignore[attr-defined]
    assert stream.outcome is not None
    assert stream.outcome.ok
    assert LlmCall.objects.get().outcome == "ok"


def test_it_streams_nothing_and_explains_when_no_endpoint_is_set(settings):
    settings.LLM_BASE_URL = ""
    stream = llm_stream(feature="tutor_answer", messages=QUESTION)
    assert list(stream) == []
    assert stream.outcome is not None
    assert stream.outcome.failure == "not_configured"
    assert LlmCall.objects.count() == 0
