"""User administration: an administrator manages the logins of their own municipality."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from core.models import Role, User
from tests import factories

pytestmark = pytest.mark.django_db

NEW = {
    "username": "kaare",
    "first_name": "Kaare",
    "last_name": "Christensen",
    "email": "kaare@example.dk",
    "role": Role.SECRETARY,
    "password1": "en-lang-adgangskode-2024",
    "password2": "en-lang-adgangskode-2024",
}


def test_administrator_creates_a_login_in_their_municipality(admin_client, municipality):
    response = admin_client.post(reverse("user_create"), NEW)
    assert response.status_code == 302
    user = User.objects.get(username="kaare")
    assert user.municipality == municipality and user.role == Role.SECRETARY
    assert user.check_password(NEW["password1"])
    assert user.history.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"username": "reader"}, "username"),  # taken
        ({"password2": "noget-andet-helt-2024"}, "password2"),
        ({"role": "superuser"}, "role"),
        ({"username": ""}, "username"),
    ],
)
def test_bad_new_login_writes_nothing(admin_client, users, change, field):
    before = User.objects.count()
    response = admin_client.post(reverse("user_create"), {**NEW, **change})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert User.objects.count() == before


def test_administrator_cannot_lock_themselves_out(admin_client, users):
    me = users[Role.ADMINISTRATOR]
    response = admin_client.post(
        reverse("user_edit", args=[me.pk]), {"role": Role.READER, "is_active": ""}
    )
    assert response.status_code == 422
    assert {"role", "is_active"} <= set(response.context["form"].errors)
    me.refresh_from_db()
    assert me.role == Role.ADMINISTRATOR and me.is_active


def test_role_change_is_recorded(admin_client, users):
    reader = users[Role.READER]
    admin_client.post(
        reverse("user_edit", args=[reader.pk]), {"role": Role.SECRETARY, "is_active": "on"}
    )
    reader.refresh_from_db()
    assert reader.role == Role.SECRETARY
    assert reader.history.first().history_user == users[Role.ADMINISTRATOR]


def test_user_list_shows_only_this_municipality(admin_client, users):
    html = admin_client.get(reverse("user_list")).content.decode()
    assert "reader" in html and "outsider" not in html


def test_person_form_offers_only_this_municipalitys_free_logins(admin_client, municipality, users):
    with scopes_disabled():
        factories.person(municipality, "Tonny Olsen", user=users[Role.MEMBER])
    html = admin_client.get(reverse("organisation:person_create")).content.decode()
    assert ">reader<" in html
    assert ">outsider<" not in html  # another municipality
    assert ">member<" not in html  # already linked to a person


def test_person_cannot_be_linked_to_another_municipalitys_login(admin_client, users):
    response = admin_client.post(
        reverse("organisation:person_create"),
        {"name": "Fremmed", "user": users["outsider"].pk, "active": "on"},
    )
    assert response.status_code == 422
    assert "user" in response.context["form"].errors
