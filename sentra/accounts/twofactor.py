"""The optional second factor at login: a six-digit code from an authenticator app (TOTP, django-otp).

Office admins and superusers may turn it on from their account page (/akun/dua-langkah/);
TWO_FACTOR_REQUIRED=1 makes them set it up before they can do anything else. A password login,
ours or the admin's, marks the session as waiting for the code, and SecondFactorMiddleware keeps
such a session on the code page until the code is given.
"""

import logging
import math
from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentra.accounts.models import User
from sentra.core.views import wants_json

logger = logging.getLogger(__name__)

# What a signed-in session still owes: "verify" (give the code) or "setup" (turn the second factor on).
PENDING_KEY = "sentra_second_factor"
VERIFY, SETUP = "verify", "setup"
# Pages a session may open while it owes the second step.
OPEN_WHILE_PENDING = {"accounts:two_factor_verify", "accounts:logout", "admin:logout", "set_language"}


class WaitBeforeRetrying(Exception):
    """Too many wrong codes in a row: django-otp refuses to check another one for `seconds`."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def may_use_second_factor(user: User) -> bool:
    return user.is_active and user.is_office_admin


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_being_set_up(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def start_setup(*, user: User) -> TOTPDevice:
    """A fresh secret for the user's authenticator app; it counts once a code from it is confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Sentra", confirmed=False)


def confirm_setup(*, request: HttpRequest, token: str) -> bool:
    """Turn the second factor on when `token` comes from the secret being set up."""
    device = device_being_set_up(request.user)
    if device is None or not _token_accepted(request.user, device, token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    request.session.pop(PENDING_KEY, None)
    logger.info("Second factor turned on for %s", request.user.get_username())
    return True


def verify_login(*, request: HttpRequest, token: str) -> bool:
    """Finish a login that waits for its code."""
    device = confirmed_device(request.user)
    if device is None or not _token_accepted(request.user, device, token):
        return False
    django_otp.login(request, device)
    request.session.pop(PENDING_KEY, None)
    return True


def turn_off(*, request: HttpRequest, token: str) -> bool:
    """Turn the second factor off; a current code is asked for, so a borrowed session cannot do it."""
    device = confirmed_device(request.user)
    if device is None or not _token_accepted(request.user, device, token):
        return False
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    if settings.TWO_FACTOR_REQUIRED:
        request.session[PENDING_KEY] = SETUP
    logger.info("Second factor turned off for %s", request.user.get_username())
    return True


def _token_accepted(user: User, device: TOTPDevice, token: str) -> bool:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        raise WaitBeforeRetrying(max(1, math.ceil(wait)))
    # django-otp locks the device row while it checks, so one code cannot be used twice at once.
    return django_otp.verify_token(user, device.persistent_id, token.strip()) is not None


def qr_code_svg(device: TOTPDevice) -> str:
    """The set-up QR code as inline SVG, drawn here: the secret never leaves for a QR service."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for apps without a camera."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@receiver(user_logged_in, dispatch_uid="sentra.accounts.second_factor_at_login")
def _second_factor_at_login(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[PENDING_KEY] = VERIFY
    elif settings.TWO_FACTOR_REQUIRED and may_use_second_factor(user):
        request.session[PENDING_KEY] = SETUP


class SecondFactorMiddleware:
    """Keeps a session that owes its second step on the page that takes it (JSON 403 for the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        pending = request.session.get(PENDING_KEY)
        if not pending:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        target = "accounts:two_factor_verify" if pending == VERIFY else "accounts:two_factor"
        if view_name in OPEN_WHILE_PENDING or view_name == target:
            return None
        if wants_json(request):
            return JsonResponse({"detail": _("Selesaikan verifikasi dua langkah terlebih dahulu.")}, status=403)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
