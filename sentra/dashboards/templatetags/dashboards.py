"""Template filters for the dashboards' figures."""

from django import template

register = template.Library()


@register.filter
def persen(share: float | None) -> str:
    """A share (0..1) as `12,5%`, Indonesian decimal comma whatever the active language; "" for none."""
    if share is None:
        return ""
    return f"{share * 100:.1f}".replace(".", ",") + "%"
