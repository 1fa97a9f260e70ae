"""Outgoing mail through an outbox: each message is a row (`core.models.OutgoingMail`) first.

`queue()` writes the row under a key that says what the mail is about ("follow-up 17 due
2026-12-10, to person 4"). A key is queued once: asking again finds the row and queues
nothing, so reminders computed again after a scheduler restart send nothing twice.
`send_pending()` (run by `manage.py run_scheduled`, and right after queueing where a user
waits) sends what waits, one row at a time: locked while it is sent, marked sent in the same
transaction; an SMTP refusal counts an attempt, and after `MAIL_MAX_ATTEMPTS` the mail is
failed and shown as such to administrators (`/drift/`).

Every mail is Danish plain text with an HTML alternative; the callers build both (the
reminders app from templates).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from core.models import MailStatus, OutgoingMail

log = logging.getLogger(__name__)


def queue(
    key: str,
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    kind: str,
    user=None,
    municipality=None,
) -> OutgoingMail | None:
    """Queue one mail under `key`; None when that key was queued before (sent or not)."""
    mail, created = OutgoingMail.objects.get_or_create(
        key=key[:200],
        defaults={
            "to": to,
            "subject": subject[:300],
            "text": text,
            "html": html,
            "kind": kind,
            "user": user,
            "municipality": municipality
            if municipality is not None
            else getattr(user, "municipality", None),
        },
    )
    return mail if created else None


def send_pending(limit: int = 500, connection=None) -> dict[str, int]:
    """Send up to `limit` waiting mails over one SMTP connection; returns the count per
    outcome (sent, retry, failed)."""
    from core import metrics

    counts = {"sent": 0, "retry": 0, "failed": 0}
    ids = list(
        OutgoingMail.objects.filter(status=MailStatus.PENDING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return counts
    connection = connection or get_connection(fail_silently=False)
    for pk in ids:
        with transaction.atomic():
            mail = (
                OutgoingMail.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=MailStatus.PENDING)
                .first()
            )
            if mail is None:
                continue  # sent meanwhile by another scheduler
            message = EmailMultiAlternatives(
                mail.subject,
                mail.text,
                settings.DEFAULT_FROM_EMAIL,
                [mail.to],
                connection=connection,
            )
            if mail.html:
                message.attach_alternative(mail.html, "text/html")
            mail.attempts += 1
            try:
                message.send()
            except Exception as error:  # SMTP and socket errors alike
                mail.last_error = f"{type(error).__name__}: {error}"[:500]
                if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
                    mail.status = MailStatus.FAILED
                    counts["failed"] += 1
                else:
                    counts["retry"] += 1
                log.warning("Mail %s to %s not sent: %s", mail.pk, mail.to, mail.last_error)
            else:
                mail.status = MailStatus.SENT
                mail.sent_at = timezone.now()
                mail.last_error = ""
                counts["sent"] += 1
            mail.save(update_fields=["status", "attempts", "last_error", "sent_at"])
            metrics.mail_sent(mail.status)
    return counts
