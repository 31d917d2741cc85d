"""Organisers: the bodies that run Qiao's activities, and their staff."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizersConfig(AppConfig):
    name = "qiao.organizers"
    verbose_name = _("Organisers")
