from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from revisewise.core.llm.tests.server import Reply
from revisewise.llmlog.models import LlmCall

pytestmark = pytest.mark.django_db


def test_it_reports_a_working_endpoint(llm_server):
    llm_server.script(Reply.json("OK", usage={"prompt_tokens": 12, "completion_tokens": 1}))
    out = StringIO()
    call_command("check_llm", stdout=out)
    assert "The LLM endpoint answered in " in out.getvalue()
    assert "(12 prompt and 1 completion tokens): 'OK'" in out.getvalue()
    assert LlmCall.objects.get().feature == "llm_check"


def test_it_fails_loudly_when_the_endpoint_fails(llm_server):
    llm_server.script(Reply.error(401))
    with pytest.raises(CommandError, match=r"failed \(http_error\): The AI service reported"):
        call_command("check_llm")


def test_it_says_when_no_endpoint_is_configured(settings):
    settings.LLM_BASE_URL = ""
    out = StringIO()
    call_command("check_llm", stdout=out)
    assert out.getvalue().startswith("No LLM endpoint is configured")
