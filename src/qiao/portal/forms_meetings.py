"""Forms of the participants' matchmaking pages: availability, requests, answers, cancelling."""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import (
    CooperationType,
    OrganizationKind,
    content_language_choices,
    country_name,
)
from qiao.events.models import Attendance
from qiao.meetings.models import AvailabilityMode
from qiao.portal.forms_accounts import timezone_choices

PRIORITY_CHOICES = [
    (1, _("Normal")),
    (2, _("High")),
    (3, _("Very high")),
]


class AvailabilityForm(forms.Form):
    """How a participant takes part and when they are available for meetings."""

    attendance = forms.ChoiceField(
        label=_("How you take part"), choices=Attendance.choices, widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(
        label=_("When you are available"), choices=AvailabilityMode.choices,
        widget=forms.RadioSelect, initial=AvailabilityMode.WHOLE_EVENT,
    )
    days = forms.MultipleChoiceField(
        label=_("Days"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("For “some days”; with “certain hours” it limits the hours to these days."),
    )
    start_time = forms.TimeField(
        label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
    )
    end_time = forms.TimeField(
        label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone of these hours"), choices=timezone_choices, required=False,
        help_text=_("If you take part online, enter your own working hours in your time zone; "
                    "Qiao offers you only the slots that lie fully inside them."),
    )

    def __init__(self, *args, days=(), remote_allowed: bool = True, at=None, **kwargs):
        super().__init__(*args, **kwargs)
        if at is not None:
            # Offsets of the event's day (summer time), not of today.
            self.fields["timezone"].choices = timezone_choices(at=at)
        self.fields["days"].choices = [
            (d.isoformat(), formats.date_format(d, "DATE_FORMAT")) for d in days
        ]
        if not remote_allowed:
            self.fields["attendance"].choices = [
                c for c in Attendance.choices if c[0] != Attendance.REMOTE
            ]


class MeetingRequestForm(forms.Form):
    """A request for a meeting with another participant."""

    message = forms.CharField(
        label=_("Message"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why you would like to meet and what you would like to discuss."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, coerce=int, initial=1,
        widget=forms.RadioSelect,
        help_text=_("When time is short, the organiser schedules meetings of higher priority "
                    "first."),
    )
    wants_remote = forms.BooleanField(
        label=_("I would like to meet online"), required=False,
    )

    def __init__(self, *args, remote_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not remote_allowed:
            del self.fields["wants_remote"]


class AcceptForm(forms.Form):
    """Accepting a request, with the recipient's own priority."""

    priority = forms.TypedChoiceField(
        label=_("Your priority"), choices=PRIORITY_CHOICES, coerce=int, required=False,
        empty_value=None,
    )


class DeclineForm(forms.Form):
    """Declining a request, with an optional reason for the requester."""

    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelMeetingForm(forms.Form):
    """Cancelling a meeting, with an optional reason for the other side."""

    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ParticipantFilterForm(forms.Form):
    """Filters and search of an event's participant list."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.CharField(
        label=_("Sector (NACE code)"), required=False, max_length=10,
        help_text=_("A NACE code or its beginning, e.g. C26 or M72."),
    )
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    cooperation = forms.ChoiceField(label=_("Type of cooperation"), required=False)
    language = forms.ChoiceField(label=_("Meeting language"), required=False)

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c, country_name(c)) for c in countries
        ]
        self.fields["kind"].choices = [("", _("All kinds"))] + list(OrganizationKind.choices)
        self.fields["cooperation"].choices = [("", _("All types"))] + list(
            CooperationType.choices
        )
        self.fields["language"].choices = [("", _("All languages"))] + list(
            content_language_choices()
        )

    def clean_sector(self) -> str:
        """Upper-case NACE prefix without spaces."""
        return "".join((self.cleaned_data.get("sector") or "").split()).upper()
