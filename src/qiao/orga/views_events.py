"""Back-office event pages: an event's overview with its registrations, creating and editing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qiao.events import services_orga
from qiao.events.models import Event, RegistrationStatus
from qiao.orga import queries
from qiao.orga.common import backoffice_view, get_event, get_organizer, is_lead
from qiao.orga.forms import EventForm, RegistrationFilterForm

REGISTRATIONS_PER_PAGE = 50


@backoffice_view
def event_detail(request, organizer, event):
    """Event data, programme, sponsors and the registrations table with decisions."""
    organizer = get_organizer(request, organizer)
    event = get_event(request, organizer, event)
    filters = RegistrationFilterForm(request.GET or None)
    status, text = "", ""
    if filters.is_valid():
        status, text = filters.cleaned_data["status"], filters.cleaned_data["q"]
    page = Paginator(queries.search_registrations(event, status, text),
                     REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
    counts = queries.status_counts(event)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "orga/event_detail.html", {
        "organizer": organizer,
        "event": event,
        "links": event.organizer_links.select_related("organizer").order_by("-is_lead", "id"),
        "programme": event.programme.all(),
        "sponsors": event.sponsors.all(),
        "status_rows": [(code, label, counts[code]) for code, label in RegistrationStatus.choices],
        "filters": filters if filters.is_bound else RegistrationFilterForm(),
        "status": status,
        "page": page,
        "query": query.urlencode(),
    })


def _save_event(request, form, organizer, event=None):
    """Call the services with the form's data; put their validation errors on the form."""
    data = form.service_fields()
    co_organizers = form.cleaned_data.get("co_organizers") if "co_organizers" in form.fields \
        else None
    try:
        if event is None:
            return services_orga.create_event(
                organizer, request.user, co_organizers=co_organizers or (), **data
            )
        return services_orga.update_event(event, request.user, co_organizers=co_organizers,
                                          **data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


def _usual_languages(organizer) -> list[str]:
    """The meeting languages of the organiser's latest event (English if it has none)."""
    latest = (Event.objects.filter(organizer_links__organizer=organizer)
              .order_by("-start_date").values_list("languages", flat=True).first())
    return list(latest or ["en"])


@backoffice_view
def event_create(request, organizer):
    """Create an event led by this organiser, optionally with co-organisers."""
    organizer = get_organizer(request, organizer)
    form = EventForm(request.POST or None, lead=organizer,
                     initial={"timezone": organizer.timezone, "country": organizer.country,
                              "city": organizer.city, "is_public": True,
                              "languages": _usual_languages(organizer)})
    if request.method == "POST" and form.is_valid():
        event = _save_event(request, form, organizer)
        if event is not None:
            messages.success(request, _("The event is created. Add its programme next."))
            return redirect("orga:event_detail", organizer.slug, event.slug)
    return render(request, "orga/event_form.html", {
        "organizer": organizer, "form": form, "event": None,
    })


@backoffice_view
def event_edit(request, organizer, event):
    """Edit an event's data; the lead organiser's staff also choose the co-organisers."""
    organizer = get_organizer(request, organizer)
    event = get_event(request, organizer, event)
    may_choose = request.user.is_superuser or is_lead(organizer, event)
    lead_link = event.organizer_links.filter(is_lead=True).select_related("organizer").first()
    # The form works on its own copy, so the page keeps showing the saved data.
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk),
                     lead=lead_link.organizer if lead_link else organizer,
                     can_choose_co_organizers=may_choose)
    if request.method == "POST" and form.is_valid():
        saved = _save_event(request, form, organizer, event)
        if saved is not None:
            messages.success(request, _("The event data is saved."))
            return redirect("orga:event_detail", organizer.slug, saved.slug)
    return render(request, "orga/event_form.html", {
        "organizer": organizer, "form": form, "event": event,
        "programme": event.programme.all(), "sponsors": event.sponsors.all(),
    })
