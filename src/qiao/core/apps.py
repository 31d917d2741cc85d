"""Core app: shared helpers, permission rules, i18n and time-zone tools."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qiao.core"
    verbose_name = _("Core")
