"""Pages of signed-in participants: dashboard, their organisation, profiles, registrations."""

urlpatterns = []
