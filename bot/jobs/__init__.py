"""Entry points driven by the clock: thin wrappers that take an explicit `now`, reload
state and hand over to the domain (the dispatcher and the senders it calls)."""
