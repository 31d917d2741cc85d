"""URLs of the participants' and visitors' area."""

from django.urls import path

from qiao.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
]
