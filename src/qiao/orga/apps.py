"""The organisers' back office."""

from django.apps import AppConfig


class OrgaConfig(AppConfig):
    name = "qiao.orga"
