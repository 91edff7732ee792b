"""The business table's triggers watch `archived_at` too (registry 0008): archiving or restoring a business
marks its village for a recount. SQLite's were rebuilt with the table; PostgreSQL's are replaced here."""

from django.db import migrations


def reinstall_business_triggers(apps, schema_editor) -> None:
    from sentra.dashboards.triggers import drop_triggers, ensure_triggers

    drop_triggers(schema_editor.connection)
    ensure_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial"), ("registry", "0008_business_archiving")]

    operations = [migrations.RunPython(reinstall_business_triggers, reinstall_business_triggers, elidable=False)]
