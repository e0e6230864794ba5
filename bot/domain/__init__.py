"""The cycle's rules. Pure Python over SQLAlchemy sessions: no Slack, no scheduler.

Functions take a session and keyword-only arguments, return data or raise a DomainError;
the caller (a listener or a job) owns the transaction.
"""
