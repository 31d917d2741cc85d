"""How recommendations read: strength labels and reason sentences in the viewer's language."""

from __future__ import annotations

import re
from dataclasses import replace

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import CooperationType
from qiao.core.i18n import normalize_ui_language
from qiao.matching import Reason, describe_reason
from qiao.matching.reasons import GOOD, STRONG

STRENGTH_LABELS = {
    "strong": _("Strong match"),
    "good": _("Good match"),
    "possible": _("Possible match"),
}

FLIPPED = {"offer-request": "request-offer", "request-offer": "offer-request"}

# describe_reason ends with "(strong fit, 0.52)"; pages show the strength as a word instead.
_FIT_SUFFIX = re.compile(r"\s*[(（][^()（）]*\d[.,]\d+\s*[)）]\s*$")


def strength(score: float) -> str:
    """``"strong"``, ``"good"`` or ``"possible"`` for an engine score."""
    return "strong" if score >= STRONG else "good" if score >= GOOD else "possible"


def strength_label(score: float) -> str:
    """The strength of ``score`` as a translated label."""
    return str(STRENGTH_LABELS[strength(score)])


def reason_from_dict(data: dict) -> Reason:
    """A :class:`Reason` from its stored form (``Reason.as_dict`` plus titles)."""
    return Reason(
        mine=str(data.get("mine", "")),
        theirs=str(data.get("theirs", "")),
        relation=str(data.get("relation", "offer-request")),
        score=float(data.get("score", 0.0)),
        cooperation=tuple(data.get("cooperation", ())),
        mine_title=str(data.get("mine_title", "")),
        theirs_title=str(data.get("theirs_title", "")),
    )


def reason_to_dict(reason: Reason) -> dict:
    """The stored form of a reason: ``Reason.as_dict`` plus both profile titles."""
    return {**reason.as_dict(), "mine_title": reason.mine_title,
            "theirs_title": reason.theirs_title}


def flip(reason: Reason) -> Reason:
    """The same reason seen from the other organisation."""
    return replace(
        reason, mine=reason.theirs, theirs=reason.mine, mine_title=reason.theirs_title,
        theirs_title=reason.mine_title, relation=FLIPPED.get(reason.relation, reason.relation),
    )


def reason_sentence(reason: Reason | dict, language: str | None = None,
                    flipped: bool = False) -> str:
    """One sentence for ``reason`` in ``language`` (default: the active UI language)."""
    if isinstance(reason, dict):
        reason = reason_from_dict(reason)
    if flipped:
        reason = flip(reason)
    lang = normalize_ui_language(language or translation.get_language())
    return _FIT_SUFFIX.sub("", describe_reason(reason, lang))


def neutral_sentence(reason: Reason | dict) -> str:
    """The reason for a third party (the office), in the active language.

    Unlike :func:`reason_sentence` it does not address either side: “The offer
    “X” meets the request “Y” — shared: distribution”.
    """
    if isinstance(reason, dict):
        reason = reason_from_dict(reason)
    names = {"first": reason.mine_title or reason.mine,
             "second": reason.theirs_title or reason.theirs}
    if reason.relation == "request-offer":
        text = gettext("The request “%(first)s” meets the offer “%(second)s”") % names
    else:
        text = gettext("The offer “%(first)s” meets the request “%(second)s”") % names
    if reason.cooperation:
        labels = dict(CooperationType.choices)
        kinds = ", ".join(str(labels.get(c, c)) for c in reason.cooperation)
        text = gettext("%(sentence)s — shared: %(kinds)s") % {"sentence": text, "kinds": kinds}
    return text
