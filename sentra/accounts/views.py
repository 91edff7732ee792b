"""The second step of a login, and the page where office admins turn the second factor on or off."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.accounts import twofactor


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Kode dari aplikasi autentikator"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Kode terdiri dari 6 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


def _checked_code(request: HttpRequest, form: CodeForm, check) -> bool:
    """Run `check(request=..., token=...)` on a valid form, putting what went wrong on the form."""
    if not form.is_valid():
        return False
    try:
        if check(request=request, token=form.cleaned_data["code"]):
            return True
    except twofactor.WaitBeforeRetrying as wait:
        form.add_error(
            "code",
            _("Terlalu banyak kode yang salah. Tunggu %(seconds)s detik, lalu coba lagi.") % {"seconds": wait.seconds},
        )
        return False
    form.add_error("code", _("Kode salah atau sudah kedaluwarsa."))
    return False


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.session.get(twofactor.PENDING_KEY) != twofactor.VERIFY:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _checked_code(request, form, twofactor.verify_login):
        return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    if not twofactor.may_use_second_factor(request.user):
        raise PermissionDenied(_("Verifikasi dua langkah tersedia untuk admin kantor dan superuser."))
    form = CodeForm(request.POST if "code" in request.POST else None)
    action = request.POST.get("action")
    # Where a forced set-up (TWO_FACTOR_REQUIRED) was on its way to.
    next_path = request.POST.get("next") or request.GET.get("next", "")
    here = reverse("accounts:two_factor") + (f"?{urlencode({'next': next_path})}" if next_path else "")
    enabled = twofactor.confirmed_device(request.user) is not None
    if action == "start" and not enabled:  # a new phone replaces the old one only after turning it off
        twofactor.start_setup(user=request.user)
        return redirect(here)
    if action == "confirm" and _checked_code(request, form, twofactor.confirm_setup):
        messages.success(
            request, _("Verifikasi dua langkah aktif. Mulai sekarang Sentra meminta kode saat Anda masuk.")
        )
        return redirect(_next_url(request) if next_path else here)
    if action == "turn_off" and _checked_code(request, form, twofactor.turn_off):
        messages.success(request, _("Verifikasi dua langkah dimatikan."))
        return redirect("accounts:two_factor")

    device = twofactor.device_being_set_up(request.user)
    context = {
        "form": form,
        "enabled": enabled,
        "setting_up": device,
        "required": settings.TWO_FACTOR_REQUIRED,
        "next": next_path,
    }
    if device is not None:
        context.update(qr_code=twofactor.qr_code_svg(device), secret=twofactor.secret_for_typing(device))
    return render(request, "accounts/two_factor.html", context)
