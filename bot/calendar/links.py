"""Google Calendar and Outlook web links for a session: "add this event" pages that need
no server of ours, opened by url buttons.

Both take the times in UTC. Slack caps a button's url at 3000 characters, so the details
stay short: the theme and the way back to the channel, not the whole programme.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

GOOGLE_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_URL = "https://outlook.office.com/calendar/0/deeplink/compose"
MAX_URL_LENGTH = 3000
MAX_DETAILS = 500


def _fitted(base: str, query: dict[str, str], details_field: str, title_field: str) -> str:
    """The link within Slack's cap: without its details if need be, then with a
    shorter title (characters that percent-encode to nine bytes add up fast)."""
    url = f"{base}?{urlencode(query)}"
    if len(url) <= MAX_URL_LENGTH:
        return url
    query = {**query, details_field: ""}
    title = query[title_field]
    while True:
        url = f"{base}?{urlencode({**query, title_field: title})}"
        if len(url) <= MAX_URL_LENGTH or not title:
            return url
        title = title[: len(title) * 2 // 3]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def google_link(
    *, title: str, details: str, starts_at: datetime, ends_at: datetime, timezone: str
) -> str:
    dates = f"{_utc(starts_at):%Y%m%dT%H%M%SZ}/{_utc(ends_at):%Y%m%dT%H%M%SZ}"
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": dates,
        "details": details[:MAX_DETAILS],
        "ctz": timezone,
    }
    return _fitted(GOOGLE_URL, query, "details", "text")


def outlook_link(*, title: str, details: str, starts_at: datetime, ends_at: datetime) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": f"{_utc(starts_at):%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{_utc(ends_at):%Y-%m-%dT%H:%M:%SZ}",
        "body": details[:MAX_DETAILS],
    }
    return _fitted(OUTLOOK_URL, query, "body", "subject")
