"""Clicks in the roles modal and the App Home, as Slack sends them: a `block_actions`
payload whose container is the view the bot gave to views.open or views.publish."""

from __future__ import annotations

import time
from typing import Any

from bot.db.models import Contribution
from bot.enums import ContributionKind, ContributionStatus
from tests.conftest import DEFAULT_NOW
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.slack_client import HttpReply, SlackSender

VIEW_ID = "V0ROLES"


def elements(view: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, element) for every interactive element of a view."""
    found = []
    for block in view.get("blocks") or []:
        if isinstance(block.get("accessory"), dict):
            found.append((block.get("block_id", ""), block["accessory"]))
        if block.get("type") == "actions":
            found += [(block["block_id"], e) for e in block["elements"]]
    return found


def find(view: dict[str, Any], action_id: str, value: str | None = None) -> tuple[str, dict]:
    for block_id, element in elements(view):
        if element.get("action_id") == action_id and (
            value is None or element.get("value") == value
        ):
            return block_id, element
    raise AssertionError(f"no {action_id} in the view")


def has(view: dict[str, Any], action_id: str) -> bool:
    return any(e.get("action_id") == action_id for _b, e in elements(view))


def view_text(view: dict[str, Any]) -> str:
    parts = []
    for block in view.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"].get("text", ""))
        for element in block.get("elements") or []:
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


def click(
    slack: SlackSender,
    view: dict[str, Any],
    action_id: str,
    *,
    user: str,
    value: str | None = None,
    block_id: str | None = None,
    selected_user: str | None = None,
    selected_option: str | None = None,
    surface: str = "modal",
) -> HttpReply:
    """Click `action_id` in `view` (found there unless `block_id` crafts one)."""
    if block_id is None:
        block_id, element = find(view, action_id, value)
        value = element.get("value") if value is None else value
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": "button",
        "action_ts": f"{time.time():.6f}",
    }
    if value is not None:
        action["value"] = value
    if selected_user is not None:
        action.update(type="users_select", selected_user=selected_user)
    if selected_option is not None:
        action.update(type="overflow", selected_option={"value": selected_option})
    sent_view = {**view, "id": VIEW_ID, "type": surface, "hash": "1700000000.abc"}
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": VIEW_ID},
        "trigger_id": f"trigger-{user}-{time.monotonic_ns()}",
        "team": {"id": TEAM_ID, "domain": "beta"},
        "view": sent_view,
        "actions": [action],
    }
    return slack.interaction(payload)


def open_roles(slack: SlackSender, fake_slack: FakeSlack, user: str) -> dict[str, Any]:
    before = len(fake_slack.calls("views.open"))
    reply = slack.command("roles", user=user)
    assert (reply.status, reply.body) == (200, ""), reply.body
    opened = fake_slack.calls("views.open")
    assert len(opened) == before + 1, "the roles modal did not open"
    return opened[-1].args["view"]


def updated(fake_slack: FakeSlack) -> dict[str, Any]:
    calls = fake_slack.calls("views.update")
    assert calls, "the modal was not updated"
    assert calls[-1].args["view_id"] == VIEW_ID
    return calls[-1].args["view"]


def published(fake_slack: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [c.args["view"] for c in fake_slack.calls("views.publish") if c.args["user_id"] == user]


def add_contributions(session, meeting_id: int, count: int, *, ready_every: int = 3) -> None:
    for i in range(count):
        session.add(
            Contribution(
                meeting_id=meeting_id,
                author_user_id=f"U0AUTH{i:03d}",
                kind=ContributionKind.TALK,
                title=f"Sujet {i}",
                description="",
                duration_minutes=5,
                status=ContributionStatus.READY
                if i % ready_every == 0
                else ContributionStatus.PROPOSED,
                created_at=DEFAULT_NOW,
                updated_at=DEFAULT_NOW,
            )
        )
