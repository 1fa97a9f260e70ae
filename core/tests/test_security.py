"""Logins are throttled and logged; API keys have a lifecycle; sessions end when idle; the
security log is the administrators' and can be exported (issue 13)."""

import io
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import audit, tokens
from core.middleware import IdleTimeoutMiddleware
from core.models import ApiToken, AuditEvent, AuditKind, Role, TokenScope
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

API = "/api/v1/bodies/"


def _wrong(client, username, path="login"):
    if path == "login":
        return client.post(reverse("login"), {"username": username, "password": "forkert"})
    return client.post(reverse("api_token"), {"username": username, "password": "forkert"})


# --- Throttled, logged logins ---------------------------------------------------------------


def test_login_is_logged_and_a_failure_too(client, users):
    reader = users[Role.READER]
    response = _wrong(client, reader.username)
    assert response.status_code == 200  # the login page again, with its error
    response = client.post(reverse("login"), {"username": reader.username, "password": PASSWORD})
    assert response.status_code == 302
    kinds = list(
        AuditEvent.objects.filter(user=reader).order_by("at", "pk").values_list("kind", flat=True)
    )
    assert kinds == [AuditKind.LOGIN_FAILED, AuditKind.LOGIN]
    event = AuditEvent.objects.get(user=reader, kind=AuditKind.LOGIN)
    assert event.municipality_id == reader.municipality_id
    assert event.ip_address == "127.0.0.1"


def test_an_unknown_username_is_logged_without_a_municipality(client, users):
    _wrong(client, "ingen-saadan")
    event = AuditEvent.objects.get(kind=AuditKind.LOGIN_FAILED)
    assert event.username == "ingen-saadan" and event.municipality_id is None


def test_the_tenth_failure_locks_the_login_even_with_the_right_password(client, users):
    reader = users[Role.READER]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _wrong(client, reader.username).status_code == 200
    locked = _wrong(client, reader.username)
    assert locked.status_code == 429
    assert "For mange mislykkede" in locked.content.decode()
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # The 110th attempt of the issue, now with the right password: still refused.
    right = client.post(reverse("login"), {"username": reader.username, "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind=AuditKind.LOCKED_OUT, user=reader).exists()
    # The API's door is locked for the same username and address.
    api = client.post(reverse("api_token"), {"username": reader.username, "password": PASSWORD})
    assert api.status_code == 429
    assert "For mange mislykkede" in api.json()["detail"]
    # Another username from the same address is not locked.
    other = users[Role.MEMBER]
    response = client.post(reverse("login"), {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_the_lock_opens_after_the_cool_off(client, users):
    reader = users[Role.READER]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _wrong(client, reader.username, path="api")
    assert _wrong(client, reader.username).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    response = client.post(reverse("login"), {"username": reader.username, "password": PASSWORD})
    assert response.status_code == 302


# --- API keys ---------------------------------------------------------------------------------


def _api(key, method="get", path=API, **kwargs):
    return getattr(Client(), method)(path, HTTP_AUTHORIZATION=f"Token {key}", **kwargs)


def test_api_token_makes_a_new_hashed_key_each_time(client, users):
    reader = users[Role.READER]
    data = {"username": reader.username, "password": PASSWORD, "name": "Power BI"}
    first = client.post(reverse("api_token"), data).json()
    second = client.post(reverse("api_token"), data).json()
    assert first["token"] != second["token"]
    assert first["name"] == "Power BI" and first["scope"] == TokenScope.READ
    stored = ApiToken.objects.filter(user=reader)
    assert stored.count() == 2
    # Only the hash is stored: the key is nowhere in the row.
    for row in stored.values():
        assert first["token"] not in str(row) and second["token"] not in str(row)
    assert _api(first["token"]).status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_CREATED, user=reader).count() == 2


def test_a_key_is_refused_once_revoked_expired_or_its_user_deactivated(users):
    reader = users[Role.READER]
    token, key = tokens.issue(reader, "Integration")
    assert _api(key).status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_USED).count() == 1
    assert _api(key).status_code == 200  # use is written down at most once an hour
    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_USED).count() == 1
    tokens.revoke(token)
    response = _api(key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")

    token, key = tokens.issue(reader, "Udløber", expires_at=timezone.now() - timedelta(seconds=1))
    assert _api(key).status_code == 401

    token, key = tokens.issue(reader, "Deaktiveres")
    reader.is_active = False
    reader.save()
    token.refresh_from_db()
    assert token.revoked_at is not None
    reader.is_active = True
    reader.save()
    # Revoked, not suspended: reactivating the login does not bring the key back.
    assert _api(key).status_code == 401
    assert _api("ikke-en-noegle").status_code == 401


def test_a_read_only_key_cannot_write_and_a_write_key_can(users):
    secretary = users[Role.SECRETARY]
    _, read_key = tokens.issue(secretary, "Læser", scope=TokenScope.READ)
    _, write_key = tokens.issue(secretary, "Skriver", scope=TokenScope.WRITE)
    body = {"name": "Styregruppe (demo)", "kind": "steering_group"}
    refused = _api(read_key, "post", data=body, content_type="application/json")
    assert refused.status_code == 403
    assert "kun læse" in refused.json()["detail"]
    accepted = _api(write_key, "post", data=body, content_type="application/json")
    assert accepted.status_code in {201, 400}, accepted.content  # past the scope check


def test_the_user_creates_renews_and_revokes_their_keys_on_their_page(client, users):
    reader = users[Role.READER]
    client.force_login(reader)
    page = client.get(reverse("account"))
    assert page.status_code == 200
    response = client.post(
        reverse("api_key_create"), {"name": "Rapportering", "scope": "read", "days": "30"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["key"]
    token = response.context["token"]
    assert key in response.content.decode()
    assert (token.expires_at - timezone.now()).days in {29, 30}
    assert key not in client.get(reverse("account")).content.decode()  # shown once
    assert _api(key).status_code == 200

    renewed = client.post(reverse("api_key_renew", args=[token.pk]))
    new_key = renewed.context["key"]
    assert new_key != key
    assert _api(key).status_code == 401 and _api(new_key).status_code == 200
    assert renewed.context["token"].name == "Rapportering"

    client.post(reverse("api_key_revoke", args=[renewed.context["token"].pk]))
    assert _api(new_key).status_code == 401
    kinds = set(AuditEvent.objects.filter(user=reader).values_list("kind", flat=True))
    assert {AuditKind.TOKEN_CREATED, AuditKind.TOKEN_RENEWED, AuditKind.TOKEN_REVOKED} <= kinds


def test_a_key_form_without_a_name_writes_nothing(client, users):
    client.force_login(users[Role.READER])
    response = client.post(reverse("api_key_create"), {"name": "  ", "scope": "admin", "days": "7"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"name", "scope", "days"}
    assert not ApiToken.objects.exists()


def test_nobody_touches_another_users_key(client, users):
    token, key = tokens.issue(users[Role.SECRETARY], "Sekretærens")
    client.force_login(users[Role.READER])
    assert client.post(reverse("api_key_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api_key_renew", args=[token.pk])).status_code == 404
    # The other municipality's administrator does not find it either.
    client.force_login(users["outsider"])
    url = reverse("user_key_revoke", args=[users[Role.SECRETARY].pk, token.pk])
    assert client.post(url).status_code == 404
    assert _api(key).status_code == 200


def test_an_administrator_revokes_a_users_key(admin_client, users):
    secretary = users[Role.SECRETARY]
    token, key = tokens.issue(secretary, "Gammel integration")
    page = admin_client.get(reverse("user_edit", args=[secretary.pk]))
    assert "Gammel integration" in page.content.decode()
    response = admin_client.post(reverse("user_key_revoke", args=[secretary.pk, token.pk]))
    assert response.status_code == 302
    assert _api(key).status_code == 401
    event = AuditEvent.objects.get(kind=AuditKind.TOKEN_REVOKED)
    assert event.user == users[Role.ADMINISTRATOR] and secretary.username in event.detail


# --- Changes to logins, exports, the log page ----------------------------------------------


def test_role_changes_and_deactivation_are_logged_with_who_did_it(admin_client, users):
    reader = users[Role.READER]
    response = admin_client.post(
        reverse("user_edit", args=[reader.pk]),
        {"first_name": "", "last_name": "", "email": "", "role": Role.SECRETARY, "is_active": ""},
    )
    assert response.status_code == 302
    role = AuditEvent.objects.get(kind=AuditKind.ROLE_CHANGED)
    assert role.user == users[Role.ADMINISTRATOR]
    assert reader.username in role.detail and "Sekretær" in role.detail
    assert AuditEvent.objects.filter(kind=AuditKind.USER_DEACTIVATED).count() == 1


def test_a_download_is_logged_as_an_export(admin_client, users):
    response = admin_client.get(reverse("audit_log_xlsx"))
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert event.detail == reverse("audit_log_xlsx")


def test_the_log_shows_own_municipality_filters_and_exports(admin_client, users):
    outsider = users["outsider"]
    audit.record(AuditKind.LOGIN, user=outsider, detail="ANDEN-KOMMUNE")
    audit.record(AuditKind.LOGIN_FAILED, user=users[Role.READER], detail="egen-fejl")
    audit.record(AuditKind.LOGIN, user=users[Role.MEMBER], detail="eget-login")
    page = admin_client.get(reverse("audit_log")).content.decode()
    assert "egen-fejl" in page and "eget-login" in page
    assert "ANDEN-KOMMUNE" not in page
    filtered = admin_client.get(reverse("audit_log"), {"kind": AuditKind.LOGIN_FAILED})
    assert "egen-fejl" in filtered.content.decode()
    assert "eget-login" not in filtered.content.decode()
    bad = admin_client.get(reverse("audit_log"), {"kind": "nonsense", "start": "32-13-2026"})
    assert bad.status_code == 200  # an invalid filter is ignored, not an error

    workbook = load_workbook(
        io.BytesIO(admin_client.get(reverse("audit_log_xlsx"), {"kind": "login_failed"}).content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Tid", "Hændelse")
    assert [row[4] for row in rows[1:]] == ["egen-fejl"]
    assert rows[1][1] == "Mislykket login"


def test_only_administrators_read_the_log(client, users):
    client.force_login(users[Role.SECRETARY])
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("audit_log_xlsx")).status_code == 403


def test_old_events_are_pruned_after_the_retention(users, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = audit.record(AuditKind.LOGIN, user=users[Role.READER])
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    new = audit.record(AuditKind.LOGIN, user=users[Role.READER])
    assert audit.prune() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [new.pk]


# --- Sessions and passwords -------------------------------------------------------------------


def test_an_idle_session_is_logged_out(client, users):
    client.force_login(users[Role.READER])
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    idle = settings.SESSION_IDLE_HOURS * 3600
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - idle - 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert settings.SESSION_COOKIE_AGE == idle


def test_an_active_session_is_kept_and_refreshed(client, users):
    client.force_login(users[Role.READER])
    session = client.session
    seen = int(time.time()) - IdleTimeoutMiddleware.REFRESH_SECONDS - 10
    session[IdleTimeoutMiddleware.KEY] = seen
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert client.session[IdleTimeoutMiddleware.KEY] > seen


def test_password_change_with_danish_validation(client, users):
    reader = users[Role.READER]
    client.force_login(reader)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 422
    text = weak.content.decode()
    assert "for kort" in text and "udelukkende numerisk" in text
    strong = "Vinterbadning-i-Grenaa-2026"
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong}
    )
    assert response.status_code == 302 and response["Location"] == reverse("account")
    reader.refresh_from_db()
    assert reader.check_password(strong)
    assert AuditEvent.objects.filter(kind=AuditKind.PASSWORD_CHANGED, user=reader).exists()


def test_the_prune_command_reports_what_it_deleted(users, settings):
    from django.core.management import call_command

    settings.AUDIT_RETENTION_DAYS = 1
    old = audit.record(AuditKind.LOGIN, user=users[Role.READER])
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=2))
    out = io.StringIO()
    call_command("prune_audit_log", stdout=out)
    assert "Deleted 1 security-log events older than 1 days." in out.getvalue()
    assert not AuditEvent.objects.exists()
