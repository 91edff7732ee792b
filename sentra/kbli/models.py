"""KBLI 2020, the Indonesian Standard Industrial Classification (Peraturan BPS 2/2020)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class KbliLevel(models.TextChoices):
    SECTION = "section", _("kategori")
    DIVISION = "division", _("golongan pokok")
    GROUP = "group", _("golongan")
    CLASS = "class", _("subgolongan")
    SUBCLASS = "subclass", _("kelompok")


class Kbli(models.Model):
    """One KBLI code at any level; a business's sector is a five-digit subclass."""

    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=KbliLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", db_constraint=False
    )
    section = models.CharField(_("kategori"), max_length=1, db_index=True)
    title = models.CharField(_("judul"), max_length=300)
    description = models.TextField(_("uraian"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("KBLI")
        verbose_name_plural = pgettext_lazy("plural", "KBLI")

    def __str__(self) -> str:
        return f"{self.code} {self.title.capitalize()}"
