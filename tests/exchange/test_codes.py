import pytest

from qiao.core import codes


def test_country_list_is_complete_iso_3166_alpha2():
    assert len(codes.COUNTRIES) == 249
    assert all(len(c) == 2 and c.isupper() for c in codes.COUNTRIES)
    assert codes.COUNTRIES["DE"] == "Germany"
    assert codes.COUNTRIES["CN"] == "China"
    for code in ("AT", "GB", "GR", "HK", "MO", "TW", "AX", "SS", "BQ"):
        assert codes.is_country_code(code)
    for code in ("UK", "EL", "EU", "XK", "de", "", None):
        assert not codes.is_country_code(code)


def test_language_list_is_complete_iso_639_1():
    assert len(codes.LANGUAGES) == 183
    assert all(len(c) == 2 and c.islower() for c in codes.LANGUAGES)
    assert {"de", "zh", "en", "ja", "ko", "fr", "ru"} <= set(codes.LANGUAGES)
    assert not codes.is_language_code("iw")
    assert not codes.is_language_code("DE")


@pytest.mark.parametrize("code", ["C", "C21", "C21.2", "C21.20", "M72.11", "G46.46", "U99.00"])
def test_valid_nace(code):
    assert codes.is_nace_code(code)


@pytest.mark.parametrize(
    "code", ["", "c21.20", "C2", "C212", "C21.", "C21.200", "V21.20", "21.20", "C21,20", None]
)
def test_invalid_nace(code):
    assert not codes.is_nace_code(code)


def test_enums_follow_spec():
    assert codes.ORGANIZATION_KINDS == (
        "company",
        "research",
        "university",
        "cluster",
        "public",
        "other",
    )
    assert "culture" in codes.DOMAIN_ORGANIZATION_KINDS
    assert set(codes.ORGANIZATION_KINDS) < set(codes.DOMAIN_ORGANIZATION_KINDS)
    assert codes.DIRECTIONS == ("offer", "request")
    assert codes.TOPICS == ("business", "technology", "research", "investment", "site")
    assert len(codes.COOPERATION_TYPES) == 9
    assert "joint_venture" in codes.COOPERATION_TYPES
