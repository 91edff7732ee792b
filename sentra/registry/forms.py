"""Forms for registering and editing UMKM, their owners, products, licences and channels."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.accounts.scope import offices_visible_to
from sentra.core.formatting import mask_nik
from sentra.core.forms import NibField, NikField, PhoneField, RupiahField
from sentra.core.validators import nik_birth_date
from sentra.kbli.models import Kbli, KbliLevel
from sentra.regions.models import Village
from sentra.registry.models import Business, DigitalChannel, Licence, Person, Product
from sentra.registry.photos import PhotoField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def villages_for(user):
    """Villages a user may place a business in."""
    office = getattr(user, "office", None)
    if user.is_superuser or office is None:
        return Village.objects.all()
    return Village.objects.filter(code__startswith=office.area_code + ".")


class PersonForm(forms.ModelForm):
    nik = NikField(label=gettext_lazy("NIK"), required=False, help_text=gettext_lazy("16 angka sesuai KTP."))
    phone = PhoneField(label=gettext_lazy("Nomor HP"), required=False)
    # Any village may be typed; the page lists only those of one district (see `__init__`).
    village = forms.ModelChoiceField(
        queryset=Village.objects.all(),
        required=False,
        label=gettext_lazy("Desa/kelurahan alamat pemilik"),
        help_text=gettext_lazy("Kosongkan bila sama dengan desa/kelurahan tempat usaha."),
        error_messages={"invalid_choice": gettext_lazy("Desa/kelurahan ini tidak ada.")},
    )

    class Meta:
        model = Person
        fields = ["nik", "full_name", "sex", "birth_date", "phone", "address", "village"]
        widgets = {"birth_date": DATE_INPUT}

    def __init__(self, *args, near_village: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The villages of the owner's district (or the business's), not the country's 80,000.
        current = str(self["village"].value() or near_village or "")
        nearby = Village.objects.filter(district_id=current[:8]).order_by("name") if current else []
        self.fields["sex"].choices = [("", _("— pilih —")), *self.fields["sex"].choices[1:]]
        self.fields["village"].widget.choices = [("", _("— sama dengan desa/kelurahan usaha —"))] + [
            (village.code, village.name) for village in nearby
        ]
        if self.instance.nik:
            # The stored NIK never goes into the page: a blank field keeps it, a typed one replaces it.
            self.initial.pop("nik", None)
            self.fields["nik"].widget.attrs["placeholder"] = mask_nik(self.instance.nik)
            self.fields["nik"].help_text = gettext_lazy("Kosongkan bila NIK tidak berubah.")

    def clean(self):
        data = super().clean()
        if not data.get("nik") and self.instance.nik and "nik" not in self.errors:
            data["nik"] = self.instance.nik
        nik, birth_date, sex = data.get("nik"), data.get("birth_date"), data.get("sex")
        if nik:
            nik_date, nik_sex = nik_birth_date(nik)
            if birth_date and birth_date != nik_date:
                self.add_error(
                    "birth_date",
                    _("Tanggal lahir tidak sama dengan yang tertulis di NIK (%(date)s).")
                    % {"date": nik_date.strftime("%d-%m-%Y")},
                )
            if sex and sex != nik_sex:
                self.add_error("sex", _("Jenis kelamin tidak sama dengan yang tertulis di NIK."))
            if not birth_date:
                data["birth_date"] = nik_date
        return data

    def validate_unique(self):
        # An NIK already in the registry means the same owner: the view links to it.
        exclude = self._get_validation_exclusions()
        exclude.add("nik")
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class BusinessForm(forms.ModelForm):
    nib = NibField(label=gettext_lazy("NIB"), required=False, help_text=gettext_lazy("13 angka, boleh dikosongkan."))
    capital = RupiahField(
        label=gettext_lazy("Modal usaha"), required=False, help_text=gettext_lazy("Tidak termasuk tanah dan bangunan.")
    )
    annual_turnover = RupiahField(label=gettext_lazy("Omzet tahunan"), required=False)
    kbli = forms.ModelChoiceField(
        queryset=Kbli.objects.filter(level=KbliLevel.SUBCLASS), required=False, label=gettext_lazy("KBLI")
    )
    # The signed values the form was loaded with, so a save can tell what others changed since (registry.edits).
    base = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Business
        fields = [
            "name",
            "activity",
            "nib",
            "kbli",
            "legal_form",
            "address",
            "village",
            "latitude",
            "longitude",
            "start_month",
            "start_year",
            "capital",
            "annual_turnover",
            "workers_paid_male",
            "workers_paid_female",
            "workers_unpaid_male",
            "workers_unpaid_female",
            "fostering_offices",
            "status",
            "status_verified_on",
            "maturity",
        ]
        widgets = {
            "fostering_offices": forms.CheckboxSelectMultiple,
            "status_verified_on": DATE_INPUT,
            "start_month": forms.Select(choices=[("", "—")] + [(m, m) for m in range(1, 13)]),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["village"].queryset = villages_for(user)
        self.fields["village"].error_messages["invalid_choice"] = gettext_lazy(
            "Desa/kelurahan ini tidak ada atau di luar wilayah kerja Anda."
        )
        self.fields["fostering_offices"].queryset = offices_visible_to(user)
        # What the officer types as the activity lists its KBLI codes in the picker, a confident one first.
        kbli_picker = f"#{self['kbli'].id_for_label}"
        self.fields["activity"].help_text = gettext_lazy(
            "Mis. “keripik tempe”; KBLI yang cocok muncul di pilihan KBLI."
        )
        # A form shown again with an activity but no KBLI yet (a save held back) lists the suggestions again.
        suggest_now = bool(self["activity"].value()) and not self["kbli"].value()
        self.fields["activity"].widget.attrs.update(
            {
                "hx-get": f"{reverse('kbli:options')}?prefix={self.prefix or ''}",
                "hx-trigger": "load, input changed delay:500ms" if suggest_now else "input changed delay:500ms",
                "hx-target": kbli_picker,
                "hx-include": kbli_picker,
            }
        )
        for name in ("workers_paid_male", "workers_paid_female", "workers_unpaid_male", "workers_unpaid_female"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})

    def clean_nib(self):
        nib = self.cleaned_data["nib"]
        if nib and Business.objects.filter(nib=nib).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("NIB %(nib)s sudah terdaftar untuk usaha lain.") % {"nib": nib})
        return nib


class ProductForm(forms.ModelForm):
    price = RupiahField(label=gettext_lazy("Harga"), required=False)

    class Meta:
        model = Product
        fields = ["name", "category", "unit", "price", "monthly_capacity", "packaging", "photo"]
        field_classes = {"photo": PhotoField}
        help_texts = {"photo": gettext_lazy("Foto dari ponsel boleh langsung diunggah: diperkecil otomatis.")}


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["kind", "number", "issued_on", "expires_on"]
        widgets = {"issued_on": DATE_INPUT, "expires_on": DATE_INPUT}

    def clean(self):
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit."))
        return data


class DigitalChannelForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("Tautan"), required=False, assume_scheme="https")

    class Meta:
        model = DigitalChannel
        fields = ["kind", "name", "url"]


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Mis. tercatat dua kali, usaha sudah lama tutup. Tercatat di riwayat."),
    )


class StatusVerificationForm(forms.Form):
    status = forms.ChoiceField(choices=Business._meta.get_field("status").choices, label=gettext_lazy("Status usaha"))
