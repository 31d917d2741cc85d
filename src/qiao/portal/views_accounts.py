"""Account pages: log in and out, sign up, own settings, passwords, terms."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve, reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from qiao.core.i18n import UI_LANGUAGES, normalize_ui_language
from qiao.organizations.services import create_organization_for
from qiao.people.services import register_user, update_account
from qiao.portal.forms_accounts import (
    AccountSettingsForm,
    EmailAuthenticationForm,
    LocalizedPasswordResetForm,
    SignupForm,
)


def localized_url(url: str, language: str) -> str:
    """Return ``url`` in ``language``: its language prefix replaced (or added where one belongs).

    Paths outside the language-prefixed pages (the API, media files) stay as they are.
    """
    parts = urlsplit(url)
    segments = parts.path.split("/")
    if len(segments) > 1 and segments[1] in UI_LANGUAGES:
        segments[1] = language
        path = "/".join(segments)
    else:
        path = f"/{language}/{parts.path.lstrip('/')}"
        with translation.override(language):
            try:
                resolve(path)
            except Resolver404:
                path = parts.path
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _with_language_cookie(response, language: str):
    """Remember the UI language in the cookie Django's locale middleware reads."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response


class LoginView(auth_views.LoginView):
    """Email and password; afterwards the user continues in their preferred language."""

    template_name = "registration/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self):
        """``next`` (if safe), else the back office or My Qiao, in the preferred language.

        Organiser staff start in the back office (rule ``orga.start_in_backoffice``);
        participants on My Qiao.
        """
        url = self.get_redirect_url()
        if not url:
            if self.request.user.has_perm("orga.start_in_backoffice"):
                url = reverse("orga:dashboard")
            else:
                url = resolve_url(settings.LOGIN_REDIRECT_URL)
        language = normalize_ui_language(self.request.user.preferred_language)
        return localized_url(url, language)

    def form_valid(self, form):
        """Log in and switch the UI to the preferred language."""
        response = super().form_valid(form)
        return _with_language_cookie(
            response, normalize_ui_language(self.request.user.preferred_language)
        )


class LogoutView(auth_views.LogoutView):
    """Log out (POST only) and return to the home page."""


@sensitive_post_parameters("password1", "password2")
def signup(request):
    """Create an account and the organisation the user represents, then log in."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = register_user(**form.user_fields())
                organization = create_organization_for(user, **form.organization_fields())
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "portal/accounts/signup.html", {"form": form})
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _(
            "Welcome to Qiao! Your account and the organisation %(organization)s have been "
            "created. Complete your organisation's profile next."
        ) % {"organization": organization.name})
        language = user.preferred_language
        target = localized_url(reverse("portal:dashboard"), language)
        return _with_language_cookie(HttpResponseRedirect(target), language)
    return render(request, "portal/accounts/signup.html", {"form": form})


@login_required
def account_settings(request):
    """The user's own settings; a new UI language takes effect at once."""
    user = request.user
    if request.method == "POST":
        form = AccountSettingsForm(request.POST)
        if form.is_valid():
            try:
                update_account(user, **form.cleaned_data)
            except ValidationError as error:
                user.refresh_from_db()
                form.add_error(None, error)
                return render(request, "portal/accounts/settings.html", {"form": form})
            language = user.preferred_language
            with translation.override(language):
                messages.success(request, _("Your settings have been saved."))
            target = localized_url(reverse("account_settings"), language)
            return _with_language_cookie(HttpResponseRedirect(target), language)
    else:
        form = AccountSettingsForm(initial=AccountSettingsForm.initial_for(user))
    return render(request, "portal/accounts/settings.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password; the user stays logged in."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("account_settings")

    def form_valid(self, form):
        """Save the new password and confirm it."""
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link; the email is written in the recipient's language."""

    form_class = LocalizedPasswordResetForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "mail/account_password_reset.subject.txt"
    email_template_name = "mail/account_password_reset.body.txt"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Tell the user to look into their mailbox."""

    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link."""

    template_name = "registration/password_reset_confirm.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """The password has been reset."""

    template_name = "registration/password_reset_complete.html"


def terms(request):
    """Terms of use and privacy notice."""
    return render(request, "portal/accounts/terms.html")
