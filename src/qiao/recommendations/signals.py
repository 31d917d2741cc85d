"""Queue a profile's embedding after commit whenever its embedded text changes.

The receiver only compares hashes (no model call): when a submitted or
published profile has no stored vector for its current text under the
configured model, the ``embed_profile`` task is queued after the transaction
commits, so pages never wait for the model.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save

from qiao.recommendations.engine import EMBEDDED_STATUSES


def needs_embedding(profile) -> bool:
    """Whether ``profile`` should be embedded and has no current vector."""
    from qiao.recommendations.engine import model_name, text_hash
    from qiao.recommendations.models import ProfileEmbedding

    if profile.status not in EMBEDDED_STATUSES:
        return False
    name = model_name()
    return not ProfileEmbedding.objects.filter(
        profile_id=profile.pk, model_name=name, text_hash=text_hash(profile, name)
    ).exists()


class EmbedAfterCommit:
    """The after-commit callback that queues ``embed_profile`` for one profile."""

    def __init__(self, profile_id: int) -> None:
        self.profile_id = profile_id
        self.done = False

    def __call__(self) -> None:
        from qiao.recommendations.tasks import embed_profile

        self.done = True
        embed_profile.enqueue(profile_id=self.profile_id)


def _queued(profile_id: int, using: str | None) -> bool:
    """Whether the current transaction already queues the embedding of this profile.

    The task reads the profile when it runs, so one callback per transaction is
    enough however often the profile is saved in it.
    """
    pending = transaction.get_connection(using).run_on_commit
    return any(isinstance(entry[1], EmbedAfterCommit) and entry[1].profile_id == profile_id
               and not entry[1].done for entry in pending)


def profile_saved(sender, instance, raw=False, using=None, **kwargs) -> None:
    """``post_save`` receiver of cooperation profiles (fixtures loaded raw are skipped)."""
    if raw or _queued(instance.pk, using) or not needs_embedding(instance):
        return
    transaction.on_commit(EmbedAfterCommit(instance.pk), using=using)


def connect() -> None:
    """Connect the receivers (called once from the app config's ``ready``)."""
    from qiao.profiles.models import CooperationProfile

    post_save.connect(
        profile_saved, sender=CooperationProfile, dispatch_uid="qiao.recommendations.profile_saved"
    )
