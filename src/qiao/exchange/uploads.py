"""Short-lived storage of uploaded files between the steps of an import.

An upload is kept under ``MEDIA_ROOT / "uploads"`` as ``<token>.bin`` with a
``<token>.json`` description (original name, event, user, time). The token is
random (not guessable) and the files are only readable by the server's user.
They are deleted when the import is done or cancelled, and any left behind
are deleted after ``MAX_AGE`` by ``purge_stale_uploads`` (run on every new
upload), so personal data is not kept longer than needed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

__all__ = [
    "StoredUpload",
    "UploadMissing",
    "MAX_AGE_SECONDS",
    "store_upload",
    "load_upload",
    "delete_upload",
    "purge_stale_uploads",
]

#: Uploads older than this are deleted.
MAX_AGE_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32,64}")


class UploadMissing(LookupError):
    """No stored upload with this token for this event and user (or it expired)."""


@dataclass
class StoredUpload:
    """An upload kept between the steps of an import."""

    token: str
    data: bytes
    filename: str
    event_id: int
    user_id: int
    created: float


def _directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads"


def _paths(token: str) -> tuple[Path, Path]:
    if not _TOKEN_RE.fullmatch(token or ""):
        raise UploadMissing(token)
    directory = _directory()
    return directory / f"{token}.bin", directory / f"{token}.json"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def store_upload(data: bytes, *, filename: str, event, user) -> str:
    """Keep ``data`` for a later step and return its token."""
    purge_stale_uploads()
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    data_path, meta_path = _paths(token)
    meta = {
        "filename": os.path.basename(filename or "")[:200],
        "event": event.pk,
        "user": user.pk,
        "created": time.time(),
    }
    _write_private(data_path, data)
    _write_private(meta_path, json.dumps(meta).encode("utf-8"))
    return token


def load_upload(token: str, *, event, user) -> StoredUpload:
    """Return the upload ``token`` if it belongs to ``event`` and ``user`` and has not expired."""
    data_path, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["event"] != event.pk or meta["user"] != user.pk:
            raise UploadMissing(token)
        if time.time() - meta["created"] > MAX_AGE_SECONDS:
            delete_upload(token)
            raise UploadMissing(token)
        data = data_path.read_bytes()
    except (OSError, ValueError, KeyError) as exc:
        raise UploadMissing(token) from exc
    return StoredUpload(token, data, meta["filename"], meta["event"], meta["user"], meta["created"])


def delete_upload(token: str) -> None:
    """Delete the upload ``token`` (no error when it is gone already)."""
    try:
        paths = _paths(token)
    except UploadMissing:
        return
    for path in paths:
        path.unlink(missing_ok=True)


def purge_stale_uploads(now: float | None = None) -> int:
    """Delete uploads older than ``MAX_AGE_SECONDS``; return how many files were removed."""
    directory = _directory()
    if not directory.is_dir():
        return 0
    limit = (now or time.time()) - MAX_AGE_SECONDS
    removed = 0
    for path in directory.iterdir():
        if path.suffix not in (".bin", ".json") or not _TOKEN_RE.fullmatch(path.stem):
            continue
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed
