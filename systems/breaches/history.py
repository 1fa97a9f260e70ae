"""The history of a breach (`core.history`, kind "brud"): everyone who may see the breach
reads who changed it and when, and the changes of its open fields; its closed fields
(`Breach.CLOSED_FIELDS`) only the circle (`systems.read_breach`)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from core import history
from core.permissions import has_perm
from systems.models import Breach


def _reading(user, breach: Breach) -> history.Reading:
    if has_perm(user, "systems.read_breach", breach):
        return history.Reading()
    return history.Reading(excluded=Breach.CLOSED_FIELDS)


KIND = history.Kind(
    Breach,
    lookup=lambda pk: get_object_or_404(Breach, pk=pk),
    url=lambda breach: reverse("systems:breach_detail", args=[breach.pk]),
    reading=_reading,
)


def register() -> None:
    history.register("brud", KIND)
