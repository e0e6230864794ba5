"""Every subcommand declared once: its words, what it may do, where it is allowed, and its
lines of help.

The parser (`bot.slack.parsing`) reads its words from here, the request ledger
(`bot.slack.dedup`) which ones only read, the command listener which ones work outside a
group's channel, and the help message its lines and their order. A test checks that each
one has a handler and a row in both READMEs' command tables. Nothing here knows Slack:
the same words serve any messenger.

Adding a subcommand: its `Spec` below, its handler (and its entry in
`bot.slack.listeners.commands.HANDLERS`), and its strings (`help.line.<key>` and the
answers).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Subcommand(StrEnum):
    HELP = "help"
    PROGRAMME = "programme"
    GUIDE = "guide"
    CONTRIBUTE = "contribute"
    JOIN = "join"
    READY = "ready"
    WITHDRAW = "withdraw"
    SCHEDULE = "schedule"
    THEME = "theme"
    PROPOSE = "propose"
    POLL = "poll"
    PLANNING = "planning"
    CONFIG = "config"
    PLACE = "place"
    CALENDAR = "calendar"
    ROLES = "roles"
    CANCEL = "cancel"
    ORGANISER = "organiser"
    HISTORY = "history"
    STATS = "stats"
    MY_DATA = "my_data"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Spec:
    subcommand: Subcommand
    # As typed, accents folded: the French words first (the first is the one shown),
    # then the English aliases.
    french: tuple[str, ...]
    english: tuple[str, ...] = ()
    # Its lines in the help: what members may do, and the organisers' section.
    member_help: tuple[str, ...] = ()
    organiser_help: tuple[str, ...] = ()
    # Only shows: a replayed request is answered again rather than recorded.
    read_only: bool = False
    # Makes sense outside a group's channel (a DM with the bot).
    anywhere: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return self.french + self.english


S = Subcommand
# In the order of the help: members' commands first; the organisers' lines follow the
# same order in their own section.
SPECS: tuple[Spec, ...] = (
    Spec(S.PROGRAMME, ("programme",), ("agenda",), ("programme",), read_only=True),
    Spec(S.ROLES, ("roles",), (), ("roles",)),
    Spec(S.JOIN, ("participer",), ("join",), ("participer",)),
    Spec(S.CONTRIBUTE, ("contribuer",), ("contribute",), ("contribuer",)),
    Spec(S.GUIDE, ("guide",), (), ("guide",), ("guide_assign",)),
    Spec(S.READY, ("prete", "pret"), ("ready",), ("prete",)),
    Spec(S.WITHDRAW, ("retirer",), ("withdraw",), ("retirer",)),
    Spec(S.PROPOSE, ("proposer",), ("propose",), ("proposer",)),
    Spec(S.CALENDAR, ("calendrier",), ("calendar",), ("calendrier",)),
    Spec(S.HISTORY, ("historique",), ("history",), ("historique",), read_only=True),
    # Only shows, in any DM too; the erasure is its button, recorded like any change.
    Spec(
        S.MY_DATA,
        ("mes-donnees", "mesdonnees"),
        ("my-data", "mydata"),
        ("mes_donnees",),
        read_only=True,
        anywhere=True,
    ),
    Spec(S.HELP, ("", "aide"), ("help",), ("aide",), read_only=True, anywhere=True),
    Spec(S.SCHEDULE, ("session",), ("schedule",), (), ("session",)),
    Spec(S.THEME, ("theme",), (), (), ("theme",)),
    Spec(S.PLACE, ("lieu",), ("place",), (), ("lieu",)),
    Spec(S.POLL, ("sondage",), ("poll",), (), ("sondage", "sondage_gerer")),
    Spec(S.PLANNING, ("planning",), (), (), ("planning",), read_only=True),
    Spec(S.CONFIG, ("config", "reglages"), ("settings",), (), ("config",)),
    Spec(S.CANCEL, ("annuler",), ("cancel",), (), ("annuler",)),
    Spec(
        S.ORGANISER,
        ("organisateur", "organisatrice"),
        ("organiser", "organizer"),
        (),
        ("organisateur",),
    ),
    Spec(S.STATS, ("stats", "statistiques"), ("statistics",), (), ("stats",)),
)
BY_SUBCOMMAND: dict[Subcommand, Spec] = {spec.subcommand: spec for spec in SPECS}

WORDS: dict[str, Subcommand] = {word: spec.subcommand for spec in SPECS for word in spec.words}
# Words of one language only: a suggestion for a mistyped word stays in the member's.
FRENCH_ONLY = frozenset(w for spec in SPECS for w in spec.french if w not in spec.english)
ENGLISH_ONLY = frozenset(w for spec in SPECS for w in spec.english if w not in spec.french)

# An unknown word is answered with the help: it only shows, anywhere.
READ_ONLY = frozenset({S.UNKNOWN} | {s.subcommand for s in SPECS if s.read_only})
ANYWHERE = frozenset({S.UNKNOWN} | {s.subcommand for s in SPECS if s.anywhere})

MEMBER_HELP = tuple(f"help.line.{key}" for spec in SPECS for key in spec.member_help)
ORGANISER_HELP = tuple(f"help.line.{key}" for spec in SPECS for key in spec.organiser_help)
