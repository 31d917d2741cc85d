"""Builders for engine inputs used by the matching tests."""

from __future__ import annotations

from qiao.matching import OrgInput, ProfileInput


def profile(pid, direction, title, text="", coop=("distribution",), topic="business",
            targets=(), language=None):
    return ProfileInput(
        id=pid, direction=direction, topic=topic, title=title, text=text, language=language,
        cooperation=tuple(coop), target_countries=tuple(targets),
    )


def org(oid, *profiles, kind="company", country="DE", sectors=(), name=None):
    return OrgInput(id=oid, name=name or oid, kind=kind, country=country, sectors=tuple(sectors),
                    profiles=tuple(profiles))


DX_OFFER = ("Vertriebspartner für PCR-Schnelltests gesucht",
            "Wir stellen PCR-Schnelltests für Atemwegsinfektionen her und suchen Händler, "
            "die Krankenhauslabore beliefern.")
DX_REQUEST = ("寻求欧洲体外诊断产品代理权",
              "我公司拥有三百余家医院客户，希望代理欧洲的分子诊断试剂和快速检测产品。")
