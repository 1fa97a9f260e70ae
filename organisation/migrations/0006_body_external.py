# Bodies outside the administration (issue 19, the political route).

from django.db import migrations, models

KIND = models.CharField(
    choices=[
        ("direktion", "Executive board"),
        ("chefforum", "Management forum"),
        ("styregruppe", "Steering group"),
        ("programgruppe", "Programme group"),
        ("project_board", "Project Board"),
        ("projektgruppe", "Project group"),
        ("innovationsgruppe", "Innovation group"),
        ("sikkerhedsgruppe", "Security group"),
        ("udvalg", "Committee"),
        ("koordineringsgruppe", "Coordination group"),
        ("arbejdsgruppe", "Working group"),
        ("ad_hoc", "Ad hoc group"),
        ("kommunalbestyrelse", "Municipal council"),
    ],
    max_length=30,
    verbose_name="kind",
)


def external():
    return models.BooleanField(
        default=False,
        help_text=(
            "A political committee, the municipal council or the main joint committee: cases "
            "can be sent on to it, but its members, mandate and meetings are not kept in "
            "digistyr."
        ),
        verbose_name="outside the administration",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0005_minutes_approval"),
    ]

    operations = [
        migrations.AddField(model_name="body", name="external", field=external()),
        migrations.AddField(model_name="historicalbody", name="external", field=external()),
        migrations.AlterField(model_name="body", name="kind", field=KIND),
        migrations.AlterField(model_name="historicalbody", name="kind", field=KIND.clone()),
    ]
