"""The statistics' CSV: one row per session held, readable by spreadsheets, member text
never run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from bot.domain.stats import GroupStats, SessionStat, stats_csv


def test_stats_csv_quotes_member_text_that_reads_as_a_formula():
    stats = GroupStats(
        sessions=(
            SessionStat(
                meeting_id=1,
                starts_at=datetime(2027, 1, 14, 13, 0, tzinfo=UTC),
                theme='=HYPERLINK("http://evil.example")',
                guide_user_id="U0BOB",
                participants=2,
                contributions=(("-2+3", "U0ALICE"), ("Données, ouvertes", "U0DAN")),
            ),
        ),
        contributions_per_member=(("U0ALICE", 1), ("U0DAN", 1)),
    )

    rows = list(csv.reader(io.StringIO(stats_csv(stats).decode("utf-8-sig"))))

    assert rows[1] == [
        "2027-01-14T13:00:00+00:00",
        '\'=HYPERLINK("http://evil.example")',
        "U0BOB",
        "2",
        "'-2+3 | Données, ouvertes",
        "U0ALICE U0DAN",
    ]
