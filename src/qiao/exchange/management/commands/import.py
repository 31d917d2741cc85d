"""``qiao import FILE``: read organisations and cooperation profiles from a qiao-exchange/1 file."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qiao.exchange.format import parse_exchange, parse_exchange_file
from qiao.exchange.records import MAX_FILE_BYTES, ExchangeError, ExchangeIssue
from qiao.exchange.services import import_exchange
from qiao.organizers.models import Organizer


def _limit() -> int:
    """The largest accepted file: the format's limit or the site's, whichever is lower."""
    return min(MAX_FILE_BYTES, getattr(settings, "QIAO_MAX_IMPORT_BYTES", MAX_FILE_BYTES))


class Command(BaseCommand):
    help = (
        "Import organisations and cooperation profiles from a qiao-exchange/1 file "
        "(use - for standard input). A file with any error is rejected whole: every "
        "error is printed as PATH: message and nothing is written."
    )

    def add_arguments(self, parser):
        """Declare FILE, --organizer and --dry-run."""
        parser.add_argument("file", help="qiao-exchange/1 JSON file, or - for standard input")
        parser.add_argument(
            "--organizer",
            metavar="SLUG",
            help="link the imported organisations to this organiser",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check everything, report what would change, write nothing",
        )

    def handle(self, *args, **options):
        """Validate the whole file, then write it in one transaction."""
        organizer = None
        if options["organizer"]:
            organizer = Organizer.objects.filter(slug=options["organizer"]).first()
            if organizer is None:
                raise CommandError(f"unknown organiser: {options['organizer']!r}")
        try:
            file = self._read(options["file"])
            report = import_exchange(file, organizer=organizer, dry_run=options["dry_run"])
        except ExchangeError as exc:
            for issue in exc.errors:
                self.stderr.write(str(issue))
            count = len(exc.errors)
            raise CommandError(
                f"{count} error{'s' if count != 1 else ''} in {options['file']}; "
                "nothing was imported"
            ) from None
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(report.summary())

    def _read(self, name: str):
        limit = _limit()
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
            if len(data) > limit:
                raise ExchangeError([ExchangeIssue("", f"file too large: at most {limit} bytes")])
            return parse_exchange(data)
        try:
            if limit < MAX_FILE_BYTES:
                size = os.stat(name).st_size
                if size > limit:
                    raise ExchangeError(
                        [ExchangeIssue("", f"file too large: {size} bytes, at most {limit}")]
                    )
            return parse_exchange_file(name)
        except OSError as exc:
            raise CommandError(f"cannot read {name}: {exc.strerror or exc}") from None
