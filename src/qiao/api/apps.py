"""The JSON API (django-ninja)."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qiao.api"
