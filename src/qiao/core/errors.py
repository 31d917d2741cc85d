"""Exceptions raised by the service functions of the domain apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class TransitionError(ValidationError):
    """A state change that is not allowed from the object's current state.

    It is a :class:`~django.core.exceptions.ValidationError`, so forms and
    views can show its (translated) message like any other validation error.
    """
