"""Signed-in participants: write, preview, submit, withdraw, renew and delete profiles.

Profiles keep the language their authors write in; nothing here translates
them.  Every change goes through :mod:`qiao.profiles.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.access import require
from qiao.core.choices import CooperationType, content_language_name
from qiao.core.langdetect import detect_language
from qiao.organizations.models import Organization
from qiao.profiles import services
from qiao.profiles.forms import ProfileForm
from qiao.profiles.models import CooperationProfile, ProfileStatus


def _own_profile(request, pk) -> CooperationProfile:
    profile = get_object_or_404(
        CooperationProfile.objects.select_related("organization", "reviewed_by"), pk=pk
    )
    require(request.user, "profiles.change_profile", profile)
    return profile


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def profile_create(request, pk):
    """Write a new profile for one of the user's organisations (saved as a draft)."""
    organization = get_object_or_404(Organization, pk=pk)
    require(request.user, "organizations.add_profile", organization)
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.create_profile(organization, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _(
                "The profile has been saved as a draft. Check the preview and submit it for "
                "review."))
            return redirect("portal:my_profile", pk=profile.pk)
    return render(request, "portal/participant/profile_form.html", {
        "form": form, "organization": organization, "profile": None,
    })


@login_required
def profile_edit(request, pk):
    """Edit a profile; an edited published profile goes back to review."""
    profile = _own_profile(request, pk)
    if not profile.is_editable:
        messages.warning(request, _(
            "The profile awaits review and cannot be changed now. Withdraw it first if you "
            "need to change it."))
        return redirect("portal:my_profile", pk=profile.pk)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        was_published = profile.status in {ProfileStatus.PUBLISHED, ProfileStatus.EXPIRED}
        try:
            services.update_profile(profile, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if was_published and profile.status == ProfileStatus.SUBMITTED:
                messages.success(request, _(
                    "The changes have been saved. The profile goes back to the office for "
                    "review and is shown again once it is approved."))
            else:
                messages.success(request, _("The changes have been saved."))
            return redirect("portal:my_profile", pk=profile.pk)
    return render(request, "portal/participant/profile_form.html", {
        "form": form, "organization": profile.organization, "profile": profile,
    })


@login_required
def my_profile(request, pk):
    """The preview of one of the user's profiles, with what can be done next."""
    profile = _own_profile(request, pk)
    labels = dict(CooperationType.choices)
    return render(request, "portal/participant/profile_preview.html", {
        "profile": profile,
        "cooperation": [str(labels.get(code, code)) for code in profile.cooperation],
    })


def _transition(request, pk, action, success):
    profile = _own_profile(request, pk)
    try:
        action(profile, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("portal:my_profile", pk=profile.pk)


@login_required
@require_POST
def profile_submit(request, pk):
    """Send a draft or returned profile to the office for review."""
    return _transition(request, pk, services.submit_profile, _(
        "The profile has been submitted. The office will review it and tell you by email."))


@login_required
@require_POST
def profile_withdraw(request, pk):
    """Take a submitted or published profile back to draft."""
    return _transition(request, pk, services.withdraw_profile, _(
        "The profile has been withdrawn and is a draft again. It is not shown to others."))


@login_required
@require_POST
def profile_renew(request, pk):
    """Extend a published or expired profile's validity."""
    return _transition(request, pk, services.renew_profile, _(
        "The profile has been renewed and stays visible for another period."))


@login_required
@require_POST
def profile_delete(request, pk):
    """Delete a draft profile."""
    profile = _own_profile(request, pk)
    try:
        services.delete_profile(profile, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portal:my_profile", pk=profile.pk)
    messages.success(request, _("The draft has been deleted."))
    return redirect("portal:dashboard")


@login_required
@require_POST
def detect_profile_language(request):
    """HTMX helper: tell the author which language Qiao recognises in the title and text."""
    text = f"{request.POST.get('title', '')}\n{request.POST.get('text', '')}"[:20000]
    code = detect_language(text) if text.strip() else None
    return render(request, "portal/participant/_detected_language.html", {
        "code": code, "name": content_language_name(code) if code else "",
    })
