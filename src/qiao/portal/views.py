"""Views of the participants' and visitors' area."""

from django.shortcuts import render

from qiao.events.models import Event


def home(request):
    """Landing page: what Qiao is and the upcoming public events."""
    events = Event.objects.public().order_by("-start_date")[:6]
    return render(request, "portal/home.html", {"events": events})
