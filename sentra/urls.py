from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sentra.api import api
from sentra.core.storage import public_media
from sentra.core.views import favicon
from sentra.dashboards.urls import open_data_urlpatterns
from sentra.dashboards.views import home_page

urlpatterns = [
    path("", home_page, name="home"),  # what needs doing today: sentra/dashboards/home.py
    path("akun/", include("sentra.accounts.urls")),
    path("wilayah/", include("sentra.regions.urls")),
    path("kbli/", include("sentra.kbli.urls")),
    path("umkm/", include("sentra.registry.urls")),
    path("impor/", include("sentra.imports.urls")),
    path("padanan/", include("sentra.linkage.urls")),
    path("dasbor/", include("sentra.dashboards.urls")),
    path("laporan/", include("sentra.reports.urls")),
    path("data-terbuka/", include((open_data_urlpatterns, "opendata"))),
    path("privasi/", include("sentra.privacy.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon),  # asked for by browsers and tools that ignore <link rel="icon">
]
# Public media (product photos) only, with DEBUG on or off; nginx may serve the same folders itself.
# Uploaded spreadsheets and reports are private and never under MEDIA_URL.
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", public_media, name="public_media")]

# Error pages in Indonesian, in the site's layout (sentra/core/views.py).
handler400 = "sentra.core.views.bad_request"
handler403 = "sentra.core.views.permission_denied"
handler404 = "sentra.core.views.page_not_found"
handler500 = "sentra.core.views.server_error"
