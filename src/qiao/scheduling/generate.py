"""Seeded generator of realistic qiao-schedule-instance/1 benchmark instances.

Features: German/Chinese/English speakers (so some pairs need an interpreter),
interpreters with partial availability, remote participants (their meetings are
remote), priorities 1-3, a few very popular participants who are requested far
more often than they have slots, and participants present only on some
half-days. Sessions: 8 morning slots from 09:00 and 8 afternoon slots from
14:00 per day, 25 minutes each.
"""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from qiao.scheduling.model import INSTANCE_FORMAT

LANGUAGE_MIX = [  # (languages, weight)
    (["de"], 0.2), (["zh"], 0.2), (["de", "en"], 0.25), (["zh", "en"], 0.25),
    (["de", "zh", "en"], 0.1),
]


def _slots(days: int, per_session: int, tz: str, tables: int) -> list[dict]:
    out = []
    zone = ZoneInfo(tz)
    for d in range(days):
        for session, hour in (("am", 9), ("pm", 14)):
            t = datetime(2026, 10, 20 + d, hour, 0, tzinfo=zone)
            for k in range(per_session):
                start = t + timedelta(minutes=30 * k)
                out.append({"id": f"d{d + 1}-{session}{k + 1:02d}", "start": start.isoformat(),
                            "end": (start + timedelta(minutes=25)).isoformat(),
                            "tables": tables})
    return out


def generate_instance(participants: int = 200, meetings_per_participant: float = 10.0,
                      days: int | None = None, seed: int = 0, slots_per_session: int = 8,
                      interpreters: int | None = None, fairness: int | None = None) -> dict:
    """Return a generated instance dict (deterministic for the arguments).

    ``days`` defaults to 1 up to 300 participants, 2 up to 2,000, else 3.
    Tables per slot are set so that about 85 % of the requested in-person
    meetings could fit in total; popular participants are oversubscribed.
    """
    rng = random.Random(seed)
    if days is None:
        days = 1 if participants <= 300 else 2 if participants <= 2000 else 3
    n_meetings = int(participants * meetings_per_participant / 2)
    slots = _slots(days, slots_per_session, "Europe/Berlin", 1)
    half_days = [[s["id"] for s in slots[k:k + slots_per_session]]
                 for k in range(0, len(slots), slots_per_session)]
    people = []
    for k in range(participants):
        langs = rng.choices([lm[0] for lm in LANGUAGE_MIX],
                            [lm[1] for lm in LANGUAGE_MIX])[0]
        present = half_days if rng.random() < 0.6 else rng.sample(
            half_days, max(1, len(half_days) * 2 // 3))
        avail = sorted(s for h in present for s in h)
        if rng.random() < 0.3:  # a few private appointments
            for s in rng.sample(avail, min(2, len(avail))):
                avail.remove(s)
        people.append({"id": f"p{k + 1:05d}", "languages": list(langs), "available": avail,
                       "remote": rng.random() < 0.1})
    popular = rng.sample(range(participants), max(1, participants // 50))
    weights = [1.0] * participants
    for k in popular:
        weights[k] = 12.0
    cum = list(itertools.accumulate(weights))
    pairs: set[tuple[int, int]] = set()
    meetings = []
    while len(meetings) < n_meetings:
        a = rng.randrange(participants)
        b = rng.choices(range(participants), cum_weights=cum)[0]
        if a == b or (min(a, b), max(a, b)) in pairs:
            continue
        pairs.add((min(a, b), max(a, b)))
        m = {"id": f"m{len(meetings) + 1:06d}",
             "participants": [people[a]["id"], people[b]["id"]],
             "priority": rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0],
             "remote": people[a]["remote"] or people[b]["remote"]}
        meetings.append(m)
    inperson = sum(1 for m in meetings if not m["remote"])
    tables = max(1, round(inperson * 0.85 / len(slots)))
    for s in slots:
        s["tables"] = tables
    if interpreters is None:
        interpreters = max(2, participants // 40)
    interps = []
    for k in range(interpreters):
        present = rng.sample(half_days, max(1, (len(half_days) * 3) // 4))
        interps.append({"id": f"i{k + 1:03d}",
                        "languages": ["de", "zh"] + (["en"] if rng.random() < 0.5 else []),
                        "available": sorted(s for h in present for s in h)})
    data = {
        "format": INSTANCE_FORMAT,
        "event": {"id": f"gen-{participants}-s{seed}", "timezone": "Europe/Berlin"},
        "slots": slots, "participants": people, "meetings": meetings,
        "interpreters": interps, "require_all": False,
    }
    if fairness is not None:
        data["fairness"] = fairness
    return data
