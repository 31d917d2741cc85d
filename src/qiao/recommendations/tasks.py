"""Background tasks of the recommendations app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from qiao.recommendations import services


@task()
def embed_profile(profile_id: int) -> int:
    """Compute the stored vector of one profile (and of others still lacking one, in a batch).

    Returns how many vectors were computed.
    """
    from qiao.profiles.models import CooperationProfile

    profile = CooperationProfile.objects.filter(pk=profile_id).first()
    if profile is None:
        return 0
    return services.refresh_with_backlog(profile)


@task()
def embed_stale_profiles(batch_size: int = 64) -> int:
    """Compute every missing or outdated vector; returns how many were computed."""
    return services.refresh_stale_embeddings(batch_size=batch_size)
