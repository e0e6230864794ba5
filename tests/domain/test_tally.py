"""The poll tally: examples, then properties that must hold for any set of reactions."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.tally import OPTION_EMOJIS, fold_emoji, tally, tally_votes

BOT = "UBOT"
THREE = [("one", 1), ("two", 2), ("three", 3)]


def test_tally_counts_distinct_members_per_option():
    reactions = [
        {"name": "one", "users": ["U1", "U2", BOT], "count": 3},
        {"name": "two", "users": ["U1", BOT], "count": 2},
        {"name": "three", "users": [BOT], "count": 1},
    ]

    result = tally(THREE, reactions, BOT)

    assert [c.count for c in result.counts] == [2, 1, 0]
    assert result.winner == 1
    assert result.tie is False


def test_tally_folds_skin_tones_into_one_vote_per_member():
    reactions = [
        {"name": "two", "users": ["U1"], "count": 1},
        {"name": "two::skin-tone-2", "users": ["U1", "U2"], "count": 2},
        {"name": "one", "users": ["U3"], "count": 1},
    ]

    result = tally(THREE, reactions, BOT)

    assert result.count_of(2) == 2
    assert result.winner == 2


def test_tally_ignores_other_emoji_and_the_bot():
    reactions = [
        {"name": "thumbsup", "users": ["U1", "U2", "U3"], "count": 3},
        {"name": "four", "users": ["U1"], "count": 1},  # not an option of this poll
        {"name": "one", "users": [BOT], "count": 1},
    ]

    result = tally(THREE, reactions, BOT)

    assert [c.count for c in result.counts] == [0, 0, 0]
    assert result.winner is None
    assert result.tie is False


def test_tally_tie_goes_to_earliest_proposal_and_says_tie():
    reactions = [
        {"name": "three", "users": ["U1", "U2"], "count": 2},
        {"name": "two", "users": ["U3", "U4"], "count": 2},
        {"name": "one", "users": ["U5"], "count": 1},
    ]

    result = tally(THREE, reactions, BOT)

    assert result.winner == 2
    assert result.tie is True
    assert result.tied_positions == (2, 3)


def test_tally_lists_counts_in_position_order_whatever_the_input_order():
    options = [("three", 3), ("one", 1), ("two", 2)]

    result = tally(options, [{"name": "three", "users": ["U1"], "count": 1}], BOT)

    assert [(c.position, c.emoji, c.count) for c in result.counts] == [
        (1, "one", 0),
        (2, "two", 0),
        (3, "three", 1),
    ]


def test_tally_reads_users_not_count():
    reactions = [{"name": "one", "users": ["U1"], "count": 40}]

    assert tally(THREE, reactions, BOT).count_of(1) == 1


def test_tally_votes_from_recorded_events_matches_reactions():
    votes = [("U1", "one"), ("U2", "one::skin-tone-5"), ("U2", "two"), (BOT, "two")]

    result = tally_votes(THREE, votes, BOT)

    assert [c.count for c in result.counts] == [2, 1, 0]
    assert result.winner == 1


def test_fold_emoji_keeps_plain_names():
    assert fold_emoji("keycap_ten::skin-tone-6") == "keycap_ten"
    assert fold_emoji("one") == "one"


# --- properties --------------------------------------------------------------------------

USERS = st.sampled_from([f"U{i}" for i in range(8)] + [BOT])
EMOJI_NAMES = st.sampled_from([*OPTION_EMOJIS[:5], "thumbsup", "tada", "six"])
TONES = st.sampled_from(["", "::skin-tone-2", "::skin-tone-3", "::skin-tone-6"])
VOTE = st.tuples(USERS, st.builds(lambda name, tone: name + tone, EMOJI_NAMES, TONES))
VOTES = st.lists(VOTE, max_size=40)
OPTION_COUNT = st.integers(min_value=1, max_value=5)


def options_of(n: int) -> list[tuple[str, int]]:
    return [(OPTION_EMOJIS[i], i + 1) for i in range(n)]


def as_reactions(votes: list[tuple[str, str]]) -> list[dict[str, object]]:
    """Group votes the way reactions.get does: one entry per exact emoji name."""
    by_name: dict[str, list[str]] = {}
    for user, name in votes:
        users = by_name.setdefault(name, [])
        if user not in users:
            users.append(user)
    return [{"name": n, "users": u, "count": len(u)} for n, u in by_name.items()]


@given(n=OPTION_COUNT, votes=VOTES, seed=st.integers())
def test_property_vote_order_does_not_matter(n, votes, seed):
    shuffled = list(votes)
    random.Random(seed).shuffle(shuffled)

    assert tally_votes(options_of(n), votes, BOT) == tally_votes(options_of(n), shuffled, BOT)
    assert tally(options_of(n), as_reactions(votes), BOT) == tally(
        options_of(n), list(reversed(as_reactions(shuffled))), BOT
    )


@given(n=OPTION_COUNT, votes=VOTES)
def test_property_reactions_and_recorded_votes_agree(n, votes):
    assert tally(options_of(n), as_reactions(votes), BOT) == tally_votes(options_of(n), votes, BOT)


@given(n=OPTION_COUNT, votes=VOTES, bot_emojis=st.lists(EMOJI_NAMES, max_size=10))
def test_property_the_bot_never_counts(n, votes, bot_emojis):
    with_bot = votes + [(BOT, e) for e in bot_emojis]
    without_bot = [(u, e) for u, e in votes if u != BOT]

    assert tally_votes(options_of(n), with_bot, BOT) == tally_votes(options_of(n), without_bot, BOT)


@given(n=OPTION_COUNT, votes=VOTES)
def test_property_skin_tones_fold(n, votes):
    folded = [(u, fold_emoji(e)) for u, e in votes]

    assert tally_votes(options_of(n), votes, BOT) == tally_votes(options_of(n), folded, BOT)


@given(n=OPTION_COUNT, votes=VOTES)
def test_property_counts_are_distinct_members(n, votes):
    result = tally_votes(options_of(n), votes, BOT)

    for option in result.counts:
        members = {u for u, e in votes if fold_emoji(e) == option.emoji and u != BOT}
        assert option.count == len(members)


@given(n=OPTION_COUNT, votes=VOTES)
def test_property_winner_has_most_votes_and_ties_go_to_earliest(n, votes):
    result = tally_votes(options_of(n), votes, BOT)

    best = max(c.count for c in result.counts)
    if best == 0:
        assert result.winner is None
        assert result.tie is False
        return
    leaders = [c.position for c in result.counts if c.count == best]
    assert result.winner == min(leaders)
    assert result.tie == (len(leaders) > 1)


@given(n=OPTION_COUNT, votes=VOTES, voter=st.sampled_from([f"UNEW{i}" for i in range(3)]))
def test_property_a_new_vote_for_the_winner_keeps_it_winning(n, votes, voter):
    options = options_of(n)
    before = tally_votes(options, votes, BOT)
    if before.winner is None:
        return
    winner_emoji = OPTION_EMOJIS[before.winner - 1]

    after = tally_votes(options, [*votes, (voter, winner_emoji)], BOT)

    assert after.winner == before.winner
    assert after.tie is False
