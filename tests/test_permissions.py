"""The permission matrix: every URL pattern × every role, anonymous and an outsider.

It fails when a URL is added without an entry here. Objects of another municipality answer
404; changes need the organisation.change permission (403); pages need a login (302).
A canary string in the other municipality's data never reaches this municipality's users.
"""

import pytest
import rules
from django.urls import URLPattern, URLResolver, get_resolver

from core.models import Role
from core.permissions import RulesPermission, declared_permission
from tests.matrix import AREAS
from tests.once import make_session, once_per_module, use_session
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

ROLES = list(Role.values)
WRITERS = {Role.ADMINISTRATOR, Role.SECRETARY}
# Who keeps the world's project: those who run the portfolio and the project's own leader.
KEEPERS = WRITERS | {Role.PROJECT_LEADER}
# Who reports proposals (proposals.submit): everyone but the reader.
SUBMITTERS = set(Role.values) - {Role.READER}
API_KINDS = {"api", "api_lead", "api_submit", "api_manage"}
ACTORS = ["anonymous", *ROLES, "outsider"]

# Kinds of entries:
#   public   – anyone, logged in or not
#   read     – every role of the municipality; anonymous is sent to login
#   change   – administrator and secretary; other roles 403
#   manage   – administrator only (user administration); other roles 403
#   api      – like read, but anonymous gets 401/403 instead of a redirect
#   approve  – the chair of the body (MEMBER in the world) and administrators; others 403
#   member   – members of the body (MEMBER, SECRETARY) and administrators; others 404,
#              because they may not know it exists (a closed attachment's file)
#   feed     – a secret-token URL: answers without a login (the token is the credential)
#   api_action – a POST-only API action (a meeting's state change): GET is 405
#   post     – a POST-only action of any logged-in user: an empty POST is 400, anonymous 302
#   lead     – like change, but the project's leader (PROJECT_LEADER in the world) may too:
#              the keepers of the world's project (administrator, secretary, its leader)
#   api_lead – like api, but writes are also allowed to the project's leader
#   submit   – everyone who takes part (proposals.submit): every role but the reader (403)
#   api_submit – like api, but writes are allowed to every role but the reader (403)
#   api_manage – like api, but writes are allowed to administrators only (403): the breaches
#              of the world, which has no data protection officer or IT security group
#   own_key  – a POST-only action on the administrator's own API key: 404 for everyone else
#   manage_post – a POST-only action of administrators on a row (revoke a login's API key)
#   off      – an endpoint switched off unless configured (/metrics without DIGISTYR_METRICS):
#              404 for everyone, like an unknown address (core/tests/test_metrics.py turns it on)
#   own_job  – the page or file of the administrator's own background job: 404 for everyone
#              else, anonymous is sent to login
# `obj` names the object the URL points at ("own" tenant): an outsider gets 404 for it.
MATRIX = {
    "home": ("read", None, lambda t: {}, "core.logged_in"),
    "healthz": ("public", None, lambda t: {}, None),
    "readyz": ("public", None, lambda t: {}, None),
    "metrics": ("off", None, lambda t: {}, None),
    "accessibility": ("public", None, lambda t: {}, None),
    "login": ("public", None, lambda t: {}, None),
    "password_reset": ("public", None, lambda t: {}, None),
    "password_reset_done": ("public", None, lambda t: {}, None),
    "password_reset_confirm": (
        "public",
        None,
        lambda t: {"uidb64": "MQ", "token": "ugyldig-token"},
        None,
    ),
    "password_reset_complete": ("public", None, lambda t: {}, None),
    "logout": ("logout", None, lambda t: {}, "login"),
    "set_language": ("set_language", None, lambda t: {}, "login"),
    "api_token": ("token", None, lambda t: {}, None),
    "api_schema": ("public", None, lambda t: {}, None),
    "api_docs": ("public", None, lambda t: {}, None),
    "user_list": ("manage", None, lambda t: {}, "core.manage_users"),
    "user_create": ("manage", None, lambda t: {}, "core.manage_users"),
    "user_edit": ("manage", "user", lambda t: {"pk": t.users[Role.READER].pk}, "core.manage_users"),
    "user_key_revoke": (
        "manage_post",
        "user",
        lambda t: {"pk": t.users[Role.ADMINISTRATOR].pk, "key": t.api_key.pk},
        "core.manage_users",
    ),
    "audit_log": ("manage", None, lambda t: {}, "core.see_audit_log"),
    "audit_log_xlsx": ("manage", None, lambda t: {}, "core.see_audit_log"),
    "municipality": ("manage", None, lambda t: {}, "core.manage_municipality"),
    "account": ("read", None, lambda t: {}, "core.logged_in"),
    "password_change": ("read", None, lambda t: {}, "core.logged_in"),
    "api_key_create": ("read", None, lambda t: {}, "core.logged_in"),
    "api_key_renew": ("own_key", "key", lambda t: {"pk": t.api_key.pk}, "core.logged_in"),
    "api_key_revoke": ("own_key", "key", lambda t: {"pk": t.api_key.pk}, "core.logged_in"),
    "job_detail": ("own_job", "job", lambda t: {"pk": t.job.pk}, "core.see_job"),
    "job_file": ("own_job", "job", lambda t: {"pk": t.job.pk}, "core.see_job"),
    "operations": ("manage", None, lambda t: {}, "core.see_operations"),
    "organisation:orgunit_list": ("read", None, lambda t: {}, "core.view"),
    "organisation:orgunit_create": ("change", None, lambda t: {}, "organisation.change"),
    "organisation:orgunit_detail": ("read", "unit", lambda t: {"pk": t.unit.pk}, "core.view"),
    "organisation:orgunit_edit": (
        "change",
        "unit",
        lambda t: {"pk": t.unit.pk},
        "organisation.change",
    ),
    "organisation:person_list": ("read", None, lambda t: {}, "core.view"),
    "organisation:person_create": ("change", None, lambda t: {}, "organisation.change"),
    "organisation:person_detail": ("read", "person", lambda t: {"pk": t.person.pk}, "core.view"),
    "organisation:person_edit": (
        "change",
        "person",
        lambda t: {"pk": t.person.pk},
        "organisation.change",
    ),
    "organisation:body_list": ("read", None, lambda t: {}, "core.view"),
    "organisation:body_create": ("change", None, lambda t: {}, "organisation.change"),
    "organisation:body_detail": ("read", "body", lambda t: {"pk": t.body.pk}, "core.view"),
    "organisation:body_edit": (
        "change",
        "body",
        lambda t: {"pk": t.body.pk},
        "organisation.change",
    ),
    "organisation:body_close": (
        "change",
        "body",
        lambda t: {"pk": t.body.pk},
        "organisation.change",
    ),
    "organisation:membership_add": (
        "change",
        "body",
        lambda t: {"pk": t.body.pk},
        "organisation.change",
    ),
    "organisation:status_add": (
        "change",
        "body",
        lambda t: {"pk": t.body.pk},
        "organisation.change",
    ),
    "organisation:mandate_create": (
        "change",
        "body",
        lambda t: {"pk": t.body.pk},
        "organisation.change",
    ),
    "organisation:membership_edit": (
        "change",
        "membership",
        lambda t: {"pk": t.membership.pk},
        "organisation.change",
    ),
    "organisation:mandate_detail": ("read", "mandate", lambda t: {"pk": t.mandate.pk}, "core.view"),
    "organisation:history": (
        "read",
        "body",
        lambda t: {"kind": "organ", "pk": t.body.pk},
        "core.view",
    ),
    "organisation:memo": ("read", None, lambda t: {}, "core.view"),
    "organisation:memo_pdf": ("read", None, lambda t: {}, "core.view"),
    "organisation:memo_docx": ("read", None, lambda t: {}, "core.view"),
    "organisation:members_xlsx": ("read", None, lambda t: {}, "core.view"),
    "orgunit-list": ("api", None, lambda t: {}, "organisation.change"),
    "orgunit-detail": ("api", "unit", lambda t: {"pk": t.unit.pk}, "organisation.change"),
    "person-list": ("api", None, lambda t: {}, "organisation.change"),
    "person-detail": ("api", "person", lambda t: {"pk": t.person.pk}, "organisation.change"),
    "body-list": ("api", None, lambda t: {}, "organisation.change"),
    "body-detail": ("api", "body", lambda t: {"pk": t.body.pk}, "organisation.change"),
    "body-composition": ("api", "body", lambda t: {"pk": t.body.pk}, "organisation.change"),
    "mandate-list": ("api", None, lambda t: {}, "organisation.change"),
    "mandate-detail": ("api", "mandate", lambda t: {"pk": t.mandate.pk}, "organisation.change"),
    "compositionrule-list": ("api", None, lambda t: {}, "organisation.change"),
    "compositionrule-detail": (
        "api",
        "rule",
        lambda t: {"pk": t.mandate.rules.get().pk},
        "organisation.change",
    ),
    "membership-list": ("api", None, lambda t: {}, "organisation.change"),
    "membership-detail": (
        "api",
        "membership",
        lambda t: {"pk": t.membership.pk},
        "organisation.change",
    ),
}


# Lists whose response includes the canary of the user's own municipality.
SHOWS_OWN_DATA = {
    "organisation:body_list",
    "organisation:person_list",
    "organisation:orgunit_list",
    "organisation:memo",
    "organisation:body_detail",
    "body-list",
    "person-list",
    "orgunit-list",
    "mandate-list",
    "compositionrule-list",
}

# API actions that only answer GET: a write is 405 before any permission check.
READ_ONLY_API = {"body-composition"}

# Pages that show the closed canary to those who may see closed items.
SHOWS_CLOSED: set[str] = set()

for _area in AREAS:
    _clash = MATRIX.keys() & _area.MATRIX.keys()
    assert not _clash, f"URL names in two matrix files: {_clash}"
    MATRIX.update(_area.MATRIX)
    SHOWS_OWN_DATA |= _area.SHOWS_OWN_DATA
    SHOWS_CLOSED |= _area.SHOWS_CLOSED
    READ_ONLY_API |= _area.READ_ONLY_API

# Who may see closed items and attachments of the world's steering group.
SEES_CLOSED = {Role.ADMINISTRATOR, Role.MEMBER, Role.SECRETARY}
APPROVERS = {Role.ADMINISTRATOR, Role.MEMBER}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, ns)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(namespace + pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    names = url_names()
    missing = names - MATRIX.keys()
    assert not missing, f"Add these URLs to the permission matrix: {sorted(missing)}"
    stale = MATRIX.keys() - names
    assert not stale, f"The matrix names URLs that no longer exist: {sorted(stale)}"


def url_callbacks(resolver=None, namespace=""):
    """{url name: the view it calls}."""
    resolver = resolver or get_resolver()
    callbacks = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            callbacks.update(url_callbacks(pattern, ns))
        else:
            callbacks[namespace + pattern.name] = pattern.callback
    return callbacks


# Standard viewset actions: the others are actions of their own (a meeting's state changes).
STANDARD_ACTIONS = {"list", "create", "retrieve", "update", "partial_update", "destroy"}


def declared(view) -> str | None:
    """The permission a URL's view declares, as the matrix names it:

    - a page view: the name given to `permission_required`;
    - an API route: what its writes ask (`permissions` of the viewset): an action's own name,
      else "object" (or "write") on a detail route and "create" (or "write") on a list route;
      None where the viewset takes no writes;
    - None for views that need no login (`login_not_required`); "login" for Django's own
      views that need a login and nothing more (logout, the language switch).
    """
    cls = getattr(view, "cls", None)
    if cls is not None and getattr(view, "actions", None) is not None:  # a viewset's route
        assert RulesPermission in cls.permission_classes, (
            f"{cls.__name__} asks another permission class than RulesPermission"
        )
        names = getattr(cls, "permissions", {})
        actions = set(getattr(view, "actions", {}).values())
        own = sorted(actions - STANDARD_ACTIONS)
        if own:
            return names.get(own[0], names.get("object", names.get("write")))
        if actions & {"retrieve", "update", "partial_update", "destroy"}:
            return names.get("object", names.get("write"))
        return names.get("create", names.get("write"))
    if getattr(view, "login_required", True) is False:
        return None
    name = declared_permission(view)
    if name is None and view.__module__.startswith("django."):
        return "login"
    return name


def test_every_view_declares_the_permission_the_matrix_names():
    """The matrix names each URL's permission; the view declares the same name, and every
    name is a declared rule (`rules.add_perm` in the app's rules.py)."""
    wrong = {}
    for name, view in url_callbacks().items():
        expected = MATRIX[name][3]
        if expected is not None and expected != "login":
            assert rules.perm_exists(expected), f"{name}: no permission named {expected}"
        if declared(view) != expected:
            wrong[name] = (declared(view), expected)
    assert not wrong, f"Declared vs matrix: {wrong}"


@once_per_module
def world():
    """Both municipalities, built once for the whole matrix, and a session per actor: each
    check is one request over the same rows (a refused write changes nothing, and what a
    permitted one writes is rolled back after its test)."""
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    # `outsider` is an administrator of the other municipality
    own.users["outsider"] = other.users[Role.ADMINISTRATOR]
    sessions = {actor: make_session(own.users[actor]) for actor in ACTORS if actor != "anonymous"}
    return own, other, sessions


def expected_status(kind: str, obj: str | None, actor: str, method: str) -> set[int]:
    if kind == "public":
        return {200}
    if kind == "off":
        return {404}
    if kind == "logout":
        return {302}
    if kind == "set_language":
        return {302}
    if kind == "token":
        return {400} if method == "POST" else {405}
    if kind == "feed":
        return {200}
    if kind == "api_action":
        # POST-only API action: a GET is 405 for any logged-in user (before any lookup)
        return {401, 403} if actor == "anonymous" else {405}
    if kind == "post":
        return {302} if actor == "anonymous" else {400}
    if kind == "own_key":
        return (
            {302} if actor == "anonymous" else {200, 302} if actor == Role.ADMINISTRATOR else {404}
        )
    if kind == "own_job":
        return {302} if actor == "anonymous" else {200} if actor == Role.ADMINISTRATOR else {404}
    if kind == "manage_post" and actor not in {"anonymous", "outsider"}:
        return {302} if actor == Role.ADMINISTRATOR else {403}
    if actor == "anonymous":
        return {401, 403} if kind in API_KINDS else {302}
    if actor == "outsider":
        if obj is not None:
            return {404}
        if kind in API_KINDS and method != "GET":
            return {201, 400}
        return {200}
    if kind == "change" and actor not in WRITERS:
        return {403}
    if kind == "lead" and actor not in KEEPERS:
        return {403}
    if kind == "api_lead" and method != "GET" and actor not in KEEPERS:
        return {403}
    if kind == "submit" and actor not in SUBMITTERS:
        return {403}
    if kind == "api_submit" and method != "GET" and actor not in SUBMITTERS:
        return {403}
    if kind == "api_manage" and method != "GET" and actor != Role.ADMINISTRATOR:
        return {403}
    if kind == "manage" and actor != Role.ADMINISTRATOR:
        return {403}
    if kind == "approve" and actor not in APPROVERS:
        return {403}
    if kind == "member" and actor not in SEES_CLOSED:
        return {404}
    if kind == "api" and method != "GET" and actor not in WRITERS:
        return {403}
    return {200} if method == "GET" else {200, 400}


def _client_for(client, world, actor):
    _, _, sessions = world
    if actor != "anonymous":
        use_session(client, sessions[actor])
    return client


# On PostgreSQL (`make test-pg`) the matrix asks as the actors whose answers depend on the rows
# the database finds: the outsider (another municipality's rows), the administrator (every
# page's full queries), the member (closed content shown) and the reader (closed content
# hidden). Which of the other roles may do what is decided by the rules in Python, the same
# on every database: those requests run in the SQLite pass only (marker `roles`).
PG_GET_ACTORS = {"outsider", Role.ADMINISTRATOR, Role.MEMBER, Role.READER}
# A refused write writes nothing on any database: on PostgreSQL the outsider's is asked.
PG_WRITE_ACTORS = {"outsider"}


def actors(asked_on_postgresql: set) -> list:
    return [
        actor if actor in asked_on_postgresql else pytest.param(actor, marks=pytest.mark.roles)
        for actor in ACTORS
    ]


@pytest.mark.parametrize("actor", actors(PG_GET_ACTORS))
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_get(client, world, url_name, actor):
    from django.urls import reverse

    own, other, _ = world
    kind, obj, kwargs, _ = MATRIX[url_name]
    method = (
        "POST"
        if kind in {"logout", "set_language", "token", "post", "own_key", "manage_post"}
        else "GET"
    )
    with_scope = _scoped(own)
    with with_scope:
        url = reverse(url_name, kwargs=kwargs(own))
    client = _client_for(client, world, actor)
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code in expected_status(kind, obj, actor, method), (
        f"{actor} {method} {url}: {response.status_code}"
    )
    body = b"".join(response) if response.streaming else response.content
    # A feed answers whoever holds its token with its own municipality's data.
    foreign = CANARY_OWN if actor == "outsider" and kind != "feed" else CANARY_OTHER
    assert foreign.encode() not in body, f"{url} leaks another municipality's data to {actor}"
    if actor not in SEES_CLOSED:
        assert CANARY_CLOSED.encode() not in body, f"{url} shows a closed item to {actor}"
    elif url_name in SHOWS_CLOSED and response.status_code == 200:
        assert CANARY_CLOSED.encode() in body, f"{url} hides the closed item from {actor}"
    if url_name in SHOWS_OWN_DATA and response.status_code == 200:
        # the canary check means something only where the page does show data
        mine = CANARY_OTHER if actor == "outsider" else CANARY_OWN
        assert mine.encode() in body, f"{url} shows no data to {actor}"
    if response.status_code == 302 and actor == "anonymous" and kind in {"read", "change"}:
        assert response["Location"].startswith("/konto/login/")
    assert_security_headers(response, f"{actor} {method} {url}")


def assert_security_headers(response, what: str) -> None:
    """Every answer (page, document, API, redirect, refusal) carries the Content-Security-
    Policy, with a script-src that allows no inline script and no eval, and the
    Permissions-Policy."""
    policy = response.get("Content-Security-Policy", "")
    directives = dict((part.split(" ", 1) + [""])[:2] for part in policy.split("; ") if part)
    script_src = directives.get("script-src", "").split()
    assert script_src and "'unsafe-inline'" not in script_src, f"{what}: CSP is {policy!r}"
    assert "'unsafe-eval'" not in script_src, f"{what}: CSP is {policy!r}"
    assert "camera=()" in response.get("Permissions-Policy", ""), f"{what}: no Permissions-Policy"


@pytest.mark.parametrize("actor", actors(PG_WRITE_ACTORS))
@pytest.mark.parametrize(
    "url_name",
    sorted(
        name
        for name, (kind, *_) in MATRIX.items()
        if kind
        in {
            "change",
            "manage",
            "api",
            "approve",
            "lead",
            "api_lead",
            "submit",
            "api_submit",
            "api_manage",
        }
        and name not in READ_ONLY_API
    ),
)
def test_write_without_permission_changes_nothing(client, world, url_name, actor):
    """POST (pages) or PATCH (API) with no data: 403/404 for those who may not, and no rows."""
    from django.urls import reverse
    from django_scopes import scopes_disabled

    own, _, _ = world
    kind, obj, kwargs, _ = MATRIX[url_name]
    with _scoped(own):
        url = reverse(url_name, kwargs=kwargs(own))
    client = _client_for(client, world, actor)
    with scopes_disabled():
        before = _fingerprint()
    if kind in API_KINDS:
        if obj is None:
            response = client.post(url, {}, content_type="application/json")
        else:
            response = client.patch(url, {}, content_type="application/json")
    else:
        response = client.post(url, {})
    with scopes_disabled():
        after = _fingerprint()
    if actor == "anonymous":
        assert response.status_code in ({401, 403} if kind in API_KINDS else {302})
    elif actor == "outsider" and obj is not None:
        assert response.status_code == 404
    elif kind == "approve" and actor not in APPROVERS and actor != "outsider":
        assert response.status_code == 403
    elif kind in {"lead", "api_lead"}:
        if actor not in KEEPERS and actor != "outsider":
            assert response.status_code == 403
    elif kind in {"submit", "api_submit"}:
        if actor not in SUBMITTERS and actor != "outsider":
            assert response.status_code == 403
    elif kind == "api_manage":
        if actor != Role.ADMINISTRATOR and actor != "outsider":
            assert response.status_code == 403
    elif kind != "approve" and actor not in WRITERS and actor != "outsider":
        assert response.status_code == 403
    elif kind == "manage" and actor != Role.ADMINISTRATOR and actor != "outsider":
        assert response.status_code == 403
    # Refused: anonymous (sent to the login), forbidden or not found. A writer's 302 is a
    # write that succeeded (an empty POST to a delete confirmation deletes).
    if actor == "anonymous" or response.status_code in {401, 403, 404}:
        assert before == after, f"{actor} changed data through {url}"


def _fingerprint():
    """Row counts of every governed model, and the state and revision of every meeting."""
    from benefits.models import Benefit, BenefitMeasurement, BenefitPlan
    from core.models import User
    from meetings.models import (
        AgendaItem,
        Attachment,
        Attendance,
        CalendarFeed,
        Case,
        CaseStep,
        FollowUp,
        Meeting,
    )
    from organisation.models import Body, Membership, OrgUnit, Person
    from portfolio.models import BudgetYear, Milestone, PhaseChange, Project, Risk, StatusReport

    counts = [
        m.objects.count()
        for m in (
            Body,
            Membership,
            OrgUnit,
            Person,
            User,
            AgendaItem,
            Attachment,
            Attendance,
            CalendarFeed,
            Case,
            CaseStep,
            FollowUp,
            Meeting,
            Project,
            PhaseChange,
            Milestone,
            BudgetYear,
            StatusReport,
            Risk,
            Benefit,
            BenefitPlan,
            BenefitMeasurement,
        )
    ]
    portfolio = sorted(Project.objects.values_list("pk", "phase", "name"))
    risks = sorted(Risk.objects.values_list("pk", "status", "escalated_to_id", "probability"))
    states = sorted(Meeting.objects.values_list("pk", "state", "revision"))
    items = sorted(AgendaItem.objects.values_list("pk", "revision", "position"))
    follow_ups = sorted(FollowUp.objects.values_list("pk", "status"))
    from systems.models import Breach

    breaches = sorted(Breach.objects.values_list("pk", "title", "closed_on", "notified_at"))
    return counts, states, items, follow_ups, portfolio, risks, _planning_fingerprint(), breaches


def _planning_fingerprint():
    """Strategy and planning: row counts, the projects' links, and what a refused write could
    change in place (a plan's state and capacity, scores, ranks, a proposal's status, an
    activity's recurrence, the wheel's first month)."""
    from core.models import Municipality
    from planning.models import (
        AnnualPlan,
        Criterion,
        PlanEntry,
        Proposal,
        Score,
        WheelActivity,
    )
    from portfolio.models import Project
    from strategy.models import Goal, Strategy

    counts = [
        m.objects.count()
        for m in (
            Strategy,
            Goal,
            Proposal,
            AnnualPlan,
            Criterion,
            PlanEntry,
            Score,
            WheelActivity,
            Project.goals.through,
            Project.focus_areas.through,
            Project.sdgs.through,
        )
    ]
    return (
        counts,
        sorted(Strategy.objects.values_list("pk", "title", "end_year")),
        sorted(Goal.objects.values_list("pk", "title")),
        sorted(Proposal.objects.values_list("pk", "status", "project_id", "title")),
        sorted(
            AnnualPlan.objects.values_list(
                "pk", "state", "capacity_hours", "recommended_by_id", "approved_by_id"
            )
        ),
        sorted(Criterion.objects.values_list("pk", "weight")),
        sorted(PlanEntry.objects.values_list("pk", "rank_override", "progress", "hours")),
        sorted(Score.objects.values_list("pk", "value")),
        sorted(WheelActivity.objects.values_list("pk", "frequency", "month", "day", "title")),
        sorted(Municipality.objects.values_list("pk", "wheel_first_month")),
    )


def _scoped(tenant):
    from django_scopes import scope

    return scope(municipality=tenant.municipality.pk)
