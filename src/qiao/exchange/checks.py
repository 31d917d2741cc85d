"""Building blocks of the qiao-exchange/1 validator: error collection, JSON loading, field checks.

Everything here reports problems to a ``Collector`` instead of raising, so a
file is checked completely and all of its errors are shown at once.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from qiao.core.codes import COUNTRIES, LANGUAGES, is_nace_code

from .records import MAX_ERRORS, MAX_FILE_BYTES, MAX_ID, MAX_TEXT, ExchangeIssue

__all__ = ["Collector", "TooManyErrors", "Fields", "load_json", "join", "type_name"]

#: Returned by ``load_json`` when the input could not be read at all.
FAILED = object()

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_COUNTRY_HINTS = {"UK": "use GB for the United Kingdom", "EL": "use GR for Greece"}


class TooManyErrors(Exception):
    """Raised by ``Collector.add`` once ``MAX_ERRORS`` problems were recorded."""


class Collector:
    """Collects ``ExchangeIssue`` objects; stops the run after ``MAX_ERRORS``."""

    def __init__(self) -> None:
        self.issues: list[ExchangeIssue] = []

    def add(self, path: str, message: str) -> None:
        """Record one problem at ``path``."""
        self.issues.append(ExchangeIssue(path, message))
        if len(self.issues) >= MAX_ERRORS:
            raise TooManyErrors

    def check_keys(
        self, obj: dict, path: str, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> None:
        """Report unknown keys, duplicate keys and missing required keys of ``obj``."""
        for key in obj:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else ""
                self.add(join(path, str(key)), f"unknown key {key!r}{extra}")
        for key in getattr(obj, "duplicate_keys", ()):
            self.add(join(path, key), f"key {key!r} appears more than once in the object")
        for key in required:
            if key not in obj:
                self.add(join(path, key), f"required key {key!r} is missing")


def join(path: str, key: str) -> str:
    """Append an object key to a path (``organizations[0]`` + ``id``)."""
    return f"{path}.{key}" if path else key


def type_name(value: object) -> str:
    """Name a JSON value's type for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


class _JsonObject(dict):
    """A decoded JSON object that remembers keys which occurred more than once."""

    duplicate_keys: tuple[str, ...] = ()


class _BadConstant(ValueError):
    pass


def _object_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject()
    duplicates = []
    for key, value in pairs:
        if key in obj:
            duplicates.append(key)
        obj[key] = value
    if duplicates:
        obj.duplicate_keys = tuple(duplicates)
    return obj


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


def load_json(data: bytes | bytearray | str, collector: Collector) -> Any:
    """Decode ``data`` as UTF-8 JSON; on failure report and return ``FAILED``.

    The size limit is checked before decoding. A leading byte-order mark is
    tolerated. ``NaN`` and ``Infinity`` are rejected (they are not JSON).
    """
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_FILE_BYTES:
            collector.add("", f"file too large: {len(data)} bytes, at most {MAX_FILE_BYTES}")
            return FAILED
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            collector.add("", f"file is not valid UTF-8 (byte {exc.start}, line {line})")
            return FAILED
    else:
        text = data
        if (
            len(text) > MAX_FILE_BYTES
            or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES
        ):
            collector.add("", f"file too large: more than {MAX_FILE_BYTES} bytes")
            return FAILED
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        collector.add("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
    except _BadConstant as exc:
        collector.add("", f"invalid JSON: {exc} is not allowed (not a JSON number)")
    except RecursionError:
        collector.add("", "invalid JSON: nested too deeply")
    except ValueError as exc:  # e.g. an integer with too many digits
        collector.add("", f"invalid JSON: {exc}")
    return FAILED


def plain_json(value: Any, path: str, collector: Collector, depth: int = 0) -> Any:
    """Return a plain copy of an ``x`` value; report duplicate keys and non-JSON values."""
    if depth > 100:
        collector.add(path, "nested too deeply")
        return None
    if isinstance(value, dict):
        for key in getattr(value, "duplicate_keys", ()):
            collector.add(join(path, key), f"key {key!r} appears more than once in the object")
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                collector.add(path, f"object keys must be strings, got {type_name(key)}")
                continue
            result[key] = plain_json(item, join(path, key), collector, depth + 1)
        return result
    if isinstance(value, list):
        return [
            plain_json(item, f"{path}[{i}]", collector, depth + 1) for i, item in enumerate(value)
        ]
    if isinstance(value, float) and not math.isfinite(value):
        collector.add(path, "NaN and Infinity are not allowed")
        return None
    if value is None or isinstance(value, (str, int, float)):
        return value
    collector.add(path, f"not a JSON value: {type_name(value)}")
    return None


# --- item checks: (value, path, collector) -> normalised value or None -------------


def check_string(
    value: Any, path: str, collector: Collector, max_len: int = MAX_TEXT
) -> str | None:
    """Check a non-empty string of at most ``max_len`` characters; return it stripped."""
    if not isinstance(value, str):
        collector.add(path, f"expected a string, got {type_name(value)}")
        return None
    text = value.strip()
    if not text:
        collector.add(path, "must not be empty")
        return None
    if len(text) > max_len:
        collector.add(path, f"too long: {len(text)} characters, at most {max_len}")
        return None
    if "\x00" in text:
        collector.add(path, "contains a NUL character")
        return None
    return text


def check_id(value: Any, path: str, collector: Collector) -> str | None:
    """Check an id: string of 1–64 characters, no surrounding whitespace or control chars."""
    if not isinstance(value, str):
        collector.add(path, f"expected a string id, got {type_name(value)}")
        return None
    if not 1 <= len(value) <= MAX_ID:
        collector.add(path, f"id must have 1 to {MAX_ID} characters, got {len(value)}")
        return None
    if value != value.strip() or any(ord(char) < 32 or ord(char) == 127 for char in value):
        collector.add(path, "id must not contain surrounding whitespace or control characters")
        return None
    return value


def check_country(value: Any, path: str, collector: Collector) -> str | None:
    """Check an ISO 3166-1 alpha-2 code (case-insensitive); return it upper-case."""
    if not isinstance(value, str):
        collector.add(path, f"expected a country code string, got {type_name(value)}")
        return None
    code = value.strip().upper()
    if code not in COUNTRIES:
        hint = _COUNTRY_HINTS.get(code, "expected ISO 3166-1 alpha-2 such as DE, CN, AT")
        collector.add(path, f"unknown country code {value!r} ({hint})")
        return None
    return code


def check_language(value: Any, path: str, collector: Collector) -> str | None:
    """Check an ISO 639-1 code (case-insensitive); return it lower-case."""
    if not isinstance(value, str):
        collector.add(path, f"expected a language code string, got {type_name(value)}")
        return None
    code = value.strip().lower()
    if code not in LANGUAGES:
        collector.add(
            path, f"unknown language code {value!r} (expected ISO 639-1 such as de, zh, en)"
        )
        return None
    return code


def check_nace(value: Any, path: str, collector: Collector) -> str | None:
    """Check a NACE Rev.2 code such as ``C21.20``; return it upper-case."""
    if not isinstance(value, str):
        collector.add(path, f"expected a NACE code string, got {type_name(value)}")
        return None
    code = value.strip().upper()
    if not is_nace_code(code):
        collector.add(
            path, f"invalid NACE Rev.2 code {value!r} (expected e.g. C, C21, C21.2, C21.20)"
        )
        return None
    return code


def enum_check(choices: tuple[str, ...]) -> Callable[[Any, str, Collector], str | None]:
    """Make an item check that accepts exactly one of ``choices``."""

    def check(value: Any, path: str, collector: Collector) -> str | None:
        if isinstance(value, str) and value in choices:
            return value
        shown = repr(value) if isinstance(value, str) else type_name(value)
        collector.add(path, f"invalid value {shown}; expected one of: {', '.join(choices)}")
        return None

    return check


def check_url(value: Any, path: str, collector: Collector) -> str | None:
    """Check an absolute http(s) URL with a host."""
    text = check_string(value, path, collector, max_len=2000)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        collector.add(path, f"invalid URL {text!r}: expected an http:// or https:// address")
        return None
    return text


def check_email(value: Any, path: str, collector: Collector) -> str | None:
    """Check the rough shape of an e-mail address (one @, a dot in the domain)."""
    text = check_string(value, path, collector, max_len=254)
    if text is not None and _EMAIL_RE.fullmatch(text) is None:
        collector.add(path, f"invalid e-mail address {text!r}")
        return None
    return text


def check_date(value: Any, path: str, collector: Collector) -> date | None:
    """Check an ISO calendar date ``YYYY-MM-DD``."""
    if not isinstance(value, str) or _DATE_RE.fullmatch(value) is None:
        shown = repr(value) if isinstance(value, str) else type_name(value)
        collector.add(path, f"expected an ISO date YYYY-MM-DD, got {shown}")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        collector.add(path, f"no such date: {value!r}")
        return None


def check_integer(
    value: Any, path: str, collector: Collector, minimum: int, maximum: int | None = None
) -> int | None:
    """Check an integer (booleans and numbers with a fraction are refused) within bounds."""
    if isinstance(value, bool) or not isinstance(value, int):
        collector.add(path, f"expected an integer, got {type_name(value)}")
        return None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        bound = f"between {minimum}{upper}" if maximum is not None else f"at least {minimum}"
        collector.add(path, f"{value} out of range: must be {bound}")
        return None
    return value


class Fields:
    """Reads the keys of one JSON object, reporting problems with full paths.

    A missing key or ``null`` gives None (the missing-required error is
    reported by ``Collector.check_keys``; ``null`` for a required key is
    reported here).
    """

    def __init__(self, obj: dict, path: str, collector: Collector) -> None:
        self.obj = obj
        self.path = path
        self.collector = collector

    def at(self, key: str) -> str:
        """Path of ``key`` in this object."""
        return join(self.path, key)

    def _raw(self, key: str, required: bool) -> Any:
        value = self.obj.get(key)
        if value is None and key in self.obj and required:
            self.collector.add(self.at(key), "must not be null")
        return value

    def get(self, key: str, check: Callable[..., Any], required: bool = False, **kw: Any) -> Any:
        """Run ``check`` on the value of ``key`` (None when absent or null)."""
        value = self._raw(key, required)
        if value is None:
            return None
        return check(value, self.at(key), self.collector, **kw)

    def items(
        self, key: str, check: Callable[..., Any], required: bool = False, **kw: Any
    ) -> list[Any]:
        """Check a list whose items all pass ``check``; drop repeated items.

        ``required`` lists must be present and non-empty.
        """
        value = self._raw(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.collector.add(self.at(key), f"expected a list, got {type_name(value)}")
            return []
        if required and not value:
            self.collector.add(self.at(key), "must contain at least one entry")
        result: list[Any] = []
        seen: set[Any] = set()
        for index, item in enumerate(value):
            checked = check(item, f"{self.at(key)}[{index}]", self.collector, **kw)
            if checked is not None and checked not in seen:
                seen.add(checked)
                result.append(checked)
        return result

    def objects(self, key: str) -> Iterable[tuple[str, dict]]:
        """Yield ``(path, object)`` for a list of objects, reporting non-objects."""
        value = self._raw(key, False)
        if value is None:
            return
        if not isinstance(value, list):
            self.collector.add(self.at(key), f"expected a list, got {type_name(value)}")
            return
        for index, item in enumerate(value):
            path = f"{self.at(key)}[{index}]"
            if isinstance(item, dict):
                yield path, item
            else:
                self.collector.add(path, f"expected an object, got {type_name(item)}")

    def extension(self, key: str = "x") -> dict[str, Any] | None:
        """Return the ``x`` extension object as a plain copy (must be an object)."""
        value = self._raw(key, False)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.collector.add(self.at(key), f"expected an object, got {type_name(value)}")
            return None
        return plain_json(value, self.at(key), self.collector)
