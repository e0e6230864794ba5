"""The catalogs, merged from one module per feature; a key defined twice is an error."""

from __future__ import annotations

from types import ModuleType

from bot.enums import Language
from bot.i18n.messages import (
    calendar,
    core,
    cycle,
    history,
    living,
    matrix,
    operations,
    organising,
    polls,
    privacy,
    roles,
    tour,
)

_MODULES: tuple[ModuleType, ...] = (
    core,
    roles,
    cycle,
    polls,
    calendar,
    living,
    organising,
    history,
    tour,
    privacy,
    operations,
    matrix,
)


def _merge() -> dict[Language, dict[str, str]]:
    merged: dict[Language, dict[str, str]] = {Language.FR: {}, Language.EN: {}}
    for module in _MODULES:
        for lang, table in ((Language.FR, module.FR), (Language.EN, module.EN)):
            duplicates = merged[lang].keys() & table.keys()
            if duplicates:
                raise RuntimeError(f"i18n keys defined twice: {sorted(duplicates)}")
            merged[lang].update(table)
    return merged


CATALOGS = _merge()
