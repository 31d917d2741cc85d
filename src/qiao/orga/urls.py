"""URLs of the organisers' back office (namespace ``orga``)."""

from django.urls import include, path

from qiao.orga import views_dashboard, views_decide, views_events, views_programme

app_name = "orga"

EVENT = "<slug:organizer>/events/<slug:event>/"

urlpatterns = [
    # Import and export pages come first so their fixed paths win over organiser slugs.
    path("", include("qiao.orga.upload_urls")),
    path("", include("qiao.orga.matching_urls")),
    path("", include("qiao.orga.scheduling_urls")),
    path("", include("qiao.orga.document_urls")),
    path("", views_dashboard.dashboard, name="dashboard"),
    path("<slug:organizer>/", views_dashboard.organizer_overview, name="organizer"),
    path("<slug:organizer>/review/", views_dashboard.review_queue, name="review_queue"),
    path("<slug:organizer>/profiles/<int:pk>/decide/", views_decide.profile_decide,
         name="profile_decide"),
    path("<slug:organizer>/events/new/", views_events.event_create, name="event_create"),
    path(EVENT, views_events.event_detail, name="event_detail"),
    path(EVENT + "edit/", views_events.event_edit, name="event_edit"),
    path(EVENT + "registrations/<int:pk>/decide/", views_decide.registration_decide,
         name="registration_decide"),
    path(EVENT + "programme/new/", views_programme.programme_item, name="programme_add"),
    path(EVENT + "programme/<int:pk>/", views_programme.programme_item, name="programme_edit"),
    path(EVENT + "programme/<int:pk>/delete/", views_programme.programme_item_delete,
         name="programme_delete"),
    path(EVENT + "sponsors/new/", views_programme.sponsor, name="sponsor_add"),
    path(EVENT + "sponsors/<int:pk>/", views_programme.sponsor, name="sponsor_edit"),
    path(EVENT + "sponsors/<int:pk>/delete/", views_programme.sponsor_delete,
         name="sponsor_delete"),
]
