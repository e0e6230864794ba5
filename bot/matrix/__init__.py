"""The Matrix (Tchap) transport: a matrix-nio client beside Slack, on the same domain.

Imported only when MATRIX_HOMESERVER is set (see `bot.bootstrap`): a process serving
Slack alone never loads nio. Nothing here is imported by the domain.
"""
