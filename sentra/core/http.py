"""What every log needs to know of a request."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from: the proxy's CLIENT_IP_HEADER when set, else the peer's.

    Of a list (X-Forwarded-For) the last entry is the one our proxy saw; earlier ones are whatever
    the client claimed.
    """
    if settings.CLIENT_IP_HEADER:
        meta_key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        forwarded = request.META.get(meta_key, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
