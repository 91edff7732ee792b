"""Business.activity: what the business does, as typed (the KBLI is chosen from it)."""

from django.db import migrations, models

from sentra.registry.search import drop_sqlite_business_triggers, reinstall_search_triggers


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_bulk_writes")]

    operations = [
        migrations.RunPython(drop_sqlite_business_triggers, migrations.RunPython.noop, elidable=False),
        migrations.AddField(
            model_name="business",
            name="activity",
            field=models.CharField(blank=True, max_length=200, verbose_name="kegiatan usaha"),
        ),
        migrations.RunPython(reinstall_search_triggers, reinstall_search_triggers, elidable=False),
    ]
