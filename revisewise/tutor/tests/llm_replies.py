"""Replies for the loopback LLM server that behave like a model following the tutor's prompt.

`grounded_reply(request)` reads the sources fenced in the request's system prompt and answers
with one point per source (up to two), each quoting that source's first sentence: what a well
behaved model would send. Tests and the browser test use it with `LlmServer.respond_with`.
"""

from __future__ import annotations

import json
import re

from revisewise.core.llm.tests.server import Received, Reply

_SOURCE = re.compile(r"<<(DATA-[0-9A-F]{16}) source (S\d+)>>\n(.*?)\n<<END \1>>", re.DOTALL)
USAGE = {"prompt_tokens": 420, "completion_tokens": 60}


def sources_of(received: Received) -> dict[str, str]:
    """Return {label: text} of the sources fenced in a request's system message."""
    system = received.json["messages"][0]["content"]
    return {label: text for _, label, text in _SOURCE.findall(system)}


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def grounded_json(sources: dict[str, str], *, limit: int = 2) -> str:
    points = [
        {
            "text": f"In plain words: {first_sentence(text)}",
            "citations": [{"source": label, "quote": first_sentence(text)}],
        }
        for label, text in list(sources.items())[:limit]
    ]
    return json.dumps({"refused": False, "points": points})


def grounded_reply(received: Received) -> Reply:
    return Reply.json(grounded_json(sources_of(received)), usage=USAGE)
