"""Indonesia's administrative areas, keyed by their Kemendagri codes.

Codes are kept dotted as Kemendagri publishes them: province `33`, regency
`33.16`, district `33.16.01`, village `33.16.01.2001`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Province(models.Model):
    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = pgettext_lazy("plural", "provinsi")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = pgettext_lazy("plural", "kabupaten/kota")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = pgettext_lazy("plural", "kecamatan")

    def __str__(self) -> str:
        return self.name

    @property
    def nik_prefix(self) -> str:
        """The six digits a NIK registered in this district starts with."""
        return self.code.replace(".", "")


class Village(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = pgettext_lazy("plural", "desa/kelurahan")

    def __str__(self) -> str:
        return self.name

    @property
    def regency_code(self) -> str:
        return self.code[:5]

    @property
    def province_code(self) -> str:
        return self.code[:2]


class DistrictBoundary(models.Model):
    """A district's outline, for maps, from a boundary file the office loads (`manage.py load_boundaries`).

    Kemendagri's codes come without shapes; outlines are published under their own licences (BIG's
    Batas Wilayah, geoBoundaries), so none is shipped and `source` says where each came from.
    """

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, primary_key=True, related_name="boundary", verbose_name=_("kecamatan")
    )
    geometry = models.JSONField(_("batas"))  # a GeoJSON Polygon or MultiPolygon, longitude first
    source = models.CharField(_("sumber"), max_length=200)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now=True)

    class Meta:
        verbose_name = _("batas kecamatan")
        verbose_name_plural = pgettext_lazy("plural", "batas kecamatan")

    def __str__(self) -> str:
        return str(self.district)
