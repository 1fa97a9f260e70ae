"""The organisation's kinds of the one history page (`core.history`): units, people, bodies,
mandates and memberships, read by everyone in the municipality."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from core import history
from organisation.models import Body, Mandate, Membership, OrgUnit, Person


def _detail(url_name: str):
    return lambda obj: reverse(url_name, args=[obj.pk])


history.register(
    "enhed",
    history.Kind(
        OrgUnit,
        lookup=lambda pk: get_object_or_404(OrgUnit, pk=pk),
        url=_detail("organisation:orgunit_detail"),
    ),
)
history.register(
    "person",
    history.Kind(
        Person,
        lookup=lambda pk: get_object_or_404(Person, pk=pk),
        url=_detail("organisation:person_detail"),
    ),
)
history.register(
    "organ",
    history.Kind(
        Body,
        lookup=lambda pk: get_object_or_404(Body, pk=pk),
        url=_detail("organisation:body_detail"),
    ),
)
history.register(
    "kommissorium",
    history.Kind(
        Mandate,
        lookup=lambda pk: get_object_or_404(Mandate, pk=pk),
        url=_detail("organisation:mandate_detail"),
    ),
)
history.register(
    "medlemskab",
    history.Kind(
        Membership,
        lookup=lambda pk: get_object_or_404(
            Membership.objects.select_related("person", "body"), pk=pk
        ),
        url=lambda membership: reverse("organisation:body_detail", args=[membership.body_id]),
    ),
)
