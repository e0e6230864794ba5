"""Pure Block Kit builders: state in, message or view dict out. No I/O, no Slack client."""
