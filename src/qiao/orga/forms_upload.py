"""Forms of the participant list upload: the file, then the column mapping."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import OrganizationKind, country_choices
from qiao.exchange.columns import IGNORE, TARGET_LABELS, mapping_problems
from qiao.exchange.participants import Options
from qiao.exchange.tabular import MAX_ROWS, Table, TableError, read_table

ACCEPTED_EXTENSIONS = (".csv", ".txt", ".xlsx")


class ParticipantFileForm(forms.Form):
    """Upload of a CSV or XLSX participant list; the file is read to check it."""

    file = forms.FileField(
        label=_("Participant list"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (comma or semicolon; UTF-8, GB18030 or Windows-1252) or Excel (.xlsx, first "
            "sheet). The first row holds the column names. At most %(rows)s rows."
        ) % {"rows": number_format(MAX_ROWS, force_grouping=True)}

    def clean_file(self):
        """Check name and size, then read the table (kept as ``table`` and ``data_bytes``)."""
        upload = self.cleaned_data["file"]
        limit = settings.QIAO_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); at most %(max)s are allowed."),
                params={"size": filesizeformat(upload.size), "max": filesizeformat(limit)},
                code="too_large",
            )
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(
                _("Please upload a CSV or an Excel (.xlsx) file."), code="file_type"
            )
        self.data_bytes = upload.read(limit + 1)
        try:
            self.table = read_table(self.data_bytes, upload.name)
        except TableError as exc:
            raise forms.ValidationError(str(exc), code="unreadable") from exc
        return upload


class ColumnMappingForm(forms.Form):
    """One choice per column (which field it holds) plus the import options."""

    default_country = forms.ChoiceField(
        label=_("Country for rows without one"), required=False,
        help_text=_("Used when the list has no country column or a row leaves it empty."),
    )  # fmt: skip
    default_kind = forms.ChoiceField(
        label=_("Kind for new organisations without one"),
        choices=OrganizationKind.choices,
        initial=OrganizationKind.OTHER,
    )
    approve = forms.BooleanField(
        label=_("Approve the registrations at once"), required=False,
        help_text=_("Otherwise they wait for approval like registrations made on the portal."),
    )  # fmt: skip

    def __init__(self, *args, table: Table, guessed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.fields["default_country"].choices = [("", _("— none —"))] + country_choices()
        choices = [(IGNORE, _("— do not import —"))] + [
            (key, label) for key, label in TARGET_LABELS.items()
        ]
        for index, header in enumerate(table.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("Column %(number)d") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=guessed[index] if index < len(guessed) else IGNORE,
            )

    def column_fields(self):
        """The bound fields of the columns, in file order, with a sample value each."""
        samples = self.table.rows[0] if self.table.rows else []
        for index in range(len(self.table.headers)):
            sample = samples[index] if index < len(samples) else ""
            yield self[f"column_{index}"], sample

    def clean(self):
        """Refuse a mapping that uses a field twice or lacks the required ones."""
        cleaned = super().clean()
        problems = mapping_problems(self.mapping(cleaned), cleaned.get("default_country", ""))
        for problem in problems:
            self.add_error(None, problem)
        return cleaned

    def mapping(self, cleaned=None) -> list[str]:
        """The chosen target per column (``IGNORE`` for skipped columns)."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return [cleaned.get(f"column_{i}") or IGNORE for i in range(len(self.table.headers))]

    def options(self) -> Options:
        """The import options chosen."""
        return Options(
            default_country=self.cleaned_data.get("default_country") or "",
            default_kind=self.cleaned_data.get("default_kind") or OrganizationKind.OTHER,
            approve=bool(self.cleaned_data.get("approve")),
        )
