"""State changes of user accounts: sign-up and the user's own settings."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from qiao.people.models import User

#: Fields a user may change on their own settings page.
SELF_EDITABLE_FIELDS = (
    "name", "name_latin", "phone", "position", "languages", "preferred_language", "timezone",
    "consent_listing",
)


@transaction.atomic
def register_user(
    *, email: str, password: str, name: str, accepted_terms: bool, **fields
) -> User:
    """Create a participant account; the terms must have been accepted.

    ``fields`` may hold any of :data:`SELF_EDITABLE_FIELDS`.  The acceptance
    time is stored in ``accepted_terms_at``.
    """
    if not accepted_terms:
        raise ValueError("The terms must be accepted to create an account.")
    unknown = set(fields) - set(SELF_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Fields not allowed at sign-up: {sorted(unknown)}")
    user = User.objects.create_user(
        email=email, password=password, name=name, accepted_terms_at=timezone.now(), **fields
    )
    user.full_clean(exclude=["password"])
    from qiao.core.mail import send_user_mail

    send_user_mail(user, "account_welcome")
    return user


def update_account(user: User, **fields) -> User:
    """Save the user's own settings (only :data:`SELF_EDITABLE_FIELDS`)."""
    unknown = set(fields) - set(SELF_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Fields not editable by the user: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    return user
