"""Loading a filing for the read-only 查看 page (F11) and the 审核 page (which includes filings/_detail.html)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .models import Attachment


def get_filing_for_display(queryset, public_id):
    """The filing from ``queryset`` (already narrowed by ``visible_to``/``actionable_by``) or 404, with every
    related row ``filings/_detail.html`` shows, so that template runs a fixed number of queries (Q4):
    one for the filing and one per list (members, partners, projects, results, attachments)."""
    return get_object_or_404(
        queryset.select_related(
            "business", "stage", "unit", "cooperation_category", "owner"
        ).prefetch_related(
            "members",
            "partners",
            "joint_projects",
            "joint_results",
            Prefetch("attachments", queryset=Attachment.objects.order_by("kind", "uploaded_at", "id")),
        ),
        public_id=public_id,
    )
