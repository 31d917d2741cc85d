"""Forms of the organisers' matchmaking pages: settings, sessions, interpreters, runs, moves.

Session times are entered as a day and wall-clock times in the event's time
zone; the services validate everything again (overlaps, the slot grid).
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from qiao.core.choices import content_language_choices
from qiao.core.fields import TranslatedTextFormField
from qiao.core.i18n import translated
from qiao.core.templatetags.qiao import weekday_date
from qiao.meetings.models import Interpreter, MatchmakingSettings, Session, Slot
from qiao.meetings.scheduling import TIME_LIMITS
from qiao.meetings.services_orga import SETTINGS_FIELDS
from qiao.orga.forms import event_days_help


class MatchmakingSettingsForm(forms.ModelForm):
    """Meeting length, pauses, tables, limits and online meetings of an event."""

    class Meta:
        model = MatchmakingSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {"video_link_template": forms.URLInput(
            attrs={"placeholder": "https://meet.jit.si/qiao-{event}-{token}"})}

    def service_fields(self) -> dict:
        """The cleaned settings as keyword arguments for the service."""
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}


class SessionForm(forms.Form):
    """A meeting session: its name per language, a day and times in the event's zone."""

    name = TranslatedTextFormField(label=_("Name"), max_length=100,
                                   help_text=_("For example “Morning” or “Online session”."))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"},
                                                                  format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"),
        help_text=_("00:00 means midnight at the end of the day."))
    tables = forms.IntegerField(
        label=_("Tables"), min_value=0, max_value=2000, required=False,
        help_text=_("Empty means the event's number of tables per slot."))

    def __init__(self, *args, event, session: Session | None = None, **kwargs):
        self.event = event
        if session is not None and "initial" not in kwargs:
            starts = session.starts_at.astimezone(event.tzinfo)
            ends = session.ends_at.astimezone(event.tzinfo)
            kwargs["initial"] = {"name": session.name, "day": starts.date(),
                                 "start_time": starts.time(), "end_time": ends.time(),
                                 "tables": session.tables}
        elif "initial" not in kwargs:
            kwargs["initial"] = {"day": event.start_date, "start_time": datetime.time(9),
                                 "end_time": datetime.time(12)}
        super().__init__(*args, **kwargs)
        self.fields["day"].help_text = event_days_help(event)

    def clean(self):
        """Combine day and times in the event's time zone (an end of 00:00 is the next day)."""
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            tz = self.event.tzinfo
            cleaned["starts_at"] = datetime.datetime.combine(day, start, tzinfo=tz)
            end_day = day + datetime.timedelta(days=1) if end == datetime.time(0) else day
            cleaned["ends_at"] = datetime.datetime.combine(end_day, end, tzinfo=tz)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end_time", _("The session must end after it starts."))
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned session as keyword arguments for the service."""
        data = self.cleaned_data
        return {"name": data["name"], "starts_at": data["starts_at"],
                "ends_at": data["ends_at"], "tables": data["tables"]}


def time_range_label(obj, tz) -> str:
    """A session's or slot's day and times in ``tz``, the day as the reader's language writes it.

    "Mittwoch, 16. Juni 2027 11:00–11:25", "2027年6月16日 星期三 11:00–11:25".
    """
    start, end = obj.starts_at.astimezone(tz), obj.ends_at.astimezone(tz)
    return f"{weekday_date(start.date())} {start:%H:%M}–{end:%H:%M}"


class SlotChoiceField(forms.ModelMultipleChoiceField):
    """Slots labelled with their day and times in the event's time zone."""

    def __init__(self, *args, tz=None, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        """``Thursday, 12 June 2031 09:00–09:25`` in the reader's language."""
        return time_range_label(obj, self.tz)


class InterpreterForm(forms.Form):
    """An interpreter: name, email, languages and when they are available."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=content_language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two; the interpreter serves meetings whose sides each speak one."))
    sessions = forms.ModelMultipleChoiceField(
        label=_("Available in whole sessions"), queryset=Session.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    slots = SlotChoiceField(
        label=_("Available in single slots"), queryset=Slot.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chosen in addition to the whole sessions above."))

    def __init__(self, *args, event, interpreter: Interpreter | None = None, **kwargs):
        self.event = event
        sessions = Session.objects.filter(event=event).order_by("starts_at")
        slots = Slot.objects.filter(event=event).order_by("starts_at")
        if interpreter is not None and "initial" not in kwargs:
            chosen = set(interpreter.available_slots.values_list("pk", flat=True))
            whole = [s.pk for s in sessions
                     if (ids := set(s.slots.values_list("pk", flat=True))) and ids <= chosen]
            in_whole = set(Slot.objects.filter(session__in=whole).values_list("pk", flat=True))
            kwargs["initial"] = {"name": interpreter.name, "email": interpreter.email,
                                 "languages": interpreter.languages, "sessions": whole,
                                 "slots": sorted(chosen - in_whole)}
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions
        self.fields["sessions"].label_from_instance = lambda s: (
            f"{translated(s.name)} · {time_range_label(s, event.tzinfo)}")
        self.fields["slots"].queryset = slots
        self.fields["slots"].tz = event.tzinfo

    def service_fields(self) -> dict:
        """Name, email, languages and the union of chosen sessions' slots and single slots."""
        data = self.cleaned_data
        chosen = {s.pk for s in data["slots"]}
        chosen |= set(Slot.objects.filter(session__in=data["sessions"]).values_list("pk",
                                                                                    flat=True))
        return {"name": data["name"], "email": data["email"], "languages": data["languages"],
                "slots": sorted(chosen)}


def _time_limit_label(seconds: int) -> str:
    """“30 seconds”, “2 minutes” in the language of the request that shows it."""
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = seconds // 60
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


# Evaluated when the form is rendered, not when this module is imported (which would
# freeze the labels in the default language).
time_limit_label = lazy(_time_limit_label, str)


class RunForm(forms.Form):
    """Start the scheduler: time limit and whether current placements should stay."""

    time_limit = forms.TypedChoiceField(
        label=_("Time limit"), coerce=int, initial=60,
        choices=[(s, time_limit_label(s)) for s in TIME_LIMITS],
        help_text=_("Longer runs find better agendas for large events; the result may be "
                    "proven optimal earlier."))
    keep_current = forms.BooleanField(
        label=_("Keep current placements where possible"), required=False, initial=True,
        help_text=_("Meetings move only where that places more or more important meetings. "
                    "Locked meetings never move."))


class MoveForm(forms.Form):
    """Place a meeting: slot, table (or online), interpreter, lock."""

    slot = forms.ModelChoiceField(label=_("Slot"), queryset=Slot.objects.none())
    table = forms.CharField(label=_("Table"), required=False, max_length=10,
                            help_text=_("Empty: the lowest free table. “online” for online "
                                        "meetings."))
    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"), queryset=Interpreter.objects.none(), required=False,
        help_text=_("Empty: a suitable free interpreter if the sides share no language."))
    lock = forms.BooleanField(label=_("Lock in this place"), required=False, initial=True,
                              help_text=_("A new scheduler run keeps locked meetings."))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = Slot.objects.filter(event=event).order_by("starts_at")
        self.fields["slot"].label_from_instance = lambda s: time_range_label(s, event.tzinfo)
        self.fields["interpreter"].queryset = Interpreter.objects.filter(event=event)

    def clean_table(self):
        """A table number, ``online`` or empty."""
        value = (self.cleaned_data.get("table") or "").strip().lower()
        if value in ("", "online"):
            return value
        if not value.isdigit() or int(value) < 1:
            raise forms.ValidationError(_("Enter a table number or “online”."))
        return int(value)

    def service_fields(self) -> dict:
        """Keyword arguments for ``move_meeting``."""
        data = self.cleaned_data
        table = data["table"]
        return {"table": table if isinstance(table, int) else None,
                "online": table == "online", "interpreter": data["interpreter"],
                "lock": data["lock"]}
