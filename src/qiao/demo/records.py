"""Idempotent create-or-update of demo rows, with a tally of what changed."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
_MISSING = object()


@dataclass
class Tally:
    """Counts created, updated and unchanged rows per model (verbose name plural)."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, model: type[models.Model], outcome: str) -> None:
        """Record one outcome for one row of ``model``."""
        label = str(model._meta.verbose_name_plural)
        self.counts.setdefault(label, Counter())[outcome] += 1

    def total(self, outcome: str) -> int:
        """Number of rows with ``outcome`` over all models."""
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def changed(self) -> bool:
        """Whether anything was created or updated."""
        return bool(self.total(CREATED) or self.total(UPDATED))


def upsert(
    tally: Tally, model: type[models.Model], lookup: dict, values: dict,
    m2m: dict | None = None,
):
    """Find the row matching ``lookup`` or start a new one, then apply ``values``.

    The row is validated with ``full_clean()`` and saved only when it is new or
    a value differs, so running the loader again changes nothing. ``m2m`` maps
    many-to-many field names to the rows the relation must hold afterwards.
    Returns the row.
    """
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    changed = apply(obj, values)
    if created or changed:
        obj.full_clean()
        obj.save()
    for name, wanted in (m2m or {}).items():
        changed = sync_m2m(getattr(obj, name), wanted) or changed
    tally.add(model, CREATED if created else UPDATED if changed else UNCHANGED)
    return obj


def apply(obj: models.Model, values: dict) -> bool:
    """Set ``values`` on ``obj``; tell whether any attribute actually changed."""
    changed = False
    for name, value in values.items():
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:  # a required relation not yet set on a new row
            current = _MISSING
        if current is _MISSING or current != value:
            setattr(obj, name, value)
            changed = True
    return changed


def sync_m2m(manager, wanted) -> bool:
    """Make a many-to-many relation hold exactly ``wanted``; tell whether it changed."""
    wanted_ids = {obj.pk for obj in wanted}
    if set(manager.values_list("pk", flat=True)) == wanted_ids:
        return False
    manager.set(list(wanted))
    return True


def local_datetime(value: str | None, tz: str) -> datetime.datetime | None:
    """Read ``"2019-06-12T13:00"`` as a wall-clock time in time zone ``tz`` (aware result)."""
    if not value:
        return None
    naive = datetime.datetime.fromisoformat(value)
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(tz))


def date(value: str | None) -> datetime.date | None:
    """Read an ISO date (``"2019-06-12"``)."""
    return datetime.date.fromisoformat(value) if value else None
