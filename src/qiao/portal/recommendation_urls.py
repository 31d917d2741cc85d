"""Participants' recommendation pages: recommended partners, who to meet, introductions."""

from django.urls import path

from qiao.portal import views_recommendations as views

urlpatterns = [
    path("my/recommendations/", views.recommendations, name="recommendations"),
    path("my/recommendations/introduction/", views.introduction_request,
         name="introduction_request"),
    path("my/events/<slug:slug>/recommendations/", views.event_recommendations,
         name="event_recommendations"),
    path("my/introductions/", views.introductions, name="introductions"),
    path("my/introductions/<int:pk>/respond/", views.introduction_respond,
         name="introduction_respond"),
]
