"""Stored profile embeddings and the partner recommendations computed from them.

State changes: :func:`refresh_profile_embedding` and
:func:`refresh_stale_embeddings` (called by the background task and the
``embed_profiles`` command; the only code that runs the model).

Queries: :func:`recommendations_for` (across all published profiles),
:func:`event_recommendations` (among an event's approved participants) and
:func:`event_matches` / :func:`event_match_matrix` (the organiser's view).
They read stored vectors only and report ``"preparing"`` while vectors are
missing, so a page never waits for the model.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from qiao.matching import Reason, Suggestion, embed_texts
from qiao.profiles.models import CooperationProfile
from qiao.recommendations import index_cache
from qiao.recommendations.engine import (
    EMBEDDED_STATUSES,
    calibration_ready,
    current_engine,
    org_input,
    prepare_calibration,
    profile_input,
    text_hash,
)
from qiao.recommendations.index_cache import CachedIndex
from qiao.recommendations.models import ProfileEmbedding
from qiao.recommendations.presentation import strength

logger = logging.getLogger("qiao.recommendations")

DEFAULT_BATCH = 64
#: Scores below this are noise rather than a fit and are not recommended.
MIN_SCORE = 0.1


# --------------------------------------------------------------------------
# Embeddings
# --------------------------------------------------------------------------


def _store(profile, engine, key: str, vector) -> ProfileEmbedding:
    """Insert or update the vector; two workers storing the same profile both succeed."""
    values = {"text_hash": key, "dim": int(len(vector)),
              "vector": ProfileEmbedding.to_bytes(vector)}
    for attempt in range(2):
        try:
            with transaction.atomic():
                embedding, _created = ProfileEmbedding.objects.update_or_create(
                    profile=profile, model_name=engine.embedder.name, defaults=values)
            return embedding
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def prune_embeddings() -> int:
    """Delete stored vectors of other models and of profiles no longer embedded."""
    name = current_engine().embedder.name
    deleted, _ = ProfileEmbedding.objects.exclude(
        model_name=name, profile__status__in=EMBEDDED_STATUSES
    ).delete()
    logger.info("%d stored embedding(s) pruned", deleted)
    return deleted


def refresh_profile_embedding(profile, force: bool = False) -> ProfileEmbedding | None:
    """Store the vector of ``profile``'s current text under the configured model.

    Nothing is computed when the stored vector belongs to the same text
    (unless ``force``); profiles in a status that is not embedded (drafts,
    returned, expired) return ``None``.
    """
    if profile.status not in EMBEDDED_STATUSES:
        return None
    engine = current_engine()
    name = engine.embedder.name
    key = text_hash(profile, name)
    current = ProfileEmbedding.objects.filter(profile=profile, model_name=name).first()
    if current is not None and current.text_hash == key and not force:
        return current
    vector = embed_texts([profile_input(profile).embedding_text()], engine.embedder)[0]
    embedding = _store(profile, engine, key, vector)
    prepare_calibration(engine)
    logger.info("embedding of profile %s stored (%s)", profile.pk, name)
    return embedding


def stale_profiles():
    """Profiles to embed whose vector under the configured model is missing or outdated.

    Returned as a list (the text hash is computed in Python).
    """
    name = current_engine().embedder.name
    stored = dict(
        ProfileEmbedding.objects.filter(model_name=name).values_list("profile_id", "text_hash")
    )
    return [
        p for p in CooperationProfile.objects.filter(status__in=EMBEDDED_STATUSES).order_by("pk")
        if stored.get(p.pk) != text_hash(p, name)
    ]


def refresh_embeddings(profiles: Iterable, batch_size: int = DEFAULT_BATCH) -> int:
    """Embed ``profiles`` in batches of ``batch_size`` and store the vectors; returns the count."""
    engine = current_engine()
    name = engine.embedder.name
    profiles = [p for p in profiles if p.status in EMBEDDED_STATUSES]
    done = 0
    for start in range(0, len(profiles), max(1, batch_size)):
        batch = profiles[start:start + batch_size]
        texts = [profile_input(p).embedding_text() for p in batch]
        vectors = embed_texts(texts, engine.embedder, batch_size=batch_size)
        for profile, vector in zip(batch, vectors, strict=True):
            _store(profile, engine, text_hash(profile, name), vector)
        done += len(batch)
    if done:
        prepare_calibration(engine)
    logger.info("%d profile embedding(s) stored (%s)", done, name)
    return done


def missing_profiles():
    """Profiles to embed that have no vector at all under the configured model (a queryset)."""
    name = current_engine().embedder.name
    return CooperationProfile.objects.filter(status__in=EMBEDDED_STATUSES).exclude(
        embeddings__model_name=name).order_by("pk")


def refresh_with_backlog(profile, batch_size: int = DEFAULT_BATCH) -> int:
    """Embed ``profile`` if needed, together with up to ``batch_size - 1`` profiles lacking vectors.

    After a bulk import every profile queues its own task; the first task
    embeds a whole batch in one model call and the following ones find their
    profile up to date. Returns how many vectors were computed.
    """
    name = current_engine().embedder.name
    batch = []
    if profile.status in EMBEDDED_STATUSES:
        current = ProfileEmbedding.objects.filter(profile=profile, model_name=name).first()
        if current is None or current.text_hash != text_hash(profile, name):
            batch.append(profile)
    if batch or batch_size > 1:
        others = missing_profiles().exclude(pk=profile.pk)
        batch += list(others[:max(1, batch_size - len(batch))])
    return refresh_embeddings(batch, batch_size) if batch else 0


def refresh_stale_embeddings(batch_size: int = DEFAULT_BATCH) -> int:
    """Embed every profile whose vector is missing or outdated; returns the count."""
    return refresh_embeddings(stale_profiles(), batch_size)


# --------------------------------------------------------------------------
# Indexes from stored vectors
# --------------------------------------------------------------------------


def _profile_stamp(profiles, name: str) -> tuple:
    ids = profiles.values("pk")
    agg = profiles.aggregate(n=Count("pk"), last=Max("updated_at"),
                             org_last=Max("organization__updated_at"))
    emb = ProfileEmbedding.objects.filter(model_name=name, profile__in=ids).aggregate(
        n=Count("pk"), last=Max("updated_at"))
    return (timezone.localdate(), agg["n"], agg["last"], agg["org_last"], emb["n"], emb["last"])


def _build(engine, profiles) -> CachedIndex:
    """An index over ``profiles`` (a queryset) from their stored vectors."""
    name = engine.embedder.name
    dim = engine.embedder.dim
    rows = list(profiles.select_related("organization").order_by("organization_id", "pk"))
    stored = ProfileEmbedding.objects.filter(
        model_name=name, profile__in=profiles.values("pk")
    ).only("profile_id", "dim", "vector")
    vectors = {str(e.profile_id): e.as_array() for e in stored.iterator() if e.dim == dim}
    entry = CachedIndex(index=None, vectors=vectors)
    grouped: dict[int, list] = {}
    for profile in rows:
        if str(profile.pk) not in vectors:
            entry.missing += 1
            continue
        entry.profiles[profile.pk] = profile
        entry.organizations[profile.organization_id] = profile.organization
        grouped.setdefault(profile.organization_id, []).append(profile)
    orgs = [org_input(entry.organizations[oid], ps) for oid, ps in grouped.items()]
    if orgs:
        entry.index = engine.build_index(orgs, vectors)
    return entry


def _published_index(engine) -> CachedIndex:
    profiles = CooperationProfile.objects.published()
    name = engine.embedder.name
    return index_cache.cached(
        (name, "all"), _profile_stamp(profiles, name), lambda: _build(engine, profiles)
    )


def _approved(event):
    from qiao.events.models import RegistrationStatus

    return event.registrations.filter(status=RegistrationStatus.APPROVED)


def _event_index(engine, event) -> CachedIndex:
    registrations = _approved(event)
    profiles = CooperationProfile.objects.published().filter(
        organization__in=registrations.values("organization")
    )
    name = engine.embedder.name
    reg = registrations.aggregate(n=Count("pk"), last=Max("pk"), decided=Max("decided_at"))
    stamp = (reg["n"], reg["last"], reg["decided"], *_profile_stamp(profiles, name))
    return index_cache.cached(
        (name, f"event:{event.pk}"), stamp, lambda: _build(engine, profiles)
    )


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


@dataclass
class ReasonItem:
    """One reason with the two profiles it names (``mine`` belongs to the viewer's side)."""

    reason: Reason
    mine: CooperationProfile | None = None
    theirs: CooperationProfile | None = None


@dataclass
class Recommendation:
    """A suggested partner organisation with its score and reasons."""

    organization: object
    score: float
    reasons: list[ReasonItem] = field(default_factory=list)
    registration: object | None = None

    @property
    def strength(self) -> str:
        """``"strong"``, ``"good"`` or ``"possible"``."""
        return strength(self.score)

    @property
    def partner_profiles(self) -> list:
        """The partner's profiles named in the reasons, each once."""
        seen, out = set(), []
        for item in self.reasons:
            if item.theirs is not None and item.theirs.pk not in seen:
                seen.add(item.theirs.pk)
                out.append(item.theirs)
        return out


@dataclass
class RecommendationList:
    """Recommendations for one organisation and whether they are complete.

    ``state`` is ``"ready"``, ``"preparing"`` (its published profiles have no
    vectors yet) or ``"no_profiles"`` (it has no published profile);
    ``pending`` counts profiles (its own and others') still waiting for vectors.
    """

    items: list[Recommendation] = field(default_factory=list)
    state: str = "ready"
    pending: int = 0

    @property
    def is_preparing(self) -> bool:
        """Whether vectors are still being computed."""
        return self.state == "preparing"


def _items(entry: CachedIndex, suggestion: Suggestion) -> Recommendation:
    reasons = [
        ReasonItem(r, entry.profiles.get(int(r.mine)), entry.profiles.get(int(r.theirs)))
        for r in suggestion.reasons
    ]
    return Recommendation(entry.organizations[int(suggestion.org_id)], suggestion.score, reasons)


def _suggest(engine, entry: CachedIndex, organization, limit: int) -> RecommendationList:
    own = list(CooperationProfile.objects.published().filter(organization=organization))
    if not own:
        return RecommendationList(state="no_profiles")
    vectors = {str(p.pk): entry.vectors[str(p.pk)] for p in own if str(p.pk) in entry.vectors}
    if not vectors or not calibration_ready(engine):
        return RecommendationList(state="preparing", pending=entry.missing)
    pending = entry.missing
    others = [oid for oid in entry.organizations if oid != organization.pk]
    if entry.index is None or not others or limit <= 0:
        return RecommendationList(pending=pending)
    query = org_input(organization, [p for p in own if str(p.pk) in vectors])
    suggestions = engine.suggest_for(query, entry.index, top_k=limit, raw_vectors=vectors)
    items = [_items(entry, s) for s in suggestions if s.score >= MIN_SCORE]
    return RecommendationList(items=items, pending=pending)


def _preparing(organization) -> RecommendationList:
    """The answer while the engine's calibration is still being computed in the background."""
    if not CooperationProfile.objects.published().filter(organization=organization).exists():
        return RecommendationList(state="no_profiles")
    return RecommendationList(state="preparing")


def recommendations_for(organization, limit: int = 10) -> RecommendationList:
    """Best partners for ``organization`` among all published profiles of other organisations."""
    engine = current_engine()
    if not calibration_ready(engine):
        return _preparing(organization)
    return _suggest(engine, _published_index(engine), organization, limit)


def event_recommendations(event, registration, limit: int = 10) -> RecommendationList:
    """Who ``registration``'s organisation should meet among ``event``'s approved participants.

    Each item carries the partner's ``registration`` (for meeting requests).
    """
    engine = current_engine()
    if not calibration_ready(engine):
        return _preparing(registration.organization)
    result = _suggest(engine, _event_index(engine, event), registration.organization, limit)
    if result.items:
        regs = {r.organization_id: r for r in _approved(event).exclude(pk=registration.pk)}
        result.items = [i for i in result.items if i.organization.pk in regs]
        for item in result.items:
            item.registration = regs[item.organization.pk]
    return result


@dataclass
class MatchPair:
    """Two participants who fit each other; reasons are seen from ``first``."""

    first: object
    second: object
    score: float
    reasons: list[ReasonItem] = field(default_factory=list)

    @property
    def strength(self) -> str:
        """``"strong"``, ``"good"`` or ``"possible"``."""
        return strength(self.score)


@dataclass
class EventMatches:
    """The organiser's view of an event: each participant's top partners and the best pairs."""

    lists: list[tuple[object, list[Recommendation]]] = field(default_factory=list)
    pairs: list[MatchPair] = field(default_factory=list)
    pending: int = 0
    participants: int = 0
    preparing: bool = False


def _event_ranking(engine, entry: CachedIndex, per_participant: int) -> dict:
    ranking = entry.rankings.get(per_participant)
    if ranking is None:
        ranking = engine.rank_index(entry.index, top_k=per_participant) if entry.index else {}
        entry.rankings[per_participant] = ranking
    return ranking


def event_matches(event, per_participant: int = 5, pairs: int = 50) -> EventMatches:
    """Each approved participant's top partners and the ``pairs`` strongest pairs of ``event``."""
    engine = current_engine()
    if not calibration_ready(engine):
        return EventMatches(preparing=True, participants=_approved(event).count())
    entry = _event_index(engine, event)
    ranking = _event_ranking(engine, entry, per_participant)
    result = EventMatches(pending=entry.missing, participants=_approved(event).count())
    best: dict[tuple[int, int], MatchPair] = {}
    for org_id, suggestions in ranking.items():
        org = entry.organizations[int(org_id)]
        items = [_items(entry, s) for s in suggestions if s.score >= MIN_SCORE]
        result.lists.append((org, items))
        for item in items:
            key = tuple(sorted((org.pk, item.organization.pk)))
            if key not in best or item.score > best[key].score:
                best[key] = MatchPair(org, item.organization, item.score, item.reasons)
    result.lists.sort(key=lambda pair: (pair[0].name.casefold(), pair[0].pk))
    result.pairs = sorted(best.values(), key=lambda p: (-p.score, p.first.pk, p.second.pk))[:pairs]
    return result


def event_match_matrix(event, limit: int = 50) -> list[MatchPair]:
    """The ``limit`` strongest pairs among ``event``'s approved participants."""
    return event_matches(event, pairs=limit).pairs


def pair_reasons(org_a, org_b) -> tuple[float, list[Reason]]:
    """Score and reasons (seen from ``org_a``) for two organisations' published profiles.

    Uses stored vectors only; without them the answer is ``(0.0, [])``.
    """
    engine = current_engine()
    if not calibration_ready(engine):
        return 0.0, []
    name = engine.embedder.name
    profiles = {
        org.pk: list(CooperationProfile.objects.published().filter(organization=org))
        for org in (org_a, org_b)
    }
    stored = ProfileEmbedding.objects.filter(
        model_name=name, profile__in=profiles[org_a.pk] + profiles[org_b.pk],
        dim=engine.embedder.dim,
    )
    vectors = {str(e.profile_id): e.as_array() for e in stored}
    with_vectors = {
        oid: [p for p in ps if str(p.pk) in vectors] for oid, ps in profiles.items()
    }
    if not with_vectors[org_a.pk] or not with_vectors[org_b.pk]:
        return 0.0, []
    index = engine.build_index([org_input(org_b, with_vectors[org_b.pk])], vectors)
    found = engine.suggest_for(org_input(org_a, with_vectors[org_a.pk]), index, top_k=1,
                               raw_vectors=vectors)
    if not found:
        return 0.0, []
    return found[0].score, list(found[0].reasons)

