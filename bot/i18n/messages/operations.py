"""`python -m bot check`: the operator's checklist, one line per check.

Printed in a terminal, not in Slack: rendered with `str.format`, never as mrkdwn. A line
that fails says what to do after the dash.
"""

from __future__ import annotations

FR: dict[str, str] = {
    "check.not_checked": "{what}\u202f: non vérifié, {why}",
    "check.why.settings": "les réglages sont à corriger d’abord",
    "check.why.token": "il faut d’abord que Slack accepte le jeton du bot",
    "check.why.database": "la base de données est à corriger d’abord",
    # Settings
    "check.settings.ok": "Réglages\u202f: valides ({mode})",
    "check.settings.mode.socket": "Socket Mode",
    "check.settings.mode.http": "HTTP sur le port {port}",
    "check.settings.bad": "Réglages\u202f: {error}",
    # Tokens
    "check.bot_token.what": "Jeton du bot (SLACK_BOT_TOKEN)",
    "check.bot_token.ok": (
        "Jeton du bot (SLACK_BOT_TOKEN)\u202f: accepté par Slack (espace {team}, bot @{user})"
    ),
    "check.bot_token.refused": (
        "Jeton du bot (SLACK_BOT_TOKEN)\u202f: refusé par Slack ({code}) — copiez le «\u202fBot "
        "User OAuth Token\u202f» (xoxb-…) de la page OAuth & Permissions de l’app"
    ),
    "check.bot_token.failed": (
        "Jeton du bot (SLACK_BOT_TOKEN)\u202f: Slack a répondu {code} — réessayez dans un "
        "moment, ou vérifiez l’app sur https://api.slack.com/apps"
    ),
    "check.slack.unreachable": (
        "Slack\u202f: injoignable à SLACK_API_URL {url} ({reason}) — vérifiez le réseau et "
        "SLACK_API_URL (par défaut https://slack.com/api/)"
    ),
    "check.app_token.ok": (
        "Jeton d’app (SLACK_APP_TOKEN)\u202f: accepté, Socket Mode ouvert par Slack"
    ),
    "check.app_token.refused": (
        "Jeton d’app (SLACK_APP_TOKEN)\u202f: refusé par Slack ({code}) — créez un jeton "
        "d’app avec `connections:write` (Basic Information > App-Level Tokens), ou videz "
        "SLACK_APP_TOKEN pour recevoir Slack en HTTP"
    ),
    "check.app_token.failed": (
        "Jeton d’app (SLACK_APP_TOKEN)\u202f: pas de connexion Socket Mode ({code}) — "
        "activez Socket Mode dans les réglages de l’app, ou videz SLACK_APP_TOKEN"
    ),
    # Scopes
    "check.scopes.what": "Permissions (scopes)",
    "check.scopes.ok": (
        "Permissions (scopes)\u202f: Slack accorde les {count} que manifest.yml demande"
    ),
    "check.scopes.missing": (
        "Permissions (scopes)\u202f: il manque {missing} — ajoutez-les dans OAuth & "
        "Permissions (ou recréez l’app depuis manifest.yml), puis réinstallez l’app"
    ),
    "check.scopes.unknown": (
        "Permissions (scopes)\u202f: Slack n’a pas dit lesquelles il accorde — vérifiez "
        "SLACK_API_URL, qui doit mener à l’API Web de Slack"
    ),
    # Database
    "check.database.what": "Base de données",
    "check.database.missing": (
        "Base de données\u202f: pas de fichier {path} — corrigez DATABASE_URL, ou démarrez le "
        "bot une fois pour la créer"
    ),
    "check.database.reachable": "Base de données\u202f: joignable",
    "check.database.unreachable": (
        "Base de données\u202f: injoignable ({reason}) — vérifiez DATABASE_URL et que le "
        "serveur tourne"
    ),
    "check.database.writable.what": "Base de données, écriture",
    "check.database.writable": "Base de données\u202f: accepte les écritures",
    "check.database.read_only": (
        "Base de données\u202f: refuse les écritures ({reason}) — donnez au bot le droit "
        "d’écrire (fichier et dossier de la base SQLite, ou rôle PostgreSQL), libérez de "
        "l’espace disque"
    ),
    "check.database.revision.what": "Base de données, version",
    "check.database.at_head": "Base de données\u202f: à jour (révision {revision})",
    "check.database.empty": (
        "Base de données\u202f: vide — démarrez le bot une fois, il crée les tables"
    ),
    "check.database.behind": (
        "Base de données\u202f: révision {revision}, la dernière est {head} — démarrez le bot, "
        "il met la base à jour, ou lancez `alembic upgrade head`"
    ),
    "check.database.ahead": (
        "Base de données\u202f: révision {revision}, inconnue de cette version du bot — elle a "
        "été mise à jour par une version plus récente\u202f: faites tourner celle-ci"
    ),
    # Groups
    "check.groups.what": "Canaux des groupes",
    "check.groups.none": (
        "Groupes\u202f: aucun pour l’instant (un groupe naît avec la commande session dans son "
        "canal)"
    ),
    "check.channel.ok": "Canal {channel}\u202f: le bot en est membre et peut y écrire",
    "check.channel.not_member": (
        "Canal {channel}\u202f: le bot n’en est pas membre — invitez-le\u202f: /invite @{bot} "
        "dans le canal"
    ),
    "check.channel.archived": (
        "Canal {channel}\u202f: archivé — désarchivez-le, ou le groupe ne reçoit plus rien"
    ),
    "check.channel.cannot_write": (
        "Canal {channel}\u202f: le bot ne peut pas y écrire (permission `chat:write` absente) "
        "— ajoutez-la et réinstallez l’app"
    ),
    "check.channel.not_found": (
        "Canal {channel}\u202f: introuvable pour le bot ({code}) — un canal privé doit inviter "
        "le bot (/invite @{bot})\u202f; un canal supprimé n’a plus de groupe"
    ),
    "check.channel.failed": (
        "Canal {channel}\u202f: Slack a répondu {code} — réessayez dans un moment"
    ),
    # Public URL
    "check.public_url.ok": "Adresse publique (PUBLIC_URL)\u202f: {url}/healthz répond 200",
    "check.public_url.bad": (
        "Adresse publique (PUBLIC_URL)\u202f: {url}/healthz {answer} — vérifiez que le bot "
        "tourne et que cette adresse mène à son port (proxy, DNS, pare-feu)"
    ),
    "check.public_url.status": "répond {status}",
    "check.public_url.unreachable": "ne répond pas ({reason})",
}

EN: dict[str, str] = {
    "check.not_checked": "{what}: not checked, {why}",
    "check.why.settings": "fix the settings first",
    "check.why.token": "Slack must accept the bot token first",
    "check.why.database": "fix the database first",
    # Settings
    "check.settings.ok": "Settings: valid ({mode})",
    "check.settings.mode.socket": "Socket Mode",
    "check.settings.mode.http": "HTTP on port {port}",
    "check.settings.bad": "Settings: {error}",
    # Tokens
    "check.bot_token.what": "Bot token (SLACK_BOT_TOKEN)",
    "check.bot_token.ok": (
        "Bot token (SLACK_BOT_TOKEN): accepted by Slack (workspace {team}, bot @{user})"
    ),
    "check.bot_token.refused": (
        "Bot token (SLACK_BOT_TOKEN): refused by Slack ({code}) — copy the Bot User OAuth "
        "Token (xoxb-…) from your app's OAuth & Permissions page"
    ),
    "check.bot_token.failed": (
        "Bot token (SLACK_BOT_TOKEN): Slack answered {code} — try again in a moment, or "
        "check the app at https://api.slack.com/apps"
    ),
    "check.slack.unreachable": (
        "Slack: unreachable at SLACK_API_URL {url} ({reason}) — check the network and "
        "SLACK_API_URL (default https://slack.com/api/)"
    ),
    "check.app_token.ok": "App token (SLACK_APP_TOKEN): accepted, Slack opens Socket Mode",
    "check.app_token.refused": (
        "App token (SLACK_APP_TOKEN): refused by Slack ({code}) — create an app-level token "
        "with `connections:write` (Basic Information > App-Level Tokens), or leave "
        "SLACK_APP_TOKEN empty to receive Slack over HTTP"
    ),
    "check.app_token.failed": (
        "App token (SLACK_APP_TOKEN): no Socket Mode connection ({code}) — turn Socket Mode "
        "on in the app's settings, or leave SLACK_APP_TOKEN empty"
    ),
    # Scopes
    "check.scopes.what": "Scopes",
    "check.scopes.ok": "Scopes: Slack grants the {count} that manifest.yml asks for",
    "check.scopes.missing": (
        "Scopes: {missing} missing — add them under OAuth & Permissions (or create the app "
        "again from manifest.yml), then reinstall the app"
    ),
    "check.scopes.unknown": (
        "Scopes: Slack did not say which it grants — check SLACK_API_URL, which must lead to "
        "Slack's Web API"
    ),
    # Database
    "check.database.what": "Database",
    "check.database.missing": (
        "Database: no file {path} — fix DATABASE_URL, or start the bot once to create it"
    ),
    "check.database.reachable": "Database: reachable",
    "check.database.unreachable": (
        "Database: unreachable ({reason}) — check DATABASE_URL and that the server is running"
    ),
    "check.database.writable.what": "Database, writing",
    "check.database.writable": "Database: takes writes",
    "check.database.read_only": (
        "Database: refuses writes ({reason}) — let the bot write (the SQLite file and its "
        "folder, or the PostgreSQL role), free some disk space"
    ),
    "check.database.revision.what": "Database, version",
    "check.database.at_head": "Database: up to date (revision {revision})",
    "check.database.empty": "Database: empty — start the bot once, it creates the tables",
    "check.database.behind": (
        "Database: revision {revision}, the latest is {head} — start the bot, it upgrades "
        "the database, or run `alembic upgrade head`"
    ),
    "check.database.ahead": (
        "Database: revision {revision}, unknown to this version of the bot — a newer "
        "version upgraded it: run that one"
    ),
    # Groups
    "check.groups.what": "Group channels",
    "check.groups.none": (
        "Groups: none yet (a group starts with the session command in its channel)"
    ),
    "check.channel.ok": "Channel {channel}: the bot is a member and can post",
    "check.channel.not_member": (
        "Channel {channel}: the bot is not a member — invite it: /invite @{bot} in the channel"
    ),
    "check.channel.archived": (
        "Channel {channel}: archived — unarchive it, or the group receives nothing more"
    ),
    "check.channel.cannot_write": (
        "Channel {channel}: the bot cannot post there (`chat:write` not granted) — add it and "
        "reinstall the app"
    ),
    "check.channel.not_found": (
        "Channel {channel}: the bot cannot find it ({code}) — a private channel must invite "
        "the bot (/invite @{bot}); a deleted channel has no group any more"
    ),
    "check.channel.failed": "Channel {channel}: Slack answered {code} — try again in a moment",
    # Public URL
    "check.public_url.ok": "Public URL (PUBLIC_URL): {url}/healthz answers 200",
    "check.public_url.bad": (
        "Public URL (PUBLIC_URL): {url}/healthz {answer} — check that the bot is running and "
        "that this URL leads to its port (proxy, DNS, firewall)"
    ),
    "check.public_url.status": "answers {status}",
    "check.public_url.unreachable": "does not answer ({reason})",
}
