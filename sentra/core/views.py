"""Site-wide views: the favicon, and error pages in Indonesian (English when chosen), in the site's layout,
saying why when our code did.

Django's own pages are English and drop the reason a view gave, e.g. a PermissionDenied's
"Wilayah ini di luar wilayah kantor Anda.". sentra/urls.py points Django's handlers here.
"""

import re
import sqlite3
import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

# How long a client is asked to wait before it tries again when the database is busy.
BUSY_RETRY_AFTER_SECONDS = 10
# Django's own Http404 texts ("No Business matches the given query.") are for developers.
DEVELOPER_MESSAGE = re.compile(r"^No .+ matches the given query\.$")


def is_database_locked(exception: BaseException | None) -> bool:
    """Whether SQLite gave up waiting for another connection's write lock, here or in what led to it.

    A session that cannot be saved, for one, surfaces as Django's SessionInterrupted (a 400) raised
    while handling the OperationalError.
    """
    while exception is not None:
        message = str(exception)
        if isinstance(exception, OperationalError | sqlite3.OperationalError) and (
            "database is locked" in message or "database table is locked" in message
        ):
            return True
        exception = exception.__cause__ or exception.__context__
    return False


def wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith(reverse("api:api-root"))


def reason_for_user(exception: BaseException | None) -> str:
    """The text a view gave its exception, when it is one meant for the user."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str | Promise):  # e.g. the resolver's dict of tried patterns
        return ""
    message = str(message)
    return "" if DEVELOPER_MESSAGE.match(message) else message


def database_busy_response(request: HttpRequest) -> HttpResponse:
    message = _("Sistem sedang sibuk, coba lagi sebentar lagi.")
    if wants_json(request):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        response = render(request, "503.html", {"message": message}, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    if is_database_locked(exception):
        return database_busy_response(request)
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
    """500, rendered without the request: the database or a context processor may be what failed.

    A locked database that surfaced outside the view (past DatabaseBusyMiddleware) gets the busy
    page instead.
    """
    if is_database_locked(sys.exc_info()[1]):
        return database_busy_response(request)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF token no longer matches, most often one left open past the session's end."""
    message = _("Formulir ini sudah kedaluwarsa. Muat ulang halaman, lalu kirim lagi.")
    return render(request, "403.html", {"message": message}, status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico → the icon among the static files (its hashed name is known only at run time)."""
    return HttpResponsePermanentRedirect(static("sentra/favicon-32.png"))
