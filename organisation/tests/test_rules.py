"""The governance rules of the organisation: bad input is refused with a clear message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from organisation import services
from organisation.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def messages_of(exc: ValidationError, field: str) -> list[str]:
    with translation.override("da"):
        return [str(m) for m in exc.message_dict[field]]


def test_membership_cannot_end_before_it_starts(municipality, in_scope):
    body = factories.body(municipality)
    person = factories.person(municipality)
    membership = Membership(
        municipality=municipality,
        person=person,
        body=body,
        start=datetime.date(2024, 5, 1),
        end=datetime.date(2024, 4, 30),
    )
    with pytest.raises(ValidationError) as exc:
        membership.full_clean()
    assert "end" in exc.value.message_dict


def test_overlapping_membership_is_a_duplicate(municipality, in_scope):
    body = factories.body(municipality)
    person = factories.person(municipality)
    factories.membership(
        person, body, start=datetime.date(2020, 1, 1), end=datetime.date(2022, 12, 31)
    )
    overlapping = Membership(
        municipality=municipality, person=person, body=body, start=datetime.date(2022, 6, 1)
    )
    with pytest.raises(ValidationError) as exc:
        overlapping.full_clean()
    assert "person" in exc.value.message_dict
    later = Membership(
        municipality=municipality, person=person, body=body, start=datetime.date(2023, 1, 1)
    )
    later.full_clean()  # a new period after the old one ended is fine


def test_no_new_members_in_a_closed_body(municipality, in_scope):
    body = factories.body(municipality, closed_on=datetime.date(2021, 1, 1), closing_summary="Slut")
    membership = Membership(
        municipality=municipality,
        person=factories.person(municipality),
        body=body,
        start=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        membership.full_clean()
    assert "body" in exc.value.message_dict


def test_person_of_another_municipality_is_refused(municipality, other_municipality, in_scope):
    body = factories.body(municipality)
    stranger = factories.person(other_municipality)
    membership = Membership(
        municipality=municipality, person=stranger, body=body, start=datetime.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        membership.full_clean()
    assert "person" in exc.value.message_dict


def test_mandate_cannot_be_approved_in_the_future(municipality, in_scope):
    body = factories.body(municipality)
    board = factories.body(municipality, "Direktion")
    mandate = factories.mandate(body, board)
    mandate.approved_on = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        mandate.full_clean()
    assert "approved_on" in exc.value.message_dict


def test_mandate_versions_count_up_per_body(municipality, in_scope):
    body = factories.body(municipality)
    board = factories.body(municipality, "Direktion")
    assert [factories.mandate(body, board).version for _ in range(3)] == [1, 2, 3]
    assert factories.mandate(board, board).version == 1


def test_body_cannot_report_to_itself_through_a_cycle(municipality, in_scope):
    top = factories.body(municipality, "Top")
    middle = factories.body(municipality, "Midt", parent=top)
    top.parent = middle
    with pytest.raises(ValidationError) as exc:
        top.full_clean()
    assert "parent" in exc.value.message_dict


def test_closing_needs_a_summary(municipality, in_scope):
    body = factories.body(municipality)
    body.closed_on = datetime.date(2021, 1, 1)
    with pytest.raises(ValidationError) as exc:
        body.full_clean()
    assert "closing_summary" in exc.value.message_dict


def test_close_body_ends_running_memberships(municipality, in_scope):
    body = factories.body(municipality)
    running = factories.membership(factories.person(municipality), body)
    ended = factories.membership(
        factories.person(municipality), body, end=datetime.date(2020, 6, 1)
    )
    services.close_body(body, datetime.date(2021, 3, 1), "Gruppen har afsluttet sit arbejde.")
    running.refresh_from_db()
    ended.refresh_from_db()
    assert running.end == datetime.date(2021, 3, 1)
    assert ended.end == datetime.date(2020, 6, 1)
    assert body.history.count() == 2
    assert running.history.first().history_type == "~"


class TestCompositionCheck:
    """Seed 001: chair, the staff chief, 2 chiefs from welfare, 1 from the joint administration."""

    @pytest.fixture
    def setup(self, municipality, in_scope):
        welfare = factories.unit(municipality, "Velfærdsforvaltningen", kind="forvaltning")
        health = factories.unit(
            municipality, "Sundhed og Omsorg", kind="fagomraade", parent=welfare
        )
        joint = factories.unit(municipality, "Fællesforvaltningen", kind="forvaltning")
        bit = factories.unit(municipality, "Borgerservice, IT og Digitalisering", parent=joint)
        body = factories.body(municipality, "Digitaliseringsstyregruppen")
        board = factories.body(municipality, "Direktion")
        mandate = factories.mandate(body, board)
        factories.rule(
            mandate,
            "Formand: chef for Borgerservice, IT og Digitalisering",
            role="chair",
            title_contains="chef for borgerservice",
        )
        factories.rule(
            mandate,
            "2 chefer fra velfærdsområdet",
            unit=welfare,
            title_contains="chef",
            min_count=2,
        )
        factories.rule(
            mandate, "1 chef fra fællesforvaltningsområdet", unit=joint, title_contains="chef"
        )
        return {
            "welfare": health,
            "joint": bit,
            "body": body,
            "mandate": mandate,
            "municipality": municipality,
        }

    def check(self, setup):
        body = setup["body"]
        memberships = list(Membership.objects.filter(body=body).select_related("person"))
        return services.check_composition(
            body,
            timezone.localdate(),
            memberships,
            services.current_mandate(body, timezone.localdate()),
        )

    def test_unmet_rules_say_what_is_missing(self, setup):
        m = setup["municipality"]
        factories.membership(
            factories.person(m, "Søs Fuglsang", "sundheds- og omsorgschef", unit=setup["welfare"]),
            setup["body"],
        )
        result = self.check(setup)
        assert not result.satisfied
        chair, welfare, joint = result.results
        assert not chair.satisfied and not welfare.satisfied and not joint.satisfied
        assert "Søs Fuglsang" in welfare.reason
        assert "1" in welfare.reason

    def test_one_person_counts_for_one_rule_only(self, setup):
        m = setup["municipality"]
        tonny = factories.person(
            m, "Tonny Olsen", "chef for Borgerservice, IT og Digitalisering", unit=setup["joint"]
        )
        factories.membership(tonny, setup["body"], role="chair")
        for name in ["Søs Fuglsang", "Lene Mehlsen Thomsen"]:
            factories.membership(
                factories.person(m, name, "chef", unit=setup["welfare"]), setup["body"]
            )
        result = self.check(setup)
        chair, welfare, joint = result.results
        assert chair.satisfied and welfare.satisfied
        # Tonny is a chief in the joint administration, but he is counted as chair already
        assert not joint.satisfied
        assert "Tonny Olsen" in joint.reason
        trine = factories.person(
            m, "Trine Grejsen", "chef for kultur og udvikling", unit=setup["joint"]
        )
        factories.membership(trine, setup["body"])
        assert self.check(setup).satisfied

    def test_ended_memberships_do_not_count(self, setup):
        m = setup["municipality"]
        tonny = factories.person(
            m, "Tonny Olsen", "chef for Borgerservice, IT og Digitalisering", unit=setup["joint"]
        )
        factories.membership(tonny, setup["body"], role="chair", end=datetime.date(2021, 1, 1))
        assert not self.check(setup).results[0].satisfied

    def test_no_mandate_means_nothing_to_check(self, municipality, in_scope):
        body = factories.body(municipality)
        result = services.check_composition(body, timezone.localdate(), [], None)
        assert result.mandate is None and result.results == []
