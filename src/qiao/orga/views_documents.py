"""Back-office documents: all agendas (PDF), the table and interpreters' plans (PDF, XLSX).

Only staff of the event's organisers (and platform administrators) get
them (``documents.view_event_documents``; everything else answers 404).
They are rendered in the requesting staff member's UI language, with times
in the event's time zone; :mod:`qiao.documents.files` does the work.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from qiao.core.access import require
from qiao.documents import files
from qiao.orga.common import backoffice_view, get_event, get_organizer


def _event(request, organizer_slug: str, event_slug: str):
    organizer = get_organizer(request, organizer_slug)
    event = get_event(request, organizer, event_slug)
    require(request.user, "documents.view_event_documents", event)
    return event


def _send(document: files.Document) -> HttpResponse:
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        document.content_type != files.PDF, document.filename)
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@backoffice_view
@require_GET
def agendas_pdf(request, organizer, event):
    """Every approved participant's agenda in one PDF, e.g. for the welcome desk."""
    event = _event(request, organizer, event)
    return _send(files.agendas_pdf(event, request.LANGUAGE_CODE, event.timezone))


@backoffice_view
@require_GET
def table_plan_pdf(request, organizer, event):
    """The table plan (slots × tables, online meetings apart) as PDF."""
    event = _event(request, organizer, event)
    return _send(files.table_plan_pdf(event, request.LANGUAGE_CODE, event.timezone))


@backoffice_view
@require_GET
def table_plan_xlsx(request, organizer, event):
    """The table plan as a spreadsheet."""
    event = _event(request, organizer, event)
    return _send(files.table_plan_xlsx(event, request.LANGUAGE_CODE))


@backoffice_view
@require_GET
def interpreter_plan_pdf(request, organizer, event):
    """The interpreters' plan (per interpreter: slot, table, parties, languages) as PDF."""
    event = _event(request, organizer, event)
    return _send(files.interpreter_plan_pdf(event, request.LANGUAGE_CODE, event.timezone))


@backoffice_view
@require_GET
def interpreter_plan_xlsx(request, organizer, event):
    """The interpreters' plan as a spreadsheet."""
    event = _event(request, organizer, event)
    return _send(files.interpreter_plan_xlsx(event, request.LANGUAGE_CODE))
