"""`python -m bot`: listeners and scheduler in one process; `python -m bot check`: the
install's checklist (see bot/check.py), which changes nothing."""

import sys

if __name__ == "__main__":
    if sys.argv[1:] == ["check"]:
        from bot.check import main as check

        sys.exit(check())
    from bot.bootstrap import main

    sys.exit(main())
