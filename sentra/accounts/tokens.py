"""API tokens: creating and revoking them (services), reading them (selectors), and checking a presented key.

A token is `sentra_<prefix>_<secret>`. The prefix is public and finds the row;
only the SHA-256 of the whole key is stored, compared in constant time. The key
is long and random, so a fast hash is enough: nothing can be guessed from it.
"""

import datetime as dt
import hashlib
import hmac
import secrets
import string

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import (
    IMPLIED_SCOPES,
    WRITE_SCOPES,
    ApiToken,
    ApiTokenUse,
    Office,
    Role,
    TokenScope,
    User,
)
from sentra.audit.models import ChangeAction
from sentra.audit.services import log_change

KEY_START = "sentra"
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
PREFIX_LENGTH = 8
USES_SHOWN = 100


class InvalidToken(Exception):
    """A key that opens nothing; `token` is set when the key is right but the token may not be used."""

    def __init__(self, message: str, token: ApiToken | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.token = token


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _token_log(token: ApiToken) -> dict[str, object]:
    """What the change log keeps of a token: never its hash."""
    return {
        "name": token.name,
        "office": token.office_id,
        "service_user": token.service_user_id,
        "scopes": token.scopes,
        "prefix": token.prefix,
        "expires_on": token.expires_on.isoformat() if token.expires_on else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def _new_prefix() -> str:
    while True:
        prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def create_token(
    *, actor: User, office: Office, name: str, scopes: list[str], expires_on: dt.date | None = None
) -> tuple[ApiToken, str]:
    """A new token of `office` and its key, which is shown this once and never stored.

    Its service user is a viewer of the office, or an officer when the token may
    write; a write scope needs an actor who may change the registry, so a token
    never does more than its creator could.
    """
    if not ApiToken(office=office).is_managed_by(actor):
        raise PermissionDenied(_("Hanya admin kantor ini yang boleh membuat token API-nya."))
    chosen = set(scopes) | {IMPLIED_SCOPES[s] for s in scopes if s in IMPLIED_SCOPES}
    if not chosen or not chosen <= set(TokenScope.values):
        raise ValidationError(_("Pilih sedikitnya satu izin yang dikenal."))
    writes = bool(chosen & WRITE_SCOPES)
    if writes and not actor.can_edit_registry:
        raise ValidationError(_("Anda tidak boleh mengubah data UMKM, jadi token Anda pun tidak boleh."))
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError(_("Tanggal berlaku harus sesudah hari ini."))
    prefix = _new_prefix()
    key = f"{KEY_START}_{prefix}_{secrets.token_urlsafe(32)}"
    service_user = User(
        username=f"api.{office.code}.{prefix}",
        first_name=name[:150],
        office=office,
        role=Role.OFFICER if writes else Role.VIEWER,
        may_edit_province=writes and office.is_province_level,
    )
    service_user.set_unusable_password()  # it never signs in: it only acts for its token
    service_user.save()
    token = ApiToken.objects.create(
        office=office,
        name=name,
        service_user=service_user,
        scopes=sorted(chosen),
        prefix=prefix,
        key_hash=hash_key(key),
        created_by=actor,
        expires_on=expires_on,
    )
    log_change(actor=actor, instance=token, action=ChangeAction.CREATE, after=_token_log(token))
    return token, key


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke `token` at once; its service user is deactivated too, so nothing it holds keeps working."""
    token = ApiToken.objects.restrict(actor).select_for_update().filter(pk=token.pk).first()
    if token is None:
        raise PermissionDenied(_("Hanya admin kantor pemilik token ini yang boleh mencabutnya."))
    if token.revoked_at is not None:
        return token
    before = _token_log(token)
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    User.objects.filter(pk=token.service_user_id).update(is_active=False)
    log_change(actor=actor, instance=token, action=ChangeAction.UPDATE, before=before, after=_token_log(token))
    return token


def authenticate_token(key: str) -> ApiToken:
    """The usable token `key` opens, with its service user and creator; raises InvalidToken otherwise."""
    unknown = InvalidToken(_("Token API tidak dikenal."))
    start, _sep, rest = key.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if start != KEY_START or not prefix or not secret:
        raise unknown
    token = ApiToken.objects.select_related("service_user__office", "created_by__office").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(hash_key(key), token.key_hash):
        raise unknown
    refusal = token.refusal_today
    if refusal is not None:
        raise InvalidToken(refusal, token)
    return token


def record_token_use(*, token: ApiToken, method: str, path: str, status: int, ip_address: str | None) -> ApiTokenUse:
    return ApiTokenUse.objects.create(
        token=token, method=method[:10], path=path[:300], status=status, ip_address=ip_address
    )


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    """The tokens `user` manages, each with `last_used_at`, newest first."""
    last_use = ApiTokenUse.objects.filter(token=OuterRef("pk")).order_by("-time").values("time")[:1]
    return (
        ApiToken.objects.restrict(user)
        .select_related("office", "created_by", "revoked_by", "service_user")
        .annotate(last_used_at=Subquery(last_use))
    )


def token_uses(token: ApiToken) -> QuerySet[ApiTokenUse]:
    """The token's latest calls, newest first (take it from `tokens_visible_to` so that scope applies)."""
    return token.uses.all()[:USES_SHOWN]
