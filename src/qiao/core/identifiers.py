"""Validators for organisation identifiers (plain Python, no Django import).

* ``validate_uscc``: Chinese Unified Social Credit Code (统一社会信用代码,
  GB 32100-2015), 18 characters with a check character.
* ``validate_eu_vat``: EU VAT identification number, format per member state
  (``EL`` for Greece, ``XI`` for Northern Ireland).
* ``normalize_register``: free-text commercial register entry.

Every validator returns the normalised value or raises ``IdentifierError``
(a ``ValueError``) with a message meant for people.
"""

from __future__ import annotations

import re

__all__ = [
    "IdentifierError",
    "USCC_ALPHABET",
    "uscc_check_char",
    "validate_uscc",
    "validate_eu_vat",
    "normalize_register",
    "REGISTER_MAX_LENGTH",
    "VAT_PATTERNS",
]


class IdentifierError(ValueError):
    """An identifier is malformed; the message says what is wrong."""


#: The 31 characters of GB 32100-2015 in value order (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {char: index for index, char in enumerate(USCC_ALPHABET)}
#: Weights of positions 1–17: 3^i mod 31.
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: Registration authority codes (position 1): 1–9 plus A, N and Y.
_USCC_AUTHORITIES = "123456789ANY"


def uscc_check_char(first17: str) -> str:
    """Compute the check character (position 18) for the first 17 USCC characters.

    ``first17`` must consist of exactly 17 characters from ``USCC_ALPHABET``
    (upper case); otherwise ``IdentifierError`` is raised.
    """
    if len(first17) != 17:
        raise IdentifierError(
            f"need 17 characters to compute a check character, got {len(first17)}"
        )
    total = 0
    for position, (char, weight) in enumerate(zip(first17, _USCC_WEIGHTS, strict=True), 1):
        if char not in _USCC_VALUES:
            raise IdentifierError(f"invalid character {char!r} at position {position}")
        total += _USCC_VALUES[char] * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Validate a Chinese Unified Social Credit Code and return it normalised.

    Surrounding whitespace is removed and letters are upper-cased. Checks, in
    order: length 18; every character from ``USCC_ALPHABET``; position 1 is a
    registration authority code (1–9, A, N, Y); positions 3–8 are digits (the
    administrative division code); position 18 is the correct check character.
    """
    if not isinstance(value, str):
        raise IdentifierError("USCC must be a string")
    code = value.strip().upper()
    if len(code) != 18:
        raise IdentifierError(f"USCC must have 18 characters, got {len(code)}")
    for position, char in enumerate(code, 1):
        if char not in _USCC_VALUES:
            raise IdentifierError(
                f"invalid character {char!r} at position {position} "
                "(allowed: 0-9 and A-Y without I, O, S, V, Z)"
            )
    if code[0] not in _USCC_AUTHORITIES:
        raise IdentifierError(
            f"invalid registration authority code {code[0]!r} at position 1 "
            f"(expected one of {', '.join(_USCC_AUTHORITIES)})"
        )
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            raise IdentifierError(
                f"invalid character {code[position - 1]!r} at position {position} "
                "(positions 3-8 are the administrative division code, digits only)"
            )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise IdentifierError(f"wrong check character {code[17]!r}, expected {expected!r}")
    return code


#: National part of the VAT number per prefix (after removing the prefix).
VAT_PATTERNS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[0-9A-HJ-NP-Z]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"[1-9]\d{1,9}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "XI": r"\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}",
}
_VAT_RES = {prefix: re.compile(pattern) for prefix, pattern in VAT_PATTERNS.items()}
_VAT_STRIP_RE = re.compile(r"[\s.\-]+")
#: Human-readable shape per prefix, used in error messages.
_VAT_HINTS = {
    "AT": "ATU + 8 digits", "BE": "BE + 10 digits starting with 0 or 1",
    "BG": "BG + 9 or 10 digits", "CY": "CY + 8 digits + 1 letter",
    "CZ": "CZ + 8 to 10 digits", "DE": "DE + 9 digits", "DK": "DK + 8 digits",
    "EE": "EE + 9 digits", "EL": "EL + 9 digits",
    "ES": "ES + letter/digit + 7 digits + letter/digit", "FI": "FI + 8 digits",
    "FR": "FR + 2 characters + 9 digits", "HR": "HR + 11 digits", "HU": "HU + 8 digits",
    "IE": "IE + 7 digits + 1-2 letters", "IT": "IT + 11 digits",
    "LT": "LT + 9 or 12 digits", "LU": "LU + 8 digits", "LV": "LV + 11 digits",
    "MT": "MT + 8 digits", "NL": "NL + 9 digits + B + 2 digits", "PL": "PL + 10 digits",
    "PT": "PT + 9 digits", "RO": "RO + 2 to 10 digits", "SE": "SE + 10 digits + 01",
    "SI": "SI + 8 digits", "SK": "SK + 10 digits",
    "XI": "XI + 9 or 12 digits, or XIGD/XIHA + 3 digits",
}  # fmt: skip


def validate_eu_vat(value: str) -> str:
    """Validate the format of an EU VAT identification number; return it normalised.

    Whitespace, dots and hyphens are removed and letters upper-cased, so
    ``"de 123.456.789"`` becomes ``"DE123456789"``. The two-letter prefix must
    be an EU member state's VAT prefix (``EL`` for Greece, not ``GR``; ``XI``
    for Northern Ireland) and the rest must match that state's format. Only
    the format is checked, not check digits or whether the number exists.
    """
    if not isinstance(value, str):
        raise IdentifierError("VAT number must be a string")
    vat = _VAT_STRIP_RE.sub("", value).upper()
    if len(vat) < 4:
        raise IdentifierError("VAT number too short: expected a country prefix and a number")
    prefix, national = vat[:2], vat[2:]
    if prefix == "GR":
        raise IdentifierError("Greek VAT numbers use the prefix EL, not GR")
    if prefix not in _VAT_RES:
        raise IdentifierError(
            f"unknown VAT country prefix {prefix!r} (expected an EU prefix such as DE, AT, EL, XI)"
        )
    if _VAT_RES[prefix].fullmatch(national) is None:
        raise IdentifierError(f"invalid VAT number for {prefix}: expected {_VAT_HINTS[prefix]}")
    return vat


#: Longest accepted commercial register entry.
REGISTER_MAX_LENGTH = 100


def normalize_register(value: str) -> str:
    """Normalise a free-text register entry such as ``"HRB 12345 Dresden"``.

    Surrounding whitespace is removed and inner runs of whitespace collapse to
    one space. Raises ``IdentifierError`` when the result is empty or longer
    than ``REGISTER_MAX_LENGTH`` characters.
    """
    if not isinstance(value, str):
        raise IdentifierError("register entry must be a string")
    text = " ".join(value.split())
    if not text:
        raise IdentifierError("register entry is empty")
    if len(text) > REGISTER_MAX_LENGTH:
        raise IdentifierError(
            f"register entry too long: {len(text)} characters, at most {REGISTER_MAX_LENGTH}"
        )
    return text
