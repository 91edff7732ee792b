"""Template filters for Sentra's house formats."""

import datetime as dt
import logging

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.templatetags.static import static
from django.utils.html import format_html

from sentra.core import formatting

register = template.Library()
logger = logging.getLogger(__name__)


@register.filter
def rupiah(amount: int | None) -> str:
    return formatting.format_rupiah(amount)


@register.filter(expects_localtime=True)  # a moment is dated in the office's time zone (Asia/Jakarta), not UTC
def tanggal(value) -> str:
    """`24 Nov 2026`."""
    return date_filter(value, "j M Y") if value else ""


@register.filter
def bulan_tahun(year: int | None, month: int | None = None) -> str:
    """A month and year as people write them: `Mei 2016`; the year alone without a month; "" without a year."""
    if not year:
        return ""
    if not month:
        return str(year)
    return date_filter(dt.date(year, month, 1), "F Y")


@register.filter
def masked_nik(nik: str | None) -> str:
    return formatting.mask_nik(nik)


@register.filter
def whatsapp(e164: str | None) -> str:
    """The phone as a WhatsApp link."""
    if not e164:
        return ""
    return format_html(
        '<a href="{}" rel="noopener" target="_blank" class="wa">{}</a>',
        formatting.whatsapp_url(e164),
        formatting.format_phone(e164),
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced or removed (None)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def angka(number: int | None) -> str:
    """`1.234.567`: Indonesian digit grouping, whatever the active language."""
    return "" if number is None else f"{int(number):,}".replace(",", ".")


@register.filter
def get_item(mapping: dict, key: str):
    """`{{ labels|get_item:name }}`: a dict value by a key held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def photo_url(sized) -> str:
    """The URL of a photo's smaller copy (an imagekit spec file), made now if need be; "" when the photo's own
    file is missing or unreadable, so that a page shows no picture rather than failing."""
    try:
        return sized.url
    except Exception as error:  # noqa: BLE001 - a missing or broken source file of any kind
        logger.warning("A photo's smaller copy could not be made: %s", error)
        return ""


@register.simple_tag
def map_tiles() -> str:
    """The data attributes a map's element gives static/sentra/map.js: the tiles (MAP_TILE_URL and its
    credit) and Leaflet's marker images, named by their static URLs (hashed after collectstatic)."""
    return format_html(
        'data-tile-url="{}" data-tile-attribution="{}" data-tile-max-zoom="{}" data-marker-icon="{}"'
        ' data-marker-icon-2x="{}" data-marker-shadow="{}"',
        settings.MAP_TILE_URL,
        settings.MAP_ATTRIBUTION,
        settings.MAP_TILE_MAX_ZOOM,
        static("vendor/leaflet/images/marker-icon.png"),
        static("vendor/leaflet/images/marker-icon-2x.png"),
        static("vendor/leaflet/images/marker-shadow.png"),
    )
