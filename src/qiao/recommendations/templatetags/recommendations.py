"""Template filters for recommendations: reason sentences and strength labels."""

from __future__ import annotations

from django import template

from qiao.recommendations.presentation import neutral_sentence, reason_sentence
from qiao.recommendations.presentation import strength as strength_code
from qiao.recommendations.presentation import strength_label as label_for

register = template.Library()


@register.filter
def reason_text(reason) -> str:
    """The reason as a sentence in the active language (seen from ``mine``'s organisation)."""
    return reason_sentence(reason)


@register.filter
def reason_text_other_side(reason) -> str:
    """The reason as a sentence for the other organisation (``theirs``)."""
    return reason_sentence(reason, flipped=True)


@register.filter
def reason_text_neutral(reason) -> str:
    """The reason as a sentence for the office, addressing neither side."""
    return neutral_sentence(reason)


@register.filter
def strength_label(score) -> str:
    """A score as a translated strength label (“Strong match” …)."""
    return label_for(float(score or 0))


@register.filter
def strength(score) -> str:
    """A score as a strength code for CSS classes."""
    return strength_code(float(score or 0))


#: Partners shown per organisation in the dashboard teaser.
TEASER_PARTNERS = 3


@register.inclusion_tag("portal/recommendations/_teaser.html", takes_context=True)
def recommendations_teaser(context, limit: int = TEASER_PARTNERS) -> dict:
    """The best few partners of each organisation the signed-in user represents.

    For the participant dashboard: ``{% load recommendations %}{% recommendations_teaser %}``.
    Reads stored vectors only, like the recommendations page.
    """
    from qiao.core.access import organizations_for
    from qiao.recommendations.services import recommendations_for

    user = context["request"].user
    entries = [
        (organization, recommendations_for(organization, limit=limit))
        for organization in organizations_for(user).order_by("name", "pk")
    ]
    return {"entries": entries}
