"""URLs of the organisers' back office."""

from django.urls import include, path

app_name = "orga"

urlpatterns = [
    path("", include("qiao.orga.upload_urls")),
]
