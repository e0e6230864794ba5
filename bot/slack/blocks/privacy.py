"""`/partage mes-donnees`: the listing of what the bot stores about the member, with the
button that erases it (behind Slack's confirmation dialog), and the answer after it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain.personal_data import SECTIONS, Entry, Outcome
from bot.domain.tour import FIELDS
from bot.enums import ContributionKind, Language
from bot.i18n import format_day, format_when, t
from bot.slack.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    divider,
    header,
    message,
    plain_object,
    section,
)
from bot.slack.ids import ActionId, BlockId
from bot.slack.text import NEWLINE, Mrkdwn, link

# A message holds 50 blocks and a section 3000 characters: the listing shows this many
# lines per group and this many groups, and says how many more there are.
LINES_PER_GROUP = 20
GROUPS_SHOWN = 40
ERASE_VALUE = "erase"

# Entries about a session are dated with its time; the others with their day.
_SESSION_KEYS = frozenset(
    {"created", "role.guide", "role.participant", "contribution", "invite", "recap.guide"}
    | {"recap.contribution", "tour.answer", "tour.help_offer"}
)


def entry_line(entry: Entry, lang: Language, tz: str) -> Mrkdwn:
    """One line of the listing, member text escaped (titles, themes, links)."""
    when: Mrkdwn | str = ""
    if entry.at is not None:
        dated = format_when if entry.key in _SESSION_KEYS else format_day
        when = dated(entry.at, tz, lang)
    params: dict[str, Any] = {"when": when}
    key = entry.key
    if key in ("created", "role.guide", "role.participant"):
        params["status"] = t(lang, f"mydata.session.{entry.param('status')}")
    elif key == "contribution":
        params["title"] = link(entry.param("link"), entry.param("title"))
        params["kind"] = t(lang, f"kind.{ContributionKind(entry.param('kind')).value}")
        params["status"] = t(lang, f"mydata.contribution.{entry.param('status')}")
        if entry.param("guest"):
            key = "contribution.guest"
            params["guest"] = entry.param("guest")
    elif key in ("proposal", "proposal.polled"):
        params["text"] = entry.param("text")
        params["status"] = t(lang, f"mydata.proposal.{entry.param('status')}")
    elif key == "proposal.name":
        params["name"] = entry.param("name")
    elif key == "vote":
        params["emoji"] = f":{entry.param('emoji')}:"
    elif key == "audit":
        params["line"] = t(
            lang,
            f"audit.{entry.param('action')}",
            at=when,
            actor=entry.param("actor"),
            subject=entry.param("subject"),
            detail=entry.param("detail"),
        )
    elif key == "recap.contribution":
        params["title"] = entry.param("title")
    elif key == "outbox":
        params["count"] = entry.param("count")
    elif key == "tour.answer":
        quotes = [
            t(lang, "mydata.tour.quote", label=t(lang, f"mydata.tour.{name}"), text=text)
            for name in FIELDS
            if (text := entry.param(name))
        ]
        params["answers"] = Mrkdwn(", ").join(quotes)
        params["shared"] = t(
            lang, "mydata.tour.shared" if entry.param("shared") else "mydata.tour.private"
        )
    return t(lang, f"mydata.entry.{key}", **params)


def _erase_button(lang: Language) -> Block:
    element = button(t(lang, "mydata.delete.button"), ActionId.MY_DATA_ERASE, ERASE_VALUE)
    element["style"] = "danger"
    element["confirm"] = {
        "title": plain_object(t(lang, "mydata.delete.confirm.title"), 100),
        "text": {"type": "mrkdwn", "text": t(lang, "mydata.delete.confirm.text")},
        "confirm": plain_object(t(lang, "mydata.delete.confirm.confirm"), 30),
        "deny": plain_object(t(lang, "mydata.delete.confirm.deny"), 30),
        "style": "danger",
    }
    return actions(BlockId.MY_DATA, element)


def build_my_data(
    entries: Sequence[Entry], channels: Mapping[int, str], lang: Language, tz: str
) -> Message:
    """Everything stored about the member, group by group (the order of the groups'
    creation), then what is not kept, then the rule of the erasure and its button."""
    title = t(lang, "mydata.title")
    if not entries:
        return message(
            title,
            [header(title), section(t(lang, "mydata.nothing")), context(t(lang, "mydata.notes"))],
        )
    by_group: dict[int | None, list[Entry]] = {}
    for entry in entries:
        by_group.setdefault(entry.group_id, []).append(entry)
    blocks: list[Block] = [header(title), section(t(lang, "mydata.intro"))]
    for group_id in sorted(by_group, key=lambda g: (g is None, g or 0))[:GROUPS_SHOWN]:
        mine = by_group[group_id]
        lines: list[Mrkdwn] = []
        channel = channels.get(group_id) if group_id is not None else None
        if channel:
            lines.append(t(lang, "mydata.group", channel=channel))
        lines += [entry_line(e, lang, tz) for e in mine[:LINES_PER_GROUP]]
        if len(mine) > LINES_PER_GROUP:
            lines.append(t(lang, "mydata.more", count=len(mine) - LINES_PER_GROUP))
        blocks.append(section(NEWLINE.join(lines)))
    blocks += [
        context(t(lang, "mydata.notes")),
        divider(),
        section(t(lang, "mydata.delete.rule")),
        _erase_button(lang),
    ]
    return message(title, blocks)


def _counts(lang: Language, counts: Mapping[str, int]) -> Mrkdwn:
    order = [s.key for s in SECTIONS]
    known = sorted(counts, key=lambda k: order.index(k) if k in order else len(order))
    return Mrkdwn(", ").join(t(lang, f"mydata.section.{key}", count=counts[key]) for key in known)


def build_erased(outcome: Outcome, lang: Language) -> Message:
    """What the erasure deleted and what it anonymised, section by section."""
    title = t(lang, "mydata.erased.title")
    if not outcome.anything:
        return message(title, [section(t(lang, "mydata.erased.nothing"))])
    lines: list[Mrkdwn] = []
    if outcome.deleted:
        lines.append(t(lang, "mydata.erased.deleted", items=_counts(lang, outcome.deleted)))
    if outcome.anonymised:
        lines.append(t(lang, "mydata.erased.anonymised", items=_counts(lang, outcome.anonymised)))
    blocks = [header(title), section(NEWLINE.join(lines))]
    if outcome.deleted.get("roles") or outcome.deleted.get("contributions"):
        blocks.append(context(t(lang, "mydata.erased.refreshed")))
    return message(title, blocks)
