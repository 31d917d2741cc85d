"""Qiao matching engine: cross-lingual, directional partner suggestions (no Django import).

Typical use::

    from qiao.matching import MatchEngine, orgs_from_records
    engine = MatchEngine()                       # default embedder, in-memory cache
    suggestions = engine.rank(orgs_from_records(records), top_k=10)

The web app stores raw vectors from :func:`embed_texts` and rebuilds a
:class:`MatchIndex` with :meth:`MatchEngine.build_index(orgs, raw_vectors)`.
"""

from .cache import EmbeddingCache, MemoryCache, SqliteCache, cache_key, embed_texts
from .convert import org_from_record, orgs_from_records, profile_from_record
from .embedders import CombinedEmbedder, E5Embedder, Embedder, USEEmbedder, load_embedder
from .engine import MatchEngine, profile_language
from .index import CandidateIndex, MatchIndex
from .reasons import describe_reason
from .scoring import ScoringConfig
from .types import OrgInput, ProfileInput, Reason, Suggestion

__all__ = [
    "CandidateIndex",
    "CombinedEmbedder",
    "E5Embedder",
    "Embedder",
    "EmbeddingCache",
    "MatchEngine",
    "MatchIndex",
    "MemoryCache",
    "OrgInput",
    "ProfileInput",
    "Reason",
    "ScoringConfig",
    "SqliteCache",
    "Suggestion",
    "USEEmbedder",
    "cache_key",
    "describe_reason",
    "embed_texts",
    "load_embedder",
    "org_from_record",
    "orgs_from_records",
    "profile_from_record",
    "profile_language",
]
