"""Partner recommendations (stored embeddings, background refresh, ranked partners)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "qiao.recommendations"
    verbose_name = _("Partner recommendations")

    def ready(self) -> None:
        """Connect the receiver that refreshes a profile's embedding when its text changes."""
        from qiao.recommendations import signals

        signals.connect()
