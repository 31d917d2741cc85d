"""A participant's personal agenda: page, PDF, calendar file and the private calendar feed."""

from django.urls import path

from qiao.portal import views_agenda as views

urlpatterns = [
    path("my/events/<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("my/events/<slug:slug>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("my/events/<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("my/registrations/<int:pk>/calendar-address/reset/", views.agenda_feed_reset,
         name="agenda_feed_reset"),
    # Calendar apps poll this address without a login; the token is the secret.
    path("calendar/<str:token>/agenda.ics", views.agenda_feed, name="agenda_feed"),
]
