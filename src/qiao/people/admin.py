"""Admin of user accounts, and the rule that only platform administrators use the admin site."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from qiao.organizations.models import Membership
from qiao.organizers.models import StaffMembership
from qiao.people.models import User


def platform_admins_only(request) -> bool:
    """Only active platform administrators (superusers) may open the admin site."""
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = platform_admins_only
admin.site.site_header = _("Qiao administration")
admin.site.site_title = _("Qiao administration")
admin.site.index_title = _("Platform data")


class QiaoUserCreationForm(AdminUserCreationForm):
    """Create an account with email address, name and password."""

    class Meta:
        model = User
        fields = ("email", "name")


class QiaoUserChangeForm(UserChangeForm):
    """Edit an account identified by its email address."""

    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    """The organisations the user represents."""

    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]
    verbose_name = _("represented organisation")
    verbose_name_plural = _("represented organisations")


class StaffMembershipInline(admin.TabularInline):
    """The organisers whose back office the user works in."""

    model = StaffMembership
    extra = 0
    autocomplete_fields = ["organizer"]
    verbose_name = _("organiser staff membership")
    verbose_name_plural = _("organiser staff memberships")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts with email login, languages, time zone and consents."""

    form = QiaoUserChangeForm
    add_form = QiaoUserCreationForm
    list_display = ("email", "name", "name_latin", "preferred_language", "timezone",
                    "is_superuser", "is_active", "date_joined", "last_login")
    list_filter = ("is_superuser", "is_active", "preferred_language", "timezone",
                   "consent_listing", "staff_memberships__organizer")
    search_fields = ("email", "name", "name_latin", "phone", "position")
    ordering = ("name", "email")
    readonly_fields = ("date_joined", "last_login", "accepted_terms_at")
    inlines = [MembershipInline, StaffMembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("name", "name_latin", "position", "phone", "languages")}),
        (_("Preferences"), {"fields": ("preferred_language", "timezone", "consent_listing",
                                       "accepted_terms_at")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups",
                                       "user_permissions")}),
        (_("Dates"), {"fields": ("date_joined", "last_login")}),
    )
    def get_inlines(self, request, obj):
        """Memberships are added once the account exists."""
        return self.inlines if obj is not None else []

    add_fieldsets = (
        (None, {
            "classes": ("wide",),
            "fields": ("email", "name", "usable_password", "password1", "password2"),
        }),
    )
