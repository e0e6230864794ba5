"""What every message of a session shows the same way: lists of any length spread over
sections (no link ever cut), a guest named as a guest, the place, and the time over the
budget accounted for. Validated with slack_sdk's Block Kit models."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.domain.programme import ContributionLine, Programme
from bot.enums import ContributionKind, Language
from bot.slack.blocks.common import Message
from bot.slack.blocks.contribution import (
    build_contribution_confirmation,
    build_contribution_notice,
)
from bot.slack.blocks.cycle import (
    Audience,
    build_announcement,
    build_contributor_reminder,
    build_guide_overview,
    build_participant_reminder,
    build_run_of_show,
)
from bot.slack.blocks.programme import build_programme
from bot.slack.ids import ActionId
from tests.support.blocks import assert_valid_message
from tests.support.slack_client import message_text

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
TZ = "Europe/Paris"
CALL = "https://visio.exemple.fr/partage?pwd=abc"


def audience(lang: Language) -> Audience:
    return Audience(lang=lang, tz=TZ, command="/partage", channel_id="C0GROUP")


def programme(*contributions: ContributionLine, place: str | None = None) -> Programme:
    return Programme(
        meeting_id=42,
        starts_at=START,
        duration_minutes=90,
        theme="Accessibilité",
        guide_user_id="U0GUIDE",
        contributions=tuple(contributions),
        participant_count=5,
        place=place,
    )


def talk(index: int, **overrides) -> ContributionLine:
    values = {
        "id": index + 1,
        "kind": ContributionKind.TALK,
        "title": f"Titre {index}",
        "author_user_id": f"U{index:03d}X",
        "duration_minutes": 10,
        "ready": index % 2 == 0,
        "guest_name": None,
        "link": None,
    }
    values.update(overrides)
    return ContributionLine(**values)


def long_link(index: int) -> str:
    base = f"https://exemple.fr/supports/{index:02d}/"
    return base + "x" * (2000 - len(base))


GUEST = talk(
    0,
    kind=ContributionKind.GUEST,
    title="L'accessibilité vue par une usagère",
    author_user_id="U0INES",
    duration_minutes=12,
    guest_name="Marie Dupont",
    guest_affiliation="APF France handicap",
)
CAMILLE = talk(1, title="Le RGAA en pratique", author_user_id="U0CAMILLE", duration_minutes=12)

# Every message that lists the session's contributions, as the cycle sends it.
LISTS: dict[str, Callable[[Programme, Language], Message]] = {
    "programme": lambda p, lang: build_programme(p, lang, TZ, "/partage"),
    "announcement": lambda p, lang: build_announcement(p, audience(lang)),
    "run of show": lambda p, lang: build_run_of_show(p, audience(lang)),
    "guide overview": lambda p, lang: build_guide_overview(p, audience(lang), lead_minutes=15),
    "guide last overview": lambda p, lang: build_guide_overview(
        p, audience(lang), lead_minutes=15, last=True
    ),
    "co-contributor reminder": lambda p, lang: build_contributor_reminder(
        p, p.contributions[-1], list(p.contributions[:-1]), audience(lang)
    ),
}
# Every message a session sends, for what all of them show (the place).
SESSION_MESSAGES: dict[str, Callable[[Programme, Language], Message]] = {
    **LISTS,
    "host reminder": lambda p, lang: build_contributor_reminder(
        p, p.contributions[0], list(p.contributions[1:]), audience(lang)
    ),
    "host last reminder": lambda p, lang: build_contributor_reminder(
        p, p.contributions[0], [], audience(lang), last=True
    ),
    "participant reminder": lambda p, lang: build_participant_reminder(p, audience(lang)),
}


def unbalanced_tokens(text: str) -> list[str]:
    """`<` without its `>` (or the reverse): a link or mention cut in half."""
    opened = 0
    for char in text:
        if char == "<":
            if opened:
                return [text]
            opened = 1
        elif char == ">":
            if not opened:
                return [text]
            opened = 0
    return [text] if opened else []


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("name", list(LISTS))
def test_forty_contributions_with_long_links_appear_whole_in_every_message(name, lang):
    forty = [talk(i, duration_minutes=1, link=long_link(i)) for i in range(40)]
    # The co-contributor reminder lists the others: the 40 plus the member it is sent to.
    contributions = [*forty, talk(40)] if name == "co-contributor reminder" else forty

    message = LISTS[name](programme(*contributions), lang)

    assert_valid_message(message)
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    assert all(len(text) <= 3000 and unbalanced_tokens(text) == [] for text in sections)
    text = message_text(message)
    for index, contribution in enumerate(forty):
        assert f"<{contribution.link}|Titre {index}>" in text


@pytest.mark.parametrize("name", list(LISTS))
def test_more_contributions_than_fit_in_fifty_blocks_end_with_how_many_are_left(name):
    many = [talk(i, duration_minutes=1, link=long_link(i)) for i in range(70)]

    message = LISTS[name](programme(*many), Language.FR)

    assert_valid_message(message)
    text = message_text(message)
    shown = sum(f"<{c.link}|" in text for c in many)
    left = re.findall(
        r"… et (\d+) de plus\u202f: la liste complète avec `/partage programme`", text
    )
    assert left != []
    assert shown + sum(map(int, left)) == 70
    if name == "run of show":  # the talks may be cut short, never the end of the session
        assert "*15\u00a0h\u00a055* Fin" in text
    assert all(unbalanced_tokens(b["text"]["text"]) == [] for b in message["blocks"] if "text" in b)


GUEST_FR = (
    "Invité·e\u202f: Marie Dupont (APF France handicap) — "
    "«\u202fL'accessibilité vue par une usagère\u202f», accueilli·e par <@U0INES>"
)
GUEST_EN = (
    "Guest: Marie Dupont (APF France handicap) — "
    "\u201cL'accessibilité vue par une usagère\u201d, hosted by <@U0INES>"
)


@pytest.mark.parametrize(("lang", "expected"), [(Language.FR, GUEST_FR), (Language.EN, GUEST_EN)])
@pytest.mark.parametrize("name", list(LISTS))
def test_a_guest_contribution_names_the_guest_and_the_host_in_every_list(name, lang, expected):
    message = LISTS[name](programme(GUEST, CAMILLE, talk(2)), lang)

    assert_valid_message(message)
    text = message_text(message)
    assert expected in text
    assert "(Marie Dupont (APF" not in text  # never glued into the title


def test_a_guest_contribution_has_its_slot_in_the_programme_and_the_run_of_show():
    both = programme(CAMILLE, GUEST)

    listed = message_text(build_programme(both, Language.FR, TZ, "/partage", manage=True))
    run = message_text(build_run_of_show(both, audience(Language.FR)))

    assert (
        "1. *14\u00a0h\u00a030\u00a0–\u00a014\u00a0h\u00a042* <@U0CAMILLE> — Exposé «\u202fLe "
        "RGAA en pratique\u202f», 12\u00a0min" in (listed)
    )
    assert (
        f"2. *14\u00a0h\u00a042\u00a0–\u00a014\u00a0h\u00a054* {GUEST_FR}, 12\u00a0min · "
        "contribution prête ✅" in listed
    )
    assert f"      *14\u00a0h\u00a042\u00a0–\u00a014\u00a0h\u00a054* {GUEST_FR}" in run
    assert "      *14\u00a0h\u00a054\u00a0–\u00a015\u00a0h\u00a015* discussion" in run


@pytest.mark.parametrize("last", [False, True])
def test_the_hosts_reminder_is_about_welcoming_the_guest_not_presenting(last):
    message = build_contributor_reminder(
        programme(GUEST, CAMILLE), GUEST, [CAMILLE], audience(Language.FR), last=last
    )

    text = message_text(message)
    assert "Marie Dupont (APF France handicap)" in text
    assert "Vous y présentez" not in text
    assert ("votre invité·e a bien le lieu" if last else "Vous y accueillez Marie Dupont") in text
    assert "Synchronisez-vous" not in text


def test_the_hosts_reminder_in_english_says_they_host():
    message = build_contributor_reminder(programme(GUEST), GUEST, [], audience(Language.EN))

    text = message_text(message)
    assert "You host Marie Dupont (APF France handicap), who presents" in text
    assert "You present" not in text


def test_a_guest_contribution_confirmation_and_notice_name_the_guest():
    confirmation = build_contribution_confirmation(
        Language.FR,
        when="jeudi",
        contribution=GUEST,
        created=True,
        budget_used=12,
        command="/partage",
    )
    notice = build_contribution_notice(
        Language.FR,
        when="jeudi",
        user_id="U0INES",
        contribution=GUEST,
        created=True,
        budget_used=12,
    )

    assert (
        "Invité·e\u202f: Marie Dupont (APF France handicap) — "
        "«\u202fL'accessibilité vue par une usagère\u202f», 12\u00a0min."
    ) in message_text(confirmation)
    assert "Vous accueillez votre invité·e" in message_text(confirmation)
    assert notice["text"] == (
        "<@U0INES> invite Marie Dupont (APF France handicap) à la session du *jeudi*\u202f: "
        "«\u202fL'accessibilité vue par une usagère\u202f», 12\u00a0min."
    )


# The "Ajouter à mon agenda" row links to Google Calendar and Outlook in every message.
CALENDAR_LINKS = {ActionId.CALENDAR_GOOGLE, ActionId.CALENDAR_OUTLOOK}


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("name", list(SESSION_MESSAGES))
def test_a_video_call_place_is_a_link_and_a_join_button_in_every_message(name, lang):
    message = SESSION_MESSAGES[name](programme(GUEST, CAMILLE, place=CALL), lang)

    assert_valid_message(message)
    label = "lien de la visio" if lang is Language.FR else "call link"
    assert f"<{CALL}|{label}>" in message_text(message)
    urls = [
        (e["action_id"], e.get("url"))
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("url") and e["action_id"] not in CALENDAR_LINKS
    ]
    overview = name.startswith("guide")
    assert urls == ([] if overview else [(ActionId.JOIN_CALL, CALL)])


@pytest.mark.parametrize("name", list(SESSION_MESSAGES))
def test_a_place_as_text_appears_in_every_message(name):
    message = SESSION_MESSAGES[name](programme(GUEST, CAMILLE, place="Salle 3 <b>"), Language.FR)

    assert "*Lieu\u202f:* Salle 3 &lt;b&gt;" in message_text(message)


def test_no_place_says_how_to_set_it_to_those_who_may_only():
    managed = build_programme(programme(CAMILLE), Language.FR, TZ, "/partage", manage=True)
    member = build_programme(programme(CAMILLE), Language.FR, TZ, "/partage")

    assert "*Lieu\u202f:* à préciser (`/partage lieu &lt;texte ou lien&gt;`)" in message_text(
        managed
    )
    assert "*Lieu\u202f:* à préciser\n" in message_text(member)
    assert "/partage lieu" not in message_text(member)


@pytest.mark.parametrize("name", ["announcement", "run of show", "participant reminder"])
def test_no_place_reads_a_preciser_in_public_without_a_command(name):
    message = SESSION_MESSAGES[name](programme(CAMILLE), Language.FR)

    text = message_text(message)
    assert "*Lieu\u202f:* à préciser" in text
    assert "/partage lieu" not in text


def test_run_of_show_over_budget_says_where_the_time_comes_from():
    over = programme(
        talk(0, duration_minutes=20), talk(1, duration_minutes=20), talk(2, duration_minutes=20)
    )

    text = message_text(build_programme(over, Language.FR, TZ, "/partage", manage=True))
    public = message_text(build_run_of_show(over, audience(Language.FR)))

    # The overrun is explained to the organisers and the guide; the channel reads the
    # shifted times only.
    assert "au-delà du budget" not in public
    assert "*15\u00a0h\u00a045* Fin" in public
    assert (
        "⚠️ 30\u00a0min de présentation au-delà du budget\u202f: discussion raccourcie de "
        "10\u00a0min, "
        "marge de fin utilisée (5\u00a0min), fin 15\u00a0min plus tard que prévu, à "
        "15\u00a0h\u00a045."
    ) in text
    assert "      *15\u00a0h\u00a030\u00a0–\u00a015\u00a0h\u00a035* discussion" in text
    assert "*15\u00a0h\u00a035\u00a0–\u00a015\u00a0h\u00a045* Anticipation" in text
    assert "*15\u00a0h\u00a045* Fin" in text
    assert "Marge" not in text


def test_run_of_show_slightly_over_budget_only_shortens_the_discussion():
    over = programme(talk(0, duration_minutes=20), talk(1, duration_minutes=17))

    text = message_text(build_programme(over, Language.EN, TZ, "/partage", manage=True))

    assert "⚠️ 7 min of presentations over the budget: discussion shortened by 7 min." in text
    assert "*15:25–15:30* Margin: room to end on time" in text
    assert "*15:30* End" in text


def test_default_run_of_show_names_the_margin_and_leaves_no_gap():
    text = message_text(build_run_of_show(programme(), audience(Language.FR)))

    lines = [
        "*14\u00a0h\u00a0–\u00a014\u00a0h\u00a002* Introduction",
        "*14\u00a0h\u00a002\u00a0–\u00a014\u00a0h\u00a030* Tour de table",
        "*14\u00a0h\u00a030\u00a0–\u00a015\u00a0h\u00a015* Échange",
        "      *14\u00a0h\u00a030\u00a0–\u00a015\u00a0h\u00a015* discussion",
        "*15\u00a0h\u00a015\u00a0–\u00a015\u00a0h\u00a025* Anticipation",
        "*15\u00a0h\u00a025\u00a0–\u00a015\u00a0h\u00a030* Marge\u202f: de quoi finir à l’heure",
        "*15\u00a0h\u00a030* Fin",
    ]
    positions = [text.index(line) for line in lines]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", list(LISTS))
def test_a_line_too_long_for_a_section_puts_its_link_whole_on_a_line_of_its_own(name):
    # 2,000 characters of which 400 `&`: escaped, the link alone takes 3,200 characters.
    base = "https://exemple.fr/a?"
    heavy = base + "&b" * 400 + "c" * (2000 - len(base) - 800)
    contributions = [talk(0, link=heavy, title="Lourd"), talk(1), talk(2)]

    message = LISTS[name](programme(*contributions), Language.FR)

    assert_valid_message(message)
    text = message_text(message)
    assert "«\u202fLourd\u202f»" in text
    escaped = heavy.replace("&", "&amp;")
    assert f"<{escaped}>" not in text  # too long for any section: dropped whole ...
    assert all(unbalanced_tokens(b["text"]["text"]) == [] for b in message["blocks"] if "text" in b)


@pytest.mark.parametrize("name", list(LISTS))
def test_a_long_link_that_fits_alone_goes_on_its_own_line_labelled_with_its_host(name):
    # Escaped, the link takes 2,960 characters: too long with the rest of its line.
    base = "https://exemple.fr/a?"
    heavy = base + "&b" * 240 + "c" * (2000 - len(base) - 480)
    assert len(heavy.replace("&", "&amp;")) == 2960
    contributions = [talk(0, link=heavy, title="Lourd"), talk(1), talk(2)]

    message = LISTS[name](programme(*contributions), Language.FR)

    assert_valid_message(message)
    text = message_text(message)
    escaped = heavy.replace("&", "&amp;")
    # Lists with longer lines (numbered, with a slot and a state) move the link out; the
    # shorter bullet lines of the overviews and DMs keep it on the title.
    moved = "«\u202fLourd\u202f»" in text and f"      ↳ exemple.fr (<{escaped}>)" in text
    kept = f"«\u202f<{escaped}|Lourd>\u202f»" in text
    assert moved if name in ("programme", "announcement", "run of show") else kept


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("name", list(SESSION_MESSAGES))
def test_no_button_or_header_text_is_cut_by_a_block_kit_limit(name, lang):
    message = SESSION_MESSAGES[name](programme(GUEST, CAMILLE, talk(2), place=CALL), lang)

    plain = [
        element["text"]["text"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ] + [block["text"]["text"] for block in message["blocks"] if block["type"] == "header"]
    assert plain != []
    assert [text for text in plain if text.endswith("…")] == []
