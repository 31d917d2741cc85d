"""``qiao demo``: load the Dresden–Jinan demo data and print the demo logins."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from qiao.demo.loader import DemoDataError, DemoResult, load_demo
from qiao.demo.records import CREATED, UNCHANGED, UPDATED


class Command(BaseCommand):
    help = (
        "Create or update the demo data (organisers, ~40 organisations with profiles, "
        "the 2019 matchmaking in Dresden, the SMEC 2019 delegation, an upcoming 2027 event "
        "and demo accounts) and print the logins. Safe to run again."
    )

    def add_arguments(self, parser):
        """Options: --force for production mode, --password to choose the demo password."""
        parser.add_argument(
            "--force", action="store_true",
            help="Load the demo data even though QIAO_MODE is production.",
        )
        parser.add_argument(
            "--password", default=None,
            help="Password for all demo accounts (default: the one in demo.json).",
        )

    def handle(self, *args, **options):
        """Refuse production unless forced, load the data, print summary and logins."""
        if settings.MODE == "production" and not options["force"]:
            raise CommandError(
                "QIAO_MODE is production: the demo would add fictional organisations and "
                "accounts with a published password. Use QIAO_MODE=demo, or --force if you "
                "really mean it."
            )
        try:
            result = load_demo(password=options["password"])
        except DemoDataError as exc:
            raise CommandError(f"The demo data is inconsistent: {exc}") from exc
        except DatabaseError as exc:
            raise CommandError(
                f"Could not write the demo data ({exc}). Has the database been created? "
                "Run `qiao migrate` first."
            ) from exc
        self.print_summary(result)

    def print_summary(self, result: DemoResult) -> None:
        """Print what changed per model and the logins per role."""
        tally = result.tally
        write = self.stdout.write
        if tally.changed:
            write(self.style.SUCCESS(
                f"Demo data loaded: {tally.total(CREATED)} created, "
                f"{tally.total(UPDATED)} updated, {tally.total(UNCHANGED)} unchanged."
            ))
        else:
            write(self.style.SUCCESS(
                f"Demo data already up to date ({tally.total(UNCHANGED)} rows unchanged)."
            ))
        width = max(len(label) for label in tally.counts)
        for label, counter in sorted(tally.counts.items()):
            total = sum(counter.values())
            details = ", ".join(
                f"{counter[o]} {o}" for o in (CREATED, UPDATED) if counter[o]
            )
            write(f"  {label:<{width}}  {total:>4}" + (f"  ({details})" if details else ""))
        write("")
        write(f"Open {result.url} and log in as:")
        email_width = max((len(login.email) for login in result.logins), default=0)
        for login in result.logins:
            role = login.role.get("en") or next(iter(login.role.values()), "")
            write(f"  {role:<42} {login.email:<{email_width}}  {result.password}")
        write("")
        write(self.style.WARNING(
            "All people and most organisations are fictional; "
            "the password is public, so do not use this data in production."
        ))
