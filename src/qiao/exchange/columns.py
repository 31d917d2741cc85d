"""Columns of participant lists: the target fields and guessing them from column names.

``guess_mapping`` proposes a target field for each column from its name in
German, English or Chinese (e.g. "Firma", "公司名称", "E-Mail", "国家");
``mapping_problems`` checks a mapping chosen by staff.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import lookups

__all__ = ["IGNORE", "TARGETS", "TARGET_LABELS", "guess_mapping", "mapping_problems"]

#: Mapping value of a column that is not imported.
IGNORE = ""

# Target field → (label, longest value or None, column names it is guessed from).
TARGETS: dict[str, tuple[Any, int | None, tuple[str, ...]]] = {
    "organization_name": (gettext_lazy("Organisation name"), 200, (
        "organisation", "organization", "organisation name", "organization name", "company",
        "company name", "firma", "firmenname", "unternehmen", "name der firma", "institution",
        "einrichtung", "organisation/firma", "公司", "公司名称", "单位", "单位名称", "企业",
        "企业名称", "机构", "机构名称", "组织", "组织名称",
    )),
    "name_latin": (gettext_lazy("Name in Latin script"), 200, (
        "name latin", "latin name", "english name", "name english", "englischer name",
        "name englisch", "pinyin", "英文名称", "英文名", "公司英文名称", "拼音",
    )),
    "external_id": (gettext_lazy("External id"), 64, (
        "id", "external id", "externe id", "kennung", "kundennummer", "编号",
    )),
    "kind": (gettext_lazy("Kind of organisation"), None, (
        "kind", "type", "category", "organisation type", "organization type", "art",
        "typ", "organisationsart", "organisationstyp", "类型", "单位类型", "机构类型", "单位性质",
    )),
    "country": (gettext_lazy("Country"), None, ("country", "land", "staat", "国家", "国别")),
    "region": (gettext_lazy("Region"), 100, (
        "region", "bundesland", "province", "state", "省", "省份", "地区",
    )),
    "city": (gettext_lazy("City"), 100, ("city", "town", "stadt", "ort", "城市", "市")),
    "website": (gettext_lazy("Website"), 200, (
        "website", "web", "url", "homepage", "internet", "webseite", "internetseite",
        "网站", "网址", "官网",
    )),
    "contact_name": (gettext_lazy("Contact person: name"), 150, (
        "name", "contact", "contact person", "contact name", "participant", "ansprechpartner",
        "ansprechpartnerin", "kontaktperson", "kontakt", "teilnehmer", "teilnehmerin",
        "vor und nachname", "vollständiger name", "联系人", "姓名", "参会人", "参会人员",
    )),
    "contact_email": (gettext_lazy("Contact person: e-mail"), 254, (
        "email", "e-mail", "mail", "email address", "e-mail address", "e-mail-adresse",
        "emailadresse", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址",
    )),
    "contact_phone": (gettext_lazy("Contact person: phone"), 40, (
        "phone", "telephone", "mobile", "telefon", "tel", "mobil", "handy", "telefonnummer",
        "电话", "手机", "联系电话", "手机号", "手机号码",
    )),
    "contact_role": (gettext_lazy("Contact person: position"), 120, (
        "position", "role", "job title", "funktion", "rolle", "职位", "职务",
    )),
    "languages": (gettext_lazy("Languages"), None, (
        "languages", "language", "sprachen", "sprache", "arbeitssprachen", "语言", "工作语言",
    )),
    "attendance": (gettext_lazy("Attendance"), None, (
        "attendance", "participation", "teilnahme", "teilnahmeart", "teilnahmeform",
        "参会方式", "参加方式",
    )),
    "representatives": (gettext_lazy("Representatives"), 2000, (
        "representatives", "attendees", "vertreter", "teilnehmende", "代表", "参会代表",
    )),
    "message": (gettext_lazy("Message"), 2000, (
        "message", "comment", "notes", "remarks", "nachricht", "bemerkung", "bemerkungen",
        "anmerkung", "kommentar", "备注", "留言",
    )),
}  # fmt: skip
TARGET_LABELS = {key: spec[0] for key, spec in TARGETS.items()}
#: Targets recognised inside longer column names first (they name a kind of value).
_SUBSTRING_FIRST = ("contact_email", "contact_phone", "website")


def _header_key(text: str) -> str:
    return re.sub(r"[\s\-_.:：/()（）*#]+", "", lookups.fold(text))


def guess_mapping(headers: list[str]) -> list[str]:
    """Propose a target for each column (``IGNORE`` when unsure); each target used once."""
    exact = {_header_key(name): key for key, spec in TARGETS.items() for name in spec[2]}
    result = [exact.get(_header_key(header), IGNORE) for header in headers]
    used = {key for key in result if key}
    for index, key in enumerate(result):
        if key in used and result.index(key) != index:
            result[index] = IGNORE
    order = list(_SUBSTRING_FIRST) + [k for k in TARGETS if k not in _SUBSTRING_FIRST]
    for index, header in enumerate(headers):
        if result[index]:
            continue
        folded = _header_key(header)
        for key in order:
            if key in used:
                continue
            names = [_header_key(n) for n in TARGETS[key][2]]
            if any(len(n) >= 3 and n in folded for n in names):
                result[index] = key
                used.add(key)
                break
    return result


def mapping_problems(mapping: list[str], default_country: str = "") -> list[str]:
    """Translated problems of a mapping as a whole (targets used twice, required ones missing)."""
    problems = []
    chosen = [key for key in mapping if key]
    for key in sorted(set(chosen), key=chosen.index):
        if chosen.count(key) > 1:
            problems.append(
                _("“%(field)s” is chosen for more than one column.") % {"field": TARGET_LABELS[key]}
            )
    if "organization_name" not in chosen:
        problems.append(_("Choose the column with the organisation's name."))
    if "country" not in chosen and not default_country:
        problems.append(_("Choose the column with the country, or a country for all rows."))
    return problems
