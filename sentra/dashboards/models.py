"""The dashboards' counts per village and per district, kept right as the registry changes.

Every write to a business (or its owner's sex, licences, fostering offices and
history) marks its village stale, through database triggers (see `triggers.py`),
whatever wrote it: a form, an import, a merge, the admin or SQL. A read recounts
the stale villages it needs and sums their districts again before answering, so
figures are right the moment data changes; a regency's dashboard reads a few
thousand district rows instead of counting hundreds of thousands of businesses,
and an edit costs the recount of one village, not of its whole district.
"""

from django.db import models


class Tally(models.Model):
    """How many businesses of one district have one value of one dimension (see `figures.Dimension`).

    The sum of the district's village tallies.
    """

    district_code = models.CharField(max_length=8)
    regency_code = models.CharField(max_length=5)
    province_code = models.CharField(max_length=2)
    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district_code", "dimension", "value"], name="tally_unique"),
        ]
        indexes = [
            models.Index(fields=["regency_code", "dimension"], name="tally_regency"),
            models.Index(fields=["province_code", "dimension"], name="tally_province"),
        ]

    def __str__(self) -> str:
        return f"{self.district_code} {self.dimension}={self.value}: {self.count}"


class VillageTally(models.Model):
    """How many businesses of one village have one value of one dimension."""

    village_code = models.CharField(max_length=13)
    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village_code", "dimension", "value"], name="villagetally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.village_code} {self.dimension}={self.value}: {self.count}"


class StaleVillage(models.Model):
    """A village whose tallies a write has made out of date; deleted when they are recounted.

    Rows are only ever added by writers and deleted by the recount that saw them,
    so a write committed during a recount leaves its own row behind (PostgreSQL).
    """

    village_code = models.CharField(max_length=13, db_index=True)

    def __str__(self) -> str:
        return self.village_code


class LicenceCheck(models.Model):
    """The day the tallies last took in the licences that lapsed (one row): a licence expiring
    overnight changes the figures without any write, so the first read of a day marks the
    villages of the licences that lapsed since (`tallies.mark_lapsed_licences`)."""

    checked_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.checked_on:%Y-%m-%d}"
