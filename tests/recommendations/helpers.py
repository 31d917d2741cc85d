"""Organisations with profiles in German, Chinese and English for the recommendation tests."""

from __future__ import annotations

from factories import MembershipFactory, OrganizationFactory, PublishedProfileFactory

DX_OFFER = ("Vertriebspartner für PCR-Schnelltests gesucht",
            "Wir stellen PCR-Schnelltests für Atemwegsinfektionen her und suchen Händler, "
            "die Krankenhauslabore in China beliefern.")
DX_REQUEST = ("寻求欧洲体外诊断产品代理权",
              "我公司拥有三百余家医院客户，希望代理欧洲的分子诊断试剂和快速检测产品。")
MUSIC_OFFER = ("Orchester sucht Gastspiele", "Unser Kammerorchester plant eine Tournee.")
CNC_REQUEST = ("寻求数控机床技术合作", "我们希望引进德国数控机床技术。")


def dresden_dx(**kwargs):
    """A Dresden diagnostics maker offering PCR tests for distribution (German profile)."""
    org = OrganizationFactory(name="Elbtal Diagnostik GmbH", country="DE", city="Dresden",
                              **kwargs)
    PublishedProfileFactory(organization=org, direction="offer", title=DX_OFFER[0],
                            text=DX_OFFER[1], language="de", cooperation=["distribution"])
    return org


def jinan_distributor(**kwargs):
    """A Jinan distributor requesting European IVD products (Chinese profile)."""
    org = OrganizationFactory(name="济南华康医疗器械有限公司", name_latin="Jinan Huakang",
                              country="CN", city="Jinan", languages=["zh"],
                              email="contact@huakang.example", **kwargs)
    PublishedProfileFactory(organization=org, direction="request", title=DX_REQUEST[0],
                            text=DX_REQUEST[1], language="zh", cooperation=["distribution"])
    return org


def unrelated_orgs():
    """Two organisations whose profiles do not fit diagnostics distribution."""
    music = OrganizationFactory(name="Kammerorchester Dresden", country="DE")
    PublishedProfileFactory(organization=music, direction="offer", title=MUSIC_OFFER[0],
                            text=MUSIC_OFFER[1], language="de", topic="business",
                            cooperation=["services"])
    cnc = OrganizationFactory(name="济南机床厂", country="CN", languages=["zh"])
    PublishedProfileFactory(organization=cnc, direction="request", title=CNC_REQUEST[0],
                            text=CNC_REQUEST[1], language="zh", topic="technology",
                            cooperation=["licensing"])
    return music, cnc


def member_of(org, language="en"):
    """A representative of ``org`` with the given UI language."""
    return MembershipFactory(organization=org, user__preferred_language=language).user
