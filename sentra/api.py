"""The JSON API: one NinjaAPI with one router per app, OpenAPI docs at /api/docs.

Callers sign in with the session or an API token (sentra/accounts/api.py); errors
answer JSON in the user's language, in the shapes sentra/core/api.py declares.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.security import django_auth

from sentra.accounts.api import TokenAuth, record_token_uses
from sentra.accounts.tokens import InvalidToken
from sentra.kbli.api import router as kbli_router
from sentra.regions.api import router as regions_router
from sentra.registry.api import router as registry_router


class ScopedSchema(OpenAPISchema):
    """The OpenAPI document, naming in each operation's security the token scope it needs
    (OpenAPI 3.1 lets any security requirement list the roles it needs)."""

    def operation_security(self, operation: Operation) -> list[dict] | None:
        scopes = {type(auth).__name__: [auth.scope] for auth in operation.auth_callbacks if isinstance(auth, TokenAuth)}
        security = super().operation_security(operation) or []
        return [{name: scopes.get(name, roles) for name, roles in entry.items()} for entry in security] or None


class SentraAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ScopedSchema(self, path_prefix)


# A router without its own auth is for signed-in users only; each router says which token scope it takes.
api = SentraAPI(title="Sentra API", version="1", auth=django_auth, urls_namespace="api")
api.add_decorator(record_token_uses, mode="view")
api.add_router("/regions/", regions_router)
api.add_router("/kbli/", kbli_router)
api.add_router("/businesses/", registry_router)


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(InvalidToken)
def invalid_token(request: HttpRequest, exc: InvalidToken) -> HttpResponse:
    response = _error(request, exc.message, 401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, _("Masuk dulu, atau kirim token API di header Authorization: Bearer <token>."), 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, str(exc) or _("Anda tidak berwenang melakukan ini."), 403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, _("Data tidak ditemukan atau di luar wilayah Anda."), 404)
