"""Public pages: events, cooperation profiles, organisations."""

from django.urls import path

from qiao.portal import views_public

urlpatterns = [
    path("events/", views_public.event_list, name="event_list"),
    path("events/<slug:slug>/", views_public.event_detail, name="event_detail"),
    path("profiles/", views_public.profile_list, name="profile_list"),
    path("profiles/<int:pk>/", views_public.profile_detail, name="profile_detail"),
    path("organisations/<int:pk>/", views_public.organization_detail,
         name="organization_detail"),
]
