"""Model and form fields shared by the domain apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from qiao.core.i18n import UI_LANGUAGES, translated


class TranslatedTextField(models.JSONField):
    """A text with one version per UI language, stored as ``{"de": …, "en": …, "zh-hans": …}``."""

    def __init__(self, *args, multiline: bool = False, max_length: int | None = None, **kwargs):
        self.multiline = multiline
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        """Keep the extra options in migrations."""
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        if self.text_max_length:
            kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        """Require a dict of UI language → string with at least one version when not blank."""
        super().validate(value, model_instance)
        if not isinstance(value, dict):
            raise ValidationError(_("Expected one text per language."))
        unknown = set(value) - set(UI_LANGUAGES)
        if unknown:
            raise ValidationError(
                _("Unknown language: %(codes)s"), params={"codes": ", ".join(sorted(unknown))}
            )
        if not self.blank and not any((v or "").strip() for v in value.values()):
            raise ValidationError(_("Enter the text in at least one language."))
        if self.text_max_length:
            for text in value.values():
                if text and len(text) > self.text_max_length:
                    raise ValidationError(
                        _("At most %(n)d characters per language."),
                        params={"n": self.text_max_length},
                    )

    def formfield(self, **kwargs):
        """Edit the text as one input per UI language (labels and help texts as usual)."""
        from django.utils.text import capfirst

        return TranslatedTextFormField(
            required=kwargs.get("required", not self.blank),
            multiline=self.multiline,
            max_length=self.text_max_length,
            label=kwargs.get("label", capfirst(self.verbose_name)),
            help_text=kwargs.get("help_text", self.help_text),
        )


class TranslatedTextWidget(forms.MultiWidget):
    """One text input (or textarea) per UI language, each labelled with its language."""

    template_name = "core/widgets/translated_text.html"

    def __init__(self, multiline: bool = False, attrs=None):
        inner = forms.Textarea(attrs={"rows": 4}) if multiline else forms.TextInput()
        widgets = {code: inner.__class__(attrs=dict(inner.attrs)) for code in UI_LANGUAGES}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        """Split the stored dict into the per-language inputs."""
        value = value or {}
        return [value.get(code, "") for code in UI_LANGUAGES]

    def get_context(self, name, value, attrs):
        """Add the language names to each sub-widget."""
        from django.conf import settings

        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(UI_LANGUAGES, context["widget"]["subwidgets"], strict=True):
            sub["language_code"] = code
            sub["language_name"] = names[code]
            sub["attrs"]["lang"] = code
        return context


class TranslatedTextFormField(forms.MultiValueField):
    """Form field for :class:`TranslatedTextField`."""

    def __init__(self, *, multiline=False, max_length=None, required=True, **kwargs):
        fields = [forms.CharField(required=False, max_length=max_length) for _c in UI_LANGUAGES]
        super().__init__(
            fields,
            widget=TranslatedTextWidget(multiline=multiline),
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list):
        """Join the per-language inputs into the stored dict, dropping empty ones."""
        data_list = data_list or [""] * len(UI_LANGUAGES)
        return {
            code: text.strip()
            for code, text in zip(UI_LANGUAGES, data_list, strict=True)
            if text and text.strip()
        }

    def validate(self, value):
        """Require at least one version when the field is required."""
        if self.required and not value:
            raise ValidationError(_("Enter the text in at least one language."), code="required")


def tr(value, language=None) -> str:
    """Shortcut for :func:`qiao.core.i18n.translated`."""
    return translated(value, language)
