from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sentra.api import api
from sentra.dashboards.urls import open_data_urlpatterns

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registry:business_list", permanent=False)),
    path("akun/", include("sentra.accounts.urls")),
    path("wilayah/", include("sentra.regions.urls")),
    path("kbli/", include("sentra.kbli.urls")),
    path("umkm/", include("sentra.registry.urls")),
    path("impor/", include("sentra.imports.urls")),
    path("padanan/", include("sentra.linkage.urls")),
    path("dasbor/", include("sentra.dashboards.urls")),
    path("laporan/", include("sentra.reports.urls")),
    path("data-terbuka/", include((open_data_urlpatterns, "opendata"))),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error pages in Indonesian, in the site's layout (sentra/core/views.py).
handler400 = "sentra.core.views.bad_request"
handler403 = "sentra.core.views.permission_denied"
handler404 = "sentra.core.views.page_not_found"
handler500 = "sentra.core.views.server_error"
