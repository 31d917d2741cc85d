"""Back-office matchmaking of an event: configuration, scheduler runs and the agenda grid."""

from django.urls import path

from qiao.orga import views_scheduling as config
from qiao.orga import views_scheduling_plan as grid
from qiao.orga import views_scheduling_runs as runs

M = "<slug:organizer>/events/<slug:event>/matchmaking/"

urlpatterns = [
    path(M, config.overview, name="scheduling"),
    path(M + "settings/", config.settings_edit, name="scheduling_settings"),
    path(M + "sessions/new/", config.session_edit, name="scheduling_session_add"),
    path(M + "sessions/<int:pk>/", config.session_edit, name="scheduling_session_edit"),
    path(M + "sessions/<int:pk>/delete/", config.session_delete,
         name="scheduling_session_delete"),
    path(M + "interpreters/new/", config.interpreter_edit, name="scheduling_interpreter_add"),
    path(M + "interpreters/<int:pk>/", config.interpreter_edit,
         name="scheduling_interpreter_edit"),
    path(M + "interpreters/<int:pk>/delete/", config.interpreter_delete,
         name="scheduling_interpreter_delete"),
    path(M + "phase/", config.phase_change, name="scheduling_phase"),
    path(M + "publish/", config.publish, name="scheduling_publish"),
    path(M + "runs/", runs.run_start, name="scheduling_run_start"),
    path(M + "runs/<int:pk>/", runs.run_detail, name="scheduling_run"),
    path(M + "runs/<int:pk>/status/", runs.run_status, name="scheduling_run_status"),
    path(M + "runs/<int:pk>/apply/", runs.run_apply, name="scheduling_run_apply"),
    path(M + "plan/", grid.plan, name="scheduling_plan"),
    path(M + "meetings/<int:pk>/", grid.meeting_place, name="scheduling_meeting"),
    path(M + "meetings/<int:pk>/move/", grid.meeting_move, name="scheduling_meeting_move"),
    path(M + "meetings/<int:pk>/swap/", grid.meeting_swap, name="scheduling_meeting_swap"),
    path(M + "meetings/<int:pk>/lock/", grid.meeting_lock, name="scheduling_meeting_lock"),
    path(M + "meetings/<int:pk>/unplace/", grid.meeting_unplace,
         name="scheduling_meeting_unplace"),
    path(M + "meetings/<int:pk>/cancel/", grid.meeting_cancel, name="scheduling_meeting_cancel"),
]
