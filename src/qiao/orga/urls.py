"""URLs of the organisers' back office."""

app_name = "orga"

urlpatterns = []
