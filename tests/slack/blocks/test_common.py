"""Packing lines into sections: within Slack's limits, never cutting a link."""

from __future__ import annotations

from bot.slack.blocks.common import sections
from bot.slack.text import Mrkdwn, link


def texts(blocks) -> list[str]:
    return [block["text"]["text"] for block in blocks]


def test_sections_pack_short_lines_together():
    assert texts(sections([Mrkdwn("a"), Mrkdwn("b"), Mrkdwn("c")])) == ["a\nb\nc"]


def test_sections_start_a_new_section_rather_than_split_a_line():
    lines = [Mrkdwn("a" * 2000), Mrkdwn("b" * 1500), Mrkdwn("c" * 1400)]

    assert texts(sections(lines)) == ["a" * 2000, "b" * 1500 + "\n" + "c" * 1400]


def test_sections_a_line_too_long_alone_loses_its_link_whole_never_half():
    url = "https://exemple.fr/" + "x" * 2990
    line = Mrkdwn("intro ") + link(url, "support") + Mrkdwn(" fin")

    [text] = texts(sections([line]))

    assert text == "intro …"


def test_sections_beyond_the_block_budget_end_with_how_many_are_left():
    lines = [Mrkdwn(str(i) * 2000) for i in range(10)]

    blocks = sections(lines, max_blocks=4, more=lambda n: Mrkdwn(f"+{n}"))

    assert texts(blocks) == ["0" * 2000, "1" * 2000, "2" * 2000, "+7"]


def test_sections_keep_the_tail_whatever_the_budget():
    lines = [Mrkdwn(str(i) * 2000) for i in range(10)]

    blocks = sections(lines, max_blocks=4, more=lambda n: Mrkdwn(f"+{n}"), tail=[Mrkdwn("end")])

    assert texts(blocks) == ["0" * 2000, "1" * 2000, "+8", "end"]


def test_sections_escape_plain_text():
    assert texts(sections(["<!channel>"])) == ["&lt;!channel&gt;"]
