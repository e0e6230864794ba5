"""What only Matrix (Tchap) members read: rooms instead of channels, commands not there yet."""

from __future__ import annotations

FR: dict[str, str] = {
    "matrix.not_yet": (
        "`{cmd} {word}` n’est pas encore disponible ici. `{cmd} aide` liste les commandes."
    ),
    "matrix.out_of_place": (
        "Ici, je ne peux rien faire pour un groupe. Un groupe vit dans un salon\u202f: "
        "invitez-moi dans le salon de votre groupe, puis tapez-y "
        "`{cmd} session 2027-01-14 14:00`."
    ),
}

EN: dict[str, str] = {
    "matrix.not_yet": "`{cmd} {word}` is not available here yet. `{cmd} help` lists the commands.",
    "matrix.out_of_place": (
        "I can do nothing for a group here. A group lives in a room: invite me to your "
        "group's room, then type `{cmd} session 2027-01-14 14:00` there."
    ),
}
