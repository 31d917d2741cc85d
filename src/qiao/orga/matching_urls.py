"""Back-office matching pages: an event's matches and the organiser's introductions."""

from django.urls import path

from qiao.orga import views_matching as views

urlpatterns = [
    path("<slug:organizer>/events/<slug:event>/matches/", views.event_matches,
         name="event_matches"),
    path("<slug:organizer>/introductions/", views.introductions, name="introductions"),
    path("<slug:organizer>/introductions/propose/", views.introduction_propose,
         name="introduction_propose"),
    path("<slug:organizer>/introductions/<int:pk>/dismiss/", views.introduction_dismiss,
         name="introduction_dismiss"),
]
