"""Forgotten password: Django's reset by e-mail, in Danish, reached from the login page,
telling nobody whether an address has a login."""

import re

import pytest
from django.core import mail

from core.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sommerhus-ved-Gjerrild-7"


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def person(municipality):
    return factories.user(
        municipality, Role.MEMBER, username="glemsom", email="glemsom@norddjurs.dk"
    )


def test_the_login_page_links_to_the_reset(client):
    page = client.get("/konto/login/").content.decode()
    assert 'href="/konto/nulstil/"' in page
    assert "Glemt adgangskode?" in page


def test_the_mail_is_danish_and_its_link_sets_a_new_password(client, person):
    assert client.get("/konto/nulstil/").status_code == 200
    response = client.post("/konto/nulstil/", {"email": "glemsom@norddjurs.dk"})
    assert response.status_code == 302
    assert response["Location"] == "/konto/nulstil/sendt/"
    assert "Tjek din e-mail" in client.get(response["Location"]).content.decode()

    [message] = mail.outbox
    assert message.to == ["glemsom@norddjurs.dk"]
    assert message.subject == "Ny adgangskode til digistyr"
    assert "glemsom" in message.body
    assert "Vælg en ny adgangskode her:" in message.body
    link = re.search(r"https?://[^/\s]+(/konto/nulstil/\S+/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    confirm = form.redirect_chain[-1][0]
    assert "Vælg en ny adgangskode" in form.content.decode()

    # The validators hold: 12 characters at least.
    short = client.post(confirm, {"new_password1": "kort1234", "new_password2": "kort1234"})
    assert short.status_code == 200
    assert "12 tegn" in short.content.decode()
    person.refresh_from_db()
    assert not person.check_password("kort1234")

    done = client.post(confirm, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/konto/nulstil/faerdig/"
    assert "Din adgangskode er ændret" in client.get(done["Location"]).content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)

    # The link works once.
    again = client.get(link, follow=True)
    assert "Linket er ikke gyldigt" in again.content.decode()


def test_an_unknown_address_is_answered_the_same(client, person):
    response = client.post("/konto/nulstil/", {"email": "ingen@norddjurs.dk"})
    assert response.status_code == 302
    assert response["Location"] == "/konto/nulstil/sendt/"
    assert mail.outbox == []


def test_an_invalid_link_says_so(client, person):
    response = client.get("/konto/nulstil/MQ/ugyldig-token/")
    assert response.status_code == 200
    assert "Linket er ikke gyldigt" in response.content.decode()
