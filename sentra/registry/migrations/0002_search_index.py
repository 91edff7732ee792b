"""Full-text index on Business.search_text: FTS5 on SQLite, GIN on PostgreSQL."""

from django.db import migrations

from sentra.registry.search import install_search_index, remove_search_index


def forwards(apps, schema_editor):
    install_search_index(schema_editor)


def backwards(apps, schema_editor):
    remove_search_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
