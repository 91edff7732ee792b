"""Error pages: in Indonesian (English when chosen), in the site's layout, saying why when our code did.

Django's own pages are English and drop the reason a view gave, e.g. a PermissionDenied's
"Wilayah ini di luar wilayah kantor Anda.". sentra/urls.py points Django's handlers here.
"""

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

# Django's own Http404 texts ("No Business matches the given query.") are for developers.
DEVELOPER_MESSAGE = re.compile(r"^No .+ matches the given query\.$")


def reason_for_user(exception: BaseException | None) -> str:
    """The text a view gave its exception, when it is one meant for the user."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str | Promise):  # e.g. the resolver's dict of tried patterns
        return ""
    message = str(message)
    return "" if DEVELOPER_MESSAGE.match(message) else message


@requires_csrf_token
def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    # A 400's reason (a bad Host header, a broken upload) says nothing an officer can act on.
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return render(request, "403.html", {"message": reason_for_user(exception)}, status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return render(request, "404.html", {"message": reason_for_user(exception)}, status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500, rendered without the request: the database or a context processor may be what failed."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF token no longer matches, most often one left open past the session's end."""
    message = _("Formulir ini sudah kedaluwarsa. Muat ulang halaman, lalu kirim lagi.")
    return render(request, "403.html", {"message": message}, status=403)
