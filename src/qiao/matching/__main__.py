"""``python -m qiao.matching FILE.json`` — same as ``qiao match``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
