"""The finished documents: bytes, file name and media type, in a given language.

Views, mails and commands call these functions; each renders under
``translation.override(language)`` so a document is in the reader's
language whatever the request's language is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from qiao.core.i18n import normalize_ui_language
from qiao.events.models import Registration, RegistrationStatus

from . import ics, pdf, xlsx
from .agenda import participant_agenda
from .plans import interpreter_plan, table_plan

PDF = "application/pdf"
ICS = "text/calendar; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Document:
    """A rendered file."""

    content: bytes
    filename: str
    content_type: str


#: German letters that slugify would strip to a plain vowel ("Gesprächspläne" -> "gesprachsplane").
_GERMAN_LETTERS = str.maketrans({
    "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS",
})


def _has_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def file_name_part(text: str) -> str:
    """``text`` as part of a download's file name: ASCII, lower case, words joined by "-".

    German umlauts and ß are transliterated first ("Dolmetschkräfte" -> "dolmetschkraefte"),
    Chinese characters written in pinyin ("桌位安排" -> "zhuo-wei-an-pai"); other accents
    are dropped.
    """
    text = str(text or "").translate(_GERMAN_LETTERS)
    if _has_chinese(text):
        text = " ".join(lazy_pinyin(text))
    return slugify(text)


def _filename(event, what: str, extension: str, who: str = "") -> str:
    parts = [file_name_part(event.slug), file_name_part(what), file_name_part(who)]
    return "-".join(p for p in parts if p)[:120] + "." + extension


def _who(registration) -> str:
    org = registration.organization
    return org.name_latin or org.name or str(registration.pk)


def agenda_pdf(registration, language: str, tz: str | None = None) -> Document:
    """The participant's agenda as PDF, in ``language`` with times also in zone ``tz``."""
    language = normalize_ui_language(language)
    agenda = participant_agenda(registration)
    event = registration.event
    content = pdf.render_pdf("documents/agenda.html", {
        "agenda": agenda, "event": event, "registration": registration,
        "venue": ics.venue_text(event),
    }, language, tz)
    return Document(content, _filename(event, "agenda", "pdf", _who(registration)), PDF)


def agendas_pdf(event, language: str, tz: str | None = None) -> Document:
    """Every approved participant's agenda in one PDF (one participant per page or more).

    For the organisers' welcome desk: ordered by organisation name, times in
    the event's time zone unless ``tz`` says otherwise.
    """
    registrations = (Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
                     .select_related("event", "organization").order_by("organization__name", "pk"))
    agendas = [participant_agenda(registration) for registration in registrations]
    content = pdf.render_pdf("documents/agendas.html", {
        "agendas": agendas, "event": event, "venue": ics.venue_text(event),
    }, language, tz or event.timezone)
    with translation.override(normalize_ui_language(language)):
        name = _("agendas")
    return Document(content, _filename(event, name, "pdf"), PDF)


def agenda_ics(registration, language: str) -> Document:
    """The participant's agenda as an iCalendar file in ``language``."""
    with translation.override(normalize_ui_language(language)):
        content = ics.agenda_calendar(participant_agenda(registration))
    event = registration.event
    return Document(content, _filename(event, "agenda", "ics", _who(registration)), ICS)


def table_plan_pdf(event, language: str, tz: str | None = None) -> Document:
    """The table plan of ``event`` as PDF (landscape)."""
    content = pdf.render_pdf("documents/table_plan.html", {
        "event": event, "plan": table_plan(event), "venue": ics.venue_text(event),
    }, language, tz)
    with translation.override(normalize_ui_language(language)):
        name = _("table plan")
    return Document(content, _filename(event, name, "pdf"), PDF)


def table_plan_xlsx(event, language: str) -> Document:
    """The table plan of ``event`` as a spreadsheet."""
    with translation.override(normalize_ui_language(language)):
        content = xlsx.table_plan_xlsx(table_plan(event))
        name = _("table plan")
    return Document(content, _filename(event, name, "xlsx"), XLSX)


def interpreter_plan_pdf(event, language: str, tz: str | None = None) -> Document:
    """The interpreters' plan of ``event`` as PDF (one page per interpreter)."""
    content = pdf.render_pdf("documents/interpreter_plan.html", {
        "event": event, "schedules": interpreter_plan(event), "venue": ics.venue_text(event),
    }, language, tz)
    with translation.override(normalize_ui_language(language)):
        name = _("interpreters")
    return Document(content, _filename(event, name, "pdf"), PDF)


def interpreter_plan_xlsx(event, language: str) -> Document:
    """The interpreters' plan of ``event`` as a spreadsheet."""
    with translation.override(normalize_ui_language(language)):
        content = xlsx.interpreter_plan_xlsx(event, interpreter_plan(event))
        name = _("interpreters")
    return Document(content, _filename(event, name, "xlsx"), XLSX)
