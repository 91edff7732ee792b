"""Template filters for the dashboards' figures."""

from django import template

from sentra.core.formatting import format_percent

register = template.Library()


@register.filter
def persen(share: float | None) -> str:
    """A share (0..1) as `12,5%` (`core.formatting.format_percent`)."""
    return format_percent(share)
