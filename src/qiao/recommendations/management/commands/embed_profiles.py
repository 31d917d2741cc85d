"""``qiao embed_profiles``: compute missing or outdated profile vectors in batches."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from qiao.recommendations import services
from qiao.recommendations.engine import current_engine


class Command(BaseCommand):
    help = (
        "Compute the stored vectors of submitted and published cooperation profiles whose "
        "vector is missing or belongs to an older text or another model."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=services.DEFAULT_BATCH,
                            help="Profiles embedded per model call (default: %(default)s).")
        parser.add_argument("--all", dest="recompute_all", action="store_true",
                            help="Recompute every vector, also those that are up to date.")
        parser.add_argument("--prune", action="store_true",
                            help="Also delete vectors of other models and of profiles that are "
                                 "no longer submitted or published.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Only report how many profiles would be embedded.")

    def handle(self, *args, batch_size, recompute_all, prune, dry_run, **options):
        from qiao.profiles.models import CooperationProfile
        from qiao.recommendations.engine import EMBEDDED_STATUSES

        name = current_engine().embedder.name
        if recompute_all:
            todo = list(CooperationProfile.objects.filter(status__in=EMBEDDED_STATUSES)
                        .order_by("pk"))
        else:
            todo = services.stale_profiles()
        self.stdout.write(f"{len(todo)} profile(s) to embed with {name}")
        if prune and not dry_run:
            self.stdout.write(f"{services.prune_embeddings()} outdated vector(s) deleted")
        if dry_run or not todo:
            return
        done = 0
        for start in range(0, len(todo), batch_size):
            done += services.refresh_embeddings(todo[start:start + batch_size], batch_size)
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"{done}/{len(todo)}")
        self.stdout.write(self.style.SUCCESS(f"{done} profile vector(s) stored"))
