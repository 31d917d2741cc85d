"""``python -m qiao.scheduling INSTANCE.json`` runs the schedule command."""

import sys

from qiao.scheduling.cli import main

if __name__ == "__main__":
    sys.exit(main())
