"""Pages of signed-in participants: dashboard, their organisation, profiles, registrations."""

from django.urls import path

from qiao.portal import views_participant as views
from qiao.portal import views_participant_profiles as profiles

urlpatterns = [
    path("my/", views.dashboard, name="dashboard"),
    path("my/organisations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("my/organisations/<int:pk>/profiles/new/", profiles.profile_create,
         name="profile_create"),
    path("my/profiles/detect-language/", profiles.detect_profile_language,
         name="profile_detect_language"),
    path("my/profiles/<int:pk>/", profiles.my_profile, name="my_profile"),
    path("my/profiles/<int:pk>/edit/", profiles.profile_edit, name="profile_edit"),
    path("my/profiles/<int:pk>/submit/", profiles.profile_submit, name="profile_submit"),
    path("my/profiles/<int:pk>/withdraw/", profiles.profile_withdraw, name="profile_withdraw"),
    path("my/profiles/<int:pk>/renew/", profiles.profile_renew, name="profile_renew"),
    path("my/profiles/<int:pk>/delete/", profiles.profile_delete, name="profile_delete"),
    path("my/events/<slug:slug>/register/", views.event_register, name="event_register"),
    path("my/registrations/<int:pk>/edit/", views.registration_edit, name="registration_edit"),
    path("my/registrations/<int:pk>/cancel/", views.registration_cancel,
         name="registration_cancel"),
]
