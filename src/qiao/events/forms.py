"""Forms for event registrations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import content_language_choices, content_language_name
from qiao.events.models import Attendance


class RegistrationForm(forms.Form):
    """An organisation's registration for an event, filled in by one of its representatives."""

    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, empty_label=None,
        help_text=_("The organisation you register."),
    )
    representatives = forms.CharField(
        label=_("Who attends"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names and positions of the people who attend, one per line."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Meeting languages"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Languages in which your representatives can hold meetings."),
        error_messages={"required": _("Choose at least one language for your meetings.")},
    )
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=Attendance.choices, widget=forms.RadioSelect,
        initial=Attendance.IN_PERSON,
    )
    message = forms.CharField(
        label=_("Message to the organiser"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Whom you would like to meet, questions about travel or the programme."),
    )

    def __init__(self, *args, event, organizations=None, **kwargs):
        """``organizations`` to choose from; None when an existing registration is edited."""
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
        if event.languages:
            self.fields["languages"].choices = [
                (code, content_language_name(code)) for code in event.languages
            ]
        else:
            self.fields["languages"].choices = content_language_choices()


def registration_initial(registration) -> dict:
    """The form's initial data for an existing registration."""
    return {
        "representatives": registration.representatives,
        "languages": registration.languages,
        "attendance": registration.attendance,
        "message": registration.message,
    }
