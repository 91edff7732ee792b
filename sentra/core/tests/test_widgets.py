"""QuickSelect renders what Django's own Select renders."""

import pytest
from django import forms
from django.test.html import parse_html

from sentra.core.widgets import QuickSelect

CHOICES = [
    ("", "Semua"),
    *((str(number), f'Desa <{number}> & "Jaya"') for number in range(5)),
    ("Kelompok", [("a", "Satu"), ("b", "Dua")]),
]


@pytest.mark.parametrize("value", ["", "3", "a", None, ["2"]])
@pytest.mark.parametrize("attrs", [{}, {"id": "id_desa", "hx-get": "/umkm/", "required": True, "disabled": False}])
def test_the_markup_is_djangos(value, attrs):
    expected = forms.Select(choices=CHOICES, attrs=attrs).render("desa", value)
    rendered = QuickSelect(choices=CHOICES, attrs=attrs).render("desa", value)
    assert parse_html(rendered) == parse_html(expected)  # as assertHTMLEqual: attribute order aside
    assert "&lt;3&gt; &amp; &quot;Jaya&quot;" in rendered  # labels escaped
    if value in ("3", "a"):
        assert f'<option value="{value}" selected>' in rendered
