"""People: user accounts with email login, languages, time zone and consents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "qiao.people"
    verbose_name = _("People")
