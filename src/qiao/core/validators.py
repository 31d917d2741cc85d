"""Django validators wrapping the plain identifier checks and protecting uploads."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qiao.core import identifiers
from qiao.core.choices import is_country, is_language


def validate_uscc(value: str) -> None:
    """Check a Chinese Unified Social Credit Code, including its check character."""
    try:
        identifiers.validate_uscc(value)
    except identifiers.IdentifierError as exc:
        raise ValidationError(str(exc), code="uscc") from exc


def validate_vat(value: str) -> None:
    """Check the format of an EU VAT identification number."""
    try:
        identifiers.validate_eu_vat(value)
    except identifiers.IdentifierError as exc:
        raise ValidationError(str(exc), code="vat") from exc


def validate_country_code(value: str) -> None:
    """Require an ISO 3166-1 alpha-2 code."""
    if not is_country(value):
        raise ValidationError(_("Unknown country code: %(code)s"), params={"code": value})


def validate_language_list(value) -> None:
    """Require a list of ISO 639-1 codes."""
    if not isinstance(value, list) or not all(isinstance(v, str) and is_language(v) for v in value):
        raise ValidationError(_("Expected a list of ISO 639-1 language codes."))


def validate_country_list(value) -> None:
    """Require a list of ISO 3166-1 alpha-2 codes."""
    if not isinstance(value, list) or not all(isinstance(v, str) and is_country(v) for v in value):
        raise ValidationError(_("Expected a list of ISO 3166-1 country codes."))


def validate_logo(image) -> None:
    """Limit logo uploads by size in bytes and pixels (the image itself is checked by Pillow)."""
    if image.size > settings.QIAO_MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo may be at most %(kb)d KB."),
            params={"kb": settings.QIAO_MAX_LOGO_BYTES // 1024},
        )
    width = getattr(image, "width", None)
    height = getattr(image, "height", None)
    limit = settings.QIAO_MAX_LOGO_PIXELS
    if width and height and (width > limit or height > limit):
        raise ValidationError(
            _("The logo may be at most %(px)d pixels wide and high."), params={"px": limit}
        )
