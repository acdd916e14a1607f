"""On PostgreSQL, triggers refuse changes to signed renditions and to signatures (see yjplan/integrity.py)."""

from django.db import migrations

from yjplan.integrity import install_database_guards, remove_database_guards


def install(apps, schema_editor):
    install_database_guards(schema_editor.connection)


def remove(apps, schema_editor):
    remove_database_guards(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("yjplan", "0004_plans"),
    ]

    operations = [migrations.RunPython(install, remove)]
