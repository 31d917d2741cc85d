"""Helpers that turn the permission rules into querysets and 404 answers."""

from __future__ import annotations

from django.http import Http404

from qiao.organizers.models import Organizer


def require(user, perm: str, obj=None) -> None:
    """Raise 404 (not 403) when ``user`` lacks ``perm`` on ``obj``: denied objects do not exist."""
    if not user.has_perm(perm, obj):
        raise Http404


def organizers_for(user):
    """The organisers whose back office ``user`` may use."""
    if not user.is_authenticated:
        return Organizer.objects.none()
    if user.is_superuser:
        return Organizer.objects.all()
    return Organizer.objects.filter(memberships__user=user).distinct()


def organizations_for(user):
    """The organisations ``user`` represents."""
    from qiao.organizations.models import Organization

    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).distinct()
