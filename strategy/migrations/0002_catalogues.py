from django.db import migrations


def load(apps, schema_editor):
    from strategy.catalogues import load as load_catalogues

    load_catalogues(apps.get_model("strategy", "FocusArea"), apps.get_model("strategy", "SDG"))


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
