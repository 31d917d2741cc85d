"""Small instance builders for the scheduling tests."""

from __future__ import annotations

import copy


def slots(n: int, day: int = 1, tables: int = 5, start_hour: int = 9) -> list[dict]:
    out = []
    for k in range(n):
        h, m = divmod(start_hour * 60 + 30 * k, 60)
        out.append({"id": f"d{day}s{k + 1}",
                    "start": f"2026-10-{19 + day:02d}T{h:02d}:{m:02d}:00+02:00",
                    "end": f"2026-10-{19 + day:02d}T{h:02d}:{m + 25:02d}:00+02:00",
                    "tables": tables})
    return out


def person(pid: str, langs=("en",), available=None, remote=False) -> dict:
    d = {"id": pid, "languages": list(langs), "remote": remote}
    if available is not None:
        d["available"] = list(available)
    return d


def meeting(mid: str, a: str, b: str, **extra) -> dict:
    return {"id": mid, "participants": [a, b], **extra}


def instance(slot_list, people, meetings, **extra) -> dict:
    return copy.deepcopy({"format": "qiao-schedule-instance/1",
                          "event": {"id": "test", "timezone": "Europe/Berlin"},
                          "slots": slot_list, "participants": people, "meetings": meetings,
                          **extra})
