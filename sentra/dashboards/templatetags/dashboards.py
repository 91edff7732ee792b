"""Template filters for the dashboards' figures."""

from django import template

register = template.Library()


@register.filter
def persen(share: float | None) -> str:
    """A share (0..1) as `12,5%`, Indonesian decimal comma whatever the active language; "" for none."""
    if share is None:
        return ""
    if 0 < share < 0.0005:
        return "<0,1%"  # a few of many: not "0,0%", which reads as none
    if 0.9995 <= share < 1:
        return ">99,9%"  # all but a few: not "100,0%"
    return f"{share * 100:.1f}".replace(".", ",") + "%"
