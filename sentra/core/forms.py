"""Form fields for Indonesian identifiers, phones and money."""

from django import forms
from django.core.exceptions import ValidationError

from sentra.core import validators


class RupiahField(forms.CharField):
    """Accepts `1.500.000`, `Rp 1.500.000`, `2 juta`; cleans to whole Rupiah."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "Rp 0"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return validators.parse_rupiah(value)


class NikField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validators.validate_nik(value) if value else None


class NibField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validators.validate_nib(value) if value else ""


class PhoneField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812-3456-7890"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validators.normalize_phone(value) if value else ""


def add_error_once(form: forms.Form, field: str, error: ValidationError) -> None:
    if field not in form.errors:
        form.add_error(field, error)
