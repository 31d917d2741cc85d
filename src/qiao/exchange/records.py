"""Data classes and limits of the qiao-exchange/1 format (see ``specs/exchange.md``).

The records mirror the spec's tables key by key. Optional scalars default to
None, optional lists to ``[]``; ``x`` (extension data) is kept as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qiao.core.langdetect import detect_language

__all__ = [
    "FORMAT_ID",
    "MAX_FILE_BYTES",
    "MAX_ORGANIZATIONS",
    "MAX_TEXT",
    "MAX_TITLE",
    "MAX_ID",
    "MAX_SHORT",
    "MAX_ERRORS",
    "ExchangeIssue",
    "ExchangeError",
    "Identifiers",
    "ContactRecord",
    "OpportunityRecord",
    "OrganizationRecord",
    "ExchangeFile",
]

#: The value of the top-level ``format`` key.
FORMAT_ID = "qiao-exchange/1"
#: Largest accepted file (checked on the raw bytes before parsing).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Most organisations in one file.
MAX_ORGANIZATIONS = 100_000
#: Longest free text (``text``, ``description`` and any other string).
MAX_TEXT = 20_000
#: Longest opportunity title.
MAX_TITLE = 200
#: Longest id (organisation or opportunity).
MAX_ID = 64
#: Longest short string (names, region, city, contact fields, keywords).
MAX_SHORT = 500
#: Parsing stops collecting after this many errors (the file is rejected anyway).
MAX_ERRORS = 1000


@dataclass(frozen=True)
class ExchangeIssue:
    """One problem in an exchange file: where (``path``) and what (``message``).

    ``path`` uses dotted keys and list indices, e.g.
    ``organizations[3].opportunities[0].direction``; it is ``""`` for problems
    of the file as a whole (JSON syntax, size).
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ExchangeError(ValueError):
    """An exchange file was rejected; ``errors`` lists every problem found."""

    def __init__(self, errors: list[ExchangeIssue]):
        self.errors = list(errors)
        count = len(self.errors)
        head = "; ".join(str(issue) for issue in self.errors[:3])
        more = f" (and {count - 3} more)" if count > 3 else ""
        super().__init__(f"{count} error{'s' if count != 1 else ''} in exchange file: {head}{more}")


@dataclass
class Identifiers:
    """Official identifiers of an organisation (all optional, normalised)."""

    uscc: str | None = None
    vat: str | None = None
    register: str | None = None

    def is_empty(self) -> bool:
        """Tell whether no identifier is set."""
        return self.uscc is None and self.vat is None and self.register is None


@dataclass
class ContactRecord:
    """A person at an organisation (personal data)."""

    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None
    languages: list[str] = field(default_factory=list)
    x: dict[str, Any] | None = None


@dataclass
class OpportunityRecord:
    """One cooperation profile: an offer or a request.

    ``language`` is the value from the file (None when absent); use
    ``effective_language`` for the declared or detected language.
    """

    id: str
    direction: str
    topic: str
    title: str
    text: str
    cooperation: list[str]
    language: str | None = None
    keywords: list[str] = field(default_factory=list)
    target_countries: list[str] = field(default_factory=list)
    valid_until: date | None = None
    x: dict[str, Any] | None = None

    @property
    def effective_language(self) -> str | None:
        """The declared language, else the one detected from title and text (or None)."""
        if self.language:
            return self.language
        return detect_language(f"{self.title}\n{self.text}")


@dataclass
class OrganizationRecord:
    """An organisation with its cooperation profiles and contacts."""

    id: str
    name: str
    kind: str
    country: str
    languages: list[str]
    name_latin: str | None = None
    region: str | None = None
    city: str | None = None
    website: str | None = None
    employees: int | None = None
    founded: int | None = None
    sectors: list[str] = field(default_factory=list)
    identifiers: Identifiers | None = None
    description: str | None = None
    opportunities: list[OpportunityRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    x: dict[str, Any] | None = None


@dataclass
class ExchangeFile:
    """A whole qiao-exchange/1 file."""

    organizations: list[OrganizationRecord] = field(default_factory=list)
    x: dict[str, Any] | None = None
