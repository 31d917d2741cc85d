"""Human-readable reasons in the viewer's UI language (de, en, zh-hans).

Plain dict templates so the web app and the CLI table show the same sentences
without gettext catalogues. Unknown languages fall back to English.
"""

from __future__ import annotations

from .types import Reason

_TEMPLATES = {
    "en": {
        "offer-request": "Your offer “{mine}” meets their request “{theirs}”",
        "request-offer": "Your request “{mine}” meets their offer “{theirs}”",
        "coop": " — shared: {coop}",
        "fit": " ({strength} fit, {score:.2f})",
        "sep": ", ",
    },
    "de": {
        "offer-request": "Ihr Angebot „{mine}“ trifft deren Gesuch „{theirs}“",
        "request-offer": "Ihr Gesuch „{mine}“ trifft deren Angebot „{theirs}“",
        "coop": " – gemeinsam: {coop}",
        "fit": " ({strength} Passung, {score:.2f})",
        "sep": ", ",
    },
    "zh-hans": {
        "offer-request": "您的供给“{mine}”符合对方的需求“{theirs}”",
        "request-offer": "您的需求“{mine}”符合对方的供给“{theirs}”",
        "coop": "——共同合作方式：{coop}",
        "fit": "（匹配度{strength}，{score:.2f}）",
        "sep": "、",
    },
}

_STRENGTH = {
    "en": ("strong", "good", "possible"),
    "de": ("starke", "gute", "mögliche"),
    "zh-hans": ("高", "中", "一般"),
}

COOPERATION_LABELS = {
    "en": {
        "distribution": "distribution",
        "manufacturing": "manufacturing",
        "licensing": "licensing",
        "joint_venture": "joint venture",
        "research": "research",
        "investment": "investment",
        "services": "services",
        "supply": "supply",
        "site_location": "site location",
    },
    "de": {
        "distribution": "Vertrieb",
        "manufacturing": "Fertigung",
        "licensing": "Lizenzierung",
        "joint_venture": "Joint Venture",
        "research": "Forschung",
        "investment": "Investition",
        "services": "Dienstleistungen",
        "supply": "Lieferung",
        "site_location": "Standortansiedlung",
    },
    "zh-hans": {
        "distribution": "经销代理",
        "manufacturing": "生产制造",
        "licensing": "技术许可",
        "joint_venture": "合资",
        "research": "研究合作",
        "investment": "投资",
        "services": "服务",
        "supply": "供货",
        "site_location": "选址落户",
    },
}

STRONG, GOOD = 0.45, 0.3


def _lang(lang: str | None) -> str:
    lang = (lang or "en").lower()
    if lang.startswith("zh"):
        return "zh-hans"
    return lang if lang in _TEMPLATES else "en"


def strength_label(score: float, lang: str = "en") -> str:
    """Word for the strength of a pair score in ``lang``."""
    strong, good, possible = _STRENGTH[_lang(lang)]
    return strong if score >= STRONG else good if score >= GOOD else possible


def describe_reason(reason: Reason, lang: str = "en") -> str:
    """One sentence explaining ``reason`` in ``lang`` (``"de"``, ``"en"``, ``"zh-hans"``).

    Profile titles are used when the reason carries them, otherwise the ids.
    """
    key = _lang(lang)
    t = _TEMPLATES[key]
    text = t.get(reason.relation, t["offer-request"]).format(
        mine=reason.mine_title or reason.mine, theirs=reason.theirs_title or reason.theirs
    )
    if reason.cooperation:
        labels = COOPERATION_LABELS[key]
        text += t["coop"].format(coop=t["sep"].join(labels.get(c, c) for c in reason.cooperation))
    text += t["fit"].format(strength=strength_label(reason.score, key), score=reason.score)
    return text
