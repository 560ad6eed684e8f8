"""A person's rights over their data: export everything we keep, and delete the account.

Both walk the registry (`privacy.registry`), where every app declares the personal data it keeps,
so an app added later is exported and erased without changing this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from revisewise.accounts.models import Centre, Membership, User
from revisewise.accounts.selectors import account_export_for_user, memberships_export_for_user
from revisewise.audit.models import AuditAction
from revisewise.audit.services import audit_pseudonym, audit_record
from revisewise.privacy.registry import personal_data_entries

# Raise when the export's shape changes incompatibly (docs/privacy.md describes version 1).
EXPORT_SCHEMA_VERSION = 1
SUMMARY_ROWS = 20
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


class AccountDeleteError(Exception):
    """The account was not deleted; the message says why, for the person asking."""


def _centres_of(user: User) -> list[Centre | None]:
    """Return the person's centres, or [None] for a learner studying alone."""
    ids = Membership.objects.filter(user=user).values("centre")
    return list(Centre.objects.filter(pk__in=ids).order_by("name")) or [None]


def _audit_each_centre(*, user: User, action: AuditAction, detail: dict[str, Any]) -> None:
    # One event per centre, so each centre's administrators see it in their log.
    for centre in _centres_of(user):
        audit_record(actor=user, action=action, subject=user, centre=centre, detail=detail)


def personal_data_collect(*, user: User) -> dict[str, Any]:
    """Return everything the site keeps about this person, as JSON-ready data.

    Top level: schema_version, generated_at, account, memberships, and one section per
    registered entry (name, description, what stays after deletion, data).
    """
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "account": account_export_for_user(user=user),
        "memberships": memberships_export_for_user(user=user),
        "sections": [
            {
                "name": entry.name,
                "title": entry.heading,
                "description": entry.describe,
                "kept_after_deletion": entry.retained,
                "data": entry.export(user),
            }
            for entry in personal_data_entries()
        ],
    }


@transaction.atomic
def personal_data_export(*, user: User) -> dict[str, Any]:
    """Return the person's data for download and record the export in their centres' audit log."""
    export = personal_data_collect(user=user)
    _audit_each_centre(
        user=user,
        action=AuditAction.DATA_EXPORTED,
        detail={"schema_version": EXPORT_SCHEMA_VERSION},
    )
    return export


@dataclass(frozen=True)
class SummaryTable:
    title: str
    columns: list[str]
    rows: list[list[str]]
    total: int


@dataclass(frozen=True)
class SummarySection:
    name: str
    title: str
    description: str
    kept_after_deletion: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[SummaryTable] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and ISO_MOMENT.match(value):
        moment = timezone.localtime(datetime.fromisoformat(value))
        return f"{moment.day} {moment:%b %Y, %H:%M}"
    if isinstance(value, dict):
        return ", ".join(f"{_label(k)}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return str(value)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _table(title: str, rows: list[Any]) -> SummaryTable:
    columns: list[str] = []
    for row in rows[:SUMMARY_ROWS]:
        for key in row if isinstance(row, dict) else ["value"]:
            if key not in columns:
                columns.append(key)
    body = [
        [_text(row.get(key)) if isinstance(row, dict) else _text(row) for key in columns]
        for row in rows[:SUMMARY_ROWS]
    ]
    return SummaryTable(
        title=_label(title), columns=[_label(c) for c in columns], rows=body, total=len(rows)
    )


def _section(name: str, title: str, description: str, kept: str, data: Any) -> SummarySection:
    facts: list[tuple[str, str]] = []
    tables: list[SummaryTable] = []
    parts = data if isinstance(data, dict) else {name: data}
    for key, value in parts.items():
        if isinstance(value, list):
            tables.append(_table(key, value))
        else:
            facts.append((_label(key), _text(value)))
    return SummarySection(name, title, description, kept, facts, tables)


def personal_data_summary(*, export: dict[str, Any]) -> list[SummarySection]:
    """Turn an export into readable sections: facts, and tables of at most SUMMARY_ROWS rows."""
    sections = [
        _section("account", "Account", "Your account.", "", export["account"]),
        _section(
            "memberships",
            "Centres and cohorts",
            "The centres and cohorts you belong to, and your role in each.",
            "",
            {"memberships": export["memberships"]},
        ),
    ]
    sections += [
        _section(s["name"], s["title"], s["description"], s["kept_after_deletion"], s["data"])
        for s in export["sections"]
    ]
    return sections


@transaction.atomic
def account_delete(*, user: User, confirm_password: str) -> str:
    """Delete the person's account and erase or anonymise everything personal about them.

    The password must match. Every registered `erase` runs in this one transaction, then the
    user row is deleted; if anything fails nothing is deleted. Each of their centres' audit logs
    records the deletion under the person's pseudonym, which is returned.
    Raises AccountDeleteError for a wrong password or a site administrator.
    """
    if not user.check_password(confirm_password):
        raise AccountDeleteError("That password is not right, so nothing was deleted.")
    if user.is_superuser:
        raise AccountDeleteError(
            "A site administrator's account cannot be deleted here, so nothing was deleted. "
            "Ask another site administrator to remove it."
        )
    entries = personal_data_entries()
    _audit_each_centre(
        user=user,
        action=AuditAction.ACCOUNT_DELETED,
        detail={"erased": [entry.name for entry in entries]},
    )
    for entry in entries:
        entry.erase(user)
    pseudonym = audit_pseudonym(user=user)
    user.delete()
    return pseudonym
