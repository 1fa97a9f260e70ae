"""Planning's kinds of the one history page (`core.history`): proposals, read by everyone in
the municipality as their page is."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from core import history
from planning.models import Proposal

history.register(
    "forslag",
    history.Kind(
        Proposal,
        lookup=lambda pk: get_object_or_404(Proposal, pk=pk),
        url=lambda proposal: reverse("planning:proposal_detail", args=[proposal.pk]),
    ),
)
