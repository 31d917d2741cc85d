"""Home page and account pages (no namespace: ``home``, ``login``, ``logout`` …)."""

from django.urls import path

from qiao.portal import views

urlpatterns = [
    path("", views.home, name="home"),
]
