"""All permission rules of Qiao, in one place (django-rules).

Views, templates (``{% has_perm %}``) and the API ask these rules; objects a
user may not see answer 404 (see :mod:`qiao.core.access`).  Roles:

* anonymous visitor — public events, published profiles without contact data;
* participant — a user representing an organisation (``Membership``);
* organiser staff — a user with a ``StaffMembership`` of an organiser;
* platform admin — ``is_superuser``.
"""

from __future__ import annotations

import rules


@rules.predicate
def is_platform_admin(user) -> bool:
    """Platform administrators may do everything."""
    return bool(user and user.is_authenticated and user.is_superuser)


@rules.predicate
def is_organizer_staff(user) -> bool:
    """The user works in at least one organiser's back office."""
    return bool(user and user.is_authenticated and user.staff_memberships.exists())


@rules.predicate
def is_participant(user) -> bool:
    """The user represents at least one organisation."""
    return bool(user and user.is_authenticated and user.memberships.exists())


@rules.predicate
def is_staff_of_organizer(user, organizer) -> bool:
    """The user is staff of this organiser."""
    if not (user and user.is_authenticated and organizer):
        return False
    return user.staff_memberships.filter(organizer=organizer).exists()


@rules.predicate
def is_staff_of_event(user, event) -> bool:
    """The user is staff of one of the event's organisers."""
    if not (user and user.is_authenticated and event):
        return False
    return user.staff_memberships.filter(organizer__event_links__event=event).exists()


@rules.predicate
def represents_organization(user, organization) -> bool:
    """The user represents this organisation."""
    if not (user and user.is_authenticated and organization):
        return False
    return user.memberships.filter(organization=organization).exists()


@rules.predicate
def serves_organization(user, organization) -> bool:
    """The user is staff of an organiser that serves this organisation."""
    if not (user and user.is_authenticated and organization):
        return False
    return user.staff_memberships.filter(organizer__organizations=organization).exists()


@rules.predicate
def meets_organization_at_an_event(user, organization) -> bool:
    """The user's organisation and this one are both approved participants of one event."""
    if not (user and user.is_authenticated and organization):
        return False
    from qiao.events.models import Registration, RegistrationStatus

    approved = Registration.objects.filter(status=RegistrationStatus.APPROVED)
    events = approved.filter(organization=organization).values("event")
    return approved.filter(
        event__in=events, organization__memberships__user=user
    ).exclude(organization=organization).exists()


@rules.predicate
def profile_is_published(user, profile) -> bool:
    """The profile is published and still valid."""
    from qiao.profiles.models import CooperationProfile

    return bool(profile) and CooperationProfile.objects.published().filter(pk=profile.pk).exists()


@rules.predicate
def profile_owner(user, profile) -> bool:
    """The user represents the organisation that owns the profile."""
    return bool(profile) and represents_organization(user, profile.organization)


@rules.predicate
def profile_reviewer(user, profile) -> bool:
    """The user is staff of an organiser that serves the profile's organisation."""
    return bool(profile) and serves_organization(user, profile.organization)


@rules.predicate
def organization_is_listed(user, organization) -> bool:
    """The organisation has a published profile or takes part in a public event."""
    if not organization:
        return False
    from qiao.events.models import RegistrationStatus

    return (
        organization.profiles.published().exists()
        or organization.registrations.filter(
            status=RegistrationStatus.APPROVED, event__is_public=True
        ).exists()
    )


@rules.predicate
def event_is_public(user, event) -> bool:
    """The event is shown to visitors."""
    return bool(event) and event.is_public


@rules.predicate
def registration_owner(user, registration) -> bool:
    """The user represents the registered organisation."""
    return bool(registration) and represents_organization(user, registration.organization)


@rules.predicate
def registration_staff(user, registration) -> bool:
    """The user is staff of the registration's event."""
    return bool(registration) and is_staff_of_event(user, registration.event)


@rules.predicate
def introduced_to_organization(user, organization) -> bool:
    """The user's organisation and this one both accepted an introduction by the office."""
    if not (user and user.is_authenticated and organization):
        return False
    from django.db.models import Q

    from qiao.brokerage.models import Introduction, IntroductionStatus

    mine = user.memberships.values("organization")
    return Introduction.objects.filter(status=IntroductionStatus.ACCEPTED).filter(
        Q(org_a=organization, org_b__in=mine) | Q(org_b=organization, org_a__in=mine)
    ).exists()


@rules.predicate
def approved_registration_owner(user, registration) -> bool:
    """The user represents the registered organisation and the registration is approved."""
    from qiao.events.models import RegistrationStatus

    return (bool(registration) and registration.status == RegistrationStatus.APPROVED
            and represents_organization(user, registration.organization))


@rules.predicate
def introduction_side(user, introduction) -> bool:
    """The user represents one of the two organisations of the introduction."""
    if not (user and user.is_authenticated and introduction):
        return False
    return user.memberships.filter(
        organization__in=[introduction.org_a_id, introduction.org_b_id]
    ).exists()


@rules.predicate
def introduction_staff(user, introduction) -> bool:
    """The user is staff of the organiser that handles the introduction."""
    return bool(introduction) and is_staff_of_organizer(user, introduction.organizer)


# Organisations
rules.add_perm("organizations.view_organization",
               is_platform_admin | organization_is_listed | represents_organization
               | serves_organization)
rules.add_perm("organizations.view_contact_data",
               is_platform_admin | represents_organization | serves_organization
               | meets_organization_at_an_event | introduced_to_organization)
rules.add_perm("organizations.change_organization", is_platform_admin | represents_organization)
rules.add_perm("organizations.add_profile", is_platform_admin | represents_organization)

# Partner recommendations and introductions
rules.add_perm("recommendations.view_recommendations",
               is_platform_admin | represents_organization)
rules.add_perm("recommendations.view_event_recommendations",
               is_platform_admin | approved_registration_owner)
rules.add_perm("recommendations.view_event_matches", is_platform_admin | is_staff_of_event)
rules.add_perm("brokerage.request_introduction", is_platform_admin | represents_organization)
rules.add_perm("brokerage.view_introduction",
               is_platform_admin | introduction_side | introduction_staff)
rules.add_perm("brokerage.respond_to_introduction", introduction_side)
rules.add_perm("brokerage.manage_introductions", is_platform_admin | is_staff_of_organizer)

# Cooperation profiles
rules.add_perm("profiles.view_profile",
               is_platform_admin | profile_is_published | profile_owner | profile_reviewer)
rules.add_perm("profiles.change_profile", is_platform_admin | profile_owner)
rules.add_perm("profiles.review_profile", is_platform_admin | profile_reviewer)

# Events
rules.add_perm("events.view_event", is_platform_admin | event_is_public | is_staff_of_event)
rules.add_perm("events.register", is_participant)
rules.add_perm("events.manage_event", is_platform_admin | is_staff_of_event)
rules.add_perm("events.view_registration",
               is_platform_admin | registration_owner | registration_staff)
rules.add_perm("events.decide_registration", is_platform_admin | registration_staff)
rules.add_perm("events.cancel_registration", registration_owner)

# Back office
rules.add_perm("orga.access_backoffice", is_platform_admin | is_organizer_staff)
rules.add_perm("orga.access_organizer", is_platform_admin | is_staff_of_organizer)
#: Where a login without ``next`` leads: staff (and administrators who represent no
#: organisation) start in the back office, everyone else on My Qiao.
rules.add_perm("orga.start_in_backoffice",
               is_organizer_staff | (is_platform_admin & ~is_participant))


# Matchmaking (meetings)
@rules.predicate
def registration_is_approved(user, registration) -> bool:
    """The registration is approved (its organisation takes part in the event)."""
    from qiao.events.models import RegistrationStatus

    return bool(registration) and registration.status == RegistrationStatus.APPROVED


@rules.predicate
def acts_for_requester(user, meeting_request) -> bool:
    """The user represents the organisation that sent the meeting request."""
    return bool(meeting_request) and registration_owner(user, meeting_request.requester)


@rules.predicate
def acts_for_recipient(user, meeting_request) -> bool:
    """The user represents the organisation that received the meeting request."""
    return bool(meeting_request) and registration_owner(user, meeting_request.recipient)


@rules.predicate
def meeting_side(user, meeting) -> bool:
    """The user represents one of the two organisations of the meeting."""
    if not meeting:
        return False
    request = meeting.request
    return registration_owner(user, request.requester) or registration_owner(
        user, request.recipient
    )


@rules.predicate
def meeting_staff(user, meeting) -> bool:
    """The user is staff of the meeting's event."""
    return bool(meeting) and is_staff_of_event(user, meeting.event)


# A participant's matchmaking pages: only for an approved registration they represent.
rules.add_perm("meetings.participate", registration_owner & registration_is_approved)
rules.add_perm("meetings.withdraw_request", acts_for_requester)
rules.add_perm("meetings.answer_request", acts_for_recipient)
rules.add_perm("meetings.view_meeting", is_platform_admin | meeting_side | meeting_staff)
rules.add_perm("meetings.cancel_meeting", is_platform_admin | meeting_side | meeting_staff)
# Organisers: slots, interpreters, placements, scheduler runs.
rules.add_perm("meetings.manage_matchmaking", is_platform_admin | is_staff_of_event)

# Agendas and documents (qiao.documents): a participant's own agenda (page, PDF, calendar;
# the private calendar feed is opened with its secret token instead), and the organisers'
# table and interpreters' plans.
rules.add_perm("documents.view_agenda", registration_owner & registration_is_approved)
# Resetting the private calendar address: the participant (not the event's staff).
rules.add_perm("documents.reset_calendar_feed", registration_owner & registration_is_approved)
rules.add_perm("documents.view_event_documents", is_platform_admin | is_staff_of_event)
