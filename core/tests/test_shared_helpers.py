"""The helpers the apps share: filter forms, validation errors on forms, form
statuses, the user's person."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from core.auth import person_of
from core.forms import FilterFormMixin, add_validation_errors
from core.models import User
from core.paging import page_by_keys
from core.responses import form_status, invalid_status
from organisation.models import Body, Person
from tests import factories


class _Filter(FilterFormMixin, forms.Form):
    q = forms.CharField(required=False)
    n = forms.IntegerField(required=False)
    flag = forms.BooleanField(required=False)


class _BlankFilter(_Filter):
    blank_as_none = True


class _FalsyFilter(_Filter):
    falsy_as_none = True


def test_filter_value_is_none_when_unbound_or_invalid():
    assert _Filter().value("n") is None
    form = _Filter({"q": "x", "n": "not a number"})
    assert form.value("q") == "x"
    assert form.value("n") is None


def test_filter_value_keeps_blank_unless_asked():
    assert _Filter({"q": ""}).value("q") == ""
    assert _BlankFilter({"q": ""}).value("q") is None
    assert _BlankFilter({"n": "0"}).value("n") == 0
    assert _FalsyFilter({"n": "0"}).value("n") is None
    assert _FalsyFilter({"n": "3"}).value("n") == 3


class _Form(forms.Form):
    name = forms.CharField(required=False)
    decision = forms.CharField(required=False)


def test_add_validation_errors_puts_errors_at_their_fields():
    form = _Form({})
    form.is_valid()
    add_validation_errors(form, ValidationError({"name": "bad name", "other": "bad other"}))
    assert form.errors["name"] == ["bad name"]
    assert form.errors[NON_FIELD_ERRORS] == ["bad other"]


def test_add_validation_errors_maps_field_names_and_plain_errors():
    form = _Form({})
    form.is_valid()
    add_validation_errors(
        form, ValidationError({"approved_by": "who?"}), field_names={"approved_by": "decision"}
    )
    add_validation_errors(form, ValidationError("whole form"))
    assert form.errors["decision"] == ["who?"]
    assert form.errors[NON_FIELD_ERRORS] == ["whole form"]


def test_form_status_is_422_for_a_post_only():
    factory = RequestFactory()
    assert form_status(factory.post("/")) == 422
    assert form_status(factory.get("/")) == 200


def test_person_of_is_the_person_in_the_users_own_municipality():
    user = User(municipality_id=1)
    assert person_of(None) is None
    assert person_of(AnonymousUser()) is None
    assert person_of(user) is None  # no person (the backend's cache would say so too)
    person = Person(user=user, municipality_id=1)
    assert person_of(user) is person
    person.municipality_id = 2
    assert person_of(user) is None


def test_invalid_status_is_200_for_htmx_only():
    request = RequestFactory().post("/")
    assert invalid_status(request) == 422
    request.htmx = True
    assert invalid_status(request) == 200


@pytest.mark.django_db
def test_page_by_keys_is_the_paginators_page_with_the_related_rows(municipality):
    """The same rows in the same order as Django's paginator, on every page and past the last
    one, with the queryset's related rows loaded (no query per row)."""
    with scopes_disabled():
        parent = factories.body(municipality, "Styregruppen")
        for n in range(7):
            factories.body(municipality, f"Gruppe {n % 3} {n}", parent=parent)
        bodies = Body.objects.filter(parent=parent).select_related("parent").order_by("-name", "pk")
        expected = Paginator(bodies, 3)
        for number in (1, 2, 3, 9, "x"):
            page = page_by_keys(bodies, number, 3)
            plain = expected.get_page(number)
            assert [b.pk for b in page.object_list] == [b.pk for b in plain.object_list]
            assert (page.number, page.paginator.count) == (plain.number, 7)
        with CaptureQueriesContext(connection) as queries:
            page = page_by_keys(bodies, 1, 3)
            assert {b.parent.name for b in page.object_list} == {"Styregruppen"}
        assert len(queries) == 3  # the count, the page's keys, its rows


def test_link_reverses_a_pattern_once_and_is_empty_for_no_such_page():
    from unittest import mock

    from core import links

    links._makers.clear()
    with mock.patch.object(links, "reverse", wraps=links.reverse) as reverse:
        assert links.link("organisation:body_detail", 7) == "/organer/7/"
        assert links.link("organisation:body_detail", 12) == "/organer/12/"
    assert reverse.call_count == 1
    assert links.link("no:such_page", 3) == ""
