"""factory_boy factories shared by the test suite."""

import datetime

import factory
from django.utils import timezone

from qiao.events.models import Event, EventOrganizer, ProgrammeItem, Registration, Sponsor
from qiao.organizations.models import Contact, Membership, Organization
from qiao.organizers.models import Organizer, StaffMembership
from qiao.people.models import User
from qiao.profiles.models import CooperationProfile

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"Test User {n}")
    preferred_language = "en"
    timezone = "Europe/Berlin"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True


class OrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organizer

    slug = factory.Sequence(lambda n: f"organizer-{n}")
    name = factory.LazyAttribute(
        lambda o: {"en": f"Organiser {o.slug}", "de": f"Veranstalter {o.slug}"}
    )
    city = "Dresden"
    country = "DE"


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    organizer = factory.SubFactory(OrganizerFactory)
    user = factory.SubFactory(UserFactory)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Elbtal Firma {n} GmbH")
    kind = "company"
    country = "DE"
    city = "Dresden"
    languages = factory.LazyFunction(lambda: ["de", "en"])
    email = factory.Sequence(lambda n: f"info{n}@firma.example")
    phone = "+49 351 000000"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@firma.example")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationProfile

    organization = factory.SubFactory(OrganizationFactory)
    direction = "offer"
    topic = "business"
    cooperation = factory.LazyFunction(lambda: ["distribution"])
    title = factory.Sequence(lambda n: f"Vertriebspartner gesucht {n}")
    text = "Wir suchen einen Händler mit Zugang zu Kliniklaboren in Shandong."
    language = "de"
    status = "draft"


class PublishedProfileFactory(ProfileFactory):
    status = "published"
    published_at = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = "matchmaking"
    name = factory.LazyAttribute(
        lambda o: {"en": f"Matchmaking {o.slug}", "de": f"Kooperationsbörse {o.slug}",
                   "zh-hans": f"对接会 {o.slug}"}
    )
    venue = "BioInnovationsZentrum Dresden"
    city = "Dresden"
    country = "DE"
    timezone = "Europe/Berlin"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    languages = factory.LazyFunction(lambda: ["de", "en", "zh"])
    is_public = True

    @factory.post_generation
    def organizers(obj, create, extracted, **kwargs):
        """Pass organizers=[org, ...]; the first is the lead."""
        if create and extracted:
            for i, organizer in enumerate(extracted):
                EventOrganizer.objects.create(event=obj, organizer=organizer, is_lead=i == 0)


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(
            o.event.start_date, datetime.time(10, 0), tzinfo=o.event.tzinfo
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=30))
    title = factory.LazyFunction(
        lambda: {"en": "Welcome", "de": "Begrüßung", "zh-hans": "欢迎致辞"}
    )


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor

    event = factory.SubFactory(EventFactory)
    name = factory.LazyFunction(lambda: {"en": "City of Jinan", "zh-hans": "济南市"})


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    status = "pending"


# --------------------------------------------------------------------------
# Matchmaking (meetings app)
# --------------------------------------------------------------------------

from qiao.meetings.models import (  # noqa: E402
    Interpreter,
    MatchmakingSettings,
    Meeting,
    MeetingRequest,
    Session,
    Slot,
)


def event_time(event, hour: int, minute: int = 0, day: int = 0) -> datetime.datetime:
    """An aware moment on the ``day``-th day of ``event``, in the event's time zone."""
    date = event.start_date + datetime.timedelta(days=day)
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=event.tzinfo)


class MatchmakingSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchmakingSettings
        django_get_or_create = ("event",)

    event = factory.SubFactory(EventFactory, allows_meeting_requests=True)
    slot_minutes = 25
    pause_minutes = 5
    default_tables = 10


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory, allows_meeting_requests=True)
    name = factory.LazyFunction(lambda: {"en": "Morning", "de": "Vormittag", "zh-hans": "上午"})
    starts_at = factory.LazyAttribute(lambda o: event_time(o.event, 9))
    ends_at = factory.LazyAttribute(lambda o: event_time(o.event, 12))


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    event = factory.SubFactory(EventFactory, allows_meeting_requests=True)
    starts_at = factory.Sequence(lambda n: timezone.now() + datetime.timedelta(days=30,
                                                                               minutes=30 * n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=25))
    tables = 10


class InterpreterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interpreter

    event = factory.SubFactory(EventFactory, allows_meeting_requests=True)
    name = factory.Sequence(lambda n: f"Interpreter {n}")
    languages = factory.LazyFunction(lambda: ["de", "zh"])


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.SubFactory(EventFactory, allows_meeting_requests=True)
    requester = factory.SubFactory(RegistrationFactory, event=factory.SelfAttribute("..event"),
                                   status="approved")
    recipient = factory.SubFactory(RegistrationFactory, event=factory.SelfAttribute("..event"),
                                   status="approved")
    message = "Wir würden Sie gern kennenlernen."
    priority = 2


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    request = factory.SubFactory(MeetingRequestFactory, status="accepted")
    event = factory.LazyAttribute(lambda o: o.request.event)


class IntroductionFactory(factory.django.DjangoModelFactory):
    """An introduction proposed by an organiser's office (recommendations and brokerage)."""

    class Meta:
        model = "brokerage.Introduction"

    organizer = factory.SubFactory(OrganizerFactory)
    org_a = factory.SubFactory(OrganizationFactory)
    org_b = factory.SubFactory(OrganizationFactory, country="CN", languages=["zh"])
    status = "proposed"
    proposed_at = factory.LazyFunction(timezone.now)
