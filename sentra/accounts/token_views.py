"""The API token pages: an office admin (or a superuser) lists the office's tokens, makes one,
reads a token's use log and revokes it. Nobody else sees them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sentra.accounts import tokens
from sentra.accounts.models import ApiToken, Office, TokenScope

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TokenForm(forms.Form):
    office = forms.ModelChoiceField(label=gettext_lazy("Kantor"), queryset=Office.objects.all())
    name = forms.CharField(
        label=gettext_lazy("Nama"),
        max_length=100,
        help_text=gettext_lazy("Sistem yang memakai token ini, mis. aplikasi survei lapangan atau SIDT provinsi."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Hak akses"), choices=TokenScope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Berlaku sampai"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("Kosongkan bila token berlaku sampai dicabut."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not user.is_superuser:
            del self.fields["office"]  # an office admin makes tokens of their own office only


def _ensure_token_admin(request: HttpRequest) -> None:
    if not (request.user.is_superuser or request.user.is_office_admin):
        raise PermissionDenied(_("Hanya admin kantor yang boleh mengelola token API."))


def _token(request: HttpRequest, pk: int) -> ApiToken:
    try:
        return tokens.tokens_visible_to(request.user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404(_("Token API ini tidak ada atau bukan milik kantor Anda.")) from None


@never_cache  # the page that shows a new key must not be kept by the browser or a proxy
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The office's tokens with their last use, and the form that makes one (its key is shown once, here)."""
    _ensure_token_admin(request)
    form = TokenForm(request.POST or None, user=request.user)
    new_token = new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = tokens.create_token(
                actor=request.user,
                office=form.cleaned_data.get("office") or request.user.office,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm(user=request.user)
    context = {
        "form": form,
        "tokens": tokens.tokens_visible_to(request.user),
        "new_token": new_token,
        "new_key": new_key,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
def token_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_token_admin(request)
    token = _token(request, pk)
    return render(request, "accounts/token_detail.html", {"token": token, "uses": tokens.token_uses(token)})


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_token_admin(request)
    token = tokens.revoke_token(actor=request.user, token=_token(request, pk))
    messages.success(
        request, _("Token “%(name)s” dicabut; sistem yang memakainya tidak bisa masuk lagi.") % {"name": token.name}
    )
    return redirect("accounts:token_detail", token.pk)
