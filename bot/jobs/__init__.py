"""Entry points run by the clock: thin wrappers that take ids and an explicit `now`,
reload state, hand over to the domain and post through the Notifier. Safe to run twice."""
