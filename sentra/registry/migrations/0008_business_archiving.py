"""Archiving replaces deleting (issue 12, point 5): who archived a business, when and why, and the office
that registered it, whose editors may archive it. An archived business gives its NIB up."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from sentra.registry.search import drop_sqlite_business_triggers, reinstall_search_triggers


def registered_by_creators_office(apps, schema_editor) -> None:
    """What an officer registered was registered by their office; imports and the demo stay empty."""
    Business = apps.get_model("registry", "Business")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    office = User.objects.filter(pk=OuterRef("created_by_id")).values("office_id")[:1]
    Business.objects.filter(created_by__office__isnull=False).update(registered_by_office_id=Subquery(office))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("kbli", "0001_initial"),
        ("regions", "0001_initial"),
        ("registry", "0007_business_activity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_business_triggers, reinstall_search_triggers, elidable=False),
        migrations.RemoveConstraint(
            model_name="business",
            name="business_nib_unique",
        ),
        migrations.AddField(
            model_name="business",
            name="archive_reason",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=300, verbose_name="alasan diarsipkan"
            ),
        ),
        migrations.AddField(
            model_name="business",
            name="archived_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="diarsipkan"),
        ),
        migrations.AddField(
            model_name="business",
            name="archived_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="diarsipkan oleh",
            ),
        ),
        migrations.AddField(
            model_name="business",
            name="registered_by_office",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.office",
                verbose_name="didaftarkan oleh kantor",
            ),
        ),
        migrations.AddConstraint(
            model_name="business",
            constraint=models.UniqueConstraint(
                condition=models.Q(models.Q(("nib", ""), _negated=True), ("archived_at__isnull", True)),
                fields=("nib",),
                name="business_nib_unique",
            ),
        ),
        migrations.RunPython(registered_by_creators_office, migrations.RunPython.noop),
        # Backwards, the table is rebuilt again: the triggers go first, as forwards.
        migrations.RunPython(reinstall_search_triggers, drop_sqlite_business_triggers, elidable=False),
    ]
