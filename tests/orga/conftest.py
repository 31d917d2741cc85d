"""Fixtures of the back-office tests: two organisers with their staff, events and data."""

import pytest
from factories import (
    PASSWORD,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProfileFactory,
    RegistrationFactory,
    StaffMembershipFactory,
)


@pytest.fixture
def organizer_a(db):
    return OrganizerFactory(slug="jinan-office", name={"en": "Jinan Contact Office Dresden"})


@pytest.fixture
def organizer_b(db):
    return OrganizerFactory(slug="stuttgart-centre", name={"en": "Innovation Centre Stuttgart"})


@pytest.fixture
def staff_a(organizer_a):
    return StaffMembershipFactory(organizer=organizer_a, user__name="Anna Staff").user


@pytest.fixture
def staff_b(organizer_b):
    return StaffMembershipFactory(organizer=organizer_b, user__name="Bernd Staff").user


@pytest.fixture
def org_a(organizer_a):
    organization = OrganizationFactory(
        name="济南华康生物科技有限公司", name_latin="Jinan Huakang Biotech", country="CN",
        city="Jinan",
    )
    organization.organizers.add(organizer_a)
    return organization


@pytest.fixture
def org_b(organizer_b):
    organization = OrganizationFactory(name="Elbtal Sensorik GmbH")
    organization.organizers.add(organizer_b)
    return organization


@pytest.fixture
def participant_a(org_a):
    return MembershipFactory(organization=org_a).user


@pytest.fixture
def event_a(organizer_a):
    return EventFactory(slug="dresden-matchmaking", organizers=[organizer_a])


@pytest.fixture
def event_b(organizer_b):
    return EventFactory(slug="stuttgart-days", organizers=[organizer_b])


@pytest.fixture
def registration_a(event_a, org_a, participant_a):
    return RegistrationFactory(event=event_a, organization=org_a, registered_by=participant_a,
                               representatives="Li Wei")


@pytest.fixture
def registration_b(event_b, org_b):
    return RegistrationFactory(event=event_b, organization=org_b)


@pytest.fixture
def profile_a(org_a):
    return ProfileFactory(organization=org_a, status="submitted", title="寻找德国分销合作伙伴",
                          text="我们是济南的一家生物技术公司。", language="zh")


@pytest.fixture
def profile_b(org_b):
    return ProfileFactory(organization=org_b, status="submitted")


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client

