"""The site's addresses plus three views that fail, for the error-page tests."""

from django.db import connection
from django.shortcuts import get_object_or_404
from django.urls import path

from sentra.accounts.models import Office
from sentra.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the handlers under test
from sentra.urls import urlpatterns as site_urlpatterns


def unhandled_error(request):
    raise RuntimeError("uji: kesalahan yang tidak tertangani")


def broken_database(request):
    with connection.cursor() as cursor:  # on PostgreSQL this also aborts the transaction
        cursor.execute("SELECT * FROM tabel_yang_tidak_ada")


def missing_object(request):
    return get_object_or_404(Office, pk=0)


def broken_context_processor(request):
    raise RuntimeError("uji: context processor rusak")


urlpatterns = [
    *site_urlpatterns,
    path("uji/gagal/", unhandled_error),
    path("uji/gagal-tanpa-database/", broken_database),
    path("uji/tidak-ada-model/", missing_object),
]
