"""Import and export of organisations and profiles (qiao-exchange/1, CSV, XLSX)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "qiao.exchange"
    verbose_name = _("Import and export")
