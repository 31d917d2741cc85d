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


def profile_saved(sender, instance, raw=False, **kwargs) -> None:
    """``post_save`` receiver of cooperation profiles (fixtures loaded raw are skipped)."""
    if raw or not needs_embedding(instance):
        return
    from qiao.recommendations.tasks import embed_profile

    profile_id = instance.pk
    transaction.on_commit(lambda: embed_profile.enqueue(profile_id=profile_id))


def connect() -> None:
    """Connect the receivers (called once from the app config's ``ready``)."""
    from qiao.profiles.models import CooperationProfile

    post_save.connect(
        profile_saved, sender=CooperationProfile, dispatch_uid="qiao.recommendations.profile_saved"
    )
