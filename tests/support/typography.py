"""French typography, checked on any text the bot writes: a catalogue string, a rendered
message, a modal. Shared by the catalogue walk and the simulated month.

What a French reader expects, and what each rule catches:
- a curly apostrophe (’), never a straight one (');
- times as `14 h` or `14 h 30`, never `14h00`, `14h` or `14:00`;
- a no-break space (U+00A0 or U+202F) between a number and its unit (`10 min`, `72 h`,
  `3 000 caractères`), and numbers of four digits or more before a unit grouped by three;
- a narrow no-break space (U+202F) before ; : ! ? and », and after «.

Code spans, `<…>` tokens (mentions, channel links, links), URLs, HTML entities and emoji
codes are not prose: the rules skip them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

NNBSP = "\u202f"
NBSP = "\u00a0"
NO_BREAK = NNBSP + NBSP

_NOT_PROSE = re.compile(
    r"`[^`]*`"  # code spans: commands to type, accepted formats
    r"|<[^<>]*>"  # mentions, channel links, links with their label
    r"|https?://[^\s`<>|]*"  # bare URLs
    r"|&(?:amp|lt|gt);"  # the escapes of mrkdwn
    r"|:[a-z0-9_+-]+:"  # emoji codes such as :one:
)
# A catalogue template also holds placeholders; `{minutes}` stands for a number.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")

_UNITS = (
    r"min|minutes?|h|heures?|jours?|semaines?|mois|ans|secondes?|caractères?|%|€|"
    r"Mo|Ko|Go"
)
_NUMBER = rf"\d{{1,3}}(?:[{NO_BREAK}]\d{{3}})+|\d+"
# A number and its unit with an ordinary space between them, or nothing.
_UNIT_SPACED = re.compile(rf"(?<![\w.,])({_NUMBER})( ?)({_UNITS})(?![\w])")
# A number and its unit with a no-break space: the number's own grouping is checked.
_UNIT_NUMBER = re.compile(rf"(?<![\w.,])({_NUMBER})[{NO_BREAK}](?:{_UNITS})(?![\w])")
_TIME = re.compile(r"\d+h\d\d|\d+h\b|\d{1,2}:\d{2}\b|\bh \d\d\b")


def prose(text: str) -> str:
    """`text` with what is not prose overwritten (same length, so positions still match)."""
    return _NOT_PROSE.sub(lambda m: "\x00" * len(m.group(0)), text)


def _around(text: str, start: int, end: int) -> str:
    return text[max(0, start - 12) : end + 12]


def french_problems(text: str, *, template: bool = False) -> list[str]:
    """Each place in `text` that breaks French typography, with what surrounds it.

    `template`: `text` is a catalogue string; its placeholders stand for numbers (so
    `{minutes} min` is checked like `10 min`) and are otherwise not prose.
    """
    if template:
        text = _PLACEHOLDER.sub(lambda m: "9" * len(m.group(0)), text)
    masked = prose(text)
    problems: list[str] = []
    for match in re.finditer("'", masked):
        problems.append(f"straight apostrophe: {_around(text, match.start(), match.end())!r}")
    for match in _TIME.finditer(masked):
        problems.append(f"time: {_around(text, match.start(), match.end())!r}")
    for match in _UNIT_SPACED.finditer(masked):
        if match.group(3) == "h" and match.group(2) == "":
            continue  # `14h` is reported as a time
        problems.append(f"number and unit: {_around(text, match.start(), match.end())!r}")
    for match in _UNIT_NUMBER.finditer(masked):
        digits = match.group(1)
        if len(digits) > 3 and digits.isdigit() and not (template and set(digits) == {"9"}):
            problems.append(f"ungrouped number: {_around(text, match.start(), match.end())!r}")
    for match in re.finditer(r"[;:!?»]", masked):
        if match.group(0) == ":" and re.fullmatch(
            r"\d:\d", masked[match.start() - 1 : match.end() + 1]
        ):
            continue  # `14:00` is reported as a time
        if masked[match.start() - 1 : match.start()] != NNBSP:
            problems.append(f"space before {match.group(0)}: {_around(text, *match.span())!r}")
    for match in re.finditer("«", masked):
        if masked[match.end() : match.end() + 1] != NNBSP:
            problems.append(f"space after «: {_around(text, *match.span())!r}")
    return problems


def shown_texts(value: Any) -> Iterator[str]:
    """Every `text` a member can read in Web API arguments: a message's fallback, its
    blocks (sections, fields, context, buttons, options, headers), a view's title, labels,
    hints and placeholders, a shared file's comment; found by walking the structure,
    however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("text", "initial_comment") and isinstance(item, str):
                yield item
            else:
                yield from shown_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from shown_texts(item)
