"""Use cases that a command and a job share (open, close and cancel a poll, end a
session). Listeners and jobs both call these; listeners never import `bot.jobs`."""
