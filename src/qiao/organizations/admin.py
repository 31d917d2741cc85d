"""Admin of organisations, their representatives and contact persons."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from qiao.organizations.models import Contact, Membership, Organization
from qiao.profiles.models import CooperationProfile, ProfileStatus


class MembershipInline(admin.TabularInline):
    """Users who represent the organisation."""

    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class ContactInline(admin.TabularInline):
    """Contact persons without an account."""

    model = Contact
    extra = 0
    fields = ("name", "role", "email", "phone", "languages", "position")


class ProfileInline(admin.TabularInline):
    """The organisation's cooperation profiles (edited on their own pages)."""

    model = CooperationProfile
    extra = 0
    fields = ("title", "direction", "topic", "language", "status", "valid_until")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        """Profiles are written by the organisation, not added here."""
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Companies, institutes, universities, clusters, public bodies, cultural institutions."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    list_display = ("name", "name_latin", "kind", "country", "city", "published_profiles",
                    "updated_at")
    list_filter = ("kind", "country", "organizers")
    # search_index holds the names in lower case plus the pinyin of Chinese names,
    # so "jinan" or "huakang" finds 济南华康….
    search_fields = ("name", "name_latin", "search_index", "email", "uscc", "vat",
                     "register", "external_id", "memberships__user__email")
    filter_horizontal = ("organizers",)
    readonly_fields = ("search_index", "created_at", "updated_at")
    inlines = [MembershipInline, ContactInline, ProfileInline]
    fieldsets = (
        (None, {"fields": ("name", "name_latin", "kind", "external_id")}),
        (_("Location"), {"fields": ("country", "region", "city", "address")}),
        (_("About"), {"fields": ("description", "description_language", "website", "employees",
                                 "founded", "languages", "sectors", "logo")}),
        (_("Identifiers"), {"fields": ("uscc", "vat", "register")}),
        (_("Contact"), {"fields": ("email", "phone")}),
        (_("Organisers"), {"fields": ("organizers",)}),
        (_("System"), {"classes": ("collapse",),
                       "fields": ("extra", "search_index", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        """Count the published profiles in the same query."""
        return super().get_queryset(request).annotate(
            _published=Count("profiles", filter=Q(profiles__status=ProfileStatus.PUBLISHED))
        )

    @admin.display(description=_("published profiles"), ordering="_published")
    def published_profiles(self, obj):
        """Number of published profiles."""
        return obj._published


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Who represents which organisation."""

    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization__country")
    search_fields = ("user__email", "user__name", "user__name_latin", "organization__name",
                     "organization__name_latin", "organization__search_index")
    autocomplete_fields = ["user", "organization"]
    list_select_related = ("user", "organization")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Contact persons of organisations."""

    list_display = ("name", "organization", "role", "email", "phone")
    list_filter = ("organization__country",)
    search_fields = ("name", "email", "organization__name", "organization__name_latin",
                     "organization__search_index")
    autocomplete_fields = ["organization"]
    list_select_related = ("organization",)
