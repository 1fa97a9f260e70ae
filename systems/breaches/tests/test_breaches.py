"""Breaches: the services (record, change, close, history), the pages and the API, bad input
(notified before discovered, late without a reason, future dates), and the closed content:
a canary in the breach's closed fields is read by the administrator, the data protection
officer and the IT security group's members, and by nobody else on any breach URL; another
municipality's breach is 404."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import Role
from systems.breaches import services
from systems.models import Breach
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_OTHER, CANARY_OWN, build_tenant

pytestmark = pytest.mark.history

SECRET = "KANARIE-BRUD-LUKKET"
HOUR = datetime.timedelta(hours=1)


@once_per_module
def w():
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    # The data protection officer is the project leader's person; the IT security group is
    # the steering group (MEMBER chairs it, SECRETARY is its secretary).
    factories.privacy(own.municipality, officer=own.leader_person, security_body=own.body)
    breach = factories.breach(
        own.municipality,
        "Mail sendt til forkert modtager",
        description=f"Hvad skete {SECRET}",
        persons_affected=4,
        personal_data=["cpr"],
        measures=f"Tiltag {SECRET}",
        authority_reference=f"REF-{SECRET}",
    )
    return own, other, breach


CIRCLE = {Role.ADMINISTRATOR, Role.PROJECT_LEADER, Role.MEMBER, Role.SECRETARY}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(breach) -> list[str]:
    return [
        reverse("systems:breach_list"),
        reverse("systems:breach_detail", args=[breach.pk]),
        reverse("systems:breach_edit", args=[breach.pk]),
        reverse("systems:breach_close", args=[breach.pk]),
        reverse("organisation:history", args=["brud", breach.pk]),
        reverse("breach-list"),
        reverse("breach-detail", args=[breach.pk]),
    ]


# --- Services ---------------------------------------------------------------------------------


def test_record_change_and_close_write_history(w):
    own, _, _ = w
    admin = own.users[Role.ADMINISTRATOR]
    now = timezone.now()
    with scope(municipality=own.municipality.pk):
        breach = services.record(
            Breach(
                municipality=own.municipality,
                title="Bærbar stjålet",
                discovered_at=now - 10 * HOUR,
                severity="high",
            ),
            admin,
        )
        assert breach.registered_by == admin
        assert services.clock(breach, now).text.startswith("62 ")
        services.change(breach, admin, notified_at=now - 2 * HOUR, authority_reference="X-1")
        assert services.state_of(breach) == services.State.NOTIFIED
        services.close(breach, admin, timezone.localdate())
        assert services.state_of(breach) == services.State.CLOSED
        assert breach.history.count() == 3
        assert breach.history.first().history_user == admin


def test_the_clock_counts_down_and_then_overdue(w):
    own, _, _ = w
    now = timezone.now()
    with scope(municipality=own.municipality.pk):
        open_ = Breach(discovered_at=now - 71 * HOUR - 30 * datetime.timedelta(minutes=1))
        assert "30" in services.clock(open_, now).text and not services.clock(open_, now).overdue
        late = Breach(discovered_at=now - 75 * HOUR)
        clock = services.clock(late, now)
        assert clock.overdue and "3" in clock.text
        assert services.clock(Breach(discovered_at=now, notified_at=now), now) is None


@pytest.mark.parametrize(
    "values, field",
    [
        ({"notified_at": -2}, "notified_at"),  # before it was discovered
        ({"discovered_at": +5}, "discovered_at"),  # in the future
        ({"notified_at": +5}, "notified_at"),
        ({"notified_at": 80}, "not_notified_reason"),  # late without a reason
    ],
)
def test_bad_input_is_refused_naming_the_field(w, values, field):
    own, _, breach = w
    base = timezone.now() - 100 * HOUR
    when = {
        name: (
            timezone.now() + hours * HOUR
            if name != "notified_at" or hours != 80
            else base + 80 * HOUR
        )
        for name, hours in values.items()
    }
    if "notified_at" in values and values["notified_at"] == -2:
        when["notified_at"] = base - 2 * HOUR
    with scope(municipality=own.municipality.pk):
        breach = Breach.objects.get(pk=breach.pk)
        breach.discovered_at = base
        breach.save()
        before = breach.history.count()
        with pytest.raises(ValidationError) as error:
            services.change(breach, own.users[Role.ADMINISTRATOR], **when)
        assert field in error.value.message_dict
        assert breach.history.count() == before


def test_close_refuses_the_future_and_an_unnotified_breach_without_a_reason(w):
    own, _, breach = w
    admin = own.users[Role.ADMINISTRATOR]
    with scope(municipality=own.municipality.pk):
        breach = Breach.objects.get(pk=breach.pk)
        with pytest.raises(ValidationError) as error:
            services.close(breach, admin, timezone.localdate() + datetime.timedelta(days=1))
        assert "closed_on" in error.value.message_dict
        breach = Breach.objects.get(pk=breach.pk)
        with pytest.raises(ValidationError) as error:
            services.close(breach, admin, timezone.localdate(), "")
        assert "not_notified_reason" in error.value.message_dict
        assert Breach.objects.get(pk=breach.pk).closed_on is None


# --- Pages ------------------------------------------------------------------------------------


def test_the_list_shows_the_clock_in_words(w):
    own, _, breach = w
    html = _client(own.users[Role.READER]).get(reverse("systems:breach_list")).content.decode()
    assert "Mail sendt til forkert modtager" in html
    assert 'id="breach-clock"' in html
    assert SECRET not in html


def test_record_a_breach_through_the_form(w):
    own, _, _ = w
    client = _client(own.users[Role.PROJECT_LEADER])  # the data protection officer
    discovered = timezone.localtime() - 3 * HOUR
    response = client.post(
        reverse("systems:breach_create"),
        {
            "title": "USB-nøgle tabt",
            "discovered_at": f"{discovered:%Y-%m-%dT%H:%M}",
            "severity": "risk",
            "description": "Nøglen havde en liste",
            "personal_data": ["ordinary", "cpr"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with scopes_disabled():
        made = Breach.objects.get(title="USB-nøgle tabt")
    assert made.personal_data == ["ordinary", "cpr"]
    assert made.registered_by == own.users[Role.PROJECT_LEADER]


def test_the_form_shows_the_model_errors_at_their_fields_in_danish(w):
    own, _, _ = w
    client = _client(own.users[Role.ADMINISTRATOR])
    discovered = timezone.localtime() - 100 * HOUR
    response = client.post(
        reverse("systems:breach_create"),
        {
            "title": "For sent",
            "discovered_at": f"{discovered:%Y-%m-%dT%H:%M}",
            "notified_at": f"{discovered - HOUR:%Y-%m-%dT%H:%M}",
            "severity": "risk",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "id_notified_at_error" in html
    response = client.post(
        reverse("systems:breach_create"),
        {
            "title": "Langt ude",
            "discovered_at": "9999-12-31T23:00",
            "severity": "risk",
        },
    )
    assert response.status_code == 422
    assert "id_discovered_at_error" in response.content.decode()
    with scopes_disabled():
        assert not Breach.objects.filter(title__in=["For sent", "Langt ude"]).exists()


def test_close_through_the_page_needs_a_reason_when_unnotified(w):
    own, _, breach = w
    client = _client(own.users[Role.MEMBER])  # a member of the IT security group
    url = reverse("systems:breach_close", args=[breach.pk])
    response = client.post(url, {"closed_on": f"{timezone.localdate():%Y-%m-%d}"})
    assert response.status_code == 422
    assert "id_not_notified_reason_error" in response.content.decode()
    response = client.post(
        url,
        {"closed_on": f"{timezone.localdate():%Y-%m-%d}", "not_notified_reason": "Lav risiko"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Breach.objects.get(pk=breach.pk).closed_on == timezone.localdate()


def test_outside_the_circle_writing_is_refused_naming_the_permission(w):
    own, _, breach = w
    client = _client(own.users[Role.READER])
    response = client.get(reverse("systems:breach_edit", args=[breach.pk]))
    assert response.status_code == 403
    assert "IT" in response.content.decode()
    api = client.patch(
        reverse("breach-detail", args=[breach.pk]), {"title": "x"}, content_type="application/json"
    )
    assert api.status_code == 403
    assert "systems.change_breach" in api.content.decode()


# --- The closed content -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [*Role.values, "outsider"])
def test_the_closed_canary_reaches_the_circle_only(w, role):
    own, other, breach = w
    with scopes_disabled():
        # One change of the closed fields, so that the history has something to hide.
        services.change(
            Breach.objects.get(pk=breach.pk),
            own.users[Role.ADMINISTRATOR],
            measures=f"Nye tiltag {SECRET}",
        )
    user = other.users[Role.ADMINISTRATOR] if role == "outsider" else own.users[role]
    client = _client(user)
    with scope(municipality=own.municipality.pk):
        urls = _urls(breach)
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        if role == "outsider":
            assert SECRET not in body, url
            if "/brud/" in url or "breaches/" in url and str(breach.pk) in url:
                assert response.status_code in {200, 404}, url
            continue
        assert response.status_code in {200, 403}, (url, response.status_code)
        if role in CIRCLE:
            assert response.status_code == 200, url
            if "rediger" not in url and "luk" not in url or role in CIRCLE:
                assert SECRET in body or "luk" in url, (role, url)
        else:
            assert SECRET not in body, (role, url)


def test_another_municipality_s_breach_is_404(w):
    own, other, breach = w
    client = _client(other.users[Role.ADMINISTRATOR])
    with scope(municipality=own.municipality.pk):
        urls = [url for url in _urls(breach) if str(breach.pk) in url]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_the_api_nulls_the_closed_fields_outside_the_circle(w):
    own, _, breach = w
    url = reverse("breach-detail", args=[breach.pk])
    data = _client(own.users[Role.READER]).get(url).json()
    assert data["title"] == "Mail sendt til forkert modtager"
    for name in Breach.CLOSED_FIELDS:
        assert data[name] is None, name
    data = _client(own.users[Role.PROJECT_LEADER]).get(url).json()
    assert SECRET in data["description"] and data["personal_data"] == ["cpr"]


def test_the_api_records_and_refuses_bad_input(w):
    own, _, _ = w
    client = _client(own.users[Role.ADMINISTRATOR])
    discovered = timezone.now() - 5 * HOUR
    response = client.post(
        reverse("breach-list"),
        {
            "title": "API-brud",
            "discovered_at": discovered.isoformat(),
            "notified_at": (discovered - HOUR).isoformat(),
            "severity": "low",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "notified_at" in response.json()
    response = client.post(
        reverse("breach-list"),
        {"title": "API-brud", "discovered_at": discovered.isoformat(), "severity": "low"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["state"] == "open"


def test_the_full_export_holds_the_breaches_with_their_closed_content(w):
    import io

    from openpyxl import load_workbook

    from systems.breaches.documents import all_breaches

    own, _, _ = w
    with scope(municipality=own.municipality.pk):
        data = all_breaches(own.municipality).to_bytes()
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert any(SECRET in c for c in cells)
