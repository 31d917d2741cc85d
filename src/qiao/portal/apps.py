"""Participants' and visitors' pages."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "qiao.portal"
