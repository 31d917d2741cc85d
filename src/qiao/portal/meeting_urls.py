"""Participants' matchmaking pages: participation, participant list, requests, meetings."""

from django.urls import path

from qiao.portal import views_meetings as views
from qiao.portal import views_meetings_actions as actions

urlpatterns = [
    path("my/events/<slug:slug>/participation/", views.event_participation,
         name="event_participation"),
    path("my/events/<slug:slug>/participants/", views.event_participants,
         name="event_participants"),
    path("my/events/<slug:slug>/participants/<int:pk>/request/", views.meeting_request_new,
         name="meeting_request_new"),
    path("my/events/<slug:slug>/meetings/", actions.event_meetings, name="event_meetings"),
    path("my/meeting-requests/<int:pk>/accept/", actions.meeting_request_accept,
         name="meeting_request_accept"),
    path("my/meeting-requests/<int:pk>/decline/", actions.meeting_request_decline,
         name="meeting_request_decline"),
    path("my/meeting-requests/<int:pk>/withdraw/", actions.meeting_request_withdraw,
         name="meeting_request_withdraw"),
    path("my/meetings/<int:pk>/cancel/", actions.meeting_cancel, name="meeting_cancel"),
]
