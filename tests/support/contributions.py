"""End-to-end steps shared by the role and contribution tests: schedule a session, open
the contribution modal with the real command, submit it with the real payload."""

from __future__ import annotations

from typing import Any

from bot.slack.ids import BlockId
from tests.support.fake_slack import FakeSlack
from tests.support.slack_client import HttpReply, SlackSender, submitted_values

SESSION_WHEN = "jeudi 14 janvier 2027 à 14\u00a0h"


def schedule(slack: SlackSender, user: str = "U0ORGA", when: str = "2027-01-14 14:00") -> None:
    reply = slack.command(f"session {when}", user=user)
    assert reply.status == 200, reply.body


def open_modal(slack: SlackSender, fake_slack: FakeSlack, user: str = "U0ALICE") -> dict[str, Any]:
    """Run `contribuer` and return the view the bot passed to views.open."""
    before = len(fake_slack.calls("views.open"))
    reply = slack.command("contribuer", user=user)
    assert (reply.status, reply.body) == (200, ""), reply.body
    opened = fake_slack.calls("views.open")
    assert len(opened) == before + 1, "the modal did not open"
    return opened[-1].args["view"]


def answers(
    *,
    kind: str | None = "talk",
    title: str | None = "Le design des politiques publiques",
    description: str | None = None,
    duration: str | None = "10",
    link: str | None = None,
    guest: str | None = None,
    affiliation: str | None = None,
) -> dict[str, str | None]:
    return {
        BlockId.CONTRIBUTION_KIND.value: kind,
        BlockId.CONTRIBUTION_TITLE.value: title,
        BlockId.CONTRIBUTION_DESCRIPTION.value: description,
        BlockId.CONTRIBUTION_DURATION.value: duration,
        BlockId.CONTRIBUTION_LINK.value: link,
        BlockId.CONTRIBUTION_GUEST.value: guest,
        BlockId.CONTRIBUTION_AFFILIATION.value: affiliation,
    }


def submit(
    slack: SlackSender, view: dict[str, Any], user: str = "U0ALICE", **fields: str | None
) -> HttpReply:
    """Submit `view` as Slack would; fields not given keep the modal's initial values."""
    changed = {_FIELD_BLOCKS[name]: value for name, value in fields.items()}
    return slack.view_submission(view, submitted_values(view, changed), user=user)


def contribute(
    slack: SlackSender, fake_slack: FakeSlack, user: str = "U0ALICE", **fields: str | None
) -> HttpReply:
    """Open the modal and submit it with `answers(**fields)` (defaults for the rest)."""
    view = open_modal(slack, fake_slack, user)
    return slack.view_submission(view, submitted_values(view, answers(**fields)), user=user)


_FIELD_BLOCKS = {
    "kind": BlockId.CONTRIBUTION_KIND.value,
    "title": BlockId.CONTRIBUTION_TITLE.value,
    "description": BlockId.CONTRIBUTION_DESCRIPTION.value,
    "duration": BlockId.CONTRIBUTION_DURATION.value,
    "link": BlockId.CONTRIBUTION_LINK.value,
    "guest": BlockId.CONTRIBUTION_GUEST.value,
    "affiliation": BlockId.CONTRIBUTION_AFFILIATION.value,
}
