"""``qiao export``: write organisations and their published profiles as qiao-exchange/1."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qiao.exchange.format import dump_exchange
from qiao.exchange.records import ExchangeError
from qiao.exchange.services import export_exchange
from qiao.organizers.models import Organizer


class Command(BaseCommand):
    help = (
        "Write all organisations (or those served by an organiser) with their published "
        "cooperation profiles as a qiao-exchange/1 file (UTF-8) to standard output or a file. "
        "Objects without an external id are written as qiao-org-<pk> / qiao-opp-<pk>."
    )

    def add_arguments(self, parser):
        """Declare --organizer, --output and --skip-invalid."""
        parser.add_argument(
            "--organizer", metavar="SLUG", help="only organisations served by this organiser"
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="leave out organisations whose data does not fit the format (with a warning)",
        )

    def handle(self, *args, **options):
        """Build the file and write it in canonical form."""
        organizer = None
        if options["organizer"]:
            organizer = Organizer.objects.filter(slug=options["organizer"]).first()
            if organizer is None:
                raise CommandError(f"unknown organiser: {options['organizer']!r}")
        skipped: list = []
        try:
            file = export_exchange(organizer, skip_invalid=options["skip_invalid"], skipped=skipped)
        except ExchangeError as exc:
            for issue in exc.errors:
                self.stderr.write(str(issue))
            raise CommandError(
                "some organisations do not fit the exchange format; fix them or use --skip-invalid"
            ) from None
        for issue in skipped:
            self.stderr.write(f"skipped: {issue}")
        text = dump_exchange(file)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"{len(file.organizations)} organisations written")
            return
        self._write_stdout(text)

    def _write_stdout(self, text: str) -> None:
        """Write UTF-8 bytes whatever the console's encoding (text streams get text)."""
        out = self.stdout._out
        buffer = getattr(out, "buffer", None)
        if buffer is None:
            out.write(text)
            return
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
