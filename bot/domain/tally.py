"""Counting a theme poll: pure functions over what Slack (or our own records) says.

The same rules apply whether the votes come from `reactions.get` or from the
`reaction_added` events we recorded: distinct members per option, the bot's own reactions
never count, `one::skin-tone-2` is `one`, other emoji are ignored, a member may approve
several options, the most approved option wins and a tie goes to the earliest proposal
(the lowest position, because options are numbered in the order proposals were made).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# `:one:` ... `:keycap_ten:`: Slack's names for the ten keycap digits, in option order.
OPTION_EMOJIS: tuple[str, ...] = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "keycap_ten",
)
MAX_OPTIONS = len(OPTION_EMOJIS)

SKIN_TONE_SEPARATOR = "::"


def fold_emoji(name: str) -> str:
    """`one::skin-tone-3` -> `one`: a skin-tone variant is the same vote."""
    return name.split(SKIN_TONE_SEPARATOR, 1)[0]


@dataclass(frozen=True)
class OptionCount:
    position: int
    emoji: str
    count: int


@dataclass(frozen=True)
class TallyResult:
    counts: tuple[OptionCount, ...]  # in position order
    winner: int | None  # a position; None when nobody voted
    tie: bool  # the winner shares the highest count with another option

    def count_of(self, position: int) -> int:
        return next(c.count for c in self.counts if c.position == position)

    @property
    def tied_positions(self) -> tuple[int, ...]:
        """Every option with the winning count (the winner alone when there is no tie)."""
        if self.winner is None:
            return ()
        best = self.count_of(self.winner)
        return tuple(c.position for c in self.counts if c.count == best)


def _decide(options: Sequence[tuple[str, int]], members: Mapping[str, set[str]]) -> TallyResult:
    ordered = sorted(options, key=lambda option: option[1])
    counts = tuple(
        OptionCount(position=position, emoji=emoji, count=len(members.get(emoji, set())))
        for emoji, position in ordered
    )
    best = max((c.count for c in counts), default=0)
    if best == 0:
        return TallyResult(counts=counts, winner=None, tie=False)
    leaders = [c.position for c in counts if c.count == best]
    return TallyResult(counts=counts, winner=leaders[0], tie=len(leaders) > 1)


def tally_votes(
    options: Sequence[tuple[str, int]],
    votes: Iterable[tuple[str, str]],
    bot_user_id: str | None,
) -> TallyResult:
    """Tally `(user_id, emoji)` pairs, e.g. recorded PollVote rows.

    `options` are `(emoji, position)` pairs; the result lists them in position order.
    """
    wanted = {emoji for emoji, _ in options}
    members: dict[str, set[str]] = {emoji: set() for emoji in wanted}
    for user_id, raw_emoji in votes:
        emoji = fold_emoji(raw_emoji)
        if emoji in wanted and user_id and user_id != bot_user_id:
            members[emoji].add(user_id)
    return _decide(options, members)


def tally(
    options: Sequence[tuple[str, int]],
    reactions: Iterable[Mapping[str, Any]],
    bot_user_id: str | None,
) -> TallyResult:
    """Tally a message's reactions as `reactions.get` (with `full=True`) returns them:
    `[{"name": "one", "users": ["U1", ...], "count": 2}, ...]`.

    Only `users` is read: `count` includes the bot and may exceed the listed users.
    """
    return tally_votes(
        options,
        (
            (str(user), str(reaction.get("name") or ""))
            for reaction in reactions
            for user in reaction.get("users") or ()
        ),
        bot_user_id,
    )
