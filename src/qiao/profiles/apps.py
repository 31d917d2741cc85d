"""Cooperation profiles (offers and requests) and their review workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "qiao.profiles"
    verbose_name = _("Cooperation profiles")
