"""Forms for cooperation profiles (used by the participants' area and the back office)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import (
    CooperationType,
    Direction,
    Topic,
    content_language_choices,
    country_choices,
)
from qiao.profiles.services import MAX_KEYWORDS

_KEYWORD_SPLIT = re.compile(r"[,;，、；\n]+")


def split_keywords(value: str) -> list[str]:
    """Split a keyword line at commas (also Chinese commas), semicolons and line breaks."""
    words = [w.strip() for w in _KEYWORD_SPLIT.split(value or "")]
    return list(dict.fromkeys(w for w in words if w))


def _language_choices():
    return [("", _("Detect from the text"))] + content_language_choices()


class KeywordsField(forms.CharField):
    """A comma-separated list of keywords, cleaned to a list of strings."""

    def prepare_value(self, value):
        """Show a stored list as one comma-separated line."""
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        """Return the keywords as a list."""
        return split_keywords(super().to_python(value))

    def validate(self, value):
        """Limit the number and length of keywords."""
        super().validate(value)
        if len(value) > MAX_KEYWORDS:
            raise forms.ValidationError(
                _("Enter at most %(n)d keywords."), code="too_many", params={"n": MAX_KEYWORDS}
            )
        if any(len(word) > 60 for word in value):
            raise forms.ValidationError(
                _("A keyword may be at most 60 characters long."), code="too_long"
            )


class ProfileForm(forms.Form):
    """What an organisation offers or seeks, in the language its authors write in."""

    direction = forms.ChoiceField(
        label=_("Offer or request"), choices=Direction.choices, widget=forms.RadioSelect
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    cooperation = forms.MultipleChoiceField(
        label=_("Kinds of cooperation"), choices=CooperationType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of cooperation.")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=200,
        help_text=_("One line that tells partners what you offer or seek."),
    )
    text = forms.CharField(
        label=_("Description"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Describe the offer or request, your organisation's strengths and the partner "
            "you are looking for. Write in the language you are most comfortable with; "
            "it is shown to readers with a language label and is not translated."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=_language_choices, required=False,
        help_text=_("Leave it on “Detect from the text” and Qiao recognises the language."),
    )
    keywords = KeywordsField(
        label=_("Keywords"), required=False, max_length=1000,
        help_text=_("Separated by commas, e.g. biosensors, diagnostics, clinical laboratories."),
    )
    target_countries = forms.MultipleChoiceField(
        label=_("Target countries"), choices=country_choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Markets or partner countries you are interested in; none means any. Hold Ctrl "
            "(or ⌘ on a Mac) to choose several."
        ),
    )

    @classmethod
    def initial_for(cls, profile) -> dict:
        """The form's initial data for an existing profile."""
        return {
            "direction": profile.direction, "topic": profile.topic,
            "cooperation": profile.cooperation, "title": profile.title, "text": profile.text,
            "language": profile.language, "keywords": profile.keywords,
            "target_countries": profile.target_countries,
        }
