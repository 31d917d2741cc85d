"""Build engine inputs from qiao-exchange/1 data (parsed records or plain dicts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .types import OrgInput, ProfileInput


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        value = obj.get(key, default)
    else:
        value = getattr(obj, key, default)
    return default if value is None else value


def profile_from_record(rec: Any) -> ProfileInput:
    """A :class:`ProfileInput` from an OpportunityRecord or an opportunity dict."""
    return ProfileInput(
        id=str(_get(rec, "id")),
        direction=str(_get(rec, "direction", "")),
        topic=str(_get(rec, "topic", "")),
        title=str(_get(rec, "title", "")),
        text=str(_get(rec, "text", "")),
        language=_get(rec, "language") or None,
        cooperation=tuple(_get(rec, "cooperation", ())),
        keywords=tuple(_get(rec, "keywords", ())),
        target_countries=tuple(c.upper() for c in _get(rec, "target_countries", ())),
    )


def org_from_record(rec: Any) -> OrgInput:
    """An :class:`OrgInput` from an OrganizationRecord or an organisation dict."""
    return OrgInput(
        id=str(_get(rec, "id")),
        name=str(_get(rec, "name", "")),
        kind=str(_get(rec, "kind", "company")),
        country=str(_get(rec, "country", "")).upper(),
        languages=tuple(_get(rec, "languages", ())),
        sectors=tuple(_get(rec, "sectors", ())),
        description=str(_get(rec, "description", "")),
        profiles=tuple(profile_from_record(p) for p in _get(rec, "opportunities", ())),
    )


def orgs_from_records(records: Iterable[Any]) -> list[OrgInput]:
    """Engine inputs for a list of organisation records or dicts, in order."""
    return [org_from_record(r) for r in records]
