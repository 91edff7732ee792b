"""PostgreSQL: the regency's name index carrying the search vector, for the list's searches."""

from django.db import migrations

from sentra.registry.search import POSTGRES_LIST_SEARCH_DROP_SQL, POSTGRES_LIST_SEARCH_SQL


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_LIST_SEARCH_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_LIST_SEARCH_DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_business_size_confirmed")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
