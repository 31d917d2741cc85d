import pytest

from qiao.core.identifiers import (
    USCC_ALPHABET,
    IdentifierError,
    normalize_register,
    uscc_check_char,
    validate_eu_vat,
    validate_uscc,
)

SPEC_USCC = "91370100MA3C5J8X1M"


def test_spec_example_uscc_is_valid():
    assert validate_uscc(SPEC_USCC) == SPEC_USCC
    assert uscc_check_char(SPEC_USCC[:17]) == "M"


def test_uscc_is_normalised():
    assert validate_uscc("  91370100ma3c5j8x1m \n") == SPEC_USCC


def test_uscc_alphabet_has_31_chars_without_ambiguous_letters():
    assert len(USCC_ALPHABET) == 31
    assert not set("IOSVZ") & set(USCC_ALPHABET)


@pytest.mark.parametrize(
    "first17",
    ["91110000600037341", "12100000400000770", "91370100MA3C5J8X1", "Y1370100000000000"],
)
def test_computed_check_char_validates(first17):
    code = first17 + uscc_check_char(first17)
    assert validate_uscc(code) == code


def test_every_wrong_check_char_is_refused_with_expected_value():
    for char in USCC_ALPHABET:
        if char == "M":
            continue
        with pytest.raises(IdentifierError, match="wrong check character .* expected 'M'"):
            validate_uscc(SPEC_USCC[:17] + char)


def test_check_char_detects_single_substitution():
    # changing any single character of the first 17 must change the check character
    for position in range(17):
        original = SPEC_USCC[position]
        for char in USCC_ALPHABET:
            if char == original:
                continue
            mutated = SPEC_USCC[:position] + char + SPEC_USCC[position + 1 : 17]
            assert uscc_check_char(mutated) != "M"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("91370100MA3C5J8X1", "18 characters, got 17"),
        ("91370100MA3C5J8X1MM", "18 characters, got 19"),
        ("", "18 characters, got 0"),
        ("91370100MA3C5J8XIM", "invalid character 'I' at position 17"),
        ("91370100MO3C5J8X1M", "invalid character 'O' at position 10"),
        ("9137010OMA3C5J8X1M", "invalid character 'O' at position 8"),
        ("91370100MA3C5J8Z1M", "invalid character 'Z' at position 16"),
        ("9137-100MA3C5J8X1M", "invalid character '-' at position 5"),
        ("B1370100MA3C5J8X1M", "registration authority code 'B' at position 1"),
        ("913701A0MA3C5J8X1M", "'A' at position 7 .*administrative division"),
    ],
)
def test_invalid_uscc(value, message):
    with pytest.raises(IdentifierError, match=message):
        validate_uscc(value)


def test_uscc_error_is_value_error():
    with pytest.raises(ValueError):
        validate_uscc(12345)


def test_uscc_check_char_needs_17_chars():
    with pytest.raises(IdentifierError, match="17"):
        uscc_check_char("123")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DE123456789", "DE123456789"),
        ("de 123.456.789", "DE123456789"),
        ("ATU12345678", "ATU12345678"),
        ("BE0123456789", "BE0123456789"),
        ("EL123456789", "EL123456789"),
        ("XI123456789", "XI123456789"),
        ("XIGD123", "XIGD123"),
        ("FR40303265045", "FR40303265045"),
        ("FRXX303265045", "FRXX303265045"),
        ("NL123456789B01", "NL123456789B01"),
        ("ESX1234567Z", "ESX1234567Z"),
        ("SE123456789701", "SE123456789701"),
        ("IE1234567WA", "IE1234567WA"),
        ("CY12345678L", "CY12345678L"),
        ("PL 123-456-78-90", "PL1234567890"),
        ("CZ12345678", "CZ12345678"),
        ("LT123456789012", "LT123456789012"),
    ],
)
def test_valid_vat(value, expected):
    assert validate_eu_vat(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("DE12345678", "DE \\+ 9 digits"),
        ("DE1234567890", "DE \\+ 9 digits"),
        ("AT12345678", "ATU \\+ 8 digits"),
        ("GR123456789", "prefix EL, not GR"),
        ("US123456789", "unknown VAT country prefix 'US'"),
        ("CN123456789", "unknown VAT country prefix"),
        ("NL123456789A01", "NL \\+ 9 digits \\+ B"),
        ("SE123456789702", "SE \\+ 10 digits \\+ 01"),
        ("DE", "too short"),
        ("BE2123456789", "starting with 0 or 1"),
    ],
)
def test_invalid_vat(value, message):
    with pytest.raises(IdentifierError, match=message):
        validate_eu_vat(value)


def test_register_normalised():
    assert normalize_register("  HRB   12345\tDresden ") == "HRB 12345 Dresden"


def test_register_limits():
    assert normalize_register("x" * 100) == "x" * 100
    with pytest.raises(IdentifierError, match="too long: 101"):
        normalize_register("x" * 101)
    with pytest.raises(IdentifierError, match="empty"):
        normalize_register("   ")
