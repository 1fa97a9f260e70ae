"""Demo data: Norddjurs Kommune's Direktion and digitalisation steering group publish their
meetings on the public pages (`/offentlig/norddjurs/`), four days before each meeting. The
Direktion's meeting of 15-05-2024 (seed 004) is then public with its decisions, its closed
items by title and "Lukket punkt". (demo)"""

from django.db import transaction
from django_scopes import scope

from organisation.models import Body
from publication.models import BodyPublication

NORDDJURS = "norddjurs"
# The bodies that publish, by their short names (organisation.demo): the Direktion and the
# digitalisation steering group.
PUBLISHING = ("DIR", "Styregruppen")


def load(municipality, stdout=None) -> int:
    """Make the demo's publishing bodies publish. Safe to run any number of times: a body that
    has publication settings already keeps them. Returns the number of bodies set up."""
    if municipality.slug != NORDDJURS:
        return 0
    created = 0
    with transaction.atomic(), scope(municipality=municipality.pk):
        for body in Body.objects.filter(short_name__in=PUBLISHING).order_by("pk"):
            _, new = BodyPublication.objects.get_or_create(
                body=body,
                defaults={"municipality": municipality, "publishes": True, "days_before": 4},
            )
            created += new
    if stdout is not None:
        if created:
            stdout.write(
                f"Offentlige sider i {municipality.name}: {created} organer offentliggør\n"
            )
        else:
            stdout.write(
                f"Offentlige sider i {municipality.name}: allerede indlæst; intet ændret.\n"
            )
    return created
