"""The security log: logins, failures, lockouts, API keys, exports and role changes.

`record()` writes one `AuditEvent`. The receivers below connect it to Django's login
signals and django-axes's lockout signal; `ExportAuditMiddleware` records every download
a logged-in user takes (documents, spreadsheets, attachments, calendars). Events are kept
for `settings.AUDIT_RETENTION_DAYS` (`manage.py prune_audit_log`).
"""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from core.middleware import mark_seen
from core.models import AuditEvent, AuditKind, User

USERNAME_MAX = AuditEvent._meta.get_field("username").max_length
DETAIL_MAX = AuditEvent._meta.get_field("detail").max_length


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as django-axes sees it (behind a proxy: `AXES_IPWARE_*`)."""
    if request is None:
        return None
    try:
        return get_client_ip_address(request) or None
    except (AttributeError, ValueError):
        return None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    detail: str = "",
    municipality=None,
) -> AuditEvent:
    """Write one event. `user` defaults to the request's logged-in user; the municipality to
    the user's."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if user is not None:
        username = username or user.get_username()
        if municipality is None:
            municipality = user.municipality_id
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=str(username or "")[:USERNAME_MAX],
        municipality_id=getattr(municipality, "pk", municipality),
        ip_address=client_ip(request),
        detail=str(detail)[:DETAIL_MAX],
    )


def visible_to(user: User):
    """The events an administrator may read: their own municipality's."""
    if user.municipality_id is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(municipality_id=user.municipality_id)


def filtered(request):
    """The security log page's filter form and the events it selects, newest first."""
    from core.forms import AuditFilterForm

    form = AuditFilterForm(request.GET or None)
    return form, form.filter(visible_to(request.user)).select_related("user")


def prune(now=None) -> int:
    """Delete the events older than the retention period; the number deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def _known_user(username: str) -> User | None:
    if not username:
        return None
    return User.objects.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    if request is not None:
        mark_seen(request)
    record(AuditKind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    user = _known_user(username)
    # A failure for an unknown name belongs to no municipality: only the log file sees it.
    record(AuditKind.LOGIN_FAILED, request=request, user=user, username=username)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    user = _known_user(username)
    record(
        AuditKind.LOCKED_OUT,
        request=request,
        user=user,
        username=username,
        detail=f"{settings.AXES_FAILURE_LIMIT}",
    )


class ExportAuditMiddleware:
    """Records every file a logged-in user downloads: a response with
    `Content-Disposition: attachment` (documents, spreadsheets, attachments, calendars)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if (
            disposition.startswith("attachment")
            and response.status_code == 200
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            record(AuditKind.EXPORT, request=request, detail=request.get_full_path())
        return response
