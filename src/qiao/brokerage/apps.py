"""Introductions between organisations brokered by the office."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokerageConfig(AppConfig):
    name = "qiao.brokerage"
    verbose_name = _("Introductions")
