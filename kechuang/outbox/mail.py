"""Queue mail (``enqueue``) and send what is queued (``send_pending``).

``enqueue`` only inserts rows; when the project's task runner is configured (``TASKS`` in settings) it also asks
the runner, after the commit, to send them. Without a runner, ``manage.py send_outbox`` (cron, or a systemd
timer every minute — docs/deployment.md) sends them.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import MAX_ATTEMPTS, OutboxMail

logger = logging.getLogger(__name__)


def enqueue(mails):
    """Queue ``mails``: dicts with to, subject, body and optionally recipient and key.

    Mails whose key is already taken are skipped (the same reminder twice in a day). Returns how many were queued.
    """
    rows = [OutboxMail(**mail) for mail in mails if mail.get("to")]
    if not rows:
        return 0
    keyed = [row.key for row in rows if row.key]
    if keyed:
        taken = set(OutboxMail.objects.filter(key__in=keyed).values_list("key", flat=True))
        rows = [row for row in rows if not row.key or row.key not in taken]
    try:
        with transaction.atomic():
            OutboxMail.objects.bulk_create(rows)
    except IntegrityError:
        # A concurrent run took a key between the check and the insert: fall back to one row at a time.
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
                created.append(row)
            except IntegrityError:
                continue
        rows = created
    if rows:
        _wake_runner()
    return len(rows)


def _wake_runner():
    if not getattr(settings, "TASKS", None):
        return
    from .tasks import send_outbox

    # robust: the mail rows are committed with the step that caused them; a failed wake-up is logged and the
    # next wake-up or the every-minute ``send_outbox`` sends them. Raising here would report a committed step
    # as failed (a transition as "moved by someone else").
    transaction.on_commit(send_outbox.enqueue, robust=True)


def send_pending(limit=500):
    """Send up to ``limit`` queued mails, oldest first; returns (sent, failed).

    Each row is claimed under a row lock (``skip_locked`` on PostgreSQL, so two workers never send one mail twice);
    a failure is counted and retried on a later run, up to MAX_ATTEMPTS.
    """
    sent = failed = 0
    ids = list(
        OutboxMail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return 0, 0
    mail_connection = get_connection()
    skip_locked = connection.features.has_select_for_update_skip_locked
    for pk in ids:
        with transaction.atomic():
            pending = OutboxMail.objects.filter(pk=pk, sent_at__isnull=True)
            row = (pending.select_for_update(skip_locked=True) if skip_locked else pending).first()
            if row is None:
                continue
            message = EmailMessage(
                row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to], connection=mail_connection
            )
            try:
                message.send()
            except Exception as exc:  # an outage is retried later; it must not stop the other mails
                logger.warning("Outbox mail %s not sent: %s", row.pk, exc)
                OutboxMail.objects.filter(pk=row.pk).update(
                    attempts=row.attempts + 1, last_error=str(exc)[:300]
                )
                failed += 1
                continue
            OutboxMail.objects.filter(pk=row.pk).update(sent_at=timezone.now(), attempts=row.attempts + 1)
            sent += 1
    return sent, failed
