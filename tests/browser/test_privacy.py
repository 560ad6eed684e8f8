"""A learner signs in, downloads their data, deletes their account and can no longer sign in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from revisewise.accounts.models import User
from revisewise.accounts.tests.factories import CentreAdminMembershipFactory
from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.audit.services import audit_pseudonym
from revisewise.practice.models import Attempt
from revisewise.privacy.services import account_delete
from revisewise.privacy.tests.factories import ANSWER, learner_with_history
from tests.browser.conftest import SignIn

pytestmark = [pytest.mark.browser]

PASSWORD = "correct-horse-battery-staple"
SCREENS = Path("/tmp/screens")


def _sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_learner_downloads_then_deletes_their_data(page: Page, transactional_db, tmp_path):
    history = learner_with_history()
    email = history.learner.email
    SCREENS.mkdir(exist_ok=True)

    _sign_in(page, email)
    page.get_by_role("link", name="My data").first.click()
    expect(page.get_by_role("heading", name="My data", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name=ANSWER)).to_be_visible()
    page.screenshot(path=str(SCREENS / "privacy-my-data.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download all my data (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("revisewise-my-data-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    export = json.loads(saved.read_text(encoding="utf-8"))
    practice = next(s for s in export["sections"] if s["name"] == "practice")["data"]
    assert [a["uuid"] for a in practice["attempts"]] == [str(history.attempt.uuid)]
    assert practice["attempts"][0]["response"] == ANSWER
    assert export["account"]["email"] == email

    page.get_by_role("link", name="delete your account").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Type DELETE to confirm").fill("delete")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Type DELETE in capital letters to confirm.")).to_be_visible()
    assert User.objects.filter(email=email).exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Type DELETE to confirm").fill("DELETE")
    page.screenshot(path=str(SCREENS / "privacy-delete.png"), full_page=True)
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_role("heading", name="Your account has been deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert not User.objects.filter(email=email).exists()
    assert not Attempt.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_DELETED).count() == 1

    _sign_in(page, email)
    expect(
        page.get_by_text("That email address and password do not match an account.")
    ).to_be_visible()


def test_a_centre_admin_reads_the_audit_log_after_a_deletion(
    page: Page, transactional_db, sign_in: SignIn
):
    history = learner_with_history()
    email = history.learner.email
    admin = CentreAdminMembershipFactory.create(centre=history.cohort.centre).user
    pseudonym = audit_pseudonym(user=history.learner)
    account_delete(user=history.learner, confirm_password=PASSWORD)
    sign_in(page, admin, verified=True)

    page.goto("/privacy/audit/")

    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    rows = page.locator("table.privacy-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Deleted a learner's account")
    expect(rows.nth(0)).to_contain_text(pseudonym)
    expect(rows.nth(1)).to_contain_text("Viewed a learner's progress")
    expect(rows.nth(1)).to_contain_text(history.tutor.email)
    assert email not in page.content()
    page.screenshot(path=str(SCREENS / "privacy-audit-log.png"), full_page=True)

    page.goto("/privacy/")
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    page.screenshot(path=str(SCREENS / "privacy-notice.png"), full_page=True)
