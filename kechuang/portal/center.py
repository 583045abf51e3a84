"""The personal center's start page (A2): what waits for this person, and their latest in-site messages.

It sits in portal, above every app whose work it counts, so each app keeps its own counting and the center
only asks ``counts_for``.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kechuang.filings.models import EDITABLE_STATUSES, Filing
from kechuang.registration.services import pending_counts

CENTER_NOTIFICATION_COUNT = 5


def counts_for(user):
    """The numbers the personal center shows this person, by name; absent where they do not apply."""
    counts = {}
    if user.is_reviewer:
        counts["pending_reviews"] = Filing.objects.actionable_by(user).count()
    if user.is_applicant:
        counts["my_filings"] = Filing.objects.visible_to(user).aggregate(
            total=Count("id"), pending=Count("id", filter=Q(status__in=EDITABLE_STATUSES))
        )
    counts.update(pending_counts(user))  # 单位注册：待审核 N, 人员：待确认 N
    counts["unread_count"] = user.notifications.filter(read_at__isnull=True).count()
    return counts


@require_safe
@login_required
def center(request):
    user = request.user
    context = {
        "menu_current": "center",
        "notifications": user.notifications.order_by("-created_at", "-id")[:CENTER_NOTIFICATION_COUNT],
        **counts_for(user),
    }
    return render(request, "accounts/center.html", context)
