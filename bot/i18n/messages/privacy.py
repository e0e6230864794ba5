"""`/partage mes-donnees`: what the bot stores about a member, and erasing it."""

from __future__ import annotations

NNBSP = "\u202f"

FR: dict[str, str] = {
    "help.line.mes_donnees": (
        f"`{{cmd}} mes-donnees`{NNBSP}: ce que le bot garde sur vous, et le supprimer"
    ),
    "mydata.title": "Vos données dans le bot",
    "mydata.intro": (
        "Voici tout ce que le bot garde sur vous dans cet espace de travail, groupe par "
        "groupe. Vous seul·e voyez ce message."
    ),
    "mydata.nothing": "Le bot ne garde rien sur vous dans cet espace de travail.",
    "mydata.group": "*Groupe <#{channel}>*",
    "mydata.more": "… et {count} autre(s) élément(s) de ce groupe.",
    "mydata.entry.organiser": "• Organisateur·rice du groupe depuis le {when}",
    "mydata.entry.created": "• Vous avez programmé la session du {when} ({status})",
    "mydata.entry.role.guide": "• Guide de la session du {when} ({status})",
    "mydata.entry.role.participant": "• Participation annoncée à la session du {when} ({status})",
    "mydata.entry.contribution": (
        f"• Contribution à la session du {{when}}{NNBSP}: {{kind}} «{NNBSP}{{title}}{NNBSP}» "
        "({status})"
    ),
    "mydata.entry.contribution.guest": (
        f"• Contribution à la session du {{when}}{NNBSP}: {{kind}} «{NNBSP}{{title}}{NNBSP}» "
        "avec {guest} ({status})"
    ),
    "mydata.entry.invite": "• Invitation agenda (.ics) reçue pour la session du {when}",
    "mydata.entry.proposal": (
        f"• Thème proposé le {{when}}{NNBSP}: «{NNBSP}{{text}}{NNBSP}» ({{status}})"
    ),
    "mydata.entry.proposal.polled": (
        f"• Thème proposé le {{when}}{NNBSP}: «{NNBSP}{{text}}{NNBSP}» ({{status}}, "
        "soumis à un sondage)"
    ),
    "mydata.entry.proposal.name": (
        f"• Votre nom Slack, affiché sur les options de sondage que vous avez proposées{NNBSP}: "
        f"«{NNBSP}{{name}}{NNBSP}»"
    ),
    "mydata.entry.poll_opened": "• Vous avez ouvert le sondage du {when}",
    "mydata.entry.vote": "• Copie de votre vote {emoji} au sondage du {when}",
    "mydata.entry.audit": f"• Journal des organisateur·rices{NNBSP}: {{line}}",
    "mydata.entry.recap.guide": "• Nommé·e guide dans le récapitulatif de la session du {when}",
    "mydata.entry.recap.contribution": (
        f"• Nommé·e dans le récapitulatif de la session du {{when}}{NNBSP}: "
        f"«{NNBSP}{{title}}{NNBSP}»"
    ),
    "mydata.entry.outbox": (
        "• Trace de {count} message(s) que le bot vous a envoyés en privé (à qui, quand), "
        "pour ne jamais envoyer deux fois"
    ),
    "mydata.entry.tour.answer": (
        f"• Vos réponses au tour de table de la session du {{when}} ({{shared}}){NNBSP}: "
        "{answers}"
    ),
    "mydata.entry.tour.help_offer": (
        "• Vous avez proposé votre aide pour un besoin du tour de table de la session du {when}"
    ),
    "mydata.entry.tour.opt_out": (
        "• Vous ne recevez plus l’invitation au tour de table de ce groupe (depuis le {when})"
    ),
    "mydata.tour.feeling": "humeur",
    "mydata.tour.doing": "où vous en êtes",
    "mydata.tour.learned": "découverte",
    "mydata.tour.needs": "besoin",
    "mydata.tour.quote": f"{{label}} «{NNBSP}{{text}}{NNBSP}»",
    "mydata.tour.shared": "partagées avec le groupe",
    "mydata.tour.private": "lues par le ou la guide seulement",
    "mydata.session.scheduled": "à venir",
    "mydata.session.held": "passée",
    "mydata.session.cancelled": "annulée",
    "mydata.contribution.proposed": "proposée",
    "mydata.contribution.ready": "prête",
    "mydata.contribution.withdrawn": "retirée",
    "mydata.proposal.open": "en attente d’un sondage",
    "mydata.proposal.used": "retenu",
    "mydata.proposal.withdrawn": "retiré",
    "mydata.notes": (
        f"*Ce qui n’est pas gardé*{NNBSP}: vos votes sont vos réactions dans Slack{NNBSP}; "
        "le bot n’en garde une copie que pour compter un sondage dont le message serait "
        "illisible, et vous pouvez retirer vos réactions vous-même. Les requêtes venues de "
        "Slack ne sont gardées que 10\u00a0minutes, sous forme d’empreinte sans votre "
        "identifiant. Les messages déjà publiés dans Slack restent dans Slack."
    ),
    "mydata.delete.rule": (
        f"*Supprimer mes données*{NNBSP}: vos réponses au tour de table, vos propositions "
        "d’aide, vos rôles et contributions des sessions à venir, votre rôle "
        "d’organisateur·rice, vos invitations agenda, la copie de vos votes et "
        "vos thèmes jamais soumis au vote sont supprimés. L’histoire des groupes (sessions "
        "passées, récapitulatifs, journal, thèmes soumis au vote, trace des messages "
        f"envoyés) est anonymisée{NNBSP}: votre identifiant y est remplacé par un pseudonyme."
    ),
    "mydata.delete.button": "Supprimer mes données",
    "mydata.delete.confirm.title": f"Supprimer vos données{NNBSP}?",
    "mydata.delete.confirm.text": (
        "Tout ce qui est listé ici sera supprimé ou anonymisé, dans tous les groupes de cet "
        "espace de travail. C’est définitif."
    ),
    "mydata.delete.confirm.confirm": "Supprimer",
    "mydata.delete.confirm.deny": "Garder",
    "mydata.erased.title": "Vos données sont supprimées",
    "mydata.erased.deleted": f"*Supprimé*{NNBSP}: {{items}}",
    "mydata.erased.anonymised": f"*Anonymisé* (remplacé par un pseudonyme){NNBSP}: {{items}}",
    "mydata.erased.nothing": (
        f"Il n’y avait rien à supprimer{NNBSP}: le bot ne garde rien sur vous."
    ),
    "mydata.erased.refreshed": "Les messages des sessions à venir sont mis à jour.",
    "mydata.section.organisers": "rôle d’organisateur·rice ({count})",
    "mydata.section.roles": "rôles dans des sessions ({count})",
    "mydata.section.contributions": "contributions ({count})",
    "mydata.section.created": "sessions programmées ({count})",
    "mydata.section.invites": "invitations agenda ({count})",
    "mydata.section.proposals": "thèmes proposés ({count})",
    "mydata.section.polls": "sondages ouverts ({count})",
    "mydata.section.votes": "copies de votes ({count})",
    "mydata.section.audit": "lignes du journal ({count})",
    "mydata.section.recaps": "récapitulatifs ({count})",
    "mydata.section.outbox": "traces de messages envoyés ({count})",
    "mydata.section.tour_answers": "réponses au tour de table ({count})",
    "mydata.section.tour_help_offers": "propositions d’aide ({count})",
    "mydata.section.tour_opt_outs": "refus de l’invitation au tour de table ({count})",
}

EN: dict[str, str] = {
    "help.line.mes_donnees": "`{cmd} my-data`: what the bot keeps about you, and deleting it",
    "mydata.title": "Your data in the bot",
    "mydata.intro": (
        "Here is everything the bot keeps about you in this workspace, group by group. "
        "Only you can see this message."
    ),
    "mydata.nothing": "The bot keeps nothing about you in this workspace.",
    "mydata.group": "*Group <#{channel}>*",
    "mydata.more": "… and {count} more item(s) in this group.",
    "mydata.entry.organiser": "• Organiser of the group since {when}",
    "mydata.entry.created": "• You scheduled the session of {when} ({status})",
    "mydata.entry.role.guide": "• Guide of the session of {when} ({status})",
    "mydata.entry.role.participant": "• Said you would come to the session of {when} ({status})",
    "mydata.entry.contribution": (
        "• Contribution to the session of {when}: {kind} “{title}” ({status})"
    ),
    "mydata.entry.contribution.guest": (
        "• Contribution to the session of {when}: {kind} “{title}” with {guest} ({status})"
    ),
    "mydata.entry.invite": "• Calendar invite (.ics) received for the session of {when}",
    "mydata.entry.proposal": "• Theme proposed on {when}: “{text}” ({status})",
    "mydata.entry.proposal.polled": (
        "• Theme proposed on {when}: “{text}” ({status}, put to a poll)"
    ),
    "mydata.entry.proposal.name": (
        "• Your Slack name, shown on the poll options you proposed: “{name}”"
    ),
    "mydata.entry.poll_opened": "• You opened the poll of {when}",
    "mydata.entry.vote": "• Copy of your vote {emoji} in the poll of {when}",
    "mydata.entry.audit": "• Organisers' log: {line}",
    "mydata.entry.recap.guide": "• Named as guide in the recap of the session of {when}",
    "mydata.entry.recap.contribution": ("• Named in the recap of the session of {when}: “{title}”"),
    "mydata.entry.outbox": (
        "• Record of {count} direct message(s) the bot sent you (to whom, when), so it "
        "never sends twice"
    ),
    "mydata.entry.tour.answer": (
        "• Your tour de table answers for the session of {when} ({shared}): {answers}"
    ),
    "mydata.entry.tour.help_offer": (
        "• You offered help with a need from the tour de table of the session of {when}"
    ),
    "mydata.entry.tour.opt_out": (
        "• You no longer receive this group's tour de table invitation (since {when})"
    ),
    "mydata.tour.feeling": "mood",
    "mydata.tour.doing": "where you stand",
    "mydata.tour.learned": "discovery",
    "mydata.tour.needs": "need",
    "mydata.tour.quote": "{label} “{text}”",
    "mydata.tour.shared": "shared with the group",
    "mydata.tour.private": "read by the guide only",
    "mydata.session.scheduled": "upcoming",
    "mydata.session.held": "held",
    "mydata.session.cancelled": "cancelled",
    "mydata.contribution.proposed": "proposed",
    "mydata.contribution.ready": "ready",
    "mydata.contribution.withdrawn": "withdrawn",
    "mydata.proposal.open": "waiting for a poll",
    "mydata.proposal.used": "chosen",
    "mydata.proposal.withdrawn": "withdrawn",
    "mydata.notes": (
        "*What is not kept*: your votes are your reactions in Slack; the bot keeps a copy "
        "only to count a poll whose message became unreadable, and you can remove your "
        "reactions yourself. Requests from Slack are kept for 10 minutes only, as a "
        "fingerprint without your id. Messages already posted in Slack stay in Slack."
    ),
    "mydata.delete.rule": (
        "*Delete my data*: your tour de table answers, your offers of help, your roles and "
        "contributions in upcoming sessions, your organiser role, your calendar invites, "
        "the copy of your votes and your themes "
        "never put to a vote are deleted. The groups' history (past sessions, recaps, log, "
        "themes put to a vote, record of messages sent) is anonymised: your id there is "
        "replaced by a pseudonym."
    ),
    "mydata.delete.button": "Delete my data",
    "mydata.delete.confirm.title": "Delete your data?",
    "mydata.delete.confirm.text": (
        "Everything listed here will be deleted or anonymised, in every group of this "
        "workspace. This cannot be undone."
    ),
    "mydata.delete.confirm.confirm": "Delete",
    "mydata.delete.confirm.deny": "Keep",
    "mydata.erased.title": "Your data is deleted",
    "mydata.erased.deleted": "*Deleted*: {items}",
    "mydata.erased.anonymised": "*Anonymised* (replaced by a pseudonym): {items}",
    "mydata.erased.nothing": "There was nothing to delete: the bot keeps nothing about you.",
    "mydata.erased.refreshed": "The messages of upcoming sessions are being updated.",
    "mydata.section.organisers": "organiser role ({count})",
    "mydata.section.roles": "roles in sessions ({count})",
    "mydata.section.contributions": "contributions ({count})",
    "mydata.section.created": "sessions scheduled ({count})",
    "mydata.section.invites": "calendar invites ({count})",
    "mydata.section.proposals": "themes proposed ({count})",
    "mydata.section.polls": "polls opened ({count})",
    "mydata.section.votes": "copies of votes ({count})",
    "mydata.section.audit": "log lines ({count})",
    "mydata.section.recaps": "recaps ({count})",
    "mydata.section.outbox": "records of messages sent ({count})",
    "mydata.section.tour_answers": "tour de table answers ({count})",
    "mydata.section.tour_help_offers": "offers of help ({count})",
    "mydata.section.tour_opt_outs": "tour de table opt-outs ({count})",
}
