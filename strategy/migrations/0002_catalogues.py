from django.db import migrations


def load(apps, schema_editor):
    from strategy.catalogues import FOCUS_AREA_SOURCE, FOCUS_AREAS, SDGS

    FocusArea = apps.get_model("strategy", "FocusArea")
    SDG = apps.get_model("strategy", "SDG")
    for number, name, description in FOCUS_AREAS:
        FocusArea.objects.update_or_create(
            number=number,
            defaults={"name": name, "description": description, "source": FOCUS_AREA_SOURCE},
        )
    for number, name, name_en in SDGS:
        SDG.objects.update_or_create(number=number, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
