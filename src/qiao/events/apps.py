"""Events: matchmaking days, conferences and delegation trips."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "qiao.events"
    verbose_name = _("Events")
