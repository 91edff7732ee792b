"""The JSON API: one NinjaAPI with one router per app, OpenAPI docs at /api/docs."""

from ninja import NinjaAPI
from ninja.security import django_auth

from sentra.kbli.api import router as kbli_router
from sentra.regions.api import router as regions_router
from sentra.registry.api import router as registry_router

api = NinjaAPI(title="Sentra API", version="1", auth=django_auth, urls_namespace="api")
api.add_router("/regions/", regions_router)
api.add_router("/kbli/", kbli_router)
api.add_router("/businesses/", registry_router)
