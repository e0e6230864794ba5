"""`python -m bot`: listeners and scheduler in one process."""

import sys

from bot.bootstrap import main

if __name__ == "__main__":
    sys.exit(main())
