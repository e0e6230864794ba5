"""t() returns mrkdwn: parameters escaped, templates well formed, mentions only of ids."""

from __future__ import annotations

import re
import string

import pytest

from bot.enums import Language
from bot.i18n import _compile, t
from bot.i18n.messages import CATALOGS
from bot.slack.text import Mrkdwn, escape, link


def test_t_escapes_member_text_in_parameters():
    text = t(Language.FR, "theme.notice", user="U0ALICE", theme="<!channel> & <@U0BOB>")

    assert text == (
        "<@U0ALICE> a fixé le thème de la prochaine session\u202f: "
        "*&lt;!channel&gt; &amp; &lt;@U0BOB&gt;*."
    )
    assert isinstance(text, Mrkdwn)


def test_t_keeps_mrkdwn_parameters_as_they_are():
    title = link("https://x.fr", "Sujet")

    text = t(Language.FR, "withdraw.done.contribution", title=title)

    assert "<https://x.fr|Sujet>" in text


def test_t_of_t_is_escaped_once():
    inner = t(Language.FR, "theme.notice", user="U0ALICE", theme="<b>")

    outer = t(Language.FR, "help.unknown", word=inner)

    assert "&lt;b&gt;" in outer
    assert "&amp;lt;" not in outer


def test_t_keeps_numbers_for_format_specs():
    assert t(Language.EN, "config.hour.option", hour=7) == "07:00"


def test_t_writes_numbers_the_language_way():
    assert t(Language.FR, "config.hour.option", hour=7) == "7\u00a0h"
    assert t(Language.FR, "tour.modal.hint", limit=3000) == "3\u202f000\u00a0caractères au plus."
    assert t(Language.EN, "tour.modal.hint", limit=3000) == "At most 3,000 characters."


@pytest.mark.parametrize("crafted", ["U0ALICE|<!channel>", "U0ALICE> <!here", "x"])
def test_t_writes_a_crafted_user_id_as_text_not_as_a_mention(crafted):
    text = t(Language.EN, "theme.notice", user=crafted, theme="T")

    assert text.startswith(escape("@" + crafted) + " set")
    assert "<" not in text


def test_t_writes_a_template_s_own_angle_brackets_as_entities():
    text = t(Language.FR, "programme.theme.none.manage", cmd="/partage")

    assert "`/partage theme &lt;texte&gt;`" in text


MARKUP = re.compile(r"<[^<>]*>")


def _rendered(template: str) -> str:
    """A template filled with harmless values for every placeholder."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    compiled = _compile(template)
    values: dict[str, object] = {name: 1 for name in names}
    values.update({"@" + n: f"<@U0{n.upper()}>" for n in compiled.users})
    values.update({"#" + n: f"<#C0{n.upper()}>" for n in compiled.channels})
    return compiled.text.format(**values)


@pytest.mark.parametrize("lang", list(Language))
def test_every_template_writes_markup_only_as_mentions(lang):
    wrong = {}
    for key, template in CATALOGS[lang].items():
        rendered = _rendered(template)
        tokens = MARKUP.findall(rendered)
        stray = rendered.count("<") + rendered.count(">") - 2 * len(tokens)
        if stray or any(not re.fullmatch(r"<[@#][UC]0\w+>", token) for token in tokens):
            wrong[key] = rendered

    assert wrong == {}
