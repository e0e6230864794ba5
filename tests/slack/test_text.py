"""Mrkdwn, escape, plain, mention and link: the one way member text reaches mrkdwn."""

from __future__ import annotations

import pytest

from bot.slack.text import (
    Mrkdwn,
    channel_mention,
    escape,
    is_user_id,
    lines,
    link,
    mention,
    plain,
)


def test_escape_writes_the_three_control_characters_as_entities():
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_escape_of_mrkdwn_is_a_no_op():
    once = escape("<b> & co")

    assert escape(once) == "&lt;b&gt; &amp; co"
    assert isinstance(once, Mrkdwn)


def test_escape_of_text_already_escaped_keeps_it_literal():
    assert escape("&lt;") == "&amp;lt;"


def test_plain_unescapes_mrkdwn_and_leaves_raw_text_alone():
    assert plain(escape("a < b & c > d &lt;")) == "a < b & c > d &lt;"
    assert plain("a &lt; b") == "a &lt; b"


def test_join_escapes_raw_parts_and_keeps_mrkdwn_parts():
    joined = lines(Mrkdwn("*gras*"), "<!here>", escape("<x>"))

    assert joined == "*gras*\n&lt;!here&gt;\n&lt;x&gt;"
    assert isinstance(joined, Mrkdwn)


def test_adding_raw_text_to_mrkdwn_escapes_it():
    assert Mrkdwn("• ") + "<!channel>" == "• &lt;!channel&gt;"
    assert "<!channel>" + Mrkdwn(" •") == "&lt;!channel&gt; •"


def test_an_f_string_of_mrkdwn_is_plain_text_again():
    built = f"{Mrkdwn('<@U0ALICE>')}"

    assert not isinstance(built, Mrkdwn)
    assert escape(built) == "&lt;@U0ALICE&gt;"


def test_truncate_never_cuts_a_token_or_an_entity_in_half():
    text = Mrkdwn("abc <@U0ALICE> &lt;")

    assert text.truncate(8) == "abc …"
    assert text.truncate(18) == "abc <@U0ALICE> …"
    assert text.truncate(100) == text


@pytest.mark.parametrize("user_id", ["U0ALICE", "W012AB3CD", "U123"])
def test_is_user_id_accepts_slack_user_ids(user_id):
    assert is_user_id(user_id)


@pytest.mark.parametrize(
    "user_id", ["", "U1", "u0alice", "C0GROUP", "U0ALICE|<!channel>", "U0 ALICE", None, 12]
)
def test_is_user_id_refuses_anything_else(user_id):
    assert not is_user_id(user_id)


def test_mention_of_an_id_is_a_mention():
    assert mention("U0ALICE") == "<@U0ALICE>"
    assert channel_mention("C0GROUP") == "<#C0GROUP>"


@pytest.mark.parametrize("crafted", ["U0ALICE|<!channel>", "U0ALICE>", "<!here>", "!channel"])
def test_mention_of_a_crafted_id_is_escaped_text(crafted):
    assert mention(crafted) == escape("@" + crafted)
    assert channel_mention(crafted) == escape("#" + crafted)


def test_link_of_a_valid_url_escapes_the_label_and_the_ampersands():
    assert link("https://x.fr/a?b=1&c=2", "<!channel> & co") == (
        "<https://x.fr/a?b=1&amp;c=2|&lt;!channel&gt; &amp; co>"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://x.example/><!channel><https://evil.example",
        "https://evil.example|https://good.example",
        "javascript:alert(1)",
        "https://good.example/\u202egnp",
    ],
)
def test_link_of_an_invalid_url_shows_it_escaped_and_makes_no_link(url):
    made = link(url, "Sujet")

    assert made == Mrkdwn("Sujet (") + escape(url) + Mrkdwn(")")
    assert "<" not in made


@pytest.mark.parametrize("label", ["https://good.example", "voir www.good.example", "good.example"])
def test_link_whose_label_reads_like_an_address_shows_its_url(label):
    assert link("https://evil.example/x", label) == f"{label} (<https://evil.example/x>)"


def test_link_without_url_is_the_label():
    assert link(None, "<b>") == "&lt;b&gt;"
