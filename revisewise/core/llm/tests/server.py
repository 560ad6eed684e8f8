"""A real HTTP server on loopback that speaks the OpenAI chat-completions protocol, for tests.

Each test scripts the replies it wants, in order (`server.script(Reply.json(...), ...)`), and
reads back the requests received (`server.requests`). Other apps' tests may use it through the
`llm_server` fixture in this package's conftest, or start one themselves:

    with LlmServer() as server:
        settings.LLM_BASE_URL = server.base_url
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMPLETIONS_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status, headers, and a body sent whole or as SSE events."""

    status: int = 200
    body: bytes = b""
    events: tuple[bytes, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    event_delay: float = 0.0

    @staticmethod
    def completion(data: dict[str, Any]) -> bytes:
        return json.dumps(data).encode()

    @classmethod
    def json(
        cls,
        content: str,
        *,
        usage: dict[str, int] | None = None,
        delay: float = 0.0,
        model: str = "loopback-model",
    ) -> Reply:
        """A normal chat completion whose message content is `content`."""
        data: dict[str, Any] = {
            "id": "chatcmpl-loopback",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
        }
        if usage is not None:
            data["usage"] = {**usage, "total_tokens": sum(usage.values())}
        return cls(body=cls.completion(data), delay=delay, headers=_JSON)

    @classmethod
    def stream(
        cls,
        pieces: list[str],
        *,
        usage: dict[str, int] | None = None,
        event_delay: float = 0.0,
        done: bool = True,
    ) -> Reply:
        """A streamed completion: one `data:` event per piece, usage last, then `[DONE]`."""
        events = [
            _event(
                {
                    "id": "chatcmpl-loopback",
                    "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                }
            )
            for piece in pieces
        ]
        if usage is not None:
            events.append(
                _event({"object": "chat.completion.chunk", "choices": [], "usage": usage})
            )
        if done:
            events.append(b"data: [DONE]\n\n")
        headers = (("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"))
        return cls(events=tuple(events), headers=headers, event_delay=event_delay)

    @classmethod
    def error(cls, status: int, *, retry_after: str | None = None) -> Reply:
        """An error in OpenAI's shape, e.g. 429 with Retry-After or 500."""
        body = json.dumps({"error": {"message": f"loopback {status}", "type": "server_error"}})
        headers = _JSON + ((("Retry-After", retry_after),) if retry_after is not None else ())
        return cls(status=status, body=body.encode(), headers=headers)

    @classmethod
    def raw(cls, body: bytes, *, content_type: str = "application/json") -> Reply:
        """Any bytes at all, e.g. a body that is not JSON."""
        return cls(body=body, headers=(("Content-Type", content_type),))


_JSON = (("Content-Type", "application/json"),)


def _event(data: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(data).encode() + b"\n\n"


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data

    @property
    def prompt_text(self) -> str:
        return "\n".join(message["content"] for message in self.json["messages"])


@dataclass
class _State:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[tuple[float, Received]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    api_key: str = ""
    responder: Callable[[Received], Reply] | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: pytest shows failures, not access logs."""

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        received = Received(self.path, dict(self.headers.items()), self.rfile.read(length))
        with state.lock:
            state.requests.append((time.monotonic(), received))
            reply = state.replies.popleft() if state.replies else None
            responder = state.responder
        if reply is None and responder is not None:
            reply = responder(received)
        if self.path != COMPLETIONS_PATH:
            reply = Reply.error(404)
        elif state.api_key and self.headers.get("Authorization") != f"Bearer {state.api_key}":
            reply = Reply.error(401)
        elif reply is None:
            reply = Reply.error(500)
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        if reply.delay and self.server.state.stopping.wait(reply.delay):
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.events:
            self.send_header("Connection", "close")
            self.end_headers()
            for event in reply.events:
                self.wfile.write(event)
                self.wfile.flush()
                if reply.event_delay and self.server.state.stopping.wait(reply.event_delay):
                    return
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) breaks the pipe: that is expected here."""


class LlmServer:
    """Start on 127.0.0.1 at a free port; script replies; read requests; stop on exit."""

    def __init__(self, *, api_key: str = "") -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = _State(api_key=api_key)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue replies, answered in order; a request with none left gets a 500."""
        with self._server.state.lock:
            self._server.state.replies.extend(replies)

    def respond_with(self, responder: Callable[[Received], Reply] | None) -> None:
        """Answer every request no scripted reply is left for by calling `responder` with it.

        For pages that ask any number of times (a browser test); None goes back to 500s.
        """
        with self._server.state.lock:
            self._server.state.responder = responder

    @property
    def requests(self) -> list[Received]:
        with self._server.state.lock:
            return [received for _, received in self._server.state.requests]

    @property
    def request_times(self) -> list[float]:
        with self._server.state.lock:
            return [at for at, _ in self._server.state.requests]

    def start(self) -> LlmServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.state.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LlmServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
