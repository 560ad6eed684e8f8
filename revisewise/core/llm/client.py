"""The one module through which Revisewise talks to a large language model over HTTP.

Any OpenAI-compatible chat-completions endpoint works (hosted providers, llama.cpp's or vLLM's
server). Nothing here raises to a feature for an endpoint problem: a failed call returns an
offline `LlmOutcome` whose `reason` the feature shows while it answers offline. Every call is
logged (an `LlmCall` row and a log line) with latency and token counts, never prompt or key text.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import ssl
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any

import httpx
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

from revisewise.accounts.models import User
from revisewise.core.llm.budget import budget_allows, tokens_estimate
from revisewise.core.llm.sanitise import clean
from revisewise.core.llm.schemas import Failure, LlmOutcome, Message, failure_cause
from revisewise.llmlog.services import llm_call_record

logger = logging.getLogger("revisewise.llm")

# A Retry-After longer than this is not waited for: the feature answers offline at once instead.
RETRY_AFTER_CAP_SECONDS = 2.0
RETRY_AFTER_DEFAULT_SECONDS = 0.5
MAX_REPLY_BYTES = 1_048_576
TEMPERATURE = 0.2
AnyUser = User | AnonymousUser | None


class _Failed(Exception):
    def __init__(self, failure: Failure, *, retryable: bool = False, wait: float = 0.0) -> None:
        super().__init__(failure)
        self.failure: Failure = failure
        self.retryable = retryable
        self.wait = wait


def llm_is_configured() -> bool:
    """Say whether an LLM endpoint is configured; without one every feature stays offline."""
    return bool(settings.LLM_BASE_URL)


@cache
def _tls_context() -> ssl.SSLContext:
    """Build the TLS context once: loading the CA bundle costs about 90 ms for each client."""
    return httpx.create_ssl_context()


def _http_client() -> httpx.Client:
    """Open the HTTP client every request goes through: the seam tests may patch."""
    seconds = float(settings.LLM_TIMEOUT_SECONDS)
    return httpx.Client(
        verify=_tls_context(),
        timeout=httpx.Timeout(seconds, connect=min(seconds, 5.0)),
        follow_redirects=False,
        headers={"User-Agent": "Revisewise"},
    )


def _url() -> str:
    return f"{str(settings.LLM_BASE_URL).rstrip('/')}/chat/completions"


def _headers() -> dict[str, str]:
    key = str(settings.LLM_API_KEY)
    return {"Authorization": f"Bearer {key}"} if key else {}


def _known_user(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


def _reason(failure: Failure, fallback: str | None) -> str:
    return _("%(cause)s, so %(fallback)s.") % {
        "cause": failure_cause(failure),
        "fallback": fallback or _("this answer comes from the offline version"),
    }


def _offline(failure: Failure, fallback: str | None) -> LlmOutcome:
    return LlmOutcome(ok=False, mode="offline", failure=failure, reason=_reason(failure, fallback))


@dataclass
class _Call:
    """Counts for one feature's call across its attempts, written to the log when it ends."""

    feature: str
    user: User | None
    prompt_estimate: int
    started_at: dt.datetime = field(default_factory=timezone.now)
    started: float = field(default_factory=time.monotonic)
    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def count(self, usage: object, content: str) -> None:
        """Add an attempt's tokens: the reply's `usage` when it has one, an estimate otherwise."""
        usage = usage if isinstance(usage, dict) else {}
        prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
        self.prompt_tokens += prompt if isinstance(prompt, int) else self.prompt_estimate
        self.completion_tokens += (
            completion if isinstance(completion, int) else tokens_estimate(content)
        )

    def finish(
        self,
        *,
        failure: Failure | None = None,
        fallback: str | None = None,
        content: str = "",
        parsed: Any = None,
    ) -> LlmOutcome:
        latency_ms = round((time.monotonic() - self.started) * 1000)
        outcome = failure or "ok"
        llm_call_record(
            feature=self.feature,
            model=str(settings.LLM_MODEL),
            started_at=self.started_at,
            latency_ms=latency_ms,
            outcome=outcome,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            attempts=max(1, self.attempts),
            user=self.user,
        )
        logger.info(
            "llm call feature=%s model=%s outcome=%s attempts=%d latency_ms=%d "
            "prompt_tokens=%d completion_tokens=%d",
            self.feature,
            settings.LLM_MODEL or "-",
            outcome,
            max(1, self.attempts),
            latency_ms,
            self.prompt_tokens,
            self.completion_tokens,
        )
        return LlmOutcome(
            ok=failure is None,
            mode="offline" if failure else "llm",
            content="" if failure else content,
            parsed=None if failure else parsed,
            failure=failure,
            reason=_reason(failure, fallback) if failure else "",
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            latency_ms=latency_ms,
        )


def _request_body(
    messages: Sequence[Message],
    *,
    schema: type[BaseModel] | None,
    max_tokens: int,
    stream: bool,
) -> dict[str, Any]:
    sent: list[dict[str, str]] = [
        {"role": message["role"], "content": clean(message["content"])} for message in messages
    ]
    body: dict[str, Any] = {
        "messages": sent,
        "max_tokens": max_tokens,
        "temperature": TEMPERATURE,
        "stream": stream,
    }
    if settings.LLM_MODEL:
        body["model"] = str(settings.LLM_MODEL)
    if schema is not None:
        body["response_format"] = {"type": "json_object"}
        shape = json.dumps(schema.model_json_schema(), separators=(",", ":"))
        sent.append(
            {
                "role": "system",
                "content": f"Reply with one JSON object only, matching this JSON Schema: {shape}",
            }
        )
    if stream:
        body["stream_options"] = {"include_usage": True}
    return body


def _retry_wait(response: httpx.Response) -> float:
    """Read Retry-After (seconds or an HTTP date); a missing or bad value means a short wait."""
    raw = response.headers.get("Retry-After", "").strip()
    if not raw:
        return RETRY_AFTER_DEFAULT_SECONDS
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return RETRY_AFTER_DEFAULT_SECONDS
    if when.tzinfo is None:
        return RETRY_AFTER_DEFAULT_SECONDS
    return max(0.0, (when - timezone.now()).total_seconds())


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if status == 200:
        return
    if status == 429 or status >= 500:
        wait = _retry_wait(response)
        failure: Failure = "rate_limited" if status == 429 else "http_error"
        raise _Failed(failure, retryable=wait <= RETRY_AFTER_CAP_SECONDS, wait=wait)
    raise _Failed("http_error")


def _read_body(response: httpx.Response, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        if time.monotonic() > deadline:
            raise _Failed("timeout")
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise _Failed("malformed")
        chunks.append(chunk)
    return b"".join(chunks)


def _post(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """Send one request and return the decoded JSON reply, or raise `_Failed`."""
    deadline = time.monotonic() + float(settings.LLM_TIMEOUT_SECONDS)
    try:
        with client.stream("POST", _url(), json=body, headers=_headers()) as response:
            _check_status(response)
            raw = _read_body(response, deadline)
    except httpx.TimeoutException:
        raise _Failed("timeout") from None
    except httpx.HTTPError:
        raise _Failed("http_error") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise _Failed("malformed") from None
    if not isinstance(data, dict):
        raise _Failed("malformed")
    return data


def _content_of(data: dict[str, Any]) -> str:
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise _Failed("malformed") from None
    if not isinstance(content, str):
        raise _Failed("malformed")
    return content


def _strip_fence(content: str) -> str:
    """Remove one surrounding Markdown code fence, which small models add around JSON."""
    text = content.strip()
    if text.startswith("```") and text.endswith("```") and len(text) > 6:
        text = text[3:-3]
        first, _, rest = text.partition("\n")
        text = rest if first.strip().isalpha() or not first.strip() else text
    return text.strip()


def _parse(content: str, schema: type[BaseModel]) -> BaseModel:
    try:
        return schema.model_validate_json(_strip_fence(content))
    except ValidationError:
        raise _Failed("malformed") from None


def _complete(
    client: httpx.Client, call: _Call, body: dict[str, Any], schema: type[BaseModel] | None
) -> tuple[str, BaseModel | None]:
    """Try until success, retrying a bad reply once and a 429/5xx up to LLM_MAX_RETRIES times."""
    http_retries: int = settings.LLM_MAX_RETRIES
    bad_reply_retries = 1
    while True:
        call.attempts += 1
        try:
            data = _post(client, body)
            content = _content_of(data)
            call.count(data.get("usage"), content)
            return content, _parse(content, schema) if schema is not None else None
        except _Failed as failed:
            if failed.failure == "timeout":
                call.count(None, "")
            if failed.failure == "malformed" and bad_reply_retries:
                bad_reply_retries -= 1
                continue
            if failed.retryable and http_retries:
                http_retries -= 1
                time.sleep(failed.wait)
                continue
            raise


def llm_complete(
    *,
    feature: str,
    messages: Sequence[Message],
    user: AnyUser = None,
    schema: type[BaseModel] | None = None,
    max_tokens: int = 800,
    fallback: str | None = None,
) -> LlmOutcome:
    """Ask the configured model for one reply; on any endpoint problem return an offline outcome.

    With `schema` the model is asked for JSON, and the reply must validate against it (a bad reply
    is retried once). `fallback` ends the user's notice, e.g. "this answer comes from the offline
    tutor". Side effects: one `LlmCall` row and one log line per call that reaches the budget check.
    """
    if not llm_is_configured():
        return _offline("not_configured", fallback)
    body = _request_body(messages, schema=schema, max_tokens=max_tokens, stream=False)
    estimate = sum(tokens_estimate(message["content"]) for message in body["messages"])
    call = _Call(feature=feature, user=_known_user(user), prompt_estimate=estimate)
    if not budget_allows(user=call.user, tokens_wanted=estimate + max_tokens):
        return call.finish(failure="budget_exceeded", fallback=fallback)
    try:
        with _http_client() as client:
            content, parsed = _complete(client, call, body, schema)
    except _Failed as failed:
        return call.finish(failure=failed.failure, fallback=fallback)
    return call.finish(content=content, parsed=parsed)


class LlmStream:
    """A streamed reply: iterate for text as it arrives, then read `outcome`.

    If `outcome.ok` is false after iterating, the feature should replace whatever text it showed
    with its offline answer and `outcome.reason`.
    """

    def __init__(
        self,
        *,
        feature: str,
        messages: Sequence[Message],
        user: AnyUser,
        max_tokens: int,
        fallback: str | None,
    ) -> None:
        self.feature = feature
        self.messages = messages
        self.user = _known_user(user)
        self.max_tokens = max_tokens
        self.fallback = fallback
        self.outcome: LlmOutcome | None = None

    def __iter__(self) -> Iterator[str]:
        if not llm_is_configured():
            self.outcome = _offline("not_configured", self.fallback)
            return
        body = _request_body(self.messages, schema=None, max_tokens=self.max_tokens, stream=True)
        estimate = sum(tokens_estimate(message["content"]) for message in body["messages"])
        call = _Call(feature=self.feature, user=self.user, prompt_estimate=estimate)
        if not budget_allows(user=call.user, tokens_wanted=estimate + self.max_tokens):
            self.outcome = call.finish(failure="budget_exceeded", fallback=self.fallback)
            return
        parts: list[str] = []
        try:
            with _http_client() as client:
                yield from self._stream_with_retries(client, call, body, parts)
        except _Failed as failed:
            self.outcome = call.finish(failure=failed.failure, fallback=self.fallback)
        else:
            self.outcome = call.finish(content="".join(parts))
        finally:
            # The caller stopped reading early: the endpoint worked, so log what was spent.
            if self.outcome is None:
                call.count(None, "".join(parts))
                self.outcome = call.finish(content="".join(parts))

    def _stream_with_retries(
        self, client: httpx.Client, call: _Call, body: dict[str, Any], parts: list[str]
    ) -> Iterator[str]:
        http_retries: int = settings.LLM_MAX_RETRIES
        while True:
            call.attempts += 1
            try:
                yield from self._stream_once(client, call, body, parts)
                return
            except _Failed as failed:
                if failed.failure == "timeout":
                    call.count(None, "".join(parts))
                if failed.retryable and http_retries and not parts:
                    http_retries -= 1
                    time.sleep(failed.wait)
                    continue
                raise

    def _stream_once(
        self, client: httpx.Client, call: _Call, body: dict[str, Any], parts: list[str]
    ) -> Iterator[str]:
        deadline = time.monotonic() + float(settings.LLM_TIMEOUT_SECONDS)
        usage: object = None
        try:
            with client.stream("POST", _url(), json=body, headers=_headers()) as response:
                _check_status(response)
                for data in _sse_data(response, deadline):
                    chunk = _json_object(data)
                    usage = chunk.get("usage") or usage
                    delta = _delta_of(chunk)
                    if delta:
                        parts.append(delta)
                        yield delta
        except httpx.TimeoutException:
            raise _Failed("timeout") from None
        except httpx.HTTPError:
            raise _Failed("http_error") from None
        call.count(usage, "".join(parts))


def _sse_data(response: httpx.Response, deadline: float) -> Iterator[str]:
    """Yield each server-sent event's data up to `data: [DONE]`; a stream cut short is bad."""
    for line in response.iter_lines():
        if time.monotonic() > deadline:
            raise _Failed("timeout")
        if not line.startswith("data:"):
            continue
        data = line.removeprefix("data:").strip()
        if data == "[DONE]":
            return
        yield data
    raise _Failed("malformed")


def _json_object(data: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except ValueError:
        raise _Failed("malformed") from None
    if not isinstance(chunk, dict):
        raise _Failed("malformed")
    return chunk


def _delta_of(chunk: dict[str, Any]) -> str:
    choices = chunk.get("choices")
    if not choices:
        return ""
    try:
        content = choices[0].get("delta", {}).get("content")
    except AttributeError:
        raise _Failed("malformed") from None
    return content if isinstance(content, str) else ""


def llm_stream(
    *,
    feature: str,
    messages: Sequence[Message],
    user: AnyUser = None,
    max_tokens: int = 800,
    fallback: str | None = None,
) -> LlmStream:
    """Start a streamed reply (plain text, no schema); iterate it, then check `.outcome`."""
    return LlmStream(
        feature=feature, messages=messages, user=user, max_tokens=max_tokens, fallback=fallback
    )
