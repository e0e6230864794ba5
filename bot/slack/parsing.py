"""Turn what members type into values: the subcommand and its argument, session dates.

Pure functions (no Slack, no database) so they can be tested exhaustively.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.commands import ENGLISH_ONLY, FRENCH_ONLY, WORDS, Subcommand
from bot.domain.roles import WithdrawScope
from bot.enums import Language

# The words of every subcommand are declared with it, in `bot.commands`.
_WORDS = WORDS


def _fold(word: str) -> str:
    """Lower-case and strip accents: `Prête` and `prete` are the same word."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class ParsedCommand:
    subcommand: Subcommand
    word: str  # the word as typed, for "unknown command" replies
    argument: str  # the rest, trimmed


@lru_cache(maxsize=256)
def parse_command(text: str | None) -> ParsedCommand:
    """Pure, and called twice per command (the request ledger asks whether it changes
    anything, then the listener): the same text is parsed once."""
    stripped = (text or "").strip()
    word, _, rest = stripped.partition(" ")
    if not word:
        word, _, rest = stripped.partition("\n")
    subcommand = _WORDS.get(_fold(word), Subcommand.UNKNOWN)
    return ParsedCommand(subcommand, word, rest.strip())


# How the subcommands are shown when suggested: with their accent, as the help writes them.
_SHOWN = {"prete": "prête", "pret": "prête", "reglages": "réglages"}


def nearest_subcommand(word: str, lang: Language = Language.FR) -> str | None:
    """The known subcommand closest to a mistyped `word` (`partciper` -> `participer`),
    in the member's language; None when nothing is close enough to be worth suggesting."""
    folded = _fold(word)
    if not folded:
        return None
    other = ENGLISH_ONLY if lang is Language.FR else FRENCH_ONLY
    words = [w for w in _WORDS if w and w not in other]
    close = difflib.get_close_matches(folded, words, n=1, cutoff=0.7)
    return _SHOWN.get(close[0], close[0]) if close else None


class DateProblem(StrEnum):
    MISSING = "session.error.missing"
    UNPARSABLE = "session.error.unparsable"
    IMPOSSIBLE = "session.error.impossible"
    NONEXISTENT_TIME = "session.error.nonexistent_time"
    PAST = "session.error.past"
    TOO_FAR = "session.error.too_far"


# A session is planned months ahead, not decades: beyond this the reminders' dates would
# near the end of what `datetime` holds (year 9999). The messages say "ten years".
MAX_YEARS_AHEAD = 10


class DateInputError(ValueError):
    def __init__(self, problem: DateProblem, text: str) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.text = text


_DATE_TIME = re.compile(
    r"""^\s*
    (?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})      # 2027-01-14
      |(?P<fd>\d{1,2})/(?P<fm>\d{1,2})/(?P<fy>\d{4}))     # 14/01/2027
    \s+(?:(?:à|a|at)\s+)?
    (?P<hour>\d{1,2})(?::(?P<cm>\d{2})|[hH](?P<hm>\d{2})?) # 14:00, 14h00, 14h
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def parse_session_datetime(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """Read `2027-01-14 14:00`, `14/01/2027 14h00` or `14/01/2027 14h` as wall-clock time
    in `zone`, and return the instant in UTC.

    Refuses what does not exist (31 February, 25h, 02:30 on the spring clock change) and
    what is not in the future. On the autumn change, an ambiguous time means the first one.
    """
    if not text.strip():
        raise DateInputError(DateProblem.MISSING, text)
    match = _DATE_TIME.match(text)
    if match is None:
        raise DateInputError(DateProblem.UNPARSABLE, text.strip())
    g = match.groupdict()
    year, month, day = (
        (g["iy"], g["im"], g["id"]) if g["iy"] is not None else (g["fy"], g["fm"], g["fd"])
    )
    minute = g["cm"] or g["hm"] or "0"
    try:
        local = datetime(int(year), int(month), int(day), int(g["hour"]), int(minute))
    except ValueError:
        raise DateInputError(DateProblem.IMPOSSIBLE, text.strip()) from None
    if local.year > now.year + MAX_YEARS_AHEAD:
        raise DateInputError(DateProblem.TOO_FAR, text.strip())
    aware = local.replace(tzinfo=zone, fold=0)
    try:
        instant = aware.astimezone(UTC)
        back = instant.astimezone(zone).replace(tzinfo=None)
    except OverflowError:  # hours from 1 January of year 1: before what datetime holds
        raise DateInputError(DateProblem.PAST, text.strip()) from None
    if back != local:
        raise DateInputError(DateProblem.NONEXISTENT_TIME, text.strip())
    if instant <= now:
        raise DateInputError(DateProblem.PAST, text.strip())
    return instant


# `retirer` alone gives up everything; a word narrows it to one thing.
_WITHDRAW_WORDS: dict[str, WithdrawScope] = {
    "": WithdrawScope.ALL,
    "tout": WithdrawScope.ALL,
    "all": WithdrawScope.ALL,
    "guide": WithdrawScope.GUIDE,
    "contribution": WithdrawScope.CONTRIBUTION,
    "contribuer": WithdrawScope.CONTRIBUTION,
    "contribute": WithdrawScope.CONTRIBUTION,
    "participation": WithdrawScope.PARTICIPATION,
    "participer": WithdrawScope.PARTICIPATION,
    "participant": WithdrawScope.PARTICIPATION,
    "participante": WithdrawScope.PARTICIPATION,
    "join": WithdrawScope.PARTICIPATION,
    "rsvp": WithdrawScope.PARTICIPATION,
}


def parse_withdraw_scope(argument: str) -> WithdrawScope | None:
    """What `retirer <mot>` names; None for a word we do not know."""
    return _WITHDRAW_WORDS.get(_fold(argument.strip()))


class PollAction(StrEnum):
    """`sondage` alone opens the poll; `sondage clore` and `sondage annuler` manage it."""

    OPEN = "open"
    CLOSE = "close"
    CANCEL = "cancel"


_POLL_WORDS = {
    "": PollAction.OPEN,
    "clore": PollAction.CLOSE,
    "close": PollAction.CLOSE,
    "fermer": PollAction.CLOSE,
    "annuler": PollAction.CANCEL,
    "cancel": PollAction.CANCEL,
}


def parse_poll_action(argument: str) -> PollAction | None:
    """None for a word we do not know (the member gets the poll's usage)."""
    return _POLL_WORDS.get(_fold(argument.strip()))


# Slack escapes a mention in a command's text as `<@U123|name>` (or `<@U123>`).
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,30})(?:\|[^<>]{0,100})?>")


def parse_member_mention(argument: str) -> str | None:
    """The user id of the one member `argument` mentions; None for anything else (a
    plain `@name`, two mentions, extra words)."""
    match = _MENTION.fullmatch(argument.strip())
    return match.group(1) if match else None


class OrganiserAction(StrEnum):
    ADD = "add"
    REMOVE = "remove"


_ORGANISER_WORDS = {
    "ajouter": OrganiserAction.ADD,
    "add": OrganiserAction.ADD,
    "retirer": OrganiserAction.REMOVE,
    "remove": OrganiserAction.REMOVE,
}


def parse_organiser_action(argument: str) -> tuple[OrganiserAction, str] | None:
    """`ajouter @membre` or `retirer @membre` (and the English words)."""
    word, _, rest = argument.strip().partition(" ")
    action = _ORGANISER_WORDS.get(_fold(word))
    member = parse_member_mention(rest)
    if action is None or member is None:
        return None
    return action, member
