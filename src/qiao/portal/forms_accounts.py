"""Forms of the account pages: sign-up, own settings, password reset in the user's language."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import OrganizationKind, content_language_choices, country_choices
from qiao.core.i18n import normalize_ui_language
from qiao.core.timezones import timezone_choices
from qiao.people.models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Log-in form asking for the email address instead of a user name."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        """Email addresses are stored in lower case."""
        return User.objects.normalize_email(self.cleaned_data["username"]).lower()


class PersonFieldsMixin(forms.Form):
    """The personal settings shared by sign-up and the settings page."""

    preferred_language = forms.ChoiceField(
        label=_("Language of the user interface and of emails"), choices=settings.LANGUAGES
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=timezone_choices,
        help_text=_("Times of events are also shown in this time zone."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), choices=content_language_choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used to plan meetings and interpreters."),
    )
    consent_listing = forms.BooleanField(
        label=_("Other participants of events I attend may see my name and position."),
        required=False,
    )


class SignupForm(PersonFieldsMixin):
    """Create an account and the organisation the new user represents."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    organization_name = forms.CharField(
        label=_("Name of the organisation"), max_length=200,
        help_text=_("In its own script, e.g. 济南生物科技有限公司 or Elbtal Diagnostik GmbH."),
    )
    organization_name_latin = forms.CharField(
        label=_("Name in Latin script"), max_length=200, required=False,
        help_text=_("For Chinese names: the pinyin or English name."),
    )
    organization_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=OrganizationKind.choices
    )
    organization_country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    organization_city = forms.CharField(label=_("City"), max_length=100)
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and the privacy notice."), required=True,
        error_messages={"required": _("Please accept the terms to create an account.")},
    )

    field_order = [
        "name", "email", "password1", "password2", "preferred_language", "timezone",
        "languages", "organization_name", "organization_name_latin", "organization_kind",
        "organization_country", "organization_city", "consent_listing", "accept_terms",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = normalize_ui_language(
            translation.get_language()
        )
        self.fields["timezone"].initial = settings.TIME_ZONE

    def clean_email(self) -> str:
        """Reject addresses that already have an account."""
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email address exists already. Log in or reset "
                  "your password.")
            )
        return email

    def clean(self):
        """Check that both passwords match and are strong enough."""
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            probe = User(email=cleaned.get("email") or "", name=cleaned.get("name") or "")
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def user_fields(self) -> dict:
        """Keyword arguments for :func:`qiao.people.services.register_user`."""
        data = self.cleaned_data
        return {
            "email": data["email"], "password": data["password1"], "name": data["name"],
            "accepted_terms": data["accept_terms"],
            "preferred_language": data["preferred_language"], "timezone": data["timezone"],
            "languages": data["languages"], "consent_listing": data["consent_listing"],
        }

    def organization_fields(self) -> dict:
        """Keyword arguments for :func:`qiao.organizations.services.create_organization_for`."""
        data = self.cleaned_data
        return {
            "name": data["organization_name"], "name_latin": data["organization_name_latin"],
            "kind": data["organization_kind"], "country": data["organization_country"],
            "city": data["organization_city"], "languages": data["languages"],
        }


class AccountSettingsForm(PersonFieldsMixin):
    """The user's own settings."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    name_latin = forms.CharField(
        label=_("Name in Latin script"), max_length=150, required=False,
        help_text=_("For Chinese names: the pinyin spelling."),
    )
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    field_order = [
        "name", "name_latin", "position", "phone", "languages", "preferred_language",
        "timezone", "consent_listing",
    ]

    @classmethod
    def initial_for(cls, user) -> dict:
        """The form's initial values taken from ``user``."""
        return {name: getattr(user, name) for name in cls.base_fields}


class LocalizedPasswordResetForm(PasswordResetForm):
    """Password reset whose email is written in the recipient's preferred language."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        """Render and send the email under the recipient's language."""
        user = context.get("user")
        language = normalize_ui_language(getattr(user, "preferred_language", None))
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context,
                              from_email, to_email, html_email_template_name)
