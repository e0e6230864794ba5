"""One iCalendar event per session, made with the `icalendar` library.

- UID: `SessionEvent.uid`, the same for the session's whole life.
- SEQUENCE: the session's, raised on every move or change, so a calendar replaces its copy.
- A cancelled session is STATUS:CANCELLED, and a file sent to cancel it METHOD:CANCEL.
- DTSTART and DTEND carry the group's TZID, with the VTIMEZONE that defines it (covering
  the events' years only: from 1970, Europe/Paris takes 2,476 bytes of RDATEs, against 510
  for 2026-2028).
- The description holds the theme, the place, the guide and the contributions.
- A VALARM the group's `calendar_alarm_minutes` before the start (0: none).

Text is plain: member text goes into iCalendar properties, which the library escapes
(commas, semicolons, newlines); nothing here is mrkdwn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from bot.domain.calendar import SessionEvent
from bot.enums import Language
from bot.i18n import t
from bot.slack.text import plain

PRODID = "-//partage-bot//Groupe de partage//FR"


class Method(StrEnum):
    """PUBLISH: an event to add or update (a file or the feed); CANCEL: remove it."""

    PUBLISH = "PUBLISH"
    CANCEL = "CANCEL"


def _text(lang: Language, key: str, **params: object) -> str:
    return plain(t(lang, key, **params))


def channel_url(event: SessionEvent) -> str:
    """Opens the group's channel in Slack (app or browser)."""
    return f"https://slack.com/app_redirect?team={event.team_id}&channel={event.channel_id}"


def summary(theme: str | None, lang: Language) -> str:
    if theme:
        return _text(lang, "calendar.summary.theme", theme=theme)
    return _text(lang, "calendar.summary")


def description(event: SessionEvent, lang: Language, names: Mapping[str, str] | None = None) -> str:
    """Theme, place, guide, contributions, and the way back to the channel. `names`
    gives members' display names by user id; without one, the id is written."""
    names = names or {}
    lines: list[str] = []
    if event.cancelled:
        lines.append(_text(lang, "calendar.description.cancelled"))
    if event.theme:
        lines.append(_text(lang, "calendar.description.theme", theme=event.theme))
    else:
        lines.append(_text(lang, "calendar.description.theme.none"))
    if event.place:
        lines.append(_text(lang, "calendar.description.place", place=event.place))
    if event.guide_user_id:
        guide = names.get(event.guide_user_id, f"@{event.guide_user_id}")
        lines.append(_text(lang, "calendar.description.guide", guide=guide))
    else:
        lines.append(_text(lang, "calendar.description.guide.none"))
    if event.contributions:
        lines.append(_text(lang, "calendar.description.contributions"))
        for line in event.contributions:
            kind = _text(lang, f"kind.{line.kind.value}")
            if line.guest_name:
                lines.append(
                    _text(
                        lang,
                        "calendar.description.guest",
                        kind=kind,
                        title=line.title,
                        guest=line.guest_name,
                        minutes=line.duration_minutes,
                    )
                )
            else:
                lines.append(
                    _text(
                        lang,
                        "calendar.description.contribution",
                        kind=kind,
                        title=line.title,
                        minutes=line.duration_minutes,
                    )
                )
    else:
        lines.append(_text(lang, "calendar.description.contributions.none"))
    lines.append(_text(lang, "calendar.description.channel", url=channel_url(event)))
    return "\n".join(lines)


def _event(event: SessionEvent, lang: Language, names: Mapping[str, str] | None) -> Event:
    zone = ZoneInfo(event.timezone)
    component = Event()
    component.add("uid", event.uid)
    component.add("sequence", event.sequence)
    component.add("dtstamp", event.stamp.astimezone(UTC))
    component.add("last-modified", event.stamp.astimezone(UTC))
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", summary(event.theme, lang))
    component.add("description", description(event, lang, names))
    component.add("url", channel_url(event))
    if event.place:
        component.add("location", event.place)
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    component.add("transp", "TRANSPARENT" if event.cancelled else "OPAQUE")
    if event.alarm_minutes > 0 and not event.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _text(lang, "calendar.alarm"))
        alarm.add("trigger", timedelta(minutes=-event.alarm_minutes))
        component.add_component(alarm)
    return component


def render(
    events: Sequence[SessionEvent],
    *,
    lang: Language,
    method: Method = Method.PUBLISH,
    name: str | None = None,
    names: Mapping[str, str] | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per session and the VTIMEZONEs they use. `name`
    (X-WR-CALNAME) is for a feed, which calendars show under that name."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_event(event, lang, names))
    if events:
        first = min(e.starts_at for e in events).date()
        last = max(e.ends_at for e in events).date()
        calendar.add_missing_timezones(
            first_date=first.replace(year=max(first.year - 1, 1970), month=1, day=1),
            last_date=last.replace(year=last.year + 1, month=12, day=31),
        )
    return bytes(calendar.to_ical())


def filename(event: SessionEvent) -> str:
    """`session-2027-03-25.ics`, in the group's zone."""
    local: datetime = event.starts_at.astimezone(ZoneInfo(event.timezone))
    return f"session-{local:%Y-%m-%d}.ics"
