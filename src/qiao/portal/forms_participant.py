"""Forms of the participants' area that are not shared with the back office."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import content_language_choices, country_choices
from qiao.core.codes import is_nace_code
from qiao.organizations.models import Organization

_SPLIT = re.compile(r"[,;，、；\s]+")


def _description_language_choices():
    return [("", _("Detect from the text"))] + content_language_choices()


class SectorsField(forms.CharField):
    """NACE Rev.2 codes, separated by commas, cleaned to a list of upper-case codes."""

    def prepare_value(self, value):
        """Show a stored list as one comma-separated line."""
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        """Return the codes as a list."""
        text = super().to_python(value)
        codes = [c.strip().upper() for c in _SPLIT.split(text or "")]
        return list(dict.fromkeys(c for c in codes if c))

    def validate(self, value):
        """Accept only syntactically valid NACE codes."""
        super().validate(value)
        bad = [code for code in value if not is_nace_code(code)]
        if bad:
            raise forms.ValidationError(
                _("These are not NACE Rev.2 codes: %(codes)s. Use a section letter with "
                  "optional digits, e.g. C21 or M72.1."),
                code="nace", params={"codes": ", ".join(bad)},
            )


class OrganizationForm(forms.ModelForm):
    """The organisation's data as its representatives maintain it.

    Validated with the model's rules (USCC check character, VAT format, logo
    size); the view saves through ``update_organization``, never ``save()``.
    """

    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=content_language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Languages in which partners can contact your organisation."),
        error_messages={"required": _("Choose at least one working language.")},
    )
    sectors = SectorsField(
        label=_("Sectors (NACE Rev.2)"), required=False, max_length=500,
        help_text=_("Codes separated by commas, e.g. C21, M72.1."),
    )
    description_language = forms.ChoiceField(
        label=_("Language of the description"), choices=_description_language_choices,
        required=False,
    )

    class Meta:
        model = Organization
        fields = [
            "name", "name_latin", "kind", "country", "region", "city", "address", "website",
            "email", "phone", "employees", "founded", "languages", "sectors", "description",
            "description_language", "logo", "uscc", "vat", "register",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "uscc": _("18 characters, for organisations registered in China."),
            "vat": _("With the country prefix, e.g. DE123456789."),
            "register": _("E.g. Amtsgericht Dresden HRB 12345."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].help_text = _(
            "PNG, JPEG, WebP or GIF, at most %(kb)d KB and %(px)d pixels wide and high."
        ) % {"kb": settings.QIAO_MAX_LOGO_BYTES // 1024, "px": settings.QIAO_MAX_LOGO_PIXELS}

    def clean_uscc(self):
        """Accept lower-case input and surrounding blanks."""
        return (self.cleaned_data.get("uscc") or "").strip().upper()

    def clean_vat(self):
        """Accept blanks inside the VAT number."""
        return (self.cleaned_data.get("vat") or "").replace(" ", "").upper()
