"""Forms of the organisers' back office.

Times of an event (registration window, programme) are entered as wall-clock
times in the event's own time zone, whatever the viewer's zone is.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import content_language_choices, country_choices
from qiao.core.fields import TranslatedTextFormField
from qiao.core.timezones import timezone_choices
from qiao.events.models import Event, ProgrammeItem, RegistrationStatus
from qiao.organizers.models import Organizer


def event_days_help(event) -> str:
    """“The event runs from 12 June 2031 to 13 June 2031; times are in Europe/Berlin.”"""
    if event.start_date == event.end_date:
        return _("The event takes place on %(day)s; times are in %(tz)s.") % {
            "day": date_format(event.start_date, "DATE_FORMAT"), "tz": event.timezone}
    return _("The event runs from %(start)s to %(end)s; times are in %(tz)s.") % {
        "start": date_format(event.start_date, "DATE_FORMAT"),
        "end": date_format(event.end_date, "DATE_FORMAT"), "tz": event.timezone}

class WallClockDateTimeField(forms.DateTimeField):
    """A date and time without a zone; the form attaches the event's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        """Parse the input as a naive wall-clock time."""
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result

    def prepare_value(self, value):
        """Show stored values as they are (the form passes naive event-local times)."""
        return value


def as_event_local(value: datetime.datetime | None, tz_name: str):
    """Turn an aware datetime into a naive wall-clock time in ``tz_name`` (for initial data)."""
    if value is None:
        return None
    return value.astimezone(zoneinfo.ZoneInfo(tz_name)).replace(tzinfo=None)


class EventForm(forms.ModelForm):
    """The data of an event; the registration window is entered in the event's time zone."""

    languages = forms.MultipleChoiceField(
        label=_("Meeting languages"), choices=content_language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Languages in which participants can hold their meetings."),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=timezone_choices,
        help_text=_("All times of the event are entered and shown in this time zone."),
    )
    registration_opens = WallClockDateTimeField(
        label=_("Registration opens"), required=False,
        help_text=_("In the event's time zone. Leave empty to open registration now."),
    )
    registration_closes = WallClockDateTimeField(
        label=_("Registration closes"), required=False,
        help_text=_("In the event's time zone. Leave empty to keep registration open."),
    )
    co_organizers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"), queryset=Organizer.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their staff can see and manage this event as well."),
    )

    class Meta:
        model = Event
        fields = [
            "slug", "kind", "name", "description", "venue", "address", "city", "country",
            "timezone", "start_date", "end_date", "languages", "registration_opens",
            "registration_closes", "capacity", "is_public", "allows_meeting_requests",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "slug": _("Used in the event's web address; letters, digits and hyphens."),
            "is_public": _("Public events are listed on the portal and open for registration."),
        }

    def __init__(self, *args, lead=None, can_choose_co_organizers=True, **kwargs):
        super().__init__(*args, **kwargs)
        # TranslatedTextField.formfield() ignores ModelForm labels; set them here.
        self.fields["name"].label = _("Name")
        self.fields["description"].label = _("Description")
        self.fields["country"].choices = [("", "—"), *country_choices()]
        instance = self.instance
        if instance.pk:
            for name in ("registration_opens", "registration_closes"):
                self.initial[name] = as_event_local(getattr(instance, name), instance.timezone)
        if can_choose_co_organizers:
            queryset = Organizer.objects.all()
            if lead is not None:
                queryset = queryset.exclude(pk=lead.pk)
            self.fields["co_organizers"].queryset = queryset
            if instance.pk:
                self.initial["co_organizers"] = list(
                    instance.organizer_links.filter(is_lead=False).values_list(
                        "organizer_id", flat=True
                    )
                )
        else:
            del self.fields["co_organizers"]

    def clean(self):
        """Attach the event's time zone to the registration window and check its order."""
        cleaned = super().clean()
        tz_name = cleaned.get("timezone")
        if tz_name:
            tz = zoneinfo.ZoneInfo(tz_name)
            for name in ("registration_opens", "registration_closes"):
                if cleaned.get(name):
                    cleaned[name] = cleaned[name].replace(tzinfo=tz)
        opens, closes = cleaned.get("registration_opens"), cleaned.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Registration must close after it opens."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned event data as keyword arguments for the services."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProgrammeItemForm(forms.Form):
    """A programme item: a day of the event and start and end times in its time zone."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeItem.Kind.choices)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"},
                                                                  format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    title = TranslatedTextFormField(label=_("Title"), max_length=200)
    description = TranslatedTextFormField(label=_("Description"), multiline=True, required=False)
    speaker = forms.CharField(label=_("Speaker"), max_length=200, required=False)
    speaker_affiliation = forms.CharField(
        label=_("Speaker's affiliation"), max_length=200, required=False
    )

    def __init__(self, *args, event: Event, item: ProgrammeItem | None = None, **kwargs):
        self.event = event
        if item is not None and "initial" not in kwargs:
            starts = item.starts_at.astimezone(event.tzinfo)
            ends = item.ends_at.astimezone(event.tzinfo)
            kwargs["initial"] = {
                "kind": item.kind, "day": starts.date(), "start_time": starts.time(),
                "end_time": ends.time(), "title": item.title, "description": item.description,
                "speaker": item.speaker, "speaker_affiliation": item.speaker_affiliation,
            }
        elif "initial" not in kwargs:
            kwargs["initial"] = {"day": event.start_date}
        super().__init__(*args, **kwargs)
        self.fields["day"].help_text = event_days_help(event)

    def clean(self):
        """Combine day and times in the event's time zone; the end must follow the start."""
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and not self.event.start_date <= day <= self.event.end_date:
            self.add_error("day", _("Choose a day on which the event takes place."))
        if day and start and end:
            tz = self.event.tzinfo
            cleaned["starts_at"] = datetime.datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = datetime.datetime.combine(day, end, tzinfo=tz)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end_time", _("The item must end after it starts."))
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned item as keyword arguments for the services."""
        data = self.cleaned_data
        return {
            "kind": data["kind"], "starts_at": data["starts_at"], "ends_at": data["ends_at"],
            "title": data["title"], "description": data["description"],
            "speaker": data["speaker"], "speaker_affiliation": data["speaker_affiliation"],
        }


class SponsorForm(forms.Form):
    """A sponsor and what it funds, one text per language."""

    name = TranslatedTextFormField(label=_("Name"), max_length=200)
    funds = TranslatedTextFormField(
        label=_("What it funds"), multiline=True, required=False,
        help_text=_("For example travel costs, the exhibition stand or interpreting."),
    )
    position = forms.IntegerField(
        label=_("Order"), min_value=0, required=False,
        help_text=_("Sponsors are listed in ascending order."),
    )

    def service_fields(self) -> dict:
        """The cleaned sponsor as keyword arguments for the services."""
        data = dict(self.cleaned_data)
        if data.get("position") is None:
            data.pop("position", None)
        return data


class DecisionForm(forms.Form):
    """Approve, or decline/return with a reason."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Decline"))])
    note = forms.CharField(required=False, max_length=4000, strip=True)

    def clean(self):
        """A declined registration or returned profile needs a reason."""
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("note"):
            self.add_error("note", _("Give a reason; it is sent to the organisation."))
        return cleaned


class RegistrationFilterForm(forms.Form):
    """Filter an event's registrations by status and search text."""

    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All statuses")), *RegistrationStatus.choices],
    )
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search",
                                      "placeholder": _("Organisation, city or person")}),
    )
