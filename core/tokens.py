"""API keys: made, renewed, revoked and checked here, and nowhere else.

A key is `secrets.token_urlsafe(32)`; the database holds its SHA-256 (`ApiToken.key_hash`).
A client sends it as `Authorization: Token <key>` (or `Bearer <key>`). A read-only key may
only read (`core.permissions.RulesPermission` refuses its writes); an expired or revoked
key, or one whose user is deactivated, is answered 401 at once.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from core import audit
from core.models import ApiToken, AuditKind, Role, TokenScope, User

# How often a key's use is written down (its `last_used_at` and one event in the log).
USE_RECORDED_EVERY = timedelta(hours=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_expiry(now=None):
    return (now or timezone.now()) + timedelta(days=settings.API_TOKEN_DAYS)


@transaction.atomic
def issue(
    user: User,
    name: str,
    *,
    scope: str = TokenScope.READ,
    expires_at=None,
    request=None,
) -> tuple[ApiToken, str]:
    """A new key for `user`: the row and the key itself, which is shown once and never
    stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        key_hash=hash_key(key),
        prefix=key[:8],
        expires_at=expires_at or default_expiry(),
    )
    audit.record(
        AuditKind.TOKEN_CREATED,
        request=request,
        user=user,
        detail=_audit_detail(token),
    )
    return token, key


@transaction.atomic
def renew(token: ApiToken, *, request=None) -> tuple[ApiToken, str]:
    """Rotate a key: the old one stops working now, a new one with the same name and scope
    and a fresh expiry takes its place."""
    revoke(token, request=request, record=False)
    new, key = issue(token.user, token.name, scope=token.scope, request=None)
    audit.record(
        AuditKind.TOKEN_RENEWED,
        request=request,
        user=token.user,
        detail=_audit_detail(new),
    )
    return new, key


def revoke(token: ApiToken, *, request=None, record: bool = True) -> None:
    """The key stops working at once. Revoked keys stay listed, marked, for the record."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    if record:
        audit.record(
            AuditKind.TOKEN_REVOKED,
            request=request,
            user=request.user if request is not None else token.user,
            detail=_audit_detail(token) + f" ({token.user.get_username()})",
            municipality=token.user.municipality_id,
        )


def revoke_all(user: User, *, request=None) -> int:
    """Revoke every live key of `user` (on deactivation); the number revoked."""
    count = 0
    for token in user.api_tokens.filter(revoked_at__isnull=True):
        revoke(token, request=request)
        count += 1
    return count


def _audit_detail(token: ApiToken) -> str:
    return f"{token.name} [{token.prefix}…, {token.get_scope_display()}]"


def keys_of(user: User):
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` or `Bearer <key>`, checked against the stored hashes."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid API key header."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid API key header.")) from None
        return self.check(key, request)

    def check(self, key: str, request=None):
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user__municipality", "user__person")
            .filter(key_hash=hash_key(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The API key has been revoked."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("The API key has expired."))
        if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
            audit.record(
                AuditKind.TOKEN_USED,
                request=request,
                user=token.user,
                detail=_audit_detail(token),
            )
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'


# --- Changes to a login: recorded, and a deactivated login loses its keys -----------------


def _current_request():
    """The request being served, where simple-history's middleware keeps it (the user form,
    the admin); None in commands and the demo."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


@receiver(pre_save, sender=User, dispatch_uid="audit_user_before")
def _remember_rights(sender, instance: User, raw=False, **kwargs):
    before = None
    if not raw and instance.pk is not None:
        before = User.objects.filter(pk=instance.pk).values_list("role", "is_active").first()
    instance.__dict__["_rights_before"] = before


@receiver(post_save, sender=User, dispatch_uid="audit_user_after")
def _record_rights(sender, instance: User, created: bool, raw=False, **kwargs):
    if raw:
        return
    request = _current_request()
    actor = getattr(request, "user", None) if request is not None else None
    actor = actor if actor is not None and actor.is_authenticated else None
    name = instance.get_username()
    if created:
        if request is not None:
            audit.record(
                AuditKind.USER_CREATED,
                request=request,
                user=actor,
                municipality=instance.municipality_id,
                detail=f"{name}: {instance.get_role_display()}",
            )
        return
    before = instance.__dict__.get("_rights_before")
    if before is None:
        return
    role, was_active = before
    if role != instance.role:
        old = Role(role).label if role in Role.values else role
        audit.record(
            AuditKind.ROLE_CHANGED,
            request=request,
            user=actor,
            municipality=instance.municipality_id,
            detail=f"{name}: {old} → {instance.get_role_display()}",
        )
    if was_active != instance.is_active:
        kind = AuditKind.USER_ACTIVATED if instance.is_active else AuditKind.USER_DEACTIVATED
        audit.record(
            kind, request=request, user=actor, municipality=instance.municipality_id, detail=name
        )
    if not instance.is_active:
        # Revoked, not suspended: reactivating the login does not bring its keys back.
        revoke_all(instance, request=request)
