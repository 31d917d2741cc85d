"""Secret tokens of the private calendar feeds (one per registration, no stored state).

A token is the registration id signed with the installation's ``SECRET_KEY``
(:class:`django.core.signing.Signer`, own salt), so calendar apps can poll
the feed without a login.  Changing ``SECRET_KEY`` invalidates every feed
address; a cancelled or rejected registration's feed answers 404.
"""

from __future__ import annotations

from django.core import signing

SALT = "qiao.documents.agenda-feed"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=".")


def feed_token(registration) -> str:
    """The feed token of ``registration`` (a registration instance or its id)."""
    return _signer().sign(str(getattr(registration, "pk", registration)))


def registration_id_for(token: str) -> int | None:
    """The registration id that ``token`` was made for, or None if it is not genuine."""
    try:
        value = _signer().unsign(token or "")
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None
