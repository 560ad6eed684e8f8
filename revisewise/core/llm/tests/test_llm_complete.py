from __future__ import annotations

import datetime as dt
import json
import logging
import time

import httpx
import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from pydantic import BaseModel

from revisewise.accounts.tests.factories import UserFactory
from revisewise.core.llm import client
from revisewise.core.llm.client import llm_complete, llm_is_configured
from revisewise.core.llm.schemas import Message
from revisewise.core.llm.tests.conftest import API_KEY
from revisewise.core.llm.tests.server import Reply
from revisewise.llmlog.models import LlmCall

pytestmark = pytest.mark.django_db

QUESTION: list[Message] = [{"role": "user", "content": "What does CSAT measure?"}]


class Verdict(BaseModel):
    answer: str
    score: int


def test_it_answers_offline_without_any_network_call_when_no_endpoint_is_set(settings, monkeypatch):
    settings.LLM_BASE_URL = ""

    def no_network():
        raise AssertionError("the client opened an HTTP connection")

    monkeypatch.setattr(client, "_http_client", no_network)
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION, max_tokens=50)
    assert not llm_is_configured()
    assert (outcome.ok, outcome.mode, outcome.failure) == (False, "offline", "not_configured")
    assert outcome.reason == (
        "No AI service is set up on this site, so this answer comes from the offline version."
    )
    assert LlmCall.objects.count() == 0


def test_it_returns_the_reply_and_logs_tokens_from_usage(llm_server):
    user = UserFactory.create()
    llm_server.script(
        Reply.json(
            "CSAT measures satisfaction.", usage={"prompt_tokens": 31, "completion_tokens": 7}
        )
    )
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION, user=user, max_tokens=50)
    assert (outcome.ok, outcome.mode, outcome.content) == (
        True,
        "llm",
        "CSAT measures satisfaction.",
    )
    assert (outcome.prompt_tokens, outcome.completion_tokens) == (31, 7)
    call = LlmCall.objects.get()
    assert (call.feature, call.model, call.outcome, call.user) == (
        "tutor_answer",
        "loopback-model",
        "ok",
        user,
    )
    assert (call.prompt_tokens, call.completion_tokens, call.attempts) == (31, 7, 1)
    assert call.latency_ms >= 0


def test_it_speaks_the_chat_completions_protocol_with_the_bearer_key(llm_server):
    llm_server.script(Reply.json("ok"))
    llm_complete(feature="tutor_answer", messages=QUESTION, max_tokens=64)
    (request,) = llm_server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    body = request.json
    assert body["model"] == "loopback-model"
    assert body["max_tokens"] == 64
    assert body["stream"] is False
    assert body["messages"] == QUESTION
    assert "response_format" not in body


def test_it_estimates_tokens_when_the_reply_has_no_usage(llm_server):
    llm_server.script(Reply.json("x" * 40))
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION, max_tokens=50)
    assert outcome.completion_tokens == 10
    assert outcome.prompt_tokens == 6  # 23 characters at about four a token, rounded up


def test_it_strips_hidden_characters_from_what_it_sends(llm_server):
    llm_server.script(Reply.json("ok"))
    sneaky = "What is NPS?\u200b\u202eignore\U000e0041\x07"
    llm_complete(feature="tutor_answer", messages=[{"role": "user", "content": sneaky}])
    assert llm_server.requests[0].json["messages"][0]["content"] == "What is NPS?ignore"


def test_it_validates_structured_replies_against_the_schema(llm_server):
    llm_server.script(Reply.json('```json\n{"answer": "Yes", "score": 3}\n```'))
    outcome = llm_complete(feature="marking_feedback", messages=QUESTION, schema=Verdict)
    assert outcome.ok
    assert outcome.parsed == Verdict(answer="Yes", score=3)
    body = llm_server.requests[0].json
    assert body["response_format"] == {"type": "json_object"}
    assert "JSON Schema" in body["messages"][-1]["content"]
    assert '"score"' in body["messages"][-1]["content"]


def test_it_retries_a_malformed_reply_once_and_then_succeeds(llm_server):
    llm_server.script(Reply.json("{not json"), Reply.json('{"answer": "Yes", "score": 1}'))
    outcome = llm_complete(feature="marking_feedback", messages=QUESTION, schema=Verdict)
    assert outcome.ok
    assert outcome.parsed.score == 1
    assert len(llm_server.requests) == 2
    assert LlmCall.objects.get().attempts == 2


@pytest.mark.parametrize(
    "bad_reply",
    [
        Reply.json("Sure! Here is some prose rather than JSON."),
        Reply.json('{"answer": "Yes", "score": "three"}'),
        Reply.json('["a list", "not an object"]'),
        Reply.raw(b"<html>gateway</html>", content_type="text/html"),
        Reply.raw(b'{"choices": []}'),
    ],
    ids=["prose", "off-schema", "wrong-type", "not-json-body", "no-choices"],
)
def test_it_gives_up_after_a_second_bad_reply(llm_server, bad_reply):
    llm_server.script(bad_reply, bad_reply, Reply.json('{"answer": "late", "score": 1}'))
    outcome = llm_complete(
        feature="marking_feedback",
        messages=QUESTION,
        schema=Verdict,
        fallback="this feedback comes from the offline marker",
    )
    assert (outcome.ok, outcome.mode, outcome.failure) == (False, "offline", "malformed")
    assert outcome.reason == (
        "The AI service sent an answer we could not use, "
        "so this feedback comes from the offline marker."
    )
    assert len(llm_server.requests) == 2
    assert LlmCall.objects.get().outcome == "malformed"


def test_it_falls_back_when_the_reply_is_slower_than_the_timeout(llm_server, settings):
    settings.LLM_TIMEOUT_SECONDS = 0.3
    llm_server.script(Reply.json("too late", delay=2.0))
    started = time.monotonic()
    outcome = llm_complete(
        feature="tutor_answer",
        messages=QUESTION,
        fallback="this answer comes from the offline tutor",
    )
    elapsed = time.monotonic() - started
    assert (outcome.ok, outcome.failure) == (False, "timeout")
    assert outcome.reason == (
        "The AI service did not answer in time, so this answer comes from the offline tutor."
    )
    assert elapsed < 1.5
    assert 300 <= outcome.latency_ms < 1500
    assert outcome.content == ""
    assert len(llm_server.requests) == 1
    assert LlmCall.objects.get().outcome == "timeout"


def test_it_retries_after_a_429_honouring_retry_after(llm_server):
    llm_server.script(Reply.error(429, retry_after="1"), Reply.json("now then"))
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION)
    assert (outcome.ok, outcome.content) == (True, "now then")
    first, second = llm_server.request_times
    assert second - first >= 0.95
    assert LlmCall.objects.get().attempts == 2


def test_it_does_not_wait_for_a_retry_after_longer_than_the_cap(llm_server):
    llm_server.script(Reply.error(429, retry_after="120"), Reply.json("never asked"))
    started = time.monotonic()
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION)
    assert (outcome.ok, outcome.failure) == (False, "rate_limited")
    assert outcome.reason.startswith("The AI service is busy at the moment, so ")
    assert time.monotonic() - started < 1
    assert len(llm_server.requests) == 1


def test_it_retries_a_500_once_and_then_falls_back(llm_server):
    llm_server.script(Reply.error(500, retry_after="0"), Reply.error(503), Reply.json("third"))
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION)
    assert (outcome.ok, outcome.failure) == (False, "http_error")
    assert outcome.reason.startswith("The AI service reported an error, so ")
    assert len(llm_server.requests) == 2
    call = LlmCall.objects.get()
    assert (call.outcome, call.attempts) == ("http_error", 2)


def test_it_recovers_when_a_500_is_followed_by_an_answer(llm_server):
    llm_server.script(Reply.error(500, retry_after="0"), Reply.json("second time lucky"))
    assert llm_complete(feature="tutor_answer", messages=QUESTION).content == "second time lucky"


def test_it_does_not_retry_a_refused_key(llm_server, settings):
    settings.LLM_API_KEY = "sk-wrong"
    llm_server.script(Reply.json("unreachable"), Reply.json("unreachable"))
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION)
    assert (outcome.ok, outcome.failure) == (False, "http_error")
    assert len(llm_server.requests) == 1


def test_it_falls_back_when_nothing_listens_at_the_address(llm_server, settings):
    llm_server.stop()
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION)
    assert (outcome.ok, outcome.mode, outcome.failure) == (False, "offline", "http_error")


def test_it_refuses_a_call_over_the_users_daily_budget(llm_server, settings):
    settings.LLM_DAILY_TOKENS_PER_USER = 100
    user, other = UserFactory.create(), UserFactory.create()
    llm_server.script(
        *[Reply.json("fine", usage={"prompt_tokens": 50, "completion_tokens": 30})] * 2
    )
    assert llm_complete(feature="tutor_answer", messages=QUESTION, user=user, max_tokens=20).ok
    # 80 tokens spent, plus about 6 for the prompt and 20 allowed for the reply, is over 100.
    refused = llm_complete(feature="tutor_answer", messages=QUESTION, user=user, max_tokens=20)
    assert (refused.ok, refused.failure) == (False, "budget_exceeded")
    assert refused.reason.startswith("Today's allowance for the AI service has been used up, so ")
    assert llm_complete(feature="tutor_answer", messages=QUESTION, user=other, max_tokens=20).ok
    assert len(llm_server.requests) == 2
    assert list(LlmCall.objects.filter(user=user).values_list("outcome", flat=True)) == [
        "budget_exceeded",
        "ok",
    ]


def test_it_refuses_every_call_over_the_global_daily_budget(llm_server, settings):
    settings.LLM_DAILY_TOKENS_GLOBAL = 100
    llm_server.script(Reply.json("fine", usage={"prompt_tokens": 60, "completion_tokens": 30}))
    assert llm_complete(feature="tutor_answer", messages=QUESTION, max_tokens=20).ok
    refused = llm_complete(
        feature="tutor_answer", messages=QUESTION, user=UserFactory.create(), max_tokens=20
    )
    assert refused.failure == "budget_exceeded"
    assert len(llm_server.requests) == 1


def test_it_treats_a_zero_budget_as_no_limit(llm_server, settings):
    settings.LLM_DAILY_TOKENS_PER_USER = 0
    settings.LLM_DAILY_TOKENS_GLOBAL = 0
    llm_server.script(
        Reply.json("fine", usage={"prompt_tokens": 10**6, "completion_tokens": 1}),
        Reply.json("still fine"),
    )
    user = UserFactory.create()
    assert llm_complete(feature="tutor_answer", messages=QUESTION, user=user).ok
    assert llm_complete(feature="tutor_answer", messages=QUESTION, user=user).ok


def test_it_never_logs_the_key_or_the_prompt(llm_server, caplog):
    secret_question = "My employer ref is ZX-42-SECRET: what is escalation?"
    llm_server.script(Reply.json("An answer.", usage={"prompt_tokens": 9, "completion_tokens": 3}))
    with caplog.at_level(logging.DEBUG):
        llm_complete(
            feature="tutor_answer", messages=[{"role": "user", "content": secret_question}]
        )
    assert "llm call feature=tutor_answer model=loopback-model outcome=ok" in caplog.text
    assert "prompt_tokens=9 completion_tokens=3" in caplog.text
    assert API_KEY not in caplog.text
    assert "ZX-42-SECRET" not in caplog.text
    row = json.dumps(list(LlmCall.objects.values()), default=str)
    assert API_KEY not in row
    assert "ZX-42-SECRET" not in row
    assert "An answer." not in row


def test_it_cuts_off_a_reply_that_trickles_past_the_total_deadline(llm_server, settings):
    settings.LLM_TIMEOUT_SECONDS = 0.5
    # Each piece arrives well within the read timeout, but the whole takes over two seconds.
    llm_server.script(Reply.stream(["x"] * 12, event_delay=0.2))
    started = time.monotonic()
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION)
    assert (outcome.ok, outcome.failure) == (False, "timeout")
    assert time.monotonic() - started < 1.5


def test_it_refuses_a_reply_larger_than_a_mebibyte(llm_server):
    huge = Reply.json("x" * (client.MAX_REPLY_BYTES + 1))
    llm_server.script(huge, huge)
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION)
    assert (outcome.ok, outcome.failure) == (False, "malformed")


def test_it_counts_an_anonymous_visitor_against_the_global_budget_only(llm_server):
    llm_server.script(Reply.json("hello", usage={"prompt_tokens": 3, "completion_tokens": 1}))
    outcome = llm_complete(feature="tutor_answer", messages=QUESTION, user=AnonymousUser())
    assert outcome.ok
    call = LlmCall.objects.get()
    assert (call.user, call.prompt_tokens) == (None, 3)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("1.5", 1.5),
        ("-4", 0.0),
        ("soon", client.RETRY_AFTER_DEFAULT_SECONDS),
        ("", client.RETRY_AFTER_DEFAULT_SECONDS),
        ("Wed, 01 Jul 2026 12:00:30 GMT", 30.0),
        ("Wed, 01 Jul 2026 11:00:00 GMT", 0.0),
    ],
)
@time_machine.travel(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_it_reads_retry_after_as_seconds_or_a_date(header, expected):
    response = httpx.Response(429, headers={"Retry-After": header} if header else {})
    assert client._retry_wait(response) == pytest.approx(expected)


def test_the_server_answers_with_a_responder_once_the_script_is_used_up(llm_server):
    llm_server.script(Reply.json("scripted"))
    llm_server.respond_with(lambda received: Reply.json(f"echo {len(received.json['messages'])}"))

    first = llm_complete(feature="test", messages=[{"role": "user", "content": "hi"}])
    second = llm_complete(feature="test", messages=[{"role": "user", "content": "hi"}])

    assert (first.content, second.content) == ("scripted", "echo 1")
