"""Background tasks of the matchmaking app (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_scheduler(run_id: int) -> str:
    """Execute a queued scheduler run (see :func:`qiao.meetings.scheduling.execute_run`).

    Returns the run's final status (``finished``/``failed``), or ``missing``.
    """
    from qiao.meetings.scheduling import execute_run

    run = execute_run(run_id)
    return run.status if run is not None else "missing"
