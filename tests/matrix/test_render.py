"""Block Kit messages drawn for Matrix: plain body, HTML formatted_body, no pings."""

from __future__ import annotations

from bot.enums import Language
from bot.i18n import t
from bot.matrix.render import matrix_content, render
from bot.slack.blocks.common import actions, button, context, header, message, section
from bot.slack.blocks.help import build_help
from bot.slack.ids import ActionId
from bot.slack.text import Mrkdwn, escape, link, mention


def test_render_section_with_bold_italic_code_and_link():
    text = Mrkdwn("*Thème* : _accessibilité_, `!partage aide` et ") + link(
        "https://partage.test/a?b=1&c=2", "le lien"
    )

    body, formatted = render(message(text, [section(text)]))

    assert (
        body
        == "*Thème* : _accessibilité_, `!partage aide` et le lien (https://partage.test/a?b=1&c=2)"
    )
    assert formatted == (
        "<p><strong>Thème</strong> : <em>accessibilité</em>, <code>!partage aide</code> et "
        '<a href="https://partage.test/a?b=1&amp;c=2">le lien</a></p>'
    )


def test_render_member_text_stays_text():
    text = escape("<script>alert(1)</script> & <@U123> @room")

    body, formatted = render(message(text, [section(text)]))

    assert body == "<script>alert(1)</script> & <@U123> @room"
    assert formatted == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;@U123&gt; @room</p>"


def test_render_matrix_mention_becomes_display_name_without_ping():
    text = t(Language.FR, "guide.notice", user="@alice:partage.test", when="jeudi")

    content = matrix_content(
        message(text, [section(text)]), names={"@alice:partage.test": "Alice Martin"}.get
    )

    assert "Alice Martin" in content["body"]
    assert "@alice:partage.test" not in content["body"] + content["formatted_body"]
    assert content["m.mentions"] == {}


def test_render_header_context_list_and_buttons_name_the_command():
    blocks = [
        header("Programme"),
        section(Mrkdwn("• première\n• seconde")),
        context(Mrkdwn("à lire")),
        actions("b", button("Je serai guide", ActionId.CLAIM_GUIDE, "1")),
    ]

    body, formatted = render(message("Programme", blocks), command="!partage")

    assert (
        body
        == "Programme\n\n• première\n• seconde\n\nà lire\n\nJe serai guide\u202f: !partage guide"
    )
    assert formatted == (
        "<h3>Programme</h3><p><ul><li>première</li><li>seconde</li></ul></p>"
        "<p><em>à lire</em></p>"
        "<ul><li>Je serai guide\u202f: <code>!partage guide</code></li></ul>"
    )


def test_render_help_names_the_matrix_command():
    body, formatted = render(build_help(Language.FR, "!partage"))

    assert "!partage session 2027-01-14 14:00" in body
    assert "/partage" not in body + formatted


def test_render_slack_mention_without_names_shows_the_id():
    text = Mrkdwn("Guide : ") + mention("U0123ABCD")

    assert render(message(text, [section(text)]))[0] == "Guide : U0123ABCD"
