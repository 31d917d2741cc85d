"""State changes of organisations and their representatives."""

from __future__ import annotations

from django.db import transaction

from qiao.organizations.models import Membership, Organization

#: Fields that may be given when an organisation is created at sign-up.
CREATE_FIELDS = ("name", "name_latin", "kind", "country", "region", "city", "website", "languages")


@transaction.atomic
def create_organization_for(user, **fields) -> Organization:
    """Create an organisation and make ``user`` its administrator (``Membership.Role.ADMIN``).

    Only the fields in :data:`CREATE_FIELDS` are accepted; the data is validated
    with the model's rules before it is saved.
    """
    unknown = set(fields) - set(CREATE_FIELDS)
    if unknown:
        raise ValueError(f"Fields not allowed here: {sorted(unknown)}")
    organization = Organization(**fields)
    organization.full_clean(exclude=[] if organization.languages else ["languages"])
    organization.save()
    Membership.objects.create(organization=organization, user=user, role=Membership.Role.ADMIN)
    return organization


#: Fields a representative may change on the organisation's page.
UPDATE_FIELDS = (
    "name", "name_latin", "kind", "country", "region", "city", "address", "website",
    "employees", "founded", "languages", "sectors", "description", "description_language",
    "logo", "uscc", "vat", "register", "email", "phone",
)


def update_organization(organization, by, **fields) -> Organization:
    """Change an organisation's data as its representative ``by`` (or an administrator).

    ``logo`` may be a newly uploaded image, ``False`` to remove the logo, or
    ``None`` (or the stored file) to keep it.  Sectors must be NACE Rev.2
    codes; the language of the description is detected when it is not given.
    Validated with the model's rules.
    """
    import logging

    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext_lazy as _

    from qiao.core.codes import is_nace_code
    from qiao.core.langdetect import detect_language

    unknown = set(fields) - set(UPDATE_FIELDS)
    if unknown:
        raise ValueError(f"Fields not allowed here: {sorted(unknown)}")
    if "sectors" in fields:
        sectors = list(dict.fromkeys(str(s).strip().upper() for s in fields["sectors"] or []))
        bad = [s for s in sectors if not is_nace_code(s)]
        if bad:
            raise ValidationError(
                {"sectors": _("Not a NACE Rev.2 code: %(codes)s") % {"codes": ", ".join(bad)}}
            )
        fields["sectors"] = sectors
    if "uscc" in fields:
        fields["uscc"] = (fields["uscc"] or "").strip().upper()
    if "vat" in fields:
        fields["vat"] = (fields["vat"] or "").replace(" ", "").upper()
    logo = fields.pop("logo", None)
    logo_given = hasattr(logo, "read") and not getattr(logo, "_committed", False)
    remove_logo = logo is False
    with transaction.atomic():
        current = Organization.objects.select_for_update().get(pk=organization.pk)
        old_logo = current.logo.name if current.logo else ""
        for key, value in fields.items():
            setattr(current, key, value)
        if current.description and not current.description_language:
            current.description_language = detect_language(current.description) or (
                current.languages[0] if current.languages else ""
            )
        if not current.description:
            current.description_language = ""
        if logo_given:
            current.logo = logo
        elif remove_logo:
            current.logo = ""
        current.full_clean(exclude=[] if logo_given else ["logo"])
        current.save()
        new_logo = current.logo.name if current.logo else ""
        if old_logo and old_logo != new_logo:
            storage = current.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    for field in Organization._meta.concrete_fields:
        setattr(organization, field.attname, getattr(current, field.attname))
    logging.getLogger("qiao.organizations").info(
        "organisation %s updated by user %s", organization.pk, getattr(by, "pk", None)
    )
    return organization
