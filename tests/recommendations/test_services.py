"""Stored embeddings, their background refresh and the recommendation queries."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from factories import (
    EventFactory,
    OrganizationFactory,
    ProfileFactory,
    PublishedProfileFactory,
    RegistrationFactory,
    StaffMembershipFactory,
)

from qiao.profiles import services as profile_services
from qiao.recommendations import index_cache, services
from qiao.recommendations.models import ProfileEmbedding
from recommendations.helpers import DX_OFFER, dresden_dx, jinan_distributor, unrelated_orgs

pytestmark = pytest.mark.django_db


def test_embedding_is_stored_once_per_text(fake_embedder):
    profile = PublishedProfileFactory(title="Vertriebspartner gesucht", text="PCR-Schnelltests")
    first = services.refresh_profile_embedding(profile)
    assert first.dim == fake_embedder.dim
    assert first.as_array().shape == (fake_embedder.dim,)
    calls = fake_embedder.calls
    again = services.refresh_profile_embedding(profile)
    assert again.pk == first.pk
    assert fake_embedder.calls == calls  # same text: nothing recomputed

    profile.text = "Wir bieten Batteriespeicher an."
    profile.save()
    changed = services.refresh_profile_embedding(profile)
    assert fake_embedder.calls == calls + 1
    assert changed.pk == first.pk and changed.text_hash != first.text_hash
    assert ProfileEmbedding.objects.filter(profile=profile).count() == 1


def test_drafts_are_not_embedded():
    profile = ProfileFactory(status="draft")
    assert services.refresh_profile_embedding(profile) is None
    assert not ProfileEmbedding.objects.exists()


def test_embedding_follows_the_profile_lifecycle(django_capture_on_commit_callbacks,
                                                fake_embedder):
    staff = StaffMembershipFactory()
    profile = ProfileFactory(status="draft")
    profile.organization.organizers.add(staff.organizer)
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.update_profile(profile, None, title="Nur ein Entwurf")
    assert not ProfileEmbedding.objects.exists()  # drafts stay private and unembedded

    with django_capture_on_commit_callbacks(execute=True):
        profile_services.submit_profile(profile, None)
    first = ProfileEmbedding.objects.get(profile=profile)  # ready before publication
    calls = fake_embedder.calls
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.approve_profile(profile, staff.user)
    assert fake_embedder.calls == calls  # same text: the model is not called again

    with django_capture_on_commit_callbacks(execute=True):
        profile_services.update_profile(profile, staff.user, text="Wir bieten Batteriespeicher.")
    assert ProfileEmbedding.objects.get(profile=profile).text_hash != first.text_hash


def test_nothing_is_embedded_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        PublishedProfileFactory()
    assert len(callbacks) == 1
    assert not ProfileEmbedding.objects.exists()
    callbacks[0]()
    assert ProfileEmbedding.objects.count() == 1


def test_german_offer_meets_chinese_request():
    dx = dresden_dx()
    cn = jinan_distributor()
    music, cnc = unrelated_orgs()
    services.refresh_stale_embeddings()

    result = services.recommendations_for(dx)
    assert result.state == "ready"
    assert result.items[0].organization == cn
    assert dx not in [i.organization for i in result.items]
    reason = result.items[0].reasons[0]
    assert reason.reason.relation == "offer-request"
    assert reason.mine.title == DX_OFFER[0]
    assert reason.theirs.organization == cn
    assert result.items[0].partner_profiles == [reason.theirs]
    # The other way round, too.
    assert services.recommendations_for(cn).items[0].organization == dx
    # The orchestra offers and the distributor requests: nothing in common, not suggested.
    assert music not in [i.organization for i in services.recommendations_for(cn).items]


def test_states_before_vectors_exist(fake_embedder):
    dx = dresden_dx()
    jinan_distributor()
    assert services.recommendations_for(OrganizationFactory()).state == "no_profiles"
    calls = fake_embedder.calls
    result = services.recommendations_for(dx)
    assert result.state == "preparing" and result.is_preparing
    assert fake_embedder.calls == calls  # queries never run the model


def test_stale_profiles_and_partial_results():
    dx = dresden_dx()
    cn = jinan_distributor()
    services.refresh_stale_embeddings()
    assert services.stale_profiles() == []
    late = jinan_distributor()
    assert [p.organization for p in services.stale_profiles()] == [late]
    result = services.recommendations_for(dx)
    assert [i.organization for i in result.items] == [cn]
    assert result.pending == 1
    services.refresh_stale_embeddings()
    assert {i.organization for i in services.recommendations_for(dx).items} == {cn, late}


def test_index_is_reused_until_something_changes(monkeypatch):
    dx = dresden_dx()
    jinan_distributor()
    services.refresh_stale_embeddings()
    builds = []
    original = services._build
    monkeypatch.setattr(services, "_build", lambda *a: builds.append(1) or original(*a))
    index_cache.clear()
    services.recommendations_for(dx)
    services.recommendations_for(dx)
    assert len(builds) == 1
    jinan_distributor()
    services.refresh_stale_embeddings()
    assert len(services.recommendations_for(dx).items) == 2
    assert len(builds) == 2


def test_event_recommendations_only_among_approved_participants():
    event = EventFactory(allows_meeting_requests=True)
    dx, cn, other_cn = dresden_dx(), jinan_distributor(), jinan_distributor()
    mine = RegistrationFactory(event=event, organization=dx, status="approved")
    theirs = RegistrationFactory(event=event, organization=cn, status="approved")
    RegistrationFactory(event=event, organization=other_cn, status="pending")
    services.refresh_stale_embeddings()
    result = services.event_recommendations(event, mine)
    assert [i.organization for i in result.items] == [cn]
    assert result.items[0].registration == theirs


def test_event_matches_lists_and_strongest_pairs():
    event = EventFactory()
    dx, cn = dresden_dx(), jinan_distributor()
    music, cnc = unrelated_orgs()
    for org in (dx, cn, music, cnc):
        RegistrationFactory(event=event, organization=org, status="approved")
    services.refresh_stale_embeddings()
    matches = services.event_matches(event, per_participant=3, pairs=10)
    assert matches.participants == 4 and matches.pending == 0
    best = matches.pairs[0]
    assert {best.first, best.second} == {dx, cn}
    assert best.strength == "strong"
    keys = [frozenset((p.first.pk, p.second.pk)) for p in matches.pairs]
    assert len(keys) == len(set(keys))  # each pair once
    lists = dict(matches.lists)
    assert lists[dx][0].organization == cn
    assert services.event_match_matrix(event, limit=1) == matches.pairs[:1]


def test_embed_profiles_command(capsys):
    dresden_dx()
    jinan_distributor()
    ProfileFactory(status="draft")
    call_command("embed_profiles", "--dry-run")
    assert "2 profile(s) to embed" in capsys.readouterr().out
    assert not ProfileEmbedding.objects.exists()
    call_command("embed_profiles", "--batch-size", "1")
    assert "2 profile vector(s) stored" in capsys.readouterr().out
    assert ProfileEmbedding.objects.count() == 2
    call_command("embed_profiles")
    assert "0 profile(s) to embed" in capsys.readouterr().out
    call_command("embed_profiles", "--all")
    assert "2 profile vector(s) stored" in capsys.readouterr().out


def test_pair_reasons_between_two_organisations():
    dx, cn = dresden_dx(), jinan_distributor()
    assert services.pair_reasons(dx, cn) == (0.0, [])
    services.refresh_stale_embeddings()
    score, reasons = services.pair_reasons(dx, cn)
    assert score > 0.45
    assert reasons[0].mine_title == DX_OFFER[0]


def test_one_embedding_task_per_transaction(django_capture_on_commit_callbacks):
    from qiao.recommendations.signals import EmbedAfterCommit

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        profile = PublishedProfileFactory()
        profile.title = "Neuer Titel"
        profile.save()
        profile.save()
    assert [c.profile_id for c in callbacks if isinstance(c, EmbedAfterCommit)] == [profile.pk]
    assert ProfileEmbedding.objects.get(profile=profile).text_hash


def test_prune_removes_vectors_of_other_models_and_withdrawn_profiles(capsys):
    dx = dresden_dx()
    jinan_distributor()
    services.refresh_stale_embeddings()
    kept = ProfileEmbedding.objects.get(profile__organization=dx)
    ProfileEmbedding.objects.create(profile=kept.profile, model_name="old/model", text_hash="x",
                                    dim=1, vector=ProfileEmbedding.to_bytes([1.0]))
    dx.profiles.update(status="draft")
    call_command("embed_profiles", "--prune")
    assert "2 outdated vector(s) deleted" in capsys.readouterr().out
    assert list(ProfileEmbedding.objects.values_list("profile__organization__name", flat=True)) \
        == ["济南华康医疗器械有限公司"]


def test_task_embeds_the_backlog_in_one_batch(fake_embedder):
    from qiao.recommendations.engine import prepare_calibration
    from qiao.recommendations.tasks import embed_profile

    profiles = [PublishedProfileFactory() for _ in range(3)]
    ProfileFactory(status="draft")
    prepare_calibration()
    calls = fake_embedder.calls
    result = embed_profile.enqueue(profile_id=profiles[1].pk)
    assert result.return_value == 3
    assert fake_embedder.calls == calls + 1  # one model call for the whole backlog
    assert ProfileEmbedding.objects.count() == 3
    assert embed_profile.enqueue(profile_id=profiles[0].pk).return_value == 0
    assert embed_profile.enqueue(profile_id=999999).return_value == 0


def test_calibration_is_computed_in_the_background_and_shared(fake_embedder):
    from qiao.recommendations import engine
    from qiao.recommendations.models import CachedVector

    dx, cn = dresden_dx(), jinan_distributor()
    assert not engine.calibration_ready()
    assert services.recommendations_for(dx).state == "preparing"
    services.refresh_stale_embeddings()  # the task: vectors and the reference corpus
    assert CachedVector.objects.count() > 100
    engine._READY.clear()  # another process finds them in the database
    assert engine.calibration_ready()
    assert services.recommendations_for(dx).items[0].organization == cn
