"""Public pages: events, cooperation profiles, organisations."""

urlpatterns = []
