"""URLs of the participants' and visitors' area (namespace ``portal``)."""

from qiao.portal.agenda_urls import urlpatterns as agenda_urlpatterns
from qiao.portal.meeting_urls import urlpatterns as meeting_urlpatterns
from qiao.portal.participant_urls import urlpatterns as participant_urlpatterns
from qiao.portal.public_urls import urlpatterns as public_urlpatterns
from qiao.portal.recommendation_urls import urlpatterns as recommendation_urlpatterns

app_name = "portal"

urlpatterns = (
    public_urlpatterns + participant_urlpatterns + meeting_urlpatterns
    + recommendation_urlpatterns + agenda_urlpatterns
)
