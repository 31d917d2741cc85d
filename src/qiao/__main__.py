"""The ``qiao`` console script: Django's management commands with Qiao's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. ``qiao migrate`` or ``qiao import FILE``."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in {"match", "schedule"}:
        # The engines' CLIs work on files alone: no database, no settings needed.
        if argv[1] == "match":
            from qiao.matching.cli import main as engine_main
        else:
            from qiao.scheduling.cli import main as engine_main
        raise SystemExit(engine_main(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
