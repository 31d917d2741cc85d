"""The matching engine as the web app uses it: one engine per configured model, engine inputs.

The model comes from the setting ``QIAO_EMBEDDER`` (or the environment variable
of the same name, or the engine's default); see
:func:`qiao.matching.load_embedder` for the accepted forms. Pages never embed:
they read stored vectors (:mod:`qiao.recommendations.models`); only the
background task and the ``embed_profiles`` command call the model.
"""

from __future__ import annotations

import os
import threading

from django.conf import settings

from qiao.matching import MatchEngine, OrgInput, ProfileInput, cache_key
from qiao.matching import load_embedder as _load_embedder

#: Profile statuses whose texts are embedded: published ones, and submitted ones
#: so their vector is ready when the office publishes them.
EMBEDDED_STATUSES = ("submitted", "published")

_ENGINES: dict[str, MatchEngine] = {}
_LOCK = threading.Lock()


def embedder_spec() -> str:
    """The configured embedder: setting ``QIAO_EMBEDDER``, then the environment, then default."""
    return str(getattr(settings, "QIAO_EMBEDDER", "") or os.environ.get("QIAO_EMBEDDER") or "")


def current_engine() -> MatchEngine:
    """The process-wide engine for the configured model (models load lazily on first use)."""
    spec = embedder_spec()
    with _LOCK:
        engine = _ENGINES.get(spec)
        if engine is None:
            from qiao.recommendations.cache import DatabaseCache

            engine = MatchEngine(_load_embedder(spec or None), DatabaseCache())
            _ENGINES[spec] = engine
        return engine


_READY: set[str] = set()


def calibration_ready(engine: MatchEngine | None = None) -> bool:
    """Whether the engine can score without calling the model.

    The language-bias correction needs reference vectors: shipped with the
    built-in models, otherwise computed once by the background task
    (:func:`prepare_calibration`) and shared through the database.
    """
    from qiao.matching.calibration import load_learned_offsets, load_precomputed
    from qiao.matching.reference_corpus import REFERENCE

    engine = engine or current_engine()
    name = engine.embedder.name
    if name in _READY:
        return True
    shipped = load_precomputed(name) is not None and (
        not engine.config.use_lang_offsets
        or load_learned_offsets(name, engine.calibrator.strength) is not None
    )
    if not shipped:
        keys = {cache_key(name, text) for texts in REFERENCE.values() for text in texts}
        if len(engine.cache.get_many(sorted(keys))) < len(keys):
            return False
    with _LOCK:
        _READY.add(name)
    return True


def prepare_calibration(engine: MatchEngine | None = None) -> None:
    """Compute (or load) the reference vectors of the language-bias correction."""
    from qiao.matching import embed_texts
    from qiao.matching.reference_corpus import REFERENCE

    engine = engine or current_engine()
    if calibration_ready(engine):
        return
    texts = [text for lang in sorted(REFERENCE) for text in REFERENCE[lang]]
    embed_texts(texts, engine.embedder, engine.cache)  # only what the database lacks
    engine.calibrator.means  # noqa: B018 - loads the means from the shared cache
    if engine.config.use_lang_offsets:
        engine.calibrator.pair_offsets()


def model_name() -> str:
    """Name (and version) of the configured embedding model."""
    return current_engine().embedder.name


def profile_input(profile) -> ProfileInput:
    """Engine input for a cooperation profile."""
    return ProfileInput(
        id=str(profile.pk),
        direction=profile.direction,
        topic=profile.topic,
        title=profile.title,
        text=profile.text or "",
        language=profile.language or None,
        cooperation=tuple(profile.cooperation or ()),
        keywords=tuple(profile.keywords or ()),
        target_countries=tuple(c.upper() for c in (profile.target_countries or ())),
    )


def org_input(organization, profiles) -> OrgInput:
    """Engine input for an organisation with the given profiles."""
    return OrgInput(
        id=str(organization.pk),
        name=organization.name,
        kind=organization.kind,
        country=(organization.country or "").upper(),
        languages=tuple(organization.languages or ()),
        sectors=tuple(organization.sectors or ()),
        description=organization.description or "",
        profiles=tuple(profile_input(p) for p in profiles),
    )


def text_hash(profile, name: str | None = None) -> str:
    """Hash of the text the model sees for ``profile`` (changes with title, text, keywords)."""
    return cache_key(name or model_name(), profile_input(profile).embedding_text())
