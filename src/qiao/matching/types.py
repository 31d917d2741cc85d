"""Plain dataclasses going into and out of the matching engine."""

from __future__ import annotations

from dataclasses import dataclass, field

DIRECTIONS = ("offer", "request")
TOPICS = ("business", "technology", "research", "investment", "site")
COOPERATION = (
    "distribution",
    "manufacturing",
    "licensing",
    "joint_venture",
    "research",
    "investment",
    "services",
    "supply",
    "site_location",
)
KINDS = ("company", "research", "university", "cluster", "public", "other")


@dataclass(frozen=True)
class ProfileInput:
    """One cooperation profile (an offer or a request) of an organisation."""

    id: str
    direction: str
    topic: str
    title: str
    text: str = ""
    language: str | None = None
    cooperation: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()

    def embedding_text(self) -> str:
        """The text that is embedded for this profile: title, body and keywords."""
        parts = [self.title.strip(), (self.text or "").strip()]
        if self.keywords:
            parts.append(", ".join(k.strip() for k in self.keywords if k.strip()))
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class OrgInput:
    """An organisation with its published cooperation profiles."""

    id: str
    name: str
    kind: str = "company"
    country: str = ""
    languages: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    description: str = ""
    profiles: tuple[ProfileInput, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why a partner is suggested: my profile ``mine`` meets their profile ``theirs``.

    ``relation`` is ``"offer-request"`` (my offer meets their request) or
    ``"request-offer"``; ``cooperation`` lists the shared cooperation types (or,
    when none is shared, the closest compatible ones of theirs).
    """

    mine: str
    theirs: str
    relation: str
    score: float
    cooperation: tuple[str, ...] = ()
    mine_title: str = ""
    theirs_title: str = ""

    def as_dict(self) -> dict:
        """The reason as in qiao-matches/1."""
        return {
            "mine": self.mine,
            "theirs": self.theirs,
            "relation": self.relation,
            "score": round(float(self.score), 4),
            "cooperation": list(self.cooperation),
        }


@dataclass(frozen=True)
class Suggestion:
    """A suggested partner organisation, best reasons first."""

    org_id: str
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        """The partner entry as in qiao-matches/1."""
        return {
            "organization": self.org_id,
            "score": round(float(self.score), 4),
            "reasons": [r.as_dict() for r in self.reasons],
        }
