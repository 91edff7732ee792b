"""Pages for the controller's duties under UU PDP: the record of processing and subject access requests."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.forms import NikField
from sentra.core.http import client_ip
from sentra.privacy.processing import ACTIVITIES
from sentra.privacy.subject import subject_access_file


class SubjectAccessForm(forms.Form):
    nik = NikField(label=gettext_lazy("NIK pemohon"), help_text=gettext_lazy("16 angka sesuai KTP pemohon."))


def _superuser(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied(_("Hanya superuser yang dapat membuka halaman ini."))


@login_required
def privacy_index(request: HttpRequest) -> HttpResponse:
    """The record of processing activities, and the form of a subject access request."""
    _superuser(request)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        nik = form.cleaned_data["nik"]
        content = subject_access_file(actor=request.user, nik=nik, ip_address=client_ip(request))
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="data-pribadi-{nik[:6]}.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "privacy/index.html", {"activities": ACTIVITIES, "form": form})
