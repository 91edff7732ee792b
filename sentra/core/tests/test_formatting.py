"""House formats for money, NIK, phones and dates, in Python and in templates."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from sentra.core.formatting import format_phone, format_rupiah, mask_nik, whatsapp_url
from sentra.core.templatetags import sentra as sentra_tags


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (1_500_000, "Rp 1.500.000"),
        (0, "Rp 0"),
        (999, "Rp 999"),
        (1_000, "Rp 1.000"),
        (10_000_000_000, "Rp 10.000.000.000"),
        (-250_000, "Rp -250.000"),
        (None, ""),
    ],
)
def test_format_rupiah(amount, shown):
    assert format_rupiah(amount) == shown


@pytest.mark.parametrize(
    ("nik", "shown"),
    [
        ("3316011205850003", "331601**********"),
        ("1809015205850123", "180901**********"),
        (None, ""),
        ("", ""),
    ],
)
def test_mask_nik_hides_the_birth_date(nik, shown):
    assert mask_nik(nik) == shown


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+6281234567890", "+62 812-3456-7890"),
        ("+62812345678", "+62 812-3456-78"),
        ("+62296531234", "+62 296531234"),
        (None, ""),
        ("", ""),
    ],
)
def test_format_phone(e164, shown):
    assert format_phone(e164) == shown


@pytest.mark.parametrize(
    ("e164", "url"),
    [("+6281234567890", "https://wa.me/6281234567890"), (None, ""), ("", "")],
)
def test_whatsapp_url(e164, url):
    assert whatsapp_url(e164) == url


# --- template filters --------------------------------------------------------


def render(source: str, **context) -> str:
    return Template("{% load sentra %}" + source).render(Context(context))


def test_default_language_is_indonesian():
    assert translation.get_language() == "id"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2026, 11, 24), "24 Nov 2026"),
        (dt.date(2026, 1, 5), "5 Jan 2026"),
        (dt.date(2025, 5, 1), "1 Mei 2025"),
        (dt.date(2026, 8, 17), "17 Agu 2026"),
        (dt.date(2026, 10, 2), "2 Okt 2026"),
        (dt.date(2026, 12, 31), "31 Des 2026"),
        (None, ""),
        ("", ""),
    ],
)
def test_tanggal_filter_uses_indonesian_month_abbreviations(value, shown):
    assert render("{{ value|tanggal }}", value=value) == shown
    assert sentra_tags.tanggal(value) == shown


def test_tanggal_filter_shows_a_datetime_as_its_date():
    assert render("{{ value|tanggal }}", value=dt.datetime(2026, 8, 17, 10, 30)) == "17 Agu 2026"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(1_500_000, "Rp 1.500.000"), (None, "")],
)
def test_rupiah_filter(amount, shown):
    assert render("{{ amount|rupiah }}", amount=amount) == shown


def test_masked_nik_filter():
    assert render("{{ nik|masked_nik }}", nik="3316011205850003") == "331601**********"


def test_whatsapp_filter_renders_a_link_with_the_formatted_number():
    html = render("{{ phone|whatsapp }}", phone="+6281234567890")
    assert html == (
        '<a href="https://wa.me/6281234567890" rel="noopener" target="_blank" class="wa">+62 812-3456-7890</a>'
    )


def test_whatsapp_filter_is_empty_without_a_number():
    assert render("{{ phone|whatsapp }}", phone="") == ""


@pytest.mark.parametrize(
    ("query", "changes", "expected"),
    [
        ("", {"sort": "name"}, "?sort=name"),
        ("status=active&after=abc", {"after": None}, "?status=active"),
        ("status=active&after=abc", {"after": ""}, "?status=active"),
        ("status=active", {"status": "closed"}, "?status=closed"),
        ("after=abc", {"after": None}, "?"),
    ],
)
def test_query_with_replaces_and_removes_parameters(rf, query, changes, expected):
    request = rf.get(f"/umkm/?{query}")
    assert sentra_tags.query_with({"request": request}, **changes) == expected


def test_a_moment_is_dated_in_the_offices_time_zone():
    import datetime as dt

    from django.template import Context, Template

    late_evening_utc = dt.datetime(2026, 12, 1, 21, 30, tzinfo=dt.UTC)  # 04:30 on 2 Dec in Jakarta
    rendered = Template("{% load sentra %}{{ moment|tanggal }}").render(Context({"moment": late_evening_utc}))
    assert rendered == "2 Des 2026"


@pytest.mark.parametrize(
    ("year", "month", "shown"),
    [(2016, 5, "Mei 2016"), (2016, None, "2016"), (2026, 12, "Desember 2026"), (None, 5, ""), (None, None, "")],
)
def test_bulan_tahun_filter_writes_a_start_as_people_do(year, month, shown):
    assert render("{{ year|bulan_tahun:month }}", year=year, month=month) == shown
