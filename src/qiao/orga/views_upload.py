"""Back-office pages for uploading an event's participant list (CSV or XLSX).

Step 1 (``participants_upload``) takes the file, checks that it can be read
and keeps it in short-lived storage under a random token. Step 2
(``participants_map``) maps the columns to fields, shows a preview with every
problem by row and column, and imports all rows in one transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from qiao.exchange.columns import guess_mapping, mapping_problems
from qiao.exchange.participants import (
    Options,
    ParticipantImportError,
    check_participants,
    import_participants,
)
from qiao.exchange.tabular import TableError, read_table
from qiao.exchange.uploads import UploadMissing, delete_upload, load_upload, store_upload
from qiao.orga.common import backoffice_view, get_event, get_organizer
from qiao.orga.forms_upload import ColumnMappingForm, ParticipantFileForm

#: Rows shown in the preview; problems are listed for all rows.
PREVIEW_ROWS = 20
#: Most problems listed on the page.
MAX_ISSUES_SHOWN = 200


def _event_and_organizer(request, organizer_slug: str, event_slug: str):
    organizer = get_organizer(request, organizer_slug)
    return organizer, get_event(request, organizer, event_slug)


@backoffice_view
@require_http_methods(["GET", "POST"])
def participants_upload(request, organizer, event):
    """Step 1: upload a participant list for ``event``."""
    organizer, event = _event_and_organizer(request, organizer, event)
    form = ParticipantFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = store_upload(
            form.data_bytes, filename=form.cleaned_data["file"].name, event=event,
            user=request.user,
        )  # fmt: skip
        return redirect("orga:participants_map", organizer.slug, event.slug, token)
    return render(
        request, "orga/upload_participants.html",
        {"organizer": organizer, "event": event, "form": form},
    )  # fmt: skip


def _summary(report) -> str:
    """The message after an import: one sentence per figure, each with its plural forms."""
    created, matched = report.organizations_created, report.organizations_matched
    registrations, unchanged = report.registrations_created, report.registrations_unchanged
    contacts = report.contacts_created
    return " ".join([
        _("Participant list imported."),
        ngettext("%(count)d new organisation.", "%(count)d new organisations.", created)
        % {"count": created},
        ngettext(
            "%(count)d organisation was already known.",
            "%(count)d organisations were already known.", matched,
        ) % {"count": matched},
        ngettext(
            "%(count)d registration created (%(approved)d approved).",
            "%(count)d registrations created (%(approved)d approved).", registrations,
        ) % {"count": registrations, "approved": report.registrations_approved},
        ngettext(
            "%(count)d organisation was registered already.",
            "%(count)d organisations were registered already.", unchanged,
        ) % {"count": unchanged},
        ngettext("%(count)d contact person added.", "%(count)d contact persons added.", contacts)
        % {"count": contacts},
    ])  # fmt: skip


@backoffice_view
@require_http_methods(["GET", "POST"])
def participants_map(request, organizer, event, token):
    """Step 2: map columns, preview with problems, import (or cancel)."""
    organizer, event = _event_and_organizer(request, organizer, event)
    upload_url = reverse("orga:participants_upload", args=[organizer.slug, event.slug])
    event_url = reverse("orga:event_detail", args=[organizer.slug, event.slug])
    try:
        stored = load_upload(token, event=event, user=request.user)
        table = read_table(stored.data, stored.filename)
    except (UploadMissing, TableError):
        delete_upload(token)
        messages.error(
            request, _("The uploaded list is no longer available; please upload it again.")
        )
        return redirect(upload_url)
    action = request.POST.get("action", "check")
    if request.method == "POST" and action == "cancel":
        delete_upload(token)
        messages.info(request, _("The upload was cancelled and the file deleted."))
        return redirect(event_url)
    guessed = guess_mapping(table.headers)
    result = None
    if request.method == "POST":
        form = ColumnMappingForm(request.POST, table=table, guessed=guessed)
        if form.is_valid():
            if action == "import":
                try:
                    report = import_participants(
                        table, form.mapping(), event, options=form.options(), by=request.user
                    )
                except ParticipantImportError:
                    messages.error(
                        request, _("Nothing was imported: please correct the problems below.")
                    )
                else:
                    delete_upload(token)
                    messages.success(request, _summary(report))
                    return redirect(event_url + "#registrations")
            result = check_participants(table, form.mapping(), event, form.options())
    else:
        form = ColumnMappingForm(table=table, guessed=guessed)
        if not mapping_problems(guessed):
            result = check_participants(table, guessed, event, Options())
    context = {
        "organizer": organizer,
        "event": event,
        "form": form,
        "filename": stored.filename,
        "row_count": len(table.rows),
        "result": result,
        "preview_rows": result.rows[:PREVIEW_ROWS] if result else [],
        "issues": result.issues[:MAX_ISSUES_SHOWN] if result else [],
        "more_issues": max(0, len(result.issues) - MAX_ISSUES_SHOWN) if result else 0,
        "guess_problems": [] if request.method == "POST" else mapping_problems(guessed),
    }
    return render(request, "orga/upload_participants_map.html", context)
