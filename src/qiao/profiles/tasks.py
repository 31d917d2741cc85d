"""Background tasks of the profiles app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from qiao.profiles import services


@task()
def expire_profiles() -> int:
    """Expire published profiles past their validity; returns how many expired."""
    return services.expire_profiles()
