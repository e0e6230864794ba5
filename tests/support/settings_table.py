"""A setting added to the table the way a new one comes: its column exists, its entry
and its strings are declared, and nothing else in the code knows it."""

from __future__ import annotations

import pytest

from bot.domain import group_settings
from bot.domain.group_settings import SettingKind, SettingSpec
from bot.enums import Language
from bot.i18n.messages import CATALOGS

NEW_NUMBER_BLOCK = "partage_config_new_number"
STRINGS = {
    Language.FR: ("Nouveau réglage, en mois", "De 1 à 24\u00a0mois.", "Nouvel envoi"),
    Language.EN: ("New setting, in months", "From 1 to 24 months.", "New message"),
}


def declare_new_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table as if `tour_retention_months` (a number) and `alsace_moselle` (a
    switch) were being added: their entries taken out, then declared anew at the end with
    a new form key, new bounds and their own strings."""
    kept = tuple(
        spec
        for spec in group_settings.SETTINGS
        if spec.name not in ("tour_retention_months", "alsace_moselle")
    )
    number = SettingSpec(
        "tour_retention_months",
        SettingKind.NUMBER,
        "config.new_number",
        bounds=(1, 24),
        hint=True,
        key="new_number",
    )
    switch = SettingSpec("alsace_moselle", SettingKind.SWITCH, "config.new_switch")
    monkeypatch.setattr(group_settings, "SETTINGS", (*kept, number, switch))
    for lang, (label, hint, box) in STRINGS.items():
        monkeypatch.setitem(CATALOGS[lang], "config.new_number.label", label)
        monkeypatch.setitem(CATALOGS[lang], "config.new_number.hint", hint)
        monkeypatch.setitem(CATALOGS[lang], "config.new_switch", box)
