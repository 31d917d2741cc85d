"""Back-office pages for an event's programme items and sponsors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.events import services_orga
from qiao.orga.common import backoffice_view, get_event, get_organizer
from qiao.orga.forms import ProgrammeItemForm, SponsorForm


def _edit_url(organizer, event, anchor: str) -> str:
    return reverse("orga:event_edit", args=[organizer.slug, event.slug]) + anchor


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors on the form (unknown fields as form errors)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@backoffice_view
def programme_item(request, organizer, event, pk=None):
    """Add a programme item, or edit item ``pk``; times are in the event's time zone."""
    organizer = get_organizer(request, organizer)
    event = get_event(request, organizer, event)
    item = get_object_or_404(event.programme, pk=pk) if pk is not None else None
    form = ProgrammeItemForm(request.POST or None, event=event, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services_orga.save_programme_item(event, request.user, item=item,
                                              **form.service_fields())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The programme item is saved."))
            return redirect(_edit_url(organizer, event, "#programme"))
    return render(request, "orga/programme_form.html", {
        "organizer": organizer, "event": event, "item": item, "form": form,
    })


@require_POST
@backoffice_view
def programme_item_delete(request, organizer, event, pk):
    """Remove a programme item."""
    organizer = get_organizer(request, organizer)
    event = get_event(request, organizer, event)
    item = get_object_or_404(event.programme, pk=pk)
    services_orga.delete_programme_item(item, request.user)
    messages.success(request, _("The programme item is removed."))
    return redirect(_edit_url(organizer, event, "#programme"))


@backoffice_view
def sponsor(request, organizer, event, pk=None):
    """Add a sponsor, or edit sponsor ``pk``: its name and what it funds, per language."""
    organizer = get_organizer(request, organizer)
    event = get_event(request, organizer, event)
    current = get_object_or_404(event.sponsors, pk=pk) if pk is not None else None
    initial = None
    if current is not None:
        initial = {"name": current.name, "funds": current.funds, "position": current.position}
    form = SponsorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_orga.save_sponsor(event, request.user, sponsor=current,
                                       **form.service_fields())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The sponsor is saved."))
            return redirect(_edit_url(organizer, event, "#sponsors"))
    return render(request, "orga/sponsor_form.html", {
        "organizer": organizer, "event": event, "sponsor": current, "form": form,
    })


@require_POST
@backoffice_view
def sponsor_delete(request, organizer, event, pk):
    """Remove a sponsor."""
    organizer = get_organizer(request, organizer)
    event = get_event(request, organizer, event)
    current = get_object_or_404(event.sponsors, pk=pk)
    services_orga.delete_sponsor(current, request.user)
    messages.success(request, _("The sponsor is removed."))
    return redirect(_edit_url(organizer, event, "#sponsors"))
