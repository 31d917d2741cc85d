"""Background tasks of the recommendations app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from qiao.recommendations import services


@task()
def embed_profile(profile_id: int) -> bool:
    """Compute the stored vector of one profile; ``True`` when a vector was (re)computed."""
    from qiao.profiles.models import CooperationProfile

    profile = CooperationProfile.objects.filter(pk=profile_id).first()
    if profile is None:
        return False
    return services.refresh_profile_embedding(profile) is not None


@task()
def embed_stale_profiles(batch_size: int = 64) -> int:
    """Compute every missing or outdated vector; returns how many were computed."""
    return services.refresh_stale_embeddings(batch_size=batch_size)
