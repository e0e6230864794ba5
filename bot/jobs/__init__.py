"""Entry points run by the clock: take ids and an explicit `now`, reload state, hand over
to the domain, post through the Notifier. Safe to run twice."""
