"""The recap of a held session, the history of past sessions and organisers' statistics."""

from __future__ import annotations

FR: dict[str, str] = {
    "history.recap.title": "📝 Récapitulatif de la session du {when}",
    "history.recap.theme": "*Thème :* {theme}",
    "history.recap.no_theme": "*Thème :* _aucun_",
    "history.recap.guide": "*Guide :* <@{user}>",
    "history.recap.no_guide": "*Guide :* _personne_",
    "history.recap.participants": "*Participant·es :* {count}",
    "history.recap.contributions": "*Contributions :*",
    "history.recap.no_contributions": "_Aucune contribution._",
    "history.recap.item": "• {title} — <@{user}>",
    "history.recap.item_guest": "• {title} — {guest}, invité·e de <@{user}>",
    "history.recap.poll": "*Thème choisi pour la suivante :* « {theme} »",
    "history.title": "📚 Sessions passées",
    "history.page": "Page {page}",
    "history.empty": "Aucune session passée pour l’instant.",
    "history.empty_page": "Plus aucune session sur cette page.",
    "history.entry": "*{when}* — {theme}",
    "history.more": "Plus anciennes",
    "history.more_hint": "Plus anciennes : `{cmd} historique {page}`",
    "history.error.page": "Page invalide : `{cmd} historique 2`, par exemple.",
    "history.home.title": "*Dernières sessions*",
    "help.line.historique": (
        "`{cmd} historique`\u202f: les sessions passées, leurs thèmes et contributions"
    ),
}

EN: dict[str, str] = {
    "history.recap.title": "📝 Recap of the session on {when}",
    "history.recap.theme": "*Theme:* {theme}",
    "history.recap.no_theme": "*Theme:* _none_",
    "history.recap.guide": "*Guide:* <@{user}>",
    "history.recap.no_guide": "*Guide:* _nobody_",
    "history.recap.participants": "*Participants:* {count}",
    "history.recap.contributions": "*Contributions:*",
    "history.recap.no_contributions": "_No contributions._",
    "history.recap.item": "• {title} — <@{user}>",
    "history.recap.item_guest": "• {title} — {guest}, guest of <@{user}>",
    "history.recap.poll": "*Theme chosen for the next one:* “{theme}”",
    "history.title": "📚 Past sessions",
    "history.page": "Page {page}",
    "history.empty": "No past session yet.",
    "history.empty_page": "No more sessions on this page.",
    "history.entry": "*{when}* — {theme}",
    "history.more": "Older",
    "history.more_hint": "Older: `{cmd} history {page}`",
    "history.error.page": "Invalid page: `{cmd} history 2`, for example.",
    "history.home.title": "*Latest sessions*",
    "help.line.historique": "`{cmd} history`: past sessions, their themes and contributions",
}
