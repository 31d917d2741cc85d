"""``qiao housekeeping``: the daily chores (run it from cron or a systemd timer).

Expires cooperation profiles past their validity and deletes participant-list
uploads that were never confirmed (they hold personal data).
"""

from django.core.management.base import BaseCommand

from qiao.exchange.uploads import purge_stale_uploads
from qiao.profiles.services import expire_profiles


class Command(BaseCommand):
    help = "Expire outdated cooperation profiles and delete stale uploads (run daily)."

    def handle(self, *args, **options):
        """Run every chore and report what it did."""
        expired = expire_profiles()
        purged = purge_stale_uploads()
        self.stdout.write(f"Profiles expired: {expired}. Stale uploads deleted: {purged}.")
