"""Secret tokens of the private calendar feeds (one per registration, revocable).

A token is the registration id and the registration's feed nonce
(``Registration.feed_nonce``), signed with the installation's ``SECRET_KEY``
(:class:`django.core.signing.Signer`, own salt), so calendar apps can poll
the feed without a login.  Giving the registration a new nonce
(:func:`qiao.events.services.reset_calendar_feed`) revokes its token: the old
address answers 404 from then on.  A registration whose feed was never reset
has an empty nonce and the token of the signed id alone, so addresses sent
before nonces existed keep working until the participant resets them.
Changing ``SECRET_KEY`` invalidates every feed address; a cancelled or
rejected registration's feed answers 404.
"""

from __future__ import annotations

import secrets

from django.core import signing

SALT = "qiao.documents.agenda-feed"
#: Between the registration id and the nonce in the signed value (ids are digits only).
NONCE_SEP = "-"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=".")


def new_feed_nonce() -> str:
    """A fresh random nonce (URL-safe, without the signer's separator ``.``)."""
    return secrets.token_urlsafe(12)


def feed_token(registration) -> str:
    """The current feed token of ``registration`` (its id and feed nonce, signed)."""
    value = str(registration.pk)
    if registration.feed_nonce:
        value += NONCE_SEP + registration.feed_nonce
    return _signer().sign(value)


def read_feed_token(token: str) -> tuple[int, str] | None:
    """The registration id and nonce that ``token`` was made for, or None if it is not genuine.

    A genuine token is only current if the nonce is still the registration's ``feed_nonce``.
    """
    try:
        value = _signer().unsign(token or "")
    except signing.BadSignature:
        return None
    pk, _sep, nonce = value.partition(NONCE_SEP)
    return (int(pk), nonce) if pk.isdigit() else None
