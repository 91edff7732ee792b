"""The map tiles' settings, checked by the settings module itself (so nothing here reads the settings)."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Leaflet's subdomain placeholder; the policy allows every subdomain of the host instead.
SUBDOMAIN = "{s}"


def tile_origin(url: str) -> str | None:
    """The origin the Content-Security-Policy must allow images from for tiles at `url`.

    `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`; None for tiles
    served by Sentra itself (a path such as `/tiles/{z}/{x}/{y}.png`), which `'self'` covers.
    """
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        if not url.startswith("/"):
            raise ImproperlyConfigured(f"MAP_TILE_URL must be an https:// address or a path from /: {url!r}")
        return None
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ImproperlyConfigured(f"MAP_TILE_URL must be an https:// address or a path from /: {url!r}")
    host = parts.netloc.replace(SUBDOMAIN, "*")
    if "{" in host or "}" in host:
        raise ImproperlyConfigured(f"MAP_TILE_URL's host may hold only the {SUBDOMAIN} placeholder: {url!r}")
    if "*" in host and not host.startswith("*."):
        raise ImproperlyConfigured(f"MAP_TILE_URL's {SUBDOMAIN} must start the host: {url!r}")
    return f"{parts.scheme}://{host}"
