"""Who may call the API: a signed-in session (CSRF-checked for writes, as today), or another system
sending `Authorization: Bearer <token>` with the scope the endpoint needs. Every token call is logged."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer, django_auth

from sentra.accounts import tokens
from sentra.accounts.models import User
from sentra.core.http import client_ip


class TokenAuth(HttpBearer):
    """A token key in the Authorization header: the token's service user makes the call.

    An unknown, revoked or expired key raises `tokens.InvalidToken` (a 401); a
    usable token without `scope` gets a 403.
    """

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = str(scope)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        try:
            api_token = tokens.authenticate_token(token)
        except tokens.InvalidToken as refused:
            request.api_token = refused.token  # a revoked or expired token's attempts are logged too
            raise
        request.api_token = api_token
        if not api_token.grants(self.scope):
            raise AuthorizationError(message=_("Token API ini tidak berizin %(scope)s.") % {"scope": self.scope})
        request.user = api_token.service_user
        return api_token.service_user


def access(scope: str) -> list:
    """The auth of an endpoint that needs `scope` from a token; a session may call every endpoint.

    The token goes first: a call bearing one never reaches the session's CSRF check,
    which a browser's cookie needs and a server-to-server call cannot pass.
    """
    return [TokenAuth(scope), django_auth]


def record_token_uses(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an API operation so that each call made with a token is logged with the status it got."""

    @wraps(run)
    def logged(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = run(request, *args, **kwargs)
        except Exception:
            _record(request, 500)
            raise
        _record(request, response.status_code)
        return response

    return logged


def _record(request: HttpRequest, status: int) -> None:
    token = getattr(request, "api_token", None)
    if token is not None:
        tokens.record_token_use(
            token=token,
            method=request.method or "",
            path=request.path,
            status=status,
            ip_address=client_ip(request),
        )
