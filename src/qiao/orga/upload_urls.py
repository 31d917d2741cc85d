"""Upload (import) URLs of the back office, included in the ``orga`` namespace."""

from django.urls import path

from qiao.orga import views_upload

PARTICIPANTS = "<slug:organizer>/events/<slug:event>/participants/upload/"

urlpatterns = [
    path(PARTICIPANTS, views_upload.participants_upload, name="participants_upload"),
    path(PARTICIPANTS + "<str:token>/", views_upload.participants_map, name="participants_map"),
]
