"""The demo proposals (planning.proposals.demo): idempotent, all "(demo)", one made into a
project and one rejected with a reason."""

import io

import pytest
from django_scopes import scopes_disabled

from core.models import Municipality
from organisation import demo as organisation_demo
from planning.models import Proposal, ProposalStatus
from planning.proposals import demo as demo_proposals
from portfolio.models import Phase, Project
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [Proposal, Project]


@once_per_module(history=True)
def loaded():
    """The organisation demo and this one, loaded once for the module."""
    organisation_demo.load()
    municipalities = {
        slug: Municipality.objects.get(slug=slug)
        for slug in (demo_proposals.NORDDJURS, demo_proposals.VEST)
    }
    created = {slug: demo_proposals.load(m) for slug, m in municipalities.items()}
    return municipalities, created


def _counts() -> dict:
    with scopes_disabled():
        counts = {m.__name__: m.objects.count() for m in HISTORY_MODELS}
        counts.update({f"{m.__name__}.history": m.history.count() for m in HISTORY_MODELS})
    return counts


def test_a_second_load_changes_nothing(loaded):
    municipalities, created = loaded
    assert created["norddjurs"] == {"forslag": 5, "projekter fra forslag": 1}
    assert created["demokommune-vest"] == {"forslag": 1}
    before = _counts()
    out = io.StringIO()
    for municipality in municipalities.values():
        assert demo_proposals.load(municipality, stdout=out) == {}
    assert _counts() == before
    assert "allerede indlæst" in out.getvalue()


def test_the_proposals(loaded):
    municipalities, _ = loaded
    with scopes_disabled():
        proposals = Proposal.objects.filter(municipality=municipalities["norddjurs"])
        assert all("(demo)" in p.title for p in proposals)
        made = proposals.get(status=ProposalStatus.PROJECT)
        assert made.project.phase == Phase.IDEA
        assert made.project.name == made.title
        rejected = proposals.get(status=ProposalStatus.REJECTED)
        assert rejected.status_note
        assert proposals.filter(source="innovation", body__name=demo_proposals.IOD).count() == 2
        assert proposals.filter(source="local").count() == 3
